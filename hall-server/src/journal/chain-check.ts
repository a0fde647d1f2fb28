/**
 * The hash chain of a day file checked on a worker thread, so the server can answer requests
 * meanwhile: used after a start from a state snapshot, which skips the part of the day file the
 * snapshot covers. The worker reads the file in chunks (memory stays small) with the same code as
 * `hall-server verify`.
 */
import { startWorker } from '../worker-thread';
import type { VerifyOptions, VerifyReport } from './journal-files';

export interface BackgroundCheck {
  /** The report; rejects only when the worker itself could not run. */
  done: Promise<VerifyReport>;
  /** Stops the worker (server shutdown); `done` then rejects. */
  stop(): Promise<void>;
}

export function checkChainInBackground(file: string, options: VerifyOptions): BackgroundCheck {
  const worker = startWorker(import.meta.url, 'chain-check-worker', { workerData: { file, options } });
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
