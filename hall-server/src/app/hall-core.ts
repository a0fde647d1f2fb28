/**
 * The hall's single writer: one in-memory queue state, one journal, one config store.
 * A command is decided and applied synchronously (so commands are totally ordered), then its
 * events are appended to the journal; the caller is answered, and listeners told, only after
 * the events are on disk. A failed append is fatal: memory may now be ahead of the disk, so the
 * process stops and the journal (the truth) is replayed on restart.
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
import { apply, decide, initialState, replay, type QueueState, type ViewContext } from '../queue';
import { Journal, archiveOldJournals, listJournalDays } from '../journal';
import type { ConfigStore } from '../config';
import type { Logger } from '../logging';

export interface HallCoreOptions {
  config: ConfigStore;
  journalDir: string;
  tz: string;
  clock: () => number;
  log: Logger;
  /** Called when the journal cannot be written; default exits the process. */
  onFatal?: (error: Error) => void;
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

  private constructor(
    private readonly opts: HallCoreOptions,
    public state: QueueState,
    private journal: Journal<JournalEvent>,
  ) {
    super();
    this.setMaxListeners(50);
  }

  /**
   * Opens the journal: replays today, or first closes any past day left open (a hall that was
   * off at midnight), then starts today.
   */
  static async open(opts: HallCoreOptions): Promise<HallCore> {
    const now = opts.clock();
    const today = hallDate(now, opts.tz);
    const days = await listJournalDays(opts.journalDir);
    const last = days.at(-1);
    const startDay = last !== undefined && last < today ? last : today;
    const opened = await Journal.open<JournalEvent>(opts.journalDir, startDay);
    if (opened.tornLineDropped) opts.log.warn({ day: startDay }, 'journal: torn last line dropped (crash during write)');
    const queueEvents = opened.events.filter((e): e is QueueEvent => !isAuditEvent(e));
    const core = new HallCore(opts, replay(startDay, queueEvents), opened.journal);
    opts.log.info({ day: startDay, events: opened.events.length }, 'journal replayed');
    if (startDay !== today) await core.rollDay(today);
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
    this.emit('events', events);
  }

  private fail(error: Error): void {
    if (this.fatal) return;
    this.fatal = error;
    this.opts.log.fatal({ err: { message: error.message } }, 'journal write failed; stopping so the journal can be replayed');
    (this.opts.onFatal ?? (() => setImmediate(() => process.exit(70))))(error);
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

  async close(): Promise<void> {
    clearTimeout(this.midnightTimer);
    await this.dayChange?.catch(() => undefined);
    await this.journal.close();
  }
}
