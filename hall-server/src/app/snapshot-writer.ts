/**
 * State snapshots (state-snapshot.ts) are written by a worker thread that keeps its own copy of
 * the day's state by reading the journal (snapshot-mirror.ts, snapshot-worker.ts), so the main
 * thread never serialises the state and never holds a command for it. The main thread only tells
 * the thread how far the journal is durable (after committed batches, at most one message per
 * `notifyMs`), that a new day began, and at graceful close asks for a last snapshot and waits for
 * it (at most `closeMs`).
 *
 * The thread is a cache's writer, not part of the service: if it fails (exception, out of
 * memory, killed) that is logged and a new one is started after a growing pause; nothing else
 * waits for it.
 */
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../logging';
import { startWorker } from '../worker-thread';
import { removeSnapshot, type SnapshotPoint } from './state-snapshot';
import type { FromMirror, MirrorSettings, MirrorStart, ToMirror } from './snapshot-mirror';

export interface SnapshotPolicy {
  /** Folder of the snapshot files. */
  dir: string;
  /** Journal records past the last snapshot that make a new one worth writing. Default 2,000. */
  records?: number;
  /** Least time between two writes (ms), the first counted from the thread's start. Default 5,000. */
  intervalMs?: number;
  /** Wait after a failed write before the next try (ms). Default 30,000. */
  retryMs?: number;
  /** Least time between two "durable up to here" messages to the thread (ms). Default 100. */
  notifyMs?: number;
  /** Log when the thread is this many records behind the durable journal. Default 50,000. */
  behindRecords?: number;
  /** Pause before restarting a failed thread (ms), doubled for each failure in a row up to a minute. Default 1,000. */
  restartMs?: number;
  /** How long a graceful close waits for the last snapshot (ms). Default 3,000 (the CLI gives the whole shutdown 5 s). */
  closeMs?: number;
  /** Test hook, see MirrorSettings. */
  pauseBeforeWrite?: Int32Array;
}

/** What the writer needs from the core. */
export interface SnapshotSource {
  /** The journal's last durable record and the day file's length up to it. */
  point(): SnapshotPoint;
  /** The chain before the current day file's first record. */
  dayStart(): { seq: number; hash: string };
}

const MAX_RESTART_MS = 60_000;
/**
 * V8 limits of the thread. A young generation as small as the main thread's
 * (`--max-semi-space-size=2`) keeps its memory down; the old generation is bounded so that a
 * runaway thread fails on its own (logged, restarted) instead of taking the machine's memory.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 512 };

export class SnapshotWriter {
  readonly dir: string;
  private readonly settings: MirrorSettings;
  private readonly notifyMs: number;
  private readonly restartMs: number;
  private readonly closeMs: number;
  private day: string;
  private dayStart: { seq: number; hash: string };
  /** The newest durable point of `day` known here. */
  private last: SnapshotPoint;
  private worker: Worker | undefined;
  private failures = 0;
  private lastNotifyAt = -Infinity;
  private notifyTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (seq: number | null) => void>();
  /** close() or stop() was called: no more threads. */
  private ended = false;

  constructor(
    private readonly source: SnapshotSource,
    code: string,
    private readonly log: Logger,
    policy: SnapshotPolicy & { journalDir: string },
  ) {
    this.dir = policy.dir;
    this.settings = {
      dir: policy.dir,
      journalDir: policy.journalDir,
      code,
      records: policy.records ?? 2000,
      intervalMs: policy.intervalMs ?? 5000,
      retryMs: policy.retryMs ?? 30_000,
      behindRecords: policy.behindRecords ?? 50_000,
      pauseBeforeWrite: policy.pauseBeforeWrite,
    };
    this.notifyMs = policy.notifyMs ?? 100;
    this.restartMs = policy.restartMs ?? 1000;
    this.closeMs = policy.closeMs ?? 3000;
    this.last = source.point();
    this.day = this.last.day;
    this.dayStart = source.dayStart();
    this.spawn();
  }

  /** The thread, while one runs (tests, diagnostics). */
  get thread(): Worker | undefined {
    return this.worker;
  }

  /** A batch became durable. Cheap: at most one message per `notifyMs`, carrying the newest point. */
  durable(): void {
    if (this.notifyTimer !== undefined || this.worker === undefined) return;
    const wait = this.lastNotifyAt + this.notifyMs - performance.now();
    if (wait <= 0) this.notify();
    else {
      this.notifyTimer = setTimeout(this.notify, wait);
      this.notifyTimer.unref();
    }
  }

  private readonly notify = (): void => {
    this.notifyTimer = undefined;
    this.lastNotifyAt = performance.now();
    if (this.refresh()) this.send({ type: 'durable', point: this.last });
  };

  /** Takes the journal's point when it is of the writer's day; true when it moved. */
  private refresh(): boolean {
    const p = this.source.point();
    if (p.day !== this.day || p.seq === this.last.seq) return false;
    this.last = p;
    return true;
  }

  /** A new hall day began (the journal writes to its file): the thread drops the old day's copy and its snapshots. */
  dayStarted(day: string): void {
    clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.day = day;
    this.dayStart = this.source.dayStart();
    this.last = this.source.point();
    this.send({ type: 'day', start: this.start() });
  }

  /**
   * Asks for a snapshot up to the last durable record now (whatever the policy says); resolves
   * with the seq the day's newest snapshot then covers, or null when the thread could not say
   * (none running, or it stopped first).
   */
  flush(): Promise<number | null> {
    if (!this.worker) return Promise.resolve(null);
    this.refresh();
    const id = this.nextId++;
    const answer = new Promise<number | null>((resolve) => this.waiting.set(id, resolve));
    this.send({ type: 'flush', id, point: this.last });
    return answer;
  }

  /** Graceful shutdown: the last snapshot (waiting at most `closeMs`), then the thread ends. */
  async close(): Promise<void> {
    if (this.ended) return;
    clearTimeout(this.notifyTimer);
    if (this.worker) {
      const done = await this.within(this.flush());
      if (!done) this.log.warn({ waitedMs: this.closeMs }, 'state snapshot: the last one was not written in time; the next start replays more of the journal');
    }
    await this.end();
  }

  /** No more snapshots (the journal failed or is broken); `forgetDay` also deletes that day's snapshot. */
  async stop(forgetDay?: string): Promise<void> {
    if (!this.ended) {
      if (this.worker) {
        const id = this.nextId++;
        const stopped = new Promise<number | null>((resolve) => this.waiting.set(id, resolve));
        this.send({ type: 'stop', id });
        await this.within(stopped); // a write under way finishes first, so nothing appears after the delete
      }
      await this.end();
    }
    if (forgetDay) await removeSnapshot(this.dir, forgetDay).catch(() => undefined);
  }

  private async end(): Promise<void> {
    this.ended = true;
    clearTimeout(this.notifyTimer);
    clearTimeout(this.restartTimer);
    const w = this.worker;
    this.worker = undefined;
    this.answerAll();
    await w?.terminate();
  }

  /** True when `p` settled within `closeMs`. */
  private async within(p: Promise<unknown>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.closeMs)));
    try {
      return await Promise.race([p.then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private start(): MirrorStart {
    return { day: this.day, dayStart: this.dayStart, durable: this.last };
  }

  private send(m: ToMirror): void {
    this.worker?.postMessage(m);
  }

  private spawn(): void {
    this.refresh();
    const startedAt = performance.now();
    const worker = startWorker(import.meta.url, 'snapshot-worker', { workerData: { settings: this.settings, start: this.start() }, resourceLimits: RESOURCE_LIMITS });
    worker.unref();
    this.worker = worker;
    worker.on('message', (m: FromMirror) => this.received(m));
    worker.on('error', (err) => this.log.error({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'snapshot writer thread failed'));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return; // ended on purpose
      this.worker = undefined;
      this.answerAll();
      if (performance.now() - startedAt > MAX_RESTART_MS) this.failures = 0;
      const wait = Math.min(this.restartMs * 2 ** this.failures, MAX_RESTART_MS);
      this.failures++;
      this.log.error({ code, restartInMs: wait }, 'snapshot writer thread stopped; starting a new one (snapshots pause meanwhile, the journal is unaffected)');
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.ended) this.spawn();
      }, wait);
      this.restartTimer.unref();
    });
  }

  private received(m: FromMirror): void {
    switch (m.type) {
      case 'log':
        this.log[m.level](m.data ?? {}, m.msg);
        break;
      case 'written':
        this.failures = 0;
        this.log.info({ day: m.day, seq: m.seq, bytes: m.bytes, encodeMs: m.encodeMs, why: m.why }, 'state snapshot written');
        break;
      case 'flushed':
        this.answer(m.id, m.seq);
        break;
      case 'stopped':
        this.answer(m.id, null);
        break;
    }
  }

  private answer(id: number, seq: number | null): void {
    this.waiting.get(id)?.(seq);
    this.waiting.delete(id);
  }

  private answerAll(): void {
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }
}
