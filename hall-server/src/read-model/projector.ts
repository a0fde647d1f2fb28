/**
 * Journal events → read-model tables. Two ways in:
 * - `projectDay(day, events)`: a whole journal day (catch-up, reindex) replaces that day's rows;
 * - `push(events)` + `flush()`: the live stream, folded into today's DayFold and written as
 *   upserts of the rows that changed, statistics rows included (day-stats.ts).
 * Cases and alerts span days: they are written per event, keyed by the event's id, so a replay
 * changes nothing (idempotent by event id).
 */
import { hallDate } from '@hall/protocol';
import { DAY_TABLES, type ReadModelSchema } from './schema';
import type { ReadModelDb } from './database';
import { DayFold, type DayRows, type ServiceLimits } from './day-fold';
import type { StatsRows } from './day-stats';
import { RowWriter } from './row-writer';
import type { Transaction } from 'kysely';
import { isSupervisionEvent, actorUserId, type SupervisionEvent } from '../supervision/supervision-events';
import { isBadScore, isClosedStatus } from '../supervision/rectification-workflow';

/** What the projector reads of an event; the rest of it is the event's own business. */
export interface JournalEventLike {
  id: string;
  type: string;
  at: string;
}

export interface ProjectorOptions {
  hallId: string;
  tz: string;
  limits: (serviceId: string) => ServiceLimits;
  /** The last working day of a case opened on `day`. */
  caseDeadline: (day: string) => string;
  /** How rows are written (the SQLite fast path); default Kysely inserts. */
  writer?: RowWriter;
}

const KEYS: Record<keyof DayRows, string[]> = {
  tickets: ['hall_id', 'day', 'ticket_id'],
  calls: ['hall_id', 'day', 'event_id'],
  counter_sessions: ['hall_id', 'day', 'session_id'],
  counter_pauses: ['hall_id', 'day', 'pause_id'],
  ratings: ['hall_id', 'day', 'event_id'],
};

const STATS_TABLES = { cube: 'stats_day', hourly: 'stats_hourly', hist: 'stats_hist' } as const;
const STATS_KEYS: Record<keyof StatsRows, string[]> = {
  cube: ['hall_id', 'day', 'service_id', 'counter_id', 'clerk_id'],
  hourly: ['hall_id', 'day', 'service_id', 'hour'],
  hist: ['hall_id', 'day', 'dim', 'dim_id'],
};

type Tx = Transaction<ReadModelSchema>;

export class Projector {
  private today: DayFold | null = null;
  /** Folds that a day change left with rows still to write. */
  private finishing: DayFold[] = [];
  private crossDay: Array<{ fold: DayFold; event: JournalEventLike }> = [];
  private pending = 0;

  private readonly writer: RowWriter;

  constructor(private readonly db: ReadModelDb, private readonly opts: ProjectorOptions) {
    this.writer = opts.writer ?? new RowWriter();
  }

  private newFold(day: string): DayFold {
    return new DayFold({ hallId: this.opts.hallId, day, tz: this.opts.tz, limits: this.opts.limits });
  }

  /** Days whose close has been projected: complete, never read again by catch-up. */
  async closedDays(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('projected_days').select('day').where('hall_id', '=', this.opts.hallId).where('closed', '=', 1).execute();
    return new Set(rows.map((r) => r.day));
  }

  /** The journal's event count and last id for `day` as last projected, or null. */
  async projectedDay(day: string): Promise<{ events: number; lastEventId: string | null } | null> {
    const r = await this.db.selectFrom('projected_days').select(['events', 'last_event_id']).where('hall_id', '=', this.opts.hallId).where('day', '=', day).executeTakeFirst();
    return r ? { events: Number(r.events), lastEventId: r.last_event_id } : null;
  }

  /**
   * Replaces `day`'s rows with the projection of its events. With `keepAsToday`, the fold
   * stays in memory for live events of that day.
   */
  async projectDay(day: string, events: Iterable<JournalEventLike>, keepAsToday = false): Promise<number> {
    const fold = this.newFold(day);
    fold.countWhenAsked();
    const cross: JournalEventLike[] = [];
    for (const e of events) if (fold.apply(e as never) && this.isCrossDay(e)) cross.push(e);
    await this.db.transaction().execute(async (tx) => {
      for (const t of DAY_TABLES) await tx.deleteFrom(t).where('hall_id', '=', this.opts.hallId).where('day', '=', day).execute();
      await this.writeDayRows(tx, fold.allRows(), false);
      await this.writeStats(tx, day, fold.stats(), 'insert');
      for (const e of cross) await this.writeCrossDay(tx, fold, e);
      await this.markDay(tx, fold);
    });
    fold.takeDirty();
    fold.takeStatsChanges();
    if (keepAsToday) this.today = fold;
    return fold.events;
  }

  /** Live events, in journal order; written by the next flush(). */
  push(events: readonly JournalEventLike[]): void {
    for (const e of events) {
      const day = hallDate(Date.parse(e.at), this.opts.tz);
      if (this.today === null) this.today = this.newFold(day);
      else if (day > this.today.day) {
        this.finishing.push(this.today);
        this.today = this.newFold(day);
      }
      // An event stamped before today's fold (day close's last second) belongs to the fold it follows.
      const fold = this.today;
      if (fold.apply(e as never)) {
        this.pending++;
        if (this.isCrossDay(e)) this.crossDay.push({ fold, event: e });
      }
    }
  }

  /** Events pushed and not yet written. */
  get backlog(): number {
    return this.pending;
  }

  /** Writes what push() folded since the last flush, in one transaction. */
  async flush(): Promise<void> {
    if (this.pending === 0) return;
    const folds = [...this.finishing, ...(this.today ? [this.today] : [])];
    const cross = this.crossDay;
    const dirty = folds.map((f) => ({ fold: f, rows: f.takeDirty(), stats: f.takeStatsChanges() }));
    const count = this.pending;
    this.finishing = [];
    this.crossDay = [];
    this.pending = 0;
    try {
      await this.db.transaction().execute(async (tx) => {
        for (const { fold, rows, stats } of dirty) {
          await this.writeDayRows(tx, rows, true);
          await this.writeStats(tx, fold.opts.day, stats.rows, stats.replace ? 'replace' : 'upsert');
          await this.markDay(tx, fold);
        }
        for (const { fold, event } of cross) await this.writeCrossDay(tx, fold, event);
      });
    } catch (err) {
      // Nothing was written: the rows are marked dirty again and retried with the next flush.
      for (const { fold, rows } of dirty) {
        fold.markDirty(rows);
        fold.statsNotWritten();
      }
      this.crossDay = [...cross, ...this.crossDay];
      this.pending += count;
      throw err;
    }
  }

  private isCrossDay(e: JournalEventLike): boolean {
    return e.type === 'ticket.rated' || isSupervisionEvent(e);
  }

  private async writeDayRows(tx: Tx, rows: DayRows, upsert: boolean): Promise<void> {
    for (const table of Object.keys(KEYS) as Array<keyof DayRows>) {
      await this.writer.write<object>(tx, table, rows[table], upsert ? { keys: KEYS[table], on: 'update' } : undefined);
    }
  }

  /** `insert`: the day has no statistics rows; `replace`: `rows` are all of them; `upsert`: those that changed. */
  private async writeStats(tx: Tx, day: string, rows: StatsRows, how: 'insert' | 'replace' | 'upsert'): Promise<void> {
    for (const part of Object.keys(STATS_TABLES) as Array<keyof StatsRows>) {
      const table = STATS_TABLES[part];
      if (how === 'replace') await tx.deleteFrom(table).where('hall_id', '=', this.opts.hallId).where('day', '=', day).execute();
      await this.writer.write<object>(tx, table, rows[part], how === 'upsert' ? { keys: STATS_KEYS[part], on: 'update' } : undefined);
    }
  }

  private async markDay(tx: Tx, fold: DayFold): Promise<void> {
    await this.writer.write(tx, 'projected_days', [{ hall_id: this.opts.hallId, day: fold.opts.day, events: fold.events, last_event_id: fold.lastEventId, closed: fold.closed ? 1 : 0 }], {
      keys: ['hall_id', 'day'],
      on: 'update',
    });
  }

  private async writeCrossDay(tx: Tx, fold: DayFold, e: JournalEventLike): Promise<void> {
    const hallId = this.opts.hallId;
    if (e.type === 'ticket.rated') {
      const r = fold.ratings.get(e.id);
      if (!r || !isBadScore(r.score)) return;
      await this.writer.write(
        tx,
        'cases',
        [
          {
            hall_id: hallId,
            case_id: r.event_id,
            ticket_id: r.ticket_id,
            ticket_number: r.ticket_number,
            service_id: r.service_id,
            counter_id: r.counter_id,
            clerk_id: r.clerk_id,
            score: r.score,
            comment: r.comment,
            status: 'pending',
            opened_at: r.at,
            deadline: this.opts.caseDeadline(r.day),
            closed_at: null,
          },
        ],
        { keys: ['hall_id', 'case_id'], on: 'ignore' },
      );
      return;
    }
    const s = e as SupervisionEvent;
    const at = Date.parse(s.at);
    switch (s.type) {
      case 'audit.case-transitioned':
      case 'audit.case-appealed':
      case 'audit.case-callback': {
        const kind = s.type === 'audit.case-transitioned' ? 'transition' : s.type === 'audit.case-appealed' ? 'appeal' : 'callback';
        const note = s.type === 'audit.case-callback' ? `${s.reached ? '[reached] ' : '[not reached] '}${s.note}` : s.note;
        const inserted = await tx
          .insertInto('case_history')
          .values({
            hall_id: hallId,
            event_id: s.id,
            case_id: s.caseId,
            kind,
            from_status: s.type === 'audit.case-transitioned' ? s.from : null,
            to_status: s.type === 'audit.case-transitioned' ? s.to : null,
            by_user: actorUserId(s.actor),
            at,
            note,
          })
          .onConflict((oc) => oc.columns(['hall_id', 'event_id']).doNothing())
          .returning('event_id')
          .execute();
        if (inserted.length > 0 && s.type === 'audit.case-transitioned') {
          await tx
            .updateTable('cases')
            .set({ status: s.to, closed_at: isClosedStatus(s.to) ? at : null })
            .where('hall_id', '=', hallId)
            .where('case_id', '=', s.caseId)
            .execute();
        }
        return;
      }
      case 'audit.alert-raised':
        await this.writer.write(
        tx,
          'alerts',
          [
            {
              hall_id: hallId,
              alert_id: s.alertId,
              rule: s.rule,
              level: s.level,
              subject_kind: s.subject.kind,
              subject_id: s.subject.id,
              subject_label: s.subject.label,
              since: at,
              cleared_at: null,
              acknowledged_by: null,
              acknowledged_at: null,
              note: null,
            },
          ],
          { keys: ['hall_id', 'alert_id'], on: 'ignore' },
        );
        return;
      case 'audit.alert-cleared':
        await tx.updateTable('alerts').set({ cleared_at: at }).where('hall_id', '=', hallId).where('alert_id', '=', s.alertId).execute();
        return;
      case 'audit.alert-acknowledged':
        await tx
          .updateTable('alerts')
          .set({ acknowledged_by: actorUserId(s.actor), acknowledged_at: at, note: s.note })
          .where('hall_id', '=', hallId)
          .where('alert_id', '=', s.alertId)
          .execute();
        return;
    }
  }
}
