/**
 * Folds one journal day's events into the rows of that day (pure, no I/O). Everything a queue
 * event touches lives within its day (tickets expire at day close), so a day's rows are a
 * function of the day's events: re-projecting a day replaces its rows, and an event seen twice
 * (by id) is ignored. Today's fold lives on in memory and takes the live events one by one.
 *
 * Attribution for the statistics cube (`stats_day`):
 * - issued: the service at issue, no counter or clerk;
 * - wait (first call − issue): the service, counter and clerk of the first call;
 * - served, service time (finish − start, or − the call when never started): where it finished;
 * - no-show, transfer: the counter and clerk that marked it (a transfer: the service it left);
 * - cancelled, expired: the ticket's service, and its counter when it had one;
 * - ratings: the counter and clerk named by the rating.
 */
import { hallMidnight, type AuditEvent, type QueueEvent } from '@hall/protocol';
import type { CallsTable, CounterPausesTable, CounterSessionsTable, RatingsTable, StatsDayTable, StatsHistTable, StatsHourlyTable, TicketsTable } from './schema';

export interface ServiceLimits {
  waitMinutes: number;
  serviceMinutes: number;
}

export interface DayFoldOptions {
  hallId: string;
  day: string;
  tz: string;
  /** The service's supervision limits; unknown services get the defaults. */
  limits: (serviceId: string) => ServiceLimits;
}

type Attribution = { service: string; counter: string; clerk: string };

interface TicketExtra {
  firstCall: Attribution | null;
}

const NONE = '';

function ms(iso: string): number {
  return Date.parse(iso);
}

/** Counts per whole minute, written dense (`[n0, n1, …]`): short for waits of a hall day, fast to parse. */
class Histogram {
  readonly counts: number[] = [];
  add(seconds: number): void {
    const minute = Math.min(Math.floor(seconds / 60), 24 * 60);
    while (this.counts.length <= minute) this.counts.push(0);
    this.counts[minute]!++;
  }
  toJson(): string {
    return JSON.stringify(this.counts);
  }
}

interface CubeCell {
  row: StatsDayTable;
}

export class DayFold {
  readonly tickets = new Map<string, TicketsTable>();
  readonly calls = new Map<string, CallsTable>();
  readonly sessions = new Map<string, CounterSessionsTable>();
  readonly pauses = new Map<string, CounterPausesTable>();
  readonly ratings = new Map<string, RatingsTable>();
  /** Rows changed since the last `takeDirty()` (by table, by key). */
  private dirty = { tickets: new Set<string>(), calls: new Set<string>(), sessions: new Set<string>(), pauses: new Set<string>(), ratings: new Set<string>() };
  private readonly seen = new Set<string>();
  private readonly extra = new Map<string, TicketExtra>();
  private readonly openSession = new Map<string, string>();
  private readonly openPause = new Map<string, string>();
  private readonly marks: Array<{ kind: 'no_show' | 'transferred'; at: Attribution }> = [];
  /** Clerk signed in at each counter now, for events that do not name one. */
  private readonly clerkAt = new Map<string, string>();
  events = 0;
  lastEventId: string | null = null;
  /** The day's close was seen: nothing more is written to its journal file. */
  closed = false;

  constructor(readonly opts: DayFoldOptions) {}

  /** Applies one event; false when its id was seen before (nothing changes). */
  apply(e: QueueEvent | AuditEvent | { id: string; type: string; at: string }): boolean {
    if (this.seen.has(e.id)) return false;
    this.seen.add(e.id);
    this.events++;
    this.lastEventId = e.id;
    this.applyQueueEvent(e as QueueEvent);
    return true;
  }

  private touch(id: string): TicketsTable | undefined {
    const t = this.tickets.get(id);
    if (t) this.dirty.tickets.add(id);
    return t;
  }

  private applyQueueEvent(e: QueueEvent): void {
    const { hallId, day } = this.opts;
    switch (e.type) {
      case 'ticket.issued': {
        this.tickets.set(e.ticketId, {
          hall_id: hallId,
          ticket_id: e.ticketId,
          day,
          number: e.number,
          first_service_id: e.serviceId,
          service_id: e.serviceId,
          priority: e.priority,
          source: e.source,
          status: 'waiting',
          issued_at: ms(e.at),
          first_called_at: null,
          last_called_at: null,
          started_at: null,
          ended_at: null,
          counter_id: null,
          clerk_id: null,
          recalls: 0,
          transfers: 0,
          wait_s: null,
          service_s: null,
        });
        this.extra.set(e.ticketId, { firstCall: null });
        this.dirty.tickets.add(e.ticketId);
        return;
      }
      case 'ticket.called': {
        const clerk = e.userId ?? this.clerkAt.get(e.counterId) ?? null;
        this.addCall(e.id, e.ticketId, e.counterId, clerk, e.at, 'call', e.rule);
        const t = this.touch(e.ticketId);
        if (!t) return;
        const at = ms(e.at);
        t.status = 'called';
        t.counter_id = e.counterId;
        t.clerk_id = clerk;
        t.last_called_at = at;
        t.started_at = null;
        if (t.first_called_at === null) {
          t.first_called_at = at;
          t.wait_s = Math.max(0, Math.floor((at - t.issued_at) / 1000));
          const x = this.extra.get(e.ticketId);
          if (x) x.firstCall = { service: t.service_id, counter: e.counterId, clerk: clerk ?? NONE };
        }
        return;
      }
      case 'ticket.recalled': {
        const t = this.touch(e.ticketId);
        this.addCall(e.id, e.ticketId, e.counterId, t?.clerk_id ?? this.clerkAt.get(e.counterId) ?? null, e.at, 'recall', null);
        if (t) t.recalls++;
        return;
      }
      case 'ticket.started': {
        const t = this.touch(e.ticketId);
        if (t) {
          t.status = 'serving';
          t.started_at = ms(e.at);
        }
        return;
      }
      case 'ticket.finished': {
        const t = this.touch(e.ticketId);
        if (!t) return;
        const at = ms(e.at);
        t.status = 'done';
        t.ended_at = at;
        t.counter_id = e.counterId;
        const from = t.started_at ?? t.last_called_at;
        t.service_s = from === null ? null : Math.max(0, Math.floor((at - from) / 1000));
        return;
      }
      case 'ticket.no-show': {
        const t = this.touch(e.ticketId);
        if (!t) return;
        t.status = 'no-show';
        t.ended_at = ms(e.at);
        this.marks.push({ kind: 'no_show', at: { service: t.service_id, counter: e.counterId, clerk: t.clerk_id ?? this.clerkAt.get(e.counterId) ?? NONE } });
        return;
      }
      case 'ticket.requeued': {
        const t = this.touch(e.ticketId);
        if (!t) return;
        t.status = 'waiting';
        t.ended_at = null;
        return;
      }
      case 'ticket.transferred': {
        const t = this.touch(e.ticketId);
        if (!t) return;
        this.marks.push({ kind: 'transferred', at: { service: e.fromServiceId, counter: e.counterId, clerk: t.clerk_id ?? this.clerkAt.get(e.counterId) ?? NONE } });
        t.status = 'waiting';
        t.service_id = e.toServiceId;
        t.transfers++;
        t.started_at = null;
        return;
      }
      case 'ticket.cancelled':
      case 'ticket.expired': {
        const t = this.touch(e.ticketId);
        if (!t) return;
        t.status = e.type === 'ticket.cancelled' ? 'cancelled' : 'expired';
        t.ended_at = ms(e.at);
        if (e.counterId) t.counter_id = e.counterId;
        return;
      }
      case 'ticket.rated': {
        const t = this.tickets.get(e.ticketId);
        this.ratings.set(e.id, {
          hall_id: hallId,
          event_id: e.id,
          day,
          ticket_id: e.ticketId,
          ticket_number: t?.number ?? '',
          service_id: t?.service_id ?? NONE,
          counter_id: e.counterId,
          clerk_id: e.userId,
          score: e.score,
          reasons: JSON.stringify(e.reasons),
          comment: e.comment,
          at: ms(e.at),
        });
        this.dirty.ratings.add(e.id);
        return;
      }
      case 'counter.signed-in': {
        this.closeSession(e.counterId, e.at, 'moved');
        this.sessions.set(e.id, { hall_id: hallId, session_id: e.id, day, counter_id: e.counterId, clerk_id: e.userId, started_at: ms(e.at), ended_at: null, end_reason: null });
        this.openSession.set(e.counterId, e.id);
        this.clerkAt.set(e.counterId, e.userId);
        this.dirty.sessions.add(e.id);
        return;
      }
      case 'counter.signed-out': {
        this.closeSession(e.counterId, e.at, e.reason);
        this.closePause(e.counterId, e.at);
        this.clerkAt.delete(e.counterId);
        return;
      }
      case 'counter.paused': {
        this.closePause(e.counterId, e.at);
        this.pauses.set(e.id, { hall_id: hallId, pause_id: e.id, day, counter_id: e.counterId, reason: e.reason, started_at: ms(e.at), ended_at: null });
        this.openPause.set(e.counterId, e.id);
        this.dirty.pauses.add(e.id);
        return;
      }
      case 'counter.resumed':
        this.closePause(e.counterId, e.at);
        return;
      case 'day.closed':
        this.closed = true;
        return;
      default:
        // Audit events change no row of the day.
        return;
    }
  }

  private addCall(id: string, ticketId: string, counterId: string, clerk: string | null, at: string, kind: string, rule: string | null): void {
    this.calls.set(id, { hall_id: this.opts.hallId, event_id: id, day: this.opts.day, ticket_id: ticketId, counter_id: counterId, clerk_id: clerk, at: ms(at), kind, rule });
    this.dirty.calls.add(id);
  }

  private closeSession(counterId: string, at: string, reason: string): void {
    const id = this.openSession.get(counterId);
    if (id === undefined) return;
    const s = this.sessions.get(id);
    if (s) {
      s.ended_at = ms(at);
      s.end_reason = reason;
      this.dirty.sessions.add(id);
    }
    this.openSession.delete(counterId);
  }

  private closePause(counterId: string, at: string): void {
    const id = this.openPause.get(counterId);
    if (id === undefined) return;
    const p = this.pauses.get(id);
    if (p) {
      p.ended_at = ms(at);
      this.dirty.pauses.add(id);
    }
    this.openPause.delete(counterId);
  }

  /** The rows changed since the last call, and forgets them. */
  takeDirty(): DayRows {
    const pick = <T>(m: Map<string, T>, keys: Set<string>): T[] => [...keys].map((k) => m.get(k)).filter((r): r is T => r !== undefined);
    const rows: DayRows = {
      tickets: pick(this.tickets, this.dirty.tickets),
      calls: pick(this.calls, this.dirty.calls),
      counter_sessions: pick(this.sessions, this.dirty.sessions),
      counter_pauses: pick(this.pauses, this.dirty.pauses),
      ratings: pick(this.ratings, this.dirty.ratings),
    };
    this.dirty = { tickets: new Set(), calls: new Set(), sessions: new Set(), pauses: new Set(), ratings: new Set() };
    return rows;
  }

  /** Marks rows dirty again (a write that failed). */
  markDirty(rows: DayRows): void {
    for (const r of rows.tickets) this.dirty.tickets.add(r.ticket_id);
    for (const r of rows.calls) this.dirty.calls.add(r.event_id);
    for (const r of rows.counter_sessions) this.dirty.sessions.add(r.session_id);
    for (const r of rows.counter_pauses) this.dirty.pauses.add(r.pause_id);
    for (const r of rows.ratings) this.dirty.ratings.add(r.event_id);
  }

  get day(): string {
    return this.opts.day;
  }

  /** Every row of the day. */
  allRows(): DayRows {
    return {
      tickets: [...this.tickets.values()],
      calls: [...this.calls.values()],
      counter_sessions: [...this.sessions.values()],
      counter_pauses: [...this.pauses.values()],
      ratings: [...this.ratings.values()],
    };
  }

  /** The day's statistics cube and hourly counts, computed from the fold's state. */
  stats(): { cube: StatsDayTable[]; hourly: StatsHourlyTable[]; hist: StatsHistTable[] } {
    const dims = new Map<string, { row: StatsHistTable; wait: Histogram; service: Histogram }>();
    const dimAdd = (kind: 'wait' | 'service', a: Attribution, seconds: number): void => {
      for (const [dim, id] of [['all', NONE], ['service', a.service], ['counter', a.counter], ['clerk', a.clerk]] as const) {
        if (dim !== 'all' && id === NONE) continue;
        const key = `${dim}\u0000${id}`;
        let d = dims.get(key);
        if (!d) {
          d = { row: { hall_id: this.opts.hallId, day: this.opts.day, dim, dim_id: id, wait_hist: '[]', service_hist: '[]' }, wait: new Histogram(), service: new Histogram() };
          dims.set(key, d);
        }
        d[kind].add(seconds);
      }
    };
    const cells = new Map<string, CubeCell>();
    const cell = (a: Attribution): CubeCell => {
      const key = `${a.service}\u0000${a.counter}\u0000${a.clerk}`;
      let c = cells.get(key);
      if (!c) {
        c = {
          row: {
            hall_id: this.opts.hallId,
            day: this.opts.day,
            service_id: a.service,
            counter_id: a.counter,
            clerk_id: a.clerk,
            issued: 0,
            served: 0,
            no_show: 0,
            transferred: 0,
            cancelled: 0,
            expired: 0,
            wait_n: 0,
            wait_sum_s: 0,
            wait_max_s: 0,
            wait_within: 0,
            service_n: 0,
            service_sum_s: 0,
            service_max_s: 0,
            service_within: 0,
            ratings: 0,
            satisfied: 0,
          },
        };
        cells.set(key, c);
      }
      return c;
    };
    const hourly = new Map<string, StatsHourlyTable>();
    const midnight = hallMidnight(this.opts.day, this.opts.tz);
    const hour = (service: string, at: number): StatsHourlyTable => {
      // Hours from the day's midnight (Intl per ticket is slow); a zone's DST day shifts by one hour at most.
      const h = Math.min(23, Math.max(0, Math.floor((at - midnight) / 3_600_000)));
      const key = `${service}\u0000${h}`;
      let r = hourly.get(key);
      if (!r) {
        r = { hall_id: this.opts.hallId, day: this.opts.day, service_id: service, hour: h, arrivals: 0, served: 0 };
        hourly.set(key, r);
      }
      return r;
    };

    for (const t of this.tickets.values()) {
      cell({ service: t.first_service_id, counter: NONE, clerk: NONE }).row.issued++;
      hour(t.first_service_id, t.issued_at).arrivals++;
      const first = this.extra.get(t.ticket_id)?.firstCall;
      if (first && t.wait_s !== null) {
        const c = cell(first);
        c.row.wait_n++;
        c.row.wait_sum_s += t.wait_s;
        c.row.wait_max_s = Math.max(c.row.wait_max_s, t.wait_s);
        if (t.wait_s < this.opts.limits(first.service).waitMinutes * 60) c.row.wait_within++;
        dimAdd('wait', first, t.wait_s);
      }
      const where = { service: t.service_id, counter: t.counter_id ?? NONE, clerk: t.clerk_id ?? NONE };
      if (t.status === 'done') {
        const c = cell(where);
        c.row.served++;
        if (t.ended_at !== null) hour(t.service_id, t.ended_at).served++;
        if (t.service_s !== null) {
          c.row.service_n++;
          c.row.service_sum_s += t.service_s;
          c.row.service_max_s = Math.max(c.row.service_max_s, t.service_s);
          if (t.service_s < this.opts.limits(t.service_id).serviceMinutes * 60) c.row.service_within++;
          dimAdd('service', where, t.service_s);
        }
      } else if (t.status === 'cancelled') {
        cell({ ...where, clerk: NONE }).row.cancelled++;
      } else if (t.status === 'expired') {
        cell({ ...where, clerk: NONE }).row.expired++;
      }
    }
    for (const m of this.marks) cell(m.at).row[m.kind]++;
    for (const r of this.ratings.values()) {
      const c = cell({ service: r.service_id, counter: r.counter_id ?? NONE, clerk: r.clerk_id ?? NONE });
      c.row.ratings++;
      if (r.score >= 4) c.row.satisfied++;
    }
    const cube = [...cells.values()].map((c) => c.row);
    const hist = [...dims.values()].map((d) => ({ ...d.row, wait_hist: d.wait.toJson(), service_hist: d.service.toJson() }));
    return { cube, hourly: [...hourly.values()], hist };
  }
}

export interface DayRows {
  tickets: TicketsTable[];
  calls: CallsTable[];
  counter_sessions: CounterSessionsTable[];
  counter_pauses: CounterPausesTable[];
  ratings: RatingsTable[];
}
