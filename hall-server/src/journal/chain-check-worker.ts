/**
 * Worker thread of `checkChainInBackground` (chain-check.ts): verifies one day file, or its first
 * `bytes`, in chunks, and posts the VerifyReport. Runs at a lower CPU priority than the server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../worker-thread';
import { verifyJournalRange, type VerifyOptions } from './journal-files';

const { file, options } = workerData as { file: string; options: VerifyOptions };
lowerThreadPriority();
parentPort?.postMessage(await verifyJournalRange(file, options));
