/**
 * The snapshot writer thread's work (snapshot-worker.ts runs it; tests may run it in-process): a
 * copy of the day's queue state of its own, kept by reading the day's journal file, from which it
 * writes state snapshots (state-snapshot.ts) without costing the server's main thread anything.
 *
 * It starts from the day's snapshot when that is sound and matches the journal (the one the
 * server loaded at start, or a later one this thread wrote), else from the start of the day
 * file, and then follows the file (journal/day-follower.ts: the journal's own format code, with
 * the chain continuing from where it stands) and applies the queue events with the engine's pure
 * `apply`. It never reads past the durable point the main thread reports after its fsyncs, and
 * writes a snapshot only where the seq and hash it reached equal the reported ones; a mismatch
 * is logged and the state re-read from the snapshot or the day's start. The journal stays the
 * truth: this thread only reads it.
 *
 * When: once `records` journal records are past the last snapshot and `intervalMs` have passed
 * since the last write (or since the thread started: the copy is only built then, so the thread
 * does not compete with the server's own start); on request (`flush`, the server's graceful
 * close) whenever anything is past it. One thing at a time: the work is one sequential loop, fed
 * by the messages.
 */
import { mkdir, open } from 'node:fs/promises';
import type { QueueEvent } from '@hall/protocol';
// The modules themselves, not the indexes: the thread then loads no @hall/protocol (zod), ~15 MB less.
import { apply } from '../queue/apply';
import { initialState, type QueueState } from '../queue/state';
import { DayFileFollower, type ChainPoint } from '../journal/day-follower';
import { dayFilePath, recordEndingAt } from '../journal/journal-files';
import { encodeSnapshot, readSnapshot, removeOtherSnapshots, writeSnapshot, type SnapshotPoint } from './state-snapshot';

export interface MirrorSettings {
  /** Folder of the snapshot files. */
  dir: string;
  journalDir: string;
  /** The server code's fingerprint (state-snapshot.ts `codeFingerprint`), as the main thread computed it. */
  code: string;
  /** Journal records past the last snapshot that make a new one worth writing. */
  records: number;
  /** Least time between two writes (ms); the first counts from the start of the thread. */
  intervalMs: number;
  /** Wait after a failed write before the next try (ms). */
  retryMs: number;
  /** Log a warning when the durable journal is this many records ahead of the copy. */
  behindRecords: number;
  /**
   * Test hook: just before it encodes, the thread sets `[0]` to 1 and blocks until `[1]` is
   * non-zero (Atomics.wait), then sets `[0]` back to 0.
   */
  pauseBeforeWrite?: Int32Array | undefined;
}

/** Where the copy starts: the day, the chain before its first record, and the durable point. */
export interface MirrorStart {
  day: string;
  dayStart: { seq: number; hash: string };
  durable: SnapshotPoint;
}

export type ToMirror =
  /** The journal is durable up to here (after a committed batch; coalesced). */
  | { type: 'durable'; point: SnapshotPoint }
  /** A new hall day began: the copy of the old one goes. */
  | { type: 'day'; start: MirrorStart }
  /** Write a snapshot up to `point` now if anything is past the last one (graceful close); answered by `flushed`. */
  | { type: 'flush'; id: number; point: SnapshotPoint }
  /** Finish the write under way and write no more; answered by `stopped`. */
  | { type: 'stop'; id: number };

export type FromMirror =
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string; data?: Record<string, unknown> }
  | { type: 'written'; day: string; seq: number; bytes: number; encodeMs: number; why: 'records' | 'flush' }
  /** `seq`: what the day's newest snapshot covers after the flush (null: no copy to write from). */
  | { type: 'flushed'; id: number; seq: number | null }
  | { type: 'stopped'; id: number };

const MAX_RESYNC_WAIT_MS = 60_000;

/** protocol's `isAuditEvent` (audit events share the journal, replay skips them), without loading protocol. */
const isAudit = (e: { type: string }): boolean => e.type.startsWith('audit.');

export class SnapshotMirror {
  private day: string;
  private dayStart: { seq: number; hash: string };
  /** The latest durable point of `day` the main thread reported. */
  private target: SnapshotPoint;
  private state: QueueState | null = null;
  private follower: DayFileFollower | null = null;
  /** seq the day's newest snapshot covers (the day's start when there is none). */
  private lastSnapSeq: number;
  private lastWriteAt = performance.now();
  /**
   * The copy is built only when a write could first be due (or a flush asks), not at once: a
   * thread started with the server then does not read the snapshot and the journal while the
   * server itself starts.
   */
  private loadAt: number;
  private retryAt = 0;
  private resyncs = 0;
  private resyncAt = 0;
  private behind = false;
  private nextDay: MirrorStart | null = null;
  private flushes: number[] = [];
  private stopRequest: number | null = null;
  private stopped = false;
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: MirrorSettings,
    start: MirrorStart,
    private readonly post: (message: FromMirror) => void,
    /** An unexpected error in the loop (a bug): the thread should die and be restarted. */
    private readonly crash: (error: Error) => void,
  ) {
    this.day = start.day;
    this.dayStart = start.dayStart;
    this.target = start.durable;
    this.lastSnapSeq = start.dayStart.seq;
    this.loadAt = this.lastWriteAt + settings.intervalMs;
    this.kick();
  }

  receive(m: ToMirror): void {
    switch (m.type) {
      case 'durable':
        this.advance(m.point);
        break;
      case 'day':
        this.nextDay = m.start;
        break;
      case 'flush':
        this.advance(m.point);
        this.flushes.push(m.id);
        break;
      case 'stop':
        this.stopRequest = m.id;
        break;
    }
    this.kick();
  }

  /** For tests: the copy's state and the last record it applied. */
  get copy(): { state: QueueState | null; at: ChainPoint | null } {
    return { state: this.state, at: this.follower?.at ?? null };
  }

  private advance(point: SnapshotPoint): void {
    const next = this.nextDay;
    if (next) {
      if (point.day === next.day && point.seq >= next.durable.seq) next.durable = point;
      return;
    }
    if (point.day !== this.day || point.seq < this.target.seq) return; // of a day already left
    this.target = point;
    const at = this.follower?.at;
    if (!at || this.state === null) return;
    const behind = point.seq - at.seq;
    if (!this.behind && behind > this.settings.behindRecords) {
      this.behind = true;
      this.log('warn', 'snapshot writer is behind the journal', { behind, seq: at.seq, durableSeq: point.seq });
    }
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>): void {
    this.post({ type: 'log', level, msg, ...(data ? { data } : {}) });
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = true;
    this.run().then(
      () => (this.running = false),
      (err: Error) => {
        this.running = false;
        this.crash(err);
      },
    );
  }

  private async run(): Promise<void> {
    for (;;) {
      this.again = false;
      const more = await this.step();
      if (!more && !this.again) return;
    }
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.max(0, ms));
    this.timer.unref?.();
  }

  /** One piece of work; false when there is nothing to do until a message (or the timer) comes. */
  private async step(): Promise<boolean> {
    if (this.stopped) return false;
    if (this.stopRequest !== null) {
      this.stopped = true;
      clearTimeout(this.timer);
      await this.follower?.close();
      this.answerFlushes(null);
      this.post({ type: 'stopped', id: this.stopRequest });
      return false;
    }
    if (this.nextDay) {
      const start = this.nextDay;
      this.nextDay = null;
      await this.follower?.close();
      this.follower = null;
      this.state = null;
      this.day = start.day;
      this.dayStart = start.dayStart;
      this.target = start.durable;
      this.lastSnapSeq = start.dayStart.seq;
      this.resyncs = 0;
      this.resyncAt = 0;
      this.loadAt = 0;
      this.behind = false;
      return true;
    }
    const now = performance.now();
    if (this.state === null || this.follower === null) {
      if (now < this.resyncAt) {
        this.answerFlushes(null);
        this.arm(this.resyncAt - now);
        return false;
      }
      if (now < this.loadAt && this.flushes.length === 0) {
        this.arm(this.loadAt - now);
        return false;
      }
      this.loadAt = 0;
      await this.load();
      return true;
    }
    const at = this.follower.at;
    const target = this.target;
    if (at.bytes < target.bytes) {
      await this.catchUp(target);
      return true;
    }
    if (at.bytes !== target.bytes || at.seq !== target.seq || at.hash !== target.hash) {
      await this.resync(`read up to seq ${at.seq} (${at.hash.slice(0, 12)}…, byte ${at.bytes}), the server reported seq ${target.seq} (${target.hash.slice(0, 12)}…, byte ${target.bytes})`);
      return true;
    }
    // Here the copy is exactly the durable journal the main thread reported.
    this.resyncs = 0;
    if (this.behind) {
      this.behind = false;
      this.log('info', 'snapshot writer caught up with the journal', { seq: at.seq });
    }
    const pending = at.seq - this.lastSnapSeq;
    if (this.flushes.length > 0) {
      if (pending > 0) await this.write('flush');
      this.answerFlushes(this.lastSnapSeq);
      return true;
    }
    if (pending >= this.settings.records) {
      const due = Math.max(this.lastWriteAt + this.settings.intervalMs, this.retryAt);
      if (now >= due) {
        await this.write('records');
        return true;
      }
      this.arm(due - now);
    }
    return false;
  }

  private answerFlushes(seq: number | null): void {
    for (const id of this.flushes.splice(0)) this.post({ type: 'flushed', id, seq });
  }

  /** The day's snapshot when it is sound and matches the journal, else the day's start. */
  private async load(): Promise<void> {
    const { dir, journalDir, code } = this.settings;
    const day = this.day;
    const file = dayFilePath(journalDir, day);
    try {
      const removed = await removeOtherSnapshots(dir, day);
      if (removed.length > 0) this.log('info', 'snapshots of earlier days removed', { removed });
    } catch (err) {
      this.log('warn', 'snapshot: cannot remove old snapshots', { err: { message: (err as Error).message } });
    }
    let state: QueueState = initialState(day);
    let start: ChainPoint = { seq: this.dayStart.seq, hash: this.dayStart.hash, bytes: 0 };
    const snap = await readSnapshot(dir, day, code).catch((err: Error) => ({ ok: false as const, missing: false, reason: err.message }));
    if (snap.ok) {
      const h = snap.header;
      const wrong = h.seq > this.target.seq || h.bytes > this.target.bytes ? 'it is ahead of the durable journal' : await recordAt(file, h);
      if (wrong === null) {
        state = snap.state;
        start = { seq: h.seq, hash: h.hash, bytes: h.bytes };
      } else {
        this.log('info', 'snapshot writer: the day is read from its start', { day, reason: `the snapshot does not match the journal: ${wrong}` });
      }
    } else if (!snap.missing) {
      // The main thread warned about it at start already.
      this.log('info', 'snapshot writer: the day is read from its start', { day, reason: snap.reason });
    }
    this.state = state;
    this.follower = new DayFileFollower(file, start);
    this.lastSnapSeq = start.seq;
  }

  private async catchUp(target: SnapshotPoint): Promise<void> {
    const state = this.state!;
    try {
      await this.follower!.readTo(target.bytes, (events) => {
        for (const e of events as Array<{ type: string }>) if (!isAudit(e)) apply(state, e as QueueEvent);
      });
    } catch (err) {
      await this.resync((err as Error).message);
    }
  }

  private async resync(reason: string): Promise<void> {
    const wait = this.resyncs === 0 ? 0 : Math.min(1000 * 2 ** (this.resyncs - 1), MAX_RESYNC_WAIT_MS);
    this.resyncs++;
    this.resyncAt = performance.now() + wait;
    this.log('warn', 'snapshot writer: its copy does not match the journal the server reported; reading it again', { reason, retryInMs: wait });
    await this.follower?.close();
    this.follower = null;
    this.state = null;
  }

  private async write(why: 'records' | 'flush'): Promise<void> {
    const at = this.follower!.at;
    const point: SnapshotPoint = { day: this.day, seq: at.seq, hash: at.hash, bytes: at.bytes };
    const pause = this.settings.pauseBeforeWrite;
    if (pause) {
      Atomics.store(pause, 0, 1);
      Atomics.wait(pause, 1, 0);
      Atomics.store(pause, 0, 0);
    }
    const t0 = performance.now();
    try {
      const chunks = encodeSnapshot(this.state!, point, this.settings.code);
      const encodeMs = Math.round(performance.now() - t0);
      await mkdir(this.settings.dir, { recursive: true });
      await writeSnapshot(this.settings.dir, point.day, chunks);
      this.lastSnapSeq = point.seq;
      this.lastWriteAt = performance.now();
      this.retryAt = 0;
      this.post({ type: 'written', day: point.day, seq: point.seq, bytes: chunks.reduce((n, c) => n + c.length, 0), encodeMs, why });
    } catch (err) {
      this.lastWriteAt = performance.now();
      this.retryAt = this.lastWriteAt + this.settings.retryMs;
      this.log('warn', 'state snapshot failed; the journal is unaffected, trying again later', { err: { message: (err as Error).message } });
    }
  }
}

/** Null when the day file's record ending at `h.bytes` has `h.seq` and `h.hash`; else why not. */
async function recordAt(file: string, h: ChainPoint): Promise<string | null> {
  let fh;
  try {
    fh = await open(file, 'r');
    return await recordEndingAt(fh, (await fh.stat()).size, h);
  } catch (e) {
    return `cannot read the day file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  } finally {
    await fh?.close();
  }
}
