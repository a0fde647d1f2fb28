/**
 * Starts a worker thread from a module beside the caller. In the server bundle
 * (`hall-server/dist/`) the worker is its own built file (scripts/build-server.mjs lists it);
 * from the sources (tsx, vitest) it is TypeScript, which a worker's entry cannot be in Node 20
 * even under `--import tsx`: a small evaluated entry registers tsx's loader first, then imports it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const script = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(entry, { ...options, eval: true });
}
