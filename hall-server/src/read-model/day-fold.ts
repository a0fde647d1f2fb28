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
import type { Actor, AuditEvent, QueueEvent, RatingChannel } from '@hall/protocol';
import type { CallsTable, CounterPausesTable, CounterSessionsTable, RatingsTable, TicketsTable } from './schema';
import { DayStats, NONE, type Attribution, type StatsRows } from './day-stats';

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

interface TicketExtra {
  firstCall: Attribution | null;
}

function ms(iso: string): number {
  return Date.parse(iso);
}

/**
 * What a ticket adds to the day's statistics, as keys that change whenever what it adds changes:
 * its issue, its wait (fixed at the first call) and how it ended (served, cancelled, expired).
 */
interface Contribution {
  issued: string | null;
  wait: string | null;
  end: string | null;
}

const NO_CONTRIBUTION: Contribution = { issued: null, wait: null, end: null };

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
  /** Running statistics; null: counted again from the rows when next asked (see apply). */
  private running: DayStats | null;
  /** The next takeStatsChanges() replaces every statistics row of the day. */
  private replaceStats = true;

  constructor(readonly opts: DayFoldOptions) {
    this.running = new DayStats(opts);
  }

  /** Applies one event; false when its id was seen before (nothing changes). */
  apply(e: QueueEvent | AuditEvent | { id: string; type: string; at: string }): boolean {
    if (this.seen.has(e.id)) return false;
    this.seen.add(e.id);
    this.events++;
    this.lastEventId = e.id;
    if (!this.running) {
      this.applyQueueEvent(e as QueueEvent);
      return true;
    }
    const ticketId = (e as { ticketId?: unknown }).ticketId;
    const id = typeof ticketId === 'string' ? ticketId : null;
    const before = id === null ? NO_CONTRIBUTION : this.contribution(id);
    const marks = this.marks.length;
    this.applyQueueEvent(e as QueueEvent);
    this.count(e as QueueEvent, id, before, marks);
    return true;
  }

  /**
   * Adds what the event added to the running statistics. A ticket's contribution, once counted,
   * is final in a real day (a wait is fixed at the first call, a served ticket stays served);
   * when one changes anyway (a journal no engine would write), the day is counted again.
   */
  private count(e: QueueEvent, id: string | null, before: Contribution, marks: number): void {
    const stats = this.running!;
    if (id !== null) {
      const after = this.contribution(id);
      const parts = (['issued', 'wait', 'end'] as const).filter((p) => before[p] !== after[p]);
      if (parts.some((p) => before[p] !== null)) {
        this.running = null;
        return;
      }
      for (const p of parts) this.addContribution(stats, this.tickets.get(id)!, p);
    }
    for (const m of this.marks.slice(marks)) stats.counted(m.kind, m.at);
    if (e.type === 'ticket.rated') this.addRating(stats, this.ratings.get(e.id)!);
  }

  private contribution(ticketId: string): Contribution {
    const t = this.tickets.get(ticketId);
    if (!t) return NO_CONTRIBUTION;
    const first = this.extra.get(ticketId)?.firstCall;
    const wait = first && t.wait_s !== null ? `${first.service}\u0000${first.counter}\u0000${first.clerk}\u0000${t.wait_s}` : null;
    const where = `${t.service_id}\u0000${t.counter_id ?? NONE}`;
    let end: string | null = null;
    if (t.status === 'done') end = `done\u0000${where}\u0000${t.clerk_id ?? NONE}\u0000${t.ended_at}\u0000${t.service_s}`;
    else if (t.status === 'cancelled' || t.status === 'expired') end = `${t.status}\u0000${where}`;
    return { issued: `${t.first_service_id}\u0000${t.issued_at}`, wait, end };
  }

  private addContribution(stats: DayStats, t: TicketsTable, part: keyof Contribution): void {
    if (part === 'issued') return stats.issued(t.first_service_id, t.issued_at);
    if (part === 'wait') return stats.waited(this.extra.get(t.ticket_id)!.firstCall!, t.wait_s!);
    const where = { service: t.service_id, counter: t.counter_id ?? NONE, clerk: t.clerk_id ?? NONE };
    if (t.status === 'done') stats.served(where, t.ended_at, t.service_s);
    else if (t.status === 'cancelled' || t.status === 'expired') stats.counted(t.status, { ...where, clerk: NONE });
  }

  private addRating(stats: DayStats, r: RatingsTable): void {
    stats.rated({ service: r.service_id, counter: r.counter_id ?? NONE, clerk: r.clerk_id ?? NONE }, r.score);
  }

  /**
   * Stops the running totals until the statistics are next asked for, when the day is counted
   * from its rows once: for a whole day applied at once (catch-up, reindex), one pass is cheaper
   * than keeping totals event by event.
   */
  countWhenAsked(): void {
    this.running = null;
  }

  /** The day's statistics counted from its rows: what the running totals must equal. */
  recount(): DayStats {
    const stats = new DayStats(this.opts);
    for (const t of this.tickets.values()) {
      const c = this.contribution(t.ticket_id);
      for (const p of ['issued', 'wait', 'end'] as const) if (c[p] !== null) this.addContribution(stats, t, p);
    }
    for (const m of this.marks) stats.counted(m.kind, m.at);
    for (const r of this.ratings.values()) this.addRating(stats, r);
    return stats;
  }

  private current(): DayStats {
    if (!this.running) {
      this.running = this.recount();
      this.replaceStats = true;
    }
    return this.running;
  }

  /** Every statistics row of the day: the cube, hourly counts and histograms. */
  stats(): StatsRows {
    return this.current().rows();
  }

  /**
   * The statistics rows to write: those changed since the last call (`replace: false`, upsert
   * them), or every row of the day when it was counted again (`replace: true`).
   */
  takeStatsChanges(): { replace: boolean; rows: StatsRows } {
    const stats = this.current();
    const replace = this.replaceStats;
    this.replaceStats = false;
    const rows = stats.takeChanged();
    return replace ? { replace, rows: stats.rows() } : { replace, rows };
  }

  /** A write of the statistics failed: the next one replaces them all. */
  statsNotWritten(): void {
    this.replaceStats = true;
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
          channel: ratingChannel(e.actor),
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
}

export interface DayRows {
  tickets: TicketsTable[];
  calls: CallsTable[];
  counter_sessions: CounterSessionsTable[];
  counter_pauses: CounterPausesTable[];
  ratings: RatingsTable[];
}

/** The 好差评 channel a rating came by, from who caused its event (devices act as the hall itself). */
export function ratingChannel(actor: Actor): RatingChannel {
  switch (actor.kind) {
    case 'public':
      return 'phone';
    case 'staff':
      return 'clerk';
    case 'terminal':
      return 'kiosk';
    default:
      return 'evaluator';
  }
}
