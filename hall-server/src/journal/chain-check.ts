/**
 * The hash chain of a day file checked on a worker thread, so the server can answer requests
 * meanwhile: used after a start from a state snapshot, which skips the part of the day file the
 * snapshot covers. The worker reads the file in chunks (memory stays small) with the same code as
 * `hall-server verify`.
 */
import { Worker } from 'node:worker_threads';
import type { VerifyOptions, VerifyReport } from './journal-files';

export interface BackgroundCheck {
  /** The report; rejects only when the worker itself could not run. */
  done: Promise<VerifyReport>;
  /** Stops the worker (server shutdown); `done` then rejects. */
  stop(): Promise<void>;
}

/**
 * The worker's script, beside this module. In the server bundle (`hall-server/dist/`) it is its
 * own built file. From the sources (tsx, vitest) it is TypeScript, which a worker's entry cannot
 * be in Node 20 even under `--import tsx`: a small evaluated entry registers tsx's loader on the
 * worker thread first, then imports it.
 */
function newWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./chain-check-worker.js', import.meta.url), { workerData });
  const script = new URL('./chain-check-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(entry, { eval: true, workerData });
}

export function checkChainInBackground(file: string, options: VerifyOptions): BackgroundCheck {
  const worker = newWorker({ file, options });
  worker.unref();
  let stopped = false;
  const done = new Promise<VerifyReport>((resolve, reject) => {
    worker.once('message', (report: VerifyReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(stopped ? 'chain check stopped' : `chain check worker exited with code ${code} without a report`)));
  });
  done.catch(() => undefined); // a caller that only stops it need not listen
  return {
    done,
    stop: async () => {
      stopped = true;
      await worker.terminate();
    },
  };
}
