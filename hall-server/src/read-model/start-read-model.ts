/**
 * The read model's composition root: `startReadModel(...)` gives the server a ReadModelPort whose
 * work runs on a worker thread (default) or in-process, and `connectReadModel` feeds it the hall
 * core's durable events. Wiring it into main.ts is these two calls.
 */
import type { Worker } from 'node:worker_threads';
import { hallError, type HallConfig } from '@hall/protocol';
import type { ReadModelLog, ReadModelStatus } from './read-model';
import type { ExportFile, ExportFormat, InProcessReadModel, ReadModelPort } from './read-model-service';
import type { CallMethod, FromWorker, ToWorker, WorkerInit } from './read-model-messages';
import type { JournalEventLike } from './projector';
import { startWorker } from './start-worker';
import { unavailableReadModel } from './unavailable-read-model';
import type { SummaryQuery } from '../stats/summary';
import type { StatsSummary } from '../stats/stats-types';
import type { AlertFilter, AlertView, CaseFilter, RatingFilter, RatingView, RectificationCase } from '../supervision/supervision-queries';

export interface StartReadModelOptions {
  dataDir: string;
  journalDir: string;
  /** `postgres://…` (HALL_DATABASE_URL): the read model in PostgreSQL. */
  databaseUrl?: string | undefined;
  tz: string;
  /** The hall's configuration now; a new object is sent to the read model before the next call. */
  config: () => HallConfig;
  clock: () => number;
  log: ReadModelLog;
  /**
   * Run on the calling thread. Default: on a worker thread in the server bundle, in-process when
   * running from the TypeScript sources (tests, tsx), where a worker would compile every module
   * again (about 2 s of CPU per hall start).
   */
  inProcess?: boolean;
  flushMs?: number;
}

export interface RunningReadModel {
  port: ReadModelPort;
  /** Resolves when catch-up from the journal has finished (or failed: see status()). */
  caughtUp: Promise<void>;
}

const FROM_SOURCES = import.meta.url.endsWith('.ts');

export async function startReadModel(opts: StartReadModelOptions): Promise<RunningReadModel> {
  if (opts.inProcess ?? FROM_SOURCES) {
    // Loaded only here: the server's main thread never needs SQLite, Kysely or exceljs when the
    // read model runs on its worker (tens of MB of the hall's RSS).
    const { InProcessReadModel } = await import('./read-model-service');
    const { service, caughtUp } = await InProcessReadModel.open({ ...opts, config: opts.config() });
    return { port: withConfigFrom(service, opts.config), caughtUp: caughtUp.then(() => undefined) };
  }
  try {
    return await WorkerReadModel.start(opts);
  } catch (err) {
    // A bundle without the worker file, or a runtime without worker threads: the same work in-process.
    opts.log.warn({ err: { message: (err as Error).message } }, 'read model: no worker thread; running on the main thread');
    return startReadModel({ ...opts, inProcess: true });
  }
}

/**
 * startReadModel for the server: a read model that cannot be opened is logged and replaced by one
 * that answers SERVER.UNAVAILABLE, so the hall still starts and serves tickets (local first).
 */
export async function startReadModelForHall(opts: StartReadModelOptions): Promise<RunningReadModel> {
  try {
    return await startReadModel(opts);
  } catch (err) {
    const reason = (err as Error).message;
    opts.log.error({ err: { message: reason } }, 'read model: cannot be opened; the hall runs without statistics and supervision until a restart can open it');
    return { port: unavailableReadModel(reason), caughtUp: Promise.resolve() };
  }
}

/** Sends a changed config to the port before each call. */
function withConfigFrom(service: InProcessReadModel, config: () => HallConfig): ReadModelPort {
  let sent = config();
  const fresh = (): void => {
    const c = config();
    if (c !== sent) service.setConfig((sent = c));
  };
  return new Proxy(service, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (prop !== 'push') fresh();
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as ReadModelPort;
}

/** Feeds the hall core's durable events (queue and audit) to the read model, off the issue path. */
export function connectReadModel(
  core: { on(e: 'events', l: (events: JournalEventLike[]) => void): unknown; on(e: 'audit', l: (event: JournalEventLike) => void): unknown },
  port: ReadModelPort,
): void {
  core.on('events', (events) => port.push(events));
  core.on('audit', (event) => port.push([event]));
}

class WorkerReadModel implements ReadModelPort {
  private nextId = 1;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private failed: string | null = null;
  private sentConfig: HallConfig;

  private constructor(private readonly worker: Worker, private readonly opts: StartReadModelOptions) {
    this.sentConfig = opts.config();
  }

  static start(opts: StartReadModelOptions): Promise<RunningReadModel> {
    const init: WorkerInit = {
      dataDir: opts.dataDir,
      journalDir: opts.journalDir,
      databaseUrl: opts.databaseUrl,
      tz: opts.tz,
      config: opts.config(),
      now: opts.clock(),
      flushMs: opts.flushMs,
    };
    const worker = startWorker(import.meta.url, 'read-model-worker', { workerData: init });
    const rm = new WorkerReadModel(worker, opts);
    return new Promise((resolve, reject) => {
      let caughtUp!: () => void;
      const caughtUpPromise = new Promise<void>((r) => (caughtUp = r));
      worker.on('message', (m: FromWorker) => {
        switch (m.kind) {
          case 'opened':
            return resolve({ port: rm, caughtUp: caughtUpPromise });
          case 'open-failed':
            rm.failed = m.message;
            return reject(new Error(`read model: ${m.message}`));
          case 'caught-up':
            return caughtUp();
          case 'log':
            return opts.log[m.level](m.obj, m.msg);
          case 'reply': {
            const c = rm.calls.get(m.id);
            rm.calls.delete(m.id);
            if (m.ok) c?.resolve(m.value);
            else c?.reject(new Error(m.message));
          }
        }
      });
      worker.on('error', (err) => {
        rm.fail(err.message);
        reject(err);
      });
      worker.on('exit', (code) => {
        rm.fail(`worker exited (${code})`);
        caughtUp();
      });
    });
  }

  private fail(reason: string): void {
    if (this.failed === null) {
      this.failed = reason;
      if (!reason.endsWith('(0)')) this.opts.log.error({ reason }, 'read model: the worker stopped; statistics and supervision reads are unavailable');
    }
    for (const c of this.calls.values()) c.reject(hallError('SERVER.UNAVAILABLE', `statistics are unavailable (${reason})`));
    this.calls.clear();
  }

  private post(m: ToWorker): void {
    if (this.failed === null) this.worker.postMessage(m);
  }

  private call<T>(method: CallMethod, ...args: unknown[]): Promise<T> {
    if (this.failed !== null) return Promise.reject(hallError('SERVER.UNAVAILABLE', `statistics are unavailable (${this.failed})`));
    const config = this.opts.config();
    if (config !== this.sentConfig) this.setConfig(config);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ kind: 'call', id, now: this.opts.clock(), method, args });
    });
  }

  push(events: readonly JournalEventLike[]): void {
    this.post({ kind: 'push', events });
  }

  pushRemote(hallId: string, events: readonly JournalEventLike[], wholeDay?: string): void {
    this.post({ kind: 'push-remote', hallId, events, day: wholeDay });
  }

  remoteDays(hallId: string): Promise<Array<{ day: string; events: number }>> {
    return this.call('remoteDays', hallId);
  }

  setConfig(config: HallConfig): void {
    this.sentConfig = config;
    this.post({ kind: 'config', config });
  }

  status(): Promise<ReadModelStatus> {
    return this.call('status');
  }

  flush(): Promise<void> {
    return this.call('flush');
  }

  summary(q: SummaryQuery): Promise<StatsSummary> {
    return this.call('summary', q);
  }

  async exportFile(q: SummaryQuery, format: ExportFormat): Promise<ExportFile> {
    const f = await this.call<ExportFile>('exportFile', q, format);
    // A Buffer crosses threads as a plain Uint8Array.
    return { ...f, body: Buffer.from(f.body.buffer, f.body.byteOffset, f.body.byteLength) };
  }

  report(q: SummaryQuery): Promise<string> {
    return this.call('report', q);
  }

  cases(f: CaseFilter): Promise<RectificationCase[]> {
    return this.call('cases', f);
  }

  alerts(f: AlertFilter): Promise<AlertView[]> {
    return this.call('alerts', f);
  }

  ratings(f: RatingFilter): Promise<RatingView[]> {
    return this.call('ratings', f);
  }

  reindex(): Promise<{ days: number; events: number }> {
    return this.call('reindex');
  }

  async close(): Promise<void> {
    if (this.failed !== null) return;
    await this.call('close').catch(() => undefined);
    await this.worker.terminate();
  }
}
