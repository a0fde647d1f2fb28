/**
 * Worker thread of the snapshot writer (snapshot-writer.ts starts it): runs a SnapshotMirror
 * (snapshot-mirror.ts) on the messages of the main thread, at the lowest CPU priority (nice 19).
 * An unexpected error ends the thread; the main thread logs it and starts a new one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../worker-thread';
import { SnapshotMirror, type FromMirror, type MirrorSettings, type MirrorStart, type ToMirror } from './snapshot-mirror';

const port = parentPort!;
const { settings, start } = workerData as { settings: MirrorSettings; start: MirrorStart };
// The lowest priority: a snapshot is never urgent (measured on 2 cores under 100 tickets/s, nice 19
// left the requests' p99 closer to a server without snapshots than nice 10 did).
lowerThreadPriority(19);
const mirror = new SnapshotMirror(
  settings,
  start,
  (m: FromMirror) => port.postMessage(m),
  (err) =>
    setImmediate(() => {
      throw err; // uncaught: the thread ends with this error
    }),
);
port.on('message', (m: ToMirror) => mirror.receive(m));
