/**
 * The hall's single writer: one in-memory queue state, one journal, one config store.
 * A command is decided and applied synchronously (so commands are totally ordered), then its
 * events are appended to the journal; the caller is answered, and listeners told, only after
 * the events are on disk. A failed append is fatal: memory may now be ahead of the disk, so the
 * process stops and the journal (the truth) is replayed on restart.
 *
 * Start-up loads the day's state snapshot when there is a sound one and replays only the journal
 * after it; the part of the day file the snapshot covers is then verified on a worker thread,
 * and a broken chain stops the server as it would have refused to start. Snapshots are written
 * by another worker thread that keeps its own copy of the state from the journal
 * (snapshot-writer.ts); this thread only tells it how far the journal is durable.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  addDays,
  hallDate,
  hallError,
  hallMidnight,
  type Actor,
  type HallConfig,
  type HallError,
  isAuditEvent,
  toHallIso,
  type AuditEvent,
  type QueueCommand,
  type QueueEvent,
} from '@hall/protocol';

/** What the journal holds: queue events and audit events, in one hash chain. */
export type JournalEvent = QueueEvent | AuditEvent;
type AuditInput = (AuditEvent extends infer A ? (A extends AuditEvent ? Omit<A, 'id' | 'at'> : never) : never) & { at?: string };
import path from 'node:path';
import { apply, decide, initialState, replay, type QueueState, type ViewContext } from '../queue';
import {
  Journal,
  JournalError,
  archiveOldJournals,
  checkChainInBackground,
  corrupt,
  listJournalDays,
  type BackgroundCheck,
  type JournalOptions,
  type UncheckedPrefix,
} from '../journal';
import type { ConfigStore } from '../config';
import type { Logger } from '../logging';
import { SNAPSHOT_DIR, codeFingerprint, readSnapshot, removeOtherSnapshots, type SnapshotRead } from './state-snapshot';
import { SnapshotWriter, type SnapshotPolicy } from './snapshot-writer';

export interface HallCoreOptions {
  config: ConfigStore;
  journalDir: string;
  tz: string;
  clock: () => number;
  log: Logger;
  /**
   * Called when the journal cannot be written, or the background check finds its chain broken;
   * default exits the process (70 after a failed write; for a broken chain 2 with the message a
   * start on that journal gives).
   */
  onFatal?: (error: Error) => void;
  /**
   * State snapshots: default on, in `snapshots/` beside the journal folder, with the settings of
   * SnapshotPolicy; `code` stands in for the server code's fingerprint (tests). false = none:
   * every start replays the whole day.
   */
  snapshots?: (Partial<SnapshotPolicy> & { code?: string }) | false;
  /** Test hook passed to the journal: runs before each fsync. */
  beforeSync?: JournalOptions['beforeSync'];
}

export type ExecuteResult =
  | { ok: true; events: QueueEvent[]; ticketId: string | null; counterId: string | null }
  | { ok: false; error: HallError };

export interface HallCoreEvents {
  /** Durable events, in journal order. */
  events: [events: QueueEvent[]];
  audit: [event: AuditEvent];
  /** A new hall day started (after day close). */
  day: [day: string];
}

// One system call per 4 KiB of randomness instead of one per id: ids are made several times per ticket.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolAt = POOL_SIZE;
function randomChunk(bytes: number): Buffer {
  if (poolAt + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + bytes);
  poolAt += bytes;
  return out;
}

/** Short random ids: URL-friendly, 72 bits. */
export const newId = (): string => randomChunk(9).toString('base64url');
/** Ticket track tokens (the phone page's capability): 96 bits. */
export const newTrackToken = (): string => randomChunk(12).toString('base64url');

export class HallCore extends EventEmitter<HallCoreEvents> {
  private dayChange: Promise<void> | undefined;
  private midnightTimer: NodeJS.Timeout | undefined;
  private fatal: Error | undefined;
  private snapshotWriter: SnapshotWriter | undefined;
  private chainCheck: BackgroundCheck | undefined;

  private constructor(
    private readonly opts: HallCoreOptions,
    public state: QueueState,
    private journal: Journal<JournalEvent>,
  ) {
    super();
    this.setMaxListeners(50);
  }

  /**
   * Opens the journal: loads the day's snapshot and replays the rest, or replays the whole day;
   * first closes any past day left open (a hall that was off at midnight), then starts today.
   */
  static async open(opts: HallCoreOptions): Promise<HallCore> {
    const now = opts.clock();
    const today = hallDate(now, opts.tz);
    const days = await listJournalDays(opts.journalDir);
    const last = days.at(-1);
    const startDay = last !== undefined && last < today ? last : today;
    const snap = opts.snapshots === false ? undefined : { dir: path.join(path.dirname(opts.journalDir), SNAPSHOT_DIR), ...opts.snapshots };
    const code = snap ? (snap.code ?? (await codeFingerprint())) : '';
    let loaded: SnapshotRead | undefined;
    if (snap) {
      try {
        await removeOtherSnapshots(snap.dir, startDay); // also temp files of a write cut short
        loaded = await readSnapshot(snap.dir, startDay, code);
      } catch (err) {
        loaded = { ok: false, missing: false, reason: (err as Error).message };
      }
    }
    const opened = await Journal.open<JournalEvent>(opts.journalDir, startDay, {
      from: loaded?.ok ? loaded.header : undefined,
      ...(opts.beforeSync ? { beforeSync: opts.beforeSync } : {}),
    });
    if (opened.tornLineDropped) {
      const kept = opened.tornTail ? { keptIn: opened.tornTail.file, bytes: opened.tornTail.bytes } : {};
      opts.log.warn({ day: startDay, ...kept }, 'journal: torn tail dropped (crash during a write); its bytes are kept beside the day file');
    }
    const queueEvents = opened.events.filter((e): e is QueueEvent => !isAuditEvent(e));
    let state: QueueState;
    if (opened.resumed && loaded?.ok) {
      state = loaded.state;
      for (const e of queueEvents) apply(state, e);
    } else {
      state = replay(startDay, queueEvents);
      const why = loaded?.ok ? opened.fromRejected : loaded && (!loaded.missing || opened.events.length > 0) ? loaded.reason : null;
      if (why) opts.log.warn({ day: startDay, reason: why }, 'state snapshot not used: the whole day was replayed');
    }
    const core = new HallCore(opts, state, opened.journal);
    const baseSeq = opened.journal.lastSeq - opened.events.length;
    opts.log.info({ day: startDay, events: opened.events.length, ...(opened.resumed ? { snapshotSeq: baseSeq } : {}) }, 'journal replayed');
    if (opened.unchecked) core.checkChain(opened.unchecked);
    if (startDay !== today) await core.rollDay(today);
    // The writer thread starts from the snapshot loaded above (or the day's start) and reads the journal after it.
    if (snap) core.snapshotWriter = new SnapshotWriter(core.snapshotSource(), code, opts.log, { ...snap, journalDir: opts.journalDir });
    core.scheduleMidnight();
    return core;
  }

  get config(): HallConfig {
    return this.opts.config.data;
  }

  get day(): string {
    return this.state.day;
  }

  viewContext(): ViewContext {
    return { config: this.opts.config.data, now: this.opts.clock(), tz: this.opts.tz };
  }

  now(): number {
    return this.opts.clock();
  }

  /** The state snapshot writer (tests, diagnostics); undefined with snapshots off. */
  get snapshots(): SnapshotWriter | undefined {
    return this.snapshotWriter;
  }

  /** Decides, applies and durably journals one command. */
  async execute(command: QueueCommand, actor: Actor): Promise<ExecuteResult> {
    if (this.fatal) return { ok: false, error: hallError('SERVER.UNAVAILABLE', 'the journal cannot be written') };
    const now = this.opts.clock();
    if (hallDate(now, this.opts.tz) !== this.state.day || this.dayChange) {
      await this.ensureDay(now);
    }
    const res = decide(this.state, command, {
      now,
      tz: this.opts.tz,
      config: this.opts.config.data,
      newId,
      newToken: newTrackToken,
      actor,
    });
    if (!res.ok) return res;
    for (const e of res.events) this.state = apply(this.state, e);
    await this.persist(res.events);
    return res;
  }

  /** Journals a staff action outside the queue (set-up change, login). */
  async record(input: AuditInput): Promise<void> {
    if (this.fatal) throw new Error('the journal cannot be written');
    const event = { ...input, id: newId(), at: input.at ?? toHallIso(this.opts.clock(), this.opts.tz) } as AuditEvent;
    try {
      await this.journal.append([event]);
    } catch (err) {
      this.fail(err as Error);
      throw err;
    }
    this.snapshotWriter?.durable();
    this.emit('audit', event);
  }

  private async persist(events: QueueEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.journal.append(events);
    } catch (err) {
      this.fail(err as Error);
      throw err;
    }
    this.snapshotWriter?.durable();
    this.emit('events', events);
  }

  private fail(error: Error): void {
    if (this.fatal) return;
    this.fatal = error;
    this.opts.log.fatal({ err: { message: error.message } }, 'journal write failed; stopping so the journal can be replayed');
    void this.snapshotWriter?.stop();
    (this.opts.onFatal ?? (() => setImmediate(() => process.exit(70))))(error);
  }

  /** What the snapshot writer sees of the core: the journal's durable point, never the state. */
  private snapshotSource(): ConstructorParameters<typeof SnapshotWriter>[0] {
    return {
      point: () => ({ day: this.journal.day, seq: this.journal.lastSeq, hash: this.journal.lastHash, bytes: this.journal.size }),
      dayStart: () => this.journal.dayStart,
    };
  }

  /** Verifies, on a worker thread, the part of the day file a snapshot start did not read. */
  private checkChain(u: UncheckedPrefix): void {
    const check = checkChainInBackground(u.file, { expectedPrev: u.expectedPrev, expectedFirstSeq: u.expectedFirstSeq, bytes: u.bytes });
    this.chainCheck = check;
    const day = this.state.day;
    check.done.then(
      (report) => {
        this.chainCheck = undefined;
        if (report.ok) {
          this.opts.log.info({ file: u.file, records: report.records }, 'journal chain verified in the background');
          return;
        }
        const message = report.error ?? 'unreadable';
        const line = report.badLine ?? 0;
        const err = line > 0 ? corrupt(u.file, { line, message: message.slice(`line ${line}: `.length) }) : new JournalError(`journal ${u.file}: ${message}`, { file: u.file });
        this.journalBroken(err, day);
      },
      (err: Error) => {
        if (this.chainCheck === check) this.opts.log.error({ err: { message: err.message } }, 'background journal chain check could not run');
        this.chainCheck = undefined;
      },
    );
  }

  /**
   * The background check found the journal changed or damaged: stop, as a start on it would
   * have refused to. The day's snapshot goes too, so the next start reads the journal and says so.
   */
  private journalBroken(error: JournalError, day: string): void {
    if (this.fatal) return;
    this.fatal = error;
    this.opts.log.fatal({ file: error.file, line: error.line }, 'journal chain broken (found by the background check); stopping');
    const stop =
      this.opts.onFatal ??
      ((e: Error) => {
        // As cli.ts reports a JournalError at start.
        process.stderr.write(`hall-server: ${e.message}\n`);
        process.exit(2);
      });
    void (this.snapshotWriter?.stop(day) ?? Promise.resolve()).finally(() => stop(error));
  }

  /** Closes the current day if the hall's date has moved on. Concurrent callers share one close. */
  ensureDay(now = this.opts.clock()): Promise<void> {
    if (!this.dayChange && hallDate(now, this.opts.tz) !== this.state.day) {
      this.dayChange = this.rollDay(hallDate(now, this.opts.tz)).finally(() => {
        this.dayChange = undefined;
      });
    }
    return this.dayChange ?? Promise.resolve();
  }

  /** Day close (open tickets expire, counters close), then the journal and numbering move on. */
  private async rollDay(today: string): Promise<void> {
    const closedDay = this.state.day;
    if (!this.state.closed) {
      const res = decide(this.state, { type: 'day.close' }, {
        now: Math.min(this.opts.clock(), hallMidnight(addDays(closedDay, 1), this.opts.tz) - 1000),
        tz: this.opts.tz,
        config: this.opts.config.data,
        newId,
        newToken: () => '',
        actor: { kind: 'system' },
      });
      if (res.ok) {
        for (const e of res.events) this.state = apply(this.state, e);
        await this.persist(res.events);
      } else {
        this.opts.log.error({ code: res.error.code }, 'day close refused');
      }
    }
    await this.journal.rollover(today);
    this.state = initialState(today);
    this.snapshotWriter?.dayStarted(today);
    this.opts.log.info({ closed: closedDay, day: today }, 'hall day started');
    this.emit('day', today);
    // 等保 2.0: journals stay at least six months, then move to archive/ compressed.
    archiveOldJournals(this.opts.journalDir, today).then(
      (days) => days.length > 0 && this.opts.log.info({ days }, 'journals archived'),
      (err: Error) => this.opts.log.error({ err: { message: err.message } }, 'journal archiving failed'),
    );
  }

  private scheduleMidnight(): void {
    clearTimeout(this.midnightTimer);
    const now = this.opts.clock();
    const next = hallMidnight(addDays(hallDate(now, this.opts.tz), 1), this.opts.tz);
    // Timers drift and clocks jump: re-check every 10 minutes at most.
    const delay = Math.min(Math.max(next - now + 50, 1000), 10 * 60_000);
    this.midnightTimer = setTimeout(() => {
      this.ensureDay()
        .catch((err: Error) => this.opts.log.error({ err: { message: err.message } }, 'day close failed'))
        .finally(() => this.scheduleMidnight());
    }, delay);
    this.midnightTimer.unref();
  }

  /** Waits for the appends under way, closes the journal and has the writer thread take a last snapshot. */
  async close(): Promise<void> {
    clearTimeout(this.midnightTimer);
    await this.dayChange?.catch(() => undefined);
    await this.journal.close();
    const check = this.chainCheck;
    this.chainCheck = undefined;
    await check?.stop();
    await this.snapshotWriter?.close();
  }
}
