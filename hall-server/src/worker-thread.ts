/**
 * Worker threads of the server, each started from its own module beside the module that starts
 * it. In the server bundle (`hall-server/dist/`) every worker is its own built file
 * (scripts/build-server.mjs lists them). From the sources (tsx, vitest) it is TypeScript, which a
 * worker's entry cannot be in Node 20 even under `--import tsx`: a small evaluated entry
 * registers tsx's loader on the worker thread first, then imports it.
 */
import { setPriority } from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts `./<name>.js` (bundle) or `./<name>.ts` (sources) relative to `callerUrl` (the caller's `import.meta.url`). */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const script = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(entry, { ...options, eval: true });
}

/**
 * Called on a worker thread: lowers its CPU priority (`nice`, default 10) so the server's main
 * thread goes first when both want a core. On Linux this is the calling thread's nice value, not
 * the whole process's. Where that is not permitted the thread runs at normal priority.
 */
export function lowerThreadPriority(nice = 10): void {
  try {
    setPriority(nice);
  } catch {
    /* not permitted */
  }
}
