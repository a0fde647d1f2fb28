/**
 * Worker thread of `checkChainInBackground` (chain-check.ts): verifies one day file, or its first
 * `bytes`, in chunks, and posts the VerifyReport. Runs at a lower CPU priority than the server.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyJournalRange, type VerifyOptions } from './journal-files';

const { file, options } = workerData as { file: string; options: VerifyOptions };
try {
  setPriority(10); // on Linux this is the calling thread's nice value, not the whole process's
} catch {
  /* not permitted: run at normal priority */
}
parentPort?.postMessage(await verifyJournalRange(file, options));
