/**
 * When HallCore writes a state snapshot (state-snapshot.ts). The state is serialised on the main
 * thread, so it happens where it costs nobody a wait: after 1 s without a command once 2,000
 * journal records have come since the last snapshot, and — so that the replay after a crash stays
 * bounded under constant load — as soon as 20,000 have, holding new commands for the moment it
 * takes; and at graceful shutdown. One write at a time; a failed one is logged and tried again
 * later, never fatal.
 *
 * A snapshot must equal the durable journal exactly, so it is only taken while the core reports
 * itself settled (every applied event fsync'd, no day change under way).
 */
import { mkdir } from 'node:fs/promises';
import type { QueueState } from '../queue';
import type { Logger } from '../logging';
import { encodeSnapshot, removeOtherSnapshots, removeSnapshot, writeSnapshot, type SnapshotPoint } from './state-snapshot';

export interface SnapshotPolicy {
  /** Folder of the snapshot files. */
  dir: string;
  /** Quiet time before an idle snapshot (ms). Default 1,000. */
  idleMs?: number;
  /** Journal records since the last snapshot that make an idle snapshot worth it. Default 2,000. */
  idleRecords?: number;
  /** Journal records since the last snapshot after which one is taken even under load. Default 20,000. */
  maxRecords?: number;
  /** Wait after a failed write before the next try (ms). Default 30,000. */
  retryMs?: number;
}

/** What the keeper needs from the core. */
export interface SnapshotSource {
  /** True when the state equals the durable journal: no applied event waits for its fsync, no day change runs. */
  settled(): boolean;
  state(): QueueState;
  /** The journal's last durable record and the day file's length. */
  point(): SnapshotPoint;
}

export class SnapshotKeeper {
  readonly dir: string;
  private readonly idleMs: number;
  private readonly idleRecords: number;
  private readonly maxRecords: number;
  private readonly retryMs: number;
  /** seq of the last record the newest snapshot (or the start of the day, without one) covers. */
  private baseSeq: number;
  private lastCommandAt = performance.now();
  private retryAt = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private gateOpen: (() => void) | undefined;
  private stopped = false;
  /** The hall day the core is on (snapshots of other days are out of date). */
  private day: string;
  /** Commands wait for this while a snapshot under load waits for the appends in flight. */
  gate: Promise<void> | undefined;

  constructor(
    private readonly source: SnapshotSource,
    private readonly code: string,
    private readonly log: Logger,
    policy: SnapshotPolicy,
    start: { day: string; seq: number },
  ) {
    this.dir = policy.dir;
    this.idleMs = policy.idleMs ?? 1000;
    this.idleRecords = policy.idleRecords ?? 2000;
    this.maxRecords = policy.maxRecords ?? 20_000;
    this.retryMs = policy.retryMs ?? 30_000;
    this.day = start.day;
    this.baseSeq = start.seq;
  }

  /** Journal records not covered by the newest snapshot. */
  get pending(): number {
    return this.source.point().seq - this.baseSeq;
  }

  /** A command is about to run: the hall is not idle. */
  commandStarted(): void {
    this.lastCommandAt = performance.now();
  }

  /**
   * An append of applied events finished. Takes the snapshot now when it is due and the state is
   * settled; when it is due but appends are still in flight, holds new commands (`gate`) until
   * they are done; else arms the idle timer.
   */
  appended(): void {
    if (this.stopped || this.writing) return;
    const pending = this.pending;
    if (pending >= this.maxRecords && performance.now() >= this.retryAt) {
      if (this.source.settled()) this.take('records');
      else this.closeGate();
      return;
    }
    if (pending >= this.idleRecords) this.armIdle(this.idleMs);
  }

  /** After start: a day replayed without a (usable) snapshot gets one once the hall is idle. */
  started(): void {
    if (this.pending >= this.idleRecords) this.armIdle(this.idleMs);
  }

  /** A new hall day started at journal seq `seq`; older days' snapshots go. */
  dayStarted(seq: number, day: string): void {
    this.day = day;
    this.baseSeq = seq;
    this.openGate();
    removeOtherSnapshots(this.dir, day).then(
      (removed) => removed.length > 0 && this.log.info({ removed }, 'snapshots of earlier days removed'),
      (err: Error) => this.log.warn({ err: { message: err.message } }, 'snapshot: cannot remove old snapshots'),
    );
  }

  /** No more snapshots (the journal failed, or the process stops); `forget` also deletes the day's file. */
  async stop(forgetDay?: string): Promise<void> {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    this.openGate();
    await this.writing;
    if (forgetDay) await removeSnapshot(this.dir, forgetDay).catch(() => undefined);
  }

  /** Graceful shutdown: waits for a write under way, then snapshots what came after it. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    this.openGate();
    await this.writing;
    if (!this.stopped && this.pending > 0 && this.source.settled()) {
      this.take('shutdown');
      await this.writing;
    }
    this.stopped = true;
  }

  private armIdle(ms: number): void {
    if (this.idleTimer || this.stopped) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      this.idleCheck();
    }, ms);
    this.idleTimer.unref();
  }

  private idleCheck(): void {
    if (this.stopped || this.writing || this.pending < this.idleRecords) return;
    const now = performance.now();
    const wait = Math.max(this.lastCommandAt + this.idleMs, this.retryAt) - now;
    if (wait > 0) return this.armIdle(wait);
    if (!this.source.settled()) return this.armIdle(this.idleMs);
    this.take('idle');
  }

  private closeGate(): void {
    if (this.gate) return;
    this.gate = new Promise<void>((resolve) => (this.gateOpen = resolve));
  }

  private openGate(): void {
    const open = this.gateOpen;
    this.gate = undefined;
    this.gateOpen = undefined;
    open?.();
  }

  /** Serialises now (the state is settled at this instant), then writes in the background. */
  private take(why: 'idle' | 'records' | 'shutdown'): void {
    const point = this.source.point();
    let chunks: Buffer[];
    const t0 = performance.now();
    try {
      chunks = encodeSnapshot(this.source.state(), point, this.code);
    } catch (err) {
      this.failed(err as Error);
      return;
    } finally {
      this.openGate();
    }
    const encodeMs = Math.round(performance.now() - t0);
    this.writing = (async () => {
      await mkdir(this.dir, { recursive: true });
      await writeSnapshot(this.dir, point.day, chunks);
    })().then(
      () => {
        this.writing = undefined;
        if (point.day !== this.day) {
          // The day rolled over while it was written: it is already out of date.
          void removeSnapshot(this.dir, point.day).catch(() => undefined);
          return;
        }
        this.baseSeq = point.seq;
        this.retryAt = 0;
        const bytes = chunks.reduce((n, c) => n + c.length, 0);
        this.log.info({ day: point.day, seq: point.seq, bytes, encodeMs, why }, 'state snapshot written');
        this.appended(); // records may have come meanwhile
      },
      (err: Error) => {
        this.writing = undefined;
        this.failed(err);
      },
    );
  }

  private failed(err: Error): void {
    this.retryAt = performance.now() + this.retryMs;
    this.log.warn({ err: { message: err.message } }, 'state snapshot failed; the journal is unaffected, trying again later');
    if (this.pending >= this.idleRecords) this.armIdle(this.retryMs);
  }
}
