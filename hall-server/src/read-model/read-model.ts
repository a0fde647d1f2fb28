/**
 * The read model in one object: opens (and migrates) the database, rebuilds an embedded file that
 * is damaged, catches up from the journal, takes live events and writes them in small batches
 * (`flushMs`), and rebuilds everything on demand (reindex). It runs wherever it is put: on a
 * worker thread in the server (read-model-worker.ts), in-process in tests and the CLI.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { HallConfig } from '@hall/protocol';
import { openReadModelDb, removeSqliteFiles, type OpenedDatabase, type ReadModelDb } from './database';
import { Projector, type JournalEventLike } from './projector';
import { RowWriter } from './row-writer';
import { journalDayEventsOffThread, journalDays } from './journal-source';
import { DAY_TABLES } from './schema';
import { supervisionSettings } from '../supervision/supervision-settings';
import { addWorkingDays } from '../supervision/working-days';

export const READ_MODEL_FILE = 'read-model.sqlite';
/** How often downstream halls' live events are written (a county hub: network/remote-projection.ts). */
const REMOTE_FLUSH_MS = 2000;

export interface ReadModelLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ReadModelOptions {
  dataDir: string;
  journalDir: string;
  /** `postgres://…` puts the read model in PostgreSQL (HALL_DATABASE_URL); else `data/read-model.sqlite`. */
  databaseUrl?: string | undefined;
  tz: string;
  /** The hall's configuration as it is now (service limits, calendar, settings). */
  config: () => HallConfig;
  log: ReadModelLog;
  /** Live events are written at most this long after they arrive (ms); default 100. */
  flushMs?: number;
  /** Tests: write through Kysely even on SQLite (the path PostgreSQL takes). */
  kyselyWritesOnly?: boolean;
}

export interface ReadModelStatus {
  state: 'catching-up' | 'ready' | 'failed';
  /** Live events received and not yet written. */
  backlog: number;
  dialect: 'sqlite' | 'postgres';
  reason: string | null;
}

export class ReadModel {
  private projector: Projector;
  private state: ReadModelStatus['state'] = 'catching-up';
  private reason: string | null = null;
  private buffer: JournalEventLike[] | null = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private catching: Promise<{ days: number; events: number }> | undefined;
  /** Downstream halls' projectors (a county hub: network/remote-projection.ts), by hall id. */
  private readonly remote = new Map<string, { projector: Projector; day: string }>();
  /** Their work, in arrival order: a whole day, live events, flushes never overtake each other. */
  private remoteWork: Promise<void> = Promise.resolve();
  private remoteTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly opened: OpenedDatabase, private readonly opts: ReadModelOptions) {
    this.projector = this.newProjector();
  }

  get db(): ReadModelDb {
    return this.opened.db;
  }

  get hallId(): string {
    return this.opts.config().hall.id;
  }

  /**
   * Opens the database. An embedded file that cannot be opened, fails its integrity check or
   * its migrations is moved out of the way and rebuilt from the journal (with a log line).
   * Catch-up runs in the background: `ready` resolves when it is done.
   */
  static async open(opts: ReadModelOptions): Promise<ReadModel> {
    const sqliteFile = join(opts.dataDir, READ_MODEL_FILE);
    let opened: OpenedDatabase;
    const existed = existsSync(sqliteFile);
    try {
      opened = await openReadModelDb({ sqliteFile, databaseUrl: opts.databaseUrl });
    } catch (err) {
      if (opts.databaseUrl) throw err;
      opts.log.warn({ file: sqliteFile, err: { message: (err as Error).message } }, 'read model: the database file is damaged; rebuilding it from the journal');
      await removeSqliteFiles(sqliteFile);
      opened = await openReadModelDb({ sqliteFile });
    }
    if (!existed && !opts.databaseUrl) opts.log.info({ file: sqliteFile }, 'read model: no database file; building it from the journal');
    const rm = new ReadModel(opened, opts);
    return rm;
  }

  private newProjector(hallId = this.hallId): Projector {
    return new Projector(this.opened.db, {
      hallId,
      writer: new RowWriter(this.opts.kyselyWritesOnly ? undefined : this.opened.sqlite),
      tz: this.opts.tz,
      limits: (serviceId) => {
        const s = this.opts.config().services.find((x) => x.id === serviceId);
        return { waitMinutes: s?.waitLimitMinutes ?? 30, serviceMinutes: s?.serviceLimitMinutes ?? 20 };
      },
      caseDeadline: (day) => {
        const cfg = this.opts.config();
        return addWorkingDays(day, supervisionSettings(cfg).rectificationDays, cfg.hall.calendar);
      },
    });
  }

  status(): ReadModelStatus {
    return { state: this.state, backlog: this.projector.backlog + (this.buffer?.length ?? 0), dialect: this.opened.dialect, reason: this.reason };
  }

  /**
   * Brings the tables up to the journal: a day whose close was projected is not read again, a
   * day projected with the same events is not written again; the latest day is always re-read
   * and kept in memory for live events.
   */
  catchUp(): Promise<{ days: number; events: number }> {
    this.catching ??= this.runCatchUp().finally(() => {
      this.catching = undefined;
    });
    return this.catching;
  }

  private async runCatchUp(): Promise<{ days: number; events: number }> {
    let days = 0;
    let events = 0;
    try {
      const all = await journalDays(this.opts.journalDir);
      const complete = await this.projector.closedDays();
      const last = all.at(-1);
      const toRead = all.filter((d) => d === last || !complete.has(d));
      for await (const d of journalDayEventsOffThread(this.opts.journalDir, toRead)) {
        if (this.closed) return { days, events };
        const isLast = d.day === last;
        if (!isLast) {
          const done = await this.projector.projectedDay(d.day);
          if (done && done.events === d.events.length && done.lastEventId === (d.events.at(-1)?.id ?? null)) continue;
        }
        events += await this.projector.projectDay(d.day, d.events, isLast);
        days++;
      }
      const live = this.buffer ?? [];
      this.buffer = null;
      this.projector.push(live);
      await this.flushNow();
      this.state = 'ready';
    } catch (err) {
      this.state = 'failed';
      this.reason = (err as Error).message;
      this.opts.log.error({ err: { message: this.reason } }, 'read model: catch-up from the journal failed; statistics are unavailable until `hall-server reindex`');
      throw err;
    }
    return { days, events };
  }

  /** Durable events from the hall core, in journal order; never blocks, never throws. */
  push(events: readonly JournalEventLike[]): void {
    if (this.closed || events.length === 0) return;
    if (this.buffer) {
      this.buffer.push(...events);
      return;
    }
    this.projector.push(events);
    this.scheduleFlush(this.opts.flushMs ?? 500);
  }

  /**
   * Events of a downstream hall that the network hub received, rows keyed by that hall's id.
   * `wholeDay`: all of that day's events (the day's rows are replaced; the latest such day stays
   * in memory for live events); else live events of that day, folded like the hall's own.
   */
  pushRemote(hallId: string, events: readonly JournalEventLike[], wholeDay?: string): void {
    if (this.closed) return;
    let r = this.remote.get(hallId);
    if (!r) this.remote.set(hallId, (r = { projector: this.newProjector(hallId), day: '' }));
    const remote = r;
    this.remoteWork = this.remoteWork
      .then(async () => {
        if (wholeDay === undefined) {
          remote.projector.push(events);
          // Hundreds of halls' statistics cubes: written every few seconds, not with each local
          // flush (the county's own hall list reads its live figures elsewhere, in memory).
          this.remoteTimer ??= setTimeout(() => {
            this.remoteTimer = undefined;
            this.flushRemote().catch(() => undefined);
          }, REMOTE_FLUSH_MS);
          return;
        }
        await remote.projector.flush();
        const latest = wholeDay >= remote.day;
        await remote.projector.projectDay(wholeDay, events, latest);
        if (latest) remote.day = wholeDay;
      })
      .catch((err: Error) => this.opts.log.error({ hallId, err: { message: err.message } }, 'read model: a downstream hall\'s records were not projected'));
  }

  /** Writes downstream halls' live events, after the work queued before. */
  private flushRemote(): Promise<void> {
    const run = this.remoteWork.then(async () => {
      for (const r of this.remote.values()) if (r.projector.backlog > 0) await r.projector.flush();
    });
    this.remoteWork = run.catch(() => undefined);
    return run;
  }

  /** A failed write (database busy or gone) is tried again a second later, events or not. */
  private scheduleFlush(ms: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushNow().catch(() => {
        if (!this.closed) this.scheduleFlush(1000);
      });
    }, ms);
  }

  /** Writes what was pushed; resolves when it is in the tables. */
  async flushNow(): Promise<void> {
    if (this.remote.size > 0) await this.flushRemote();
    while (this.flushing) await this.flushing;
    if (this.projector.backlog === 0) return;
    this.flushing = this.projector.flush().then(
      () => {
        this.flushing = undefined;
      },
      (err: Error) => {
        this.flushing = undefined;
        this.opts.log.error({ err: { message: err.message } }, 'read model: writing live events failed; retried with the next events');
        throw err;
      },
    );
    return this.flushing;
  }

  /** Empties every table and projects the whole journal again (`hall-server reindex`). */
  async reindex(): Promise<{ days: number; events: number }> {
    await this.catching?.catch(() => undefined);
    await this.flushNow().catch(() => undefined);
    this.state = 'catching-up';
    this.buffer ??= [];
    const hallId = this.hallId;
    await this.db.transaction().execute(async (tx) => {
      for (const t of [...DAY_TABLES, 'cases', 'case_history', 'alerts', 'projected_days'] as const) await tx.deleteFrom(t).where('hall_id', '=', hallId).execute();
    });
    this.projector = this.newProjector();
    return this.catchUp();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.remoteTimer);
    await this.flushNow().catch(() => undefined);
    await this.db.destroy();
  }
}
