/**
 * Reads journal days on its own thread for catch-up and reindex: reading a day file (JSON and
 * the hash chain) costs as much as projecting it, so the two run side by side. Posts
 * `{ day, events }` per day, at most two days ahead of the consumer (`{ more: true }` asks for one).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readDay } from './journal-source';

const port = parentPort!;
const { journalDir, days } = workerData as { journalDir: string; days: string[] };
let credit = 2;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit++;
  wake?.();
});

try {
  for (const day of days) {
    while (credit === 0) await new Promise<void>((r) => (wake = r));
    credit--;
    port.postMessage({ day, events: await readDay(journalDir, day) });
  }
  port.postMessage({ done: true });
} catch (err) {
  port.postMessage({ error: (err as Error).message });
}
port.close();
