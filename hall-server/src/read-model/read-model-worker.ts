/**
 * The read model's worker thread: the database, the projector and every query live here, so
 * the main thread (tickets, screens) never waits on SQLite. Talks read-model-messages.ts.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { InProcessReadModel, type ReadModelPort } from './read-model-service';
import type { FromWorker, ToWorker, WorkerInit } from './read-model-messages';

// Statistics can wait a moment, a citizen at the kiosk cannot: on Linux a thread's nice value is
// its own (setpriority of the calling thread), so this lowers the projection thread only.
try {
  setPriority(10);
} catch {
  // Not permitted here: the thread keeps the process's priority.
}

const port = parentPort!;
const init = workerData as WorkerInit;
let now = init.now;
const send = (m: FromWorker): void => port.postMessage(m);
const log = {
  info: (obj: object, msg: string) => send({ kind: 'log', level: 'info', obj, msg }),
  warn: (obj: object, msg: string) => send({ kind: 'log', level: 'warn', obj, msg }),
  error: (obj: object, msg: string) => send({ kind: 'log', level: 'error', obj, msg }),
};

const early: ToWorker[] = [];
let service: InProcessReadModel | undefined;

async function handle(m: ToWorker): Promise<void> {
  const s = service!;
  if (m.kind === 'push') return s.push(m.events);
  if (m.kind === 'push-remote') return s.pushRemote(m.hallId, m.events, m.day);
  if (m.kind === 'config') return s.setConfig(m.config);
  now = m.now;
  try {
    const fn = s[m.method] as (...args: unknown[]) => Promise<unknown>;
    const value = await fn.apply(s, m.args);
    send({ kind: 'reply', id: m.id, ok: true, value });
    if (m.method === 'close') port.close();
  } catch (err) {
    send({ kind: 'reply', id: m.id, ok: false, message: (err as Error).message });
  }
}

port.on('message', (m: ToWorker) => {
  if (!service) early.push(m);
  else void handle(m);
});

InProcessReadModel.open({ ...init, clock: () => now, log }).then(
  ({ service: s, caughtUp }) => {
    service = s;
    send({ kind: 'opened' });
    for (const m of early.splice(0)) void handle(m);
    void caughtUp.then(() => send({ kind: 'caught-up' }));
  },
  (err: Error) => {
    send({ kind: 'open-failed', message: err.message });
    port.close();
  },
);

export type { ReadModelPort };
