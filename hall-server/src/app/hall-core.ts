/**
 * The hall's single writer: one in-memory queue state, one journal, one config store.
 * A command is decided and applied synchronously (so commands are totally ordered), then its
 * events are appended to the journal; the caller is answered, and listeners told, only after
 * the events are on disk. Start-up replays the latest day's journal, verified whole, before
 * anything can be asked of the core.
 *
 * When the journal cannot be written (full disk, unwritable folder, I/O error) the process
 * stays up: writes answer SERVER.UNAVAILABLE, reads go on, `health` says why. Every `retryMs`
 * the core tries a small durable write beside the journal; once one works it opens the journal
 * again exactly as at start (verify, cut a torn tail, replay the day into a fresh state), so
 * events applied in memory but never made durable do not survive.
 *
 * Time never goes backwards here: now() holds at the latest time seen while the clock is behind
 * it (an NTP step back), and the hall day only moves forward, so a start whose clock or HALL_TZ
 * says an earlier day than the journal's latest goes on with that latest day.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  type JournalHealth,
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
import { apply, decide, initialState, replay, type QueueState, type ViewContext } from '../queue';
import { Journal, archiveOldJournals, listJournalDays, type JournalOptions } from '../journal';
import type { ConfigStore } from '../config';
import type { Logger } from '../logging';

/** What the journal holds: queue events and audit events, in one hash chain. */
export type JournalEvent = QueueEvent | AuditEvent;
type AuditInput = (AuditEvent extends infer A ? (A extends AuditEvent ? Omit<A, 'id' | 'at'> : never) : never) & { at?: string };

export interface HallCoreOptions {
  config: ConfigStore;
  journalDir: string;
  tz: string;
  clock: () => number;
  log: Logger;
  /** How often a journal that failed is tried again (ms); default 5000. */
  retryMs?: number;
  /** Test hook passed to the journal: runs before each fsync (also of the write check); a throw is a failed write. */
  beforeSync?: JournalOptions['beforeSync'];
}

export type ExecuteResult =
  | { ok: true; events: QueueEvent[]; ticketId: string | null; counterId: string | null }
  | { ok: false; error: HallError };

/** Whether the journal takes writes; `reason` says why not. */
export type { JournalHealth };

export interface HallCoreEvents {
  /** Durable events, in journal order. */
  events: [events: QueueEvent[]];
  audit: [event: AuditEvent];
  /** A new hall day started (after day close). */
  day: [day: string];
  /** The journal stopped or resumed taking writes; after a resume the state was replayed from disk. */
  health: [health: JournalHealth];
}

/** Thrown by record() while the journal cannot be written; a HallError, so the HTTP edge answers 503. */
export class JournalUnavailable extends Error implements HallError {
  readonly code = 'SERVER.UNAVAILABLE' as const;
  toJSON(): HallError {
    return { code: this.code, message: this.message };
  }
}

/** Short random ids: URL-friendly, 72 bits. */
export const newId = (): string => randomBytes(9).toString('base64url');
/** Ticket track tokens (the phone page's capability): 96 bits. */
export const newTrackToken = (): string => randomBytes(12).toString('base64url');

/** A day's journal opened and replayed, as at start. */
async function loadDay(opts: HallCoreOptions, day: string): Promise<{ journal: Journal<JournalEvent>; state: QueueState; lastAt: number }> {
  const opened = await Journal.open<JournalEvent>(opts.journalDir, day, opts.beforeSync ? { beforeSync: opts.beforeSync } : {});
  if (opened.tornBytes > 0) opts.log.warn({ day, bytes: opened.tornBytes }, 'journal: torn last line cut off (a crash during a write; it was never acknowledged)');
  const state = replay(day, opened.events.filter((e): e is QueueEvent => !isAuditEvent(e)));
  opts.log.info({ day, events: opened.events.length }, 'journal replayed');
  const lastAt = Date.parse(opened.events.at(-1)?.at ?? '');
  return { journal: opened.journal, state, lastAt: Number.isFinite(lastAt) ? lastAt : 0 };
}

export class HallCore extends EventEmitter<HallCoreEvents> {
  private dayChange: Promise<void> | undefined;
  private midnightTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failure: string | null = null;
  private closed = false;
  /** The latest time now() has answered (or the journal's last event time): it never answers less. */
  private latest: number;
  private clockBehind = false;

  private constructor(
    private readonly opts: HallCoreOptions,
    public state: QueueState,
    private journal: Journal<JournalEvent>,
    lastAt: number,
  ) {
    super();
    this.setMaxListeners(50);
    this.latest = lastAt;
  }

  /**
   * Opens the journal's latest day (today's on a first start) and replays it; closes it first
   * if the hall's date has moved on since (a hall that was off at midnight).
   */
  static async open(opts: HallCoreOptions): Promise<HallCore> {
    const latestDay = (await listJournalDays(opts.journalDir)).at(-1) ?? hallDate(opts.clock(), opts.tz);
    const loaded = await loadDay(opts, latestDay);
    const core = new HallCore(opts, loaded.state, loaded.journal, loaded.lastAt);
    await core.ensureDay();
    core.scheduleMidnight();
    return core;
  }

  get config(): HallConfig {
    return this.opts.config.data;
  }

  /** Seq of the journal's last durable record (the upstream link sends nothing beyond it). */
  get durableSeq(): number {
    return this.journal.lastSeq;
  }

  get day(): string {
    return this.state.day;
  }

  /** Whether writes are taken; reads and screens work either way. */
  get health(): JournalHealth {
    return { journal: this.failure === null ? 'ok' : 'failed', reason: this.failure };
  }

  viewContext(): ViewContext {
    return { config: this.opts.config.data, now: this.now(), tz: this.opts.tz };
  }

  /** The hall's time: the clock, except that it never goes back (see the file's header). */
  now(): number {
    const t = this.opts.clock();
    if (t < this.latest) {
      if (!this.clockBehind && this.latest - t > 1000) this.opts.log.warn({ behindMs: this.latest - t }, 'the clock went back: hall time holds until it catches up');
      this.clockBehind = true;
      return this.latest;
    }
    this.clockBehind = false;
    this.latest = t;
    return t;
  }

  /** Decides, applies and durably journals one command. */
  async execute(command: QueueCommand, actor: Actor): Promise<ExecuteResult> {
    if (this.failure !== null) return { ok: false, error: this.unavailable() };
    const now = this.now();
    if (this.dayChange || hallDate(now, this.opts.tz) > this.state.day) await this.ensureDay(now);
    if (this.failure !== null) return { ok: false, error: this.unavailable() };
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
    if (!(await this.persist(res.events))) return { ok: false, error: this.unavailable() };
    return res;
  }

  /** Journals a staff action outside the queue (set-up change, login). Throws JournalUnavailable when the journal cannot be written. */
  async record(input: AuditInput): Promise<void> {
    if (this.failure !== null) throw new JournalUnavailable(this.unavailable().message);
    const event = { ...input, id: newId(), at: input.at ?? toHallIso(this.now(), this.opts.tz) } as AuditEvent;
    try {
      await this.journal.append([event]);
    } catch (err) {
      this.fail(err as Error);
      throw new JournalUnavailable(this.unavailable().message);
    }
    this.emit('audit', event);
  }

  private unavailable(): HallError {
    return hallError('SERVER.UNAVAILABLE', `the journal cannot be written (${this.failure ?? 'unknown'}); try again shortly`);
  }

  /** True when the events are durable; false when the journal failed (the core is then unavailable). */
  private async persist(events: QueueEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    try {
      await this.journal.append(events);
    } catch (err) {
      this.fail(err as Error);
      return false;
    }
    this.emit('events', events);
    return true;
  }

  private fail(error: Error): void {
    if (this.failure !== null || this.closed) return;
    this.failure = error.message;
    this.opts.log.error({ err: { message: error.message } }, 'journal cannot be written: writes are refused until it can');
    this.emit('health', this.health);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.retryTimer = setTimeout(() => void this.retry(), this.opts.retryMs ?? 5000);
    this.retryTimer.unref();
  }

  /** Once a write works again, the day is opened and replayed as at start: memory never stays ahead of the disk. */
  private async retry(): Promise<void> {
    try {
      await Journal.checkWritable(this.opts.journalDir, this.opts.beforeSync ? { beforeSync: this.opts.beforeSync } : {});
      await this.journal.close().catch(() => undefined);
      const loaded = await loadDay(this.opts, this.state.day);
      if (this.closed) return void (await loaded.journal.close());
      this.journal = loaded.journal;
      this.state = loaded.state;
    } catch (err) {
      if (this.closed) return;
      const message = (err as Error).message;
      if (message !== this.failure) this.opts.log.error({ err: { message } }, 'journal still cannot be written');
      this.failure = message;
      return this.scheduleRetry();
    }
    this.failure = null;
    this.opts.log.info({ day: this.state.day }, 'journal writable again: day replayed, writes taken');
    this.emit('health', this.health);
    // The outage may have lasted past midnight.
    this.ensureDay().catch((err: Error) => this.opts.log.error({ err: { message: err.message } }, 'day close failed'));
  }

  /** Closes the current day once the hall's date has moved past it. Concurrent callers share one close. */
  ensureDay(now = this.now()): Promise<void> {
    const day = hallDate(now, this.opts.tz);
    if (!this.dayChange && this.failure === null && day > this.state.day) {
      this.dayChange = this.rollDay(day).finally(() => {
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
        now: Math.min(this.now(), hallMidnight(addDays(closedDay, 1), this.opts.tz) - 1000),
        tz: this.opts.tz,
        config: this.opts.config.data,
        newId,
        newToken: () => '',
        actor: { kind: 'system' },
      });
      if (res.ok) {
        for (const e of res.events) this.state = apply(this.state, e);
        if (!(await this.persist(res.events))) return;
      } else {
        this.opts.log.error({ code: res.error.code }, 'day close refused');
      }
    }
    try {
      await this.journal.rollover(today);
    } catch (err) {
      return this.fail(err as Error);
    }
    this.state = initialState(today);
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
    const now = this.now();
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

  /** Waits for the appends under way and closes the journal. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.midnightTimer);
    clearTimeout(this.retryTimer);
    await this.dayChange?.catch(() => undefined);
    await this.journal.close();
  }
}
