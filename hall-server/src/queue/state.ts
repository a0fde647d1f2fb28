/**
 * The engine's state for one hall day. Owned by one caller (the server's command loop), which
 * hands it to `decide` (read only) and `apply` (which mutates it in place, for speed).
 *
 * Waiting tickets sit in lanes: one array of ticket ids per service and priority class, in queue
 * position order (rule 5). Issue appends, a call takes the head, so the hot paths cost
 * O(waiting in the services concerned), never O(tickets of the day).
 */
import type { Priority, TicketSource, TicketStatus } from '@hall/protocol';

export interface RatingRecord {
  score: number;
  reasons: string[];
  comment: string | null;
}

export interface TicketRecord {
  id: string;
  number: string;
  numberValue: number;
  /** Issue order within the day (1, 2, …): the tie-break of equal issue instants. */
  seq: number;
  serviceId: string;
  priority: Priority;
  source: TicketSource;
  terminalId: string | null;
  holder: { maskedName: string; idHash: string } | null;
  appointment: { id: string; slotStart: number } | null;
  trackToken: string;
  status: TicketStatus;
  issuedAt: string;
  /** Kept across transfers: the wait counts from the original issue (rule 5). */
  issuedAtMs: number;
  calledAt: string | null;
  calledAtMs: number | null;
  startedAt: string | null;
  startedAtMs: number | null;
  finishedAt: string | null;
  finishedAtMs: number | null;
  /** The counter holding it (called/serving) or the one that last held it. */
  counterId: string | null;
  counterNumber: number | null;
  /** The clerk signed in at the counter when it was called. */
  clerkId: string | null;
  /** Recalls of the current call. */
  recalls: number;
  requeues: number;
  /**
   * True while it waits where a re-queue put it (`requeueOffset` from the front), outside its
   * lane's key order; a transfer puts it back in key order (false).
   */
  placedByRequeue: boolean;
  /** The service it was transferred from, last time. */
  transferredFrom: string | null;
  /** When it was last marked no-show (过号); null again once re-queued. */
  noShowAt: string | null;
  rating: RatingRecord | null;
}

/** Per-service day state. */
export interface ServiceDay {
  /** Last number handed out (numeric part), null before the first ticket. */
  lastNumber: number | null;
  /** Tickets issued for this service today (transfers in do not count). */
  issued: number;
  /** Waiting ticket ids per class, in queue position order. */
  lanes: Map<Priority, string[]>;
  /** Tickets issued per ID hash (per-ID daily limit). */
  issuedPerId: Map<string, number>;
  /** Waiting tickets that sit where a re-queue put them (outside key order); 0 = every lane sorted. */
  requeuedWaiting: number;
  /** Finished services today and their summed duration (start, else call, to finish). */
  finished: number;
  serviceMsTotal: number;
}

export interface CounterDay {
  state: 'closed' | 'open' | 'paused';
  userId: string | null;
  pauseReason: string | null;
  /** The called or serving ticket. */
  currentTicketId: string | null;
  /** Rule 3 cycle: priority and normal calls in the current cycle. */
  cycle: { priority: number; normal: number };
  /** The day's work at this counter, whoever was signed in: what the clerk's desk shows. */
  tally: CounterTally;
  /** When `state` last changed (sign-in, pause, resume, sign-out); null: closed since the day began. */
  since: string | null;
  /** Open or paused with no ticket since this time (the last ticket closed, the sign-in or resume); null while busy or closed. */
  idleSince: string | null;
}

export interface CounterTally {
  served: number;
  noShow: number;
  transferred: number;
}

export interface CallRecord {
  ticketId: string;
  ticketNumber: string;
  serviceId: string;
  counterId: string;
  counterNumber: number;
  at: string;
  recall: boolean;
}

export interface QueueState {
  /** The hall date, `YYYY-MM-DD`. */
  day: string;
  /** Set by `day.closed`; every command but a rating is refused afterwards. */
  closed: boolean;
  /** Tickets issued today. */
  issued: number;
  tickets: Map<string, TicketRecord>;
  byNumber: Map<string, string>;
  services: Map<string, ServiceDay>;
  counters: Map<string, CounterDay>;
  /** userId → counterId for every signed-in clerk. */
  userCounter: Map<string, string>;
  /** Newest last, at most `RECENT_CALLS_KEPT`. */
  recentCalls: CallRecord[];
  /** Idempotency key → ticket id, for the day's tickets issued with one. */
  requestKeys: Map<string, string>;
  /**
   * Waiting tickets sent to one counter (transfer to a counter), ticket id → counter id, in the
   * order they were sent. They stay in their service's lane (so counts, expiry and views hold),
   * but only that counter calls them, before anything else.
   */
  reserved: Map<string, string>;
}

export const RECENT_CALLS_KEPT = 20;

export function initialState(day: string): QueueState {
  return {
    day,
    closed: false,
    issued: 0,
    tickets: new Map(),
    byNumber: new Map(),
    services: new Map(),
    counters: new Map(),
    userCounter: new Map(),
    recentCalls: [],
    requestKeys: new Map(),
    reserved: new Map(),
  };
}

export function emptyServiceDay(): ServiceDay {
  return { lastNumber: null, issued: 0, lanes: new Map(), issuedPerId: new Map(), requeuedWaiting: 0, finished: 0, serviceMsTotal: 0 };
}

export function closedCounter(): CounterDay {
  return { state: 'closed', userId: null, pauseReason: null, currentTicketId: null, cycle: { priority: 0, normal: 0 }, tally: { served: 0, noShow: 0, transferred: 0 }, since: null, idleSince: null };
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Waiting ids of one service and class, in queue order (read only). */
export function laneOf(state: QueueState, serviceId: string, priority: Priority): readonly string[] {
  return state.services.get(serviceId)?.lanes.get(priority) ?? EMPTY;
}

/** Number of waiting tickets of a service. */
export function waitingCount(state: QueueState, serviceId: string): number {
  const s = state.services.get(serviceId);
  if (!s) return 0;
  let n = 0;
  for (const lane of s.lanes.values()) n += lane.length;
  return n;
}

/**
 * The sort key of a ticket inside its lane: appointments by slot, every other class by the
 * original issue instant; equal keys by issue order.
 */
export function laneKey(t: TicketRecord): number {
  return t.priority === 'appointment' ? (t.appointment?.slotStart ?? t.issuedAtMs) : t.issuedAtMs;
}

/**
 * Where a ticket goes in a lane ordered by `laneKey`: after every key-ordered ticket with a key
 * not greater than its own, before every one with a greater key.
 *
 * Re-queued no-shows (`placedByRequeue`) sit where the re-queue put them, outside the key order,
 * so their key says nothing about who is behind them: they never stop the scan (an early
 * re-queued ticket would otherwise hold a transferred ticket or an early-slot appointment
 * behind younger ones). Nor does the ticket jump ahead of those between its key-ordered
 * neighbours: they keep their distance from the front. Scans from the back, so an issue (the
 * newest ticket) costs O(1) plus the re-queued tickets at the very back.
 */
export function insertionIndex(state: QueueState, lane: readonly string[], t: TicketRecord): number {
  const key = laneKey(t);
  const requeued = (id: string | undefined) => id !== undefined && state.tickets.get(id)?.placedByRequeue === true;
  let i = lane.length;
  while (i > 0) {
    const other = state.tickets.get(lane[i - 1] as string);
    if (!other) break;
    if (!other.placedByRequeue) {
      const k = laneKey(other);
      if (k < key || (k === key && other.seq < t.seq)) break;
    }
    i--;
  }
  while (i < lane.length && requeued(lane[i])) i++;
  return i;
}

/** `A001`; four digits once past 999. */
export function formatTicketNumber(prefix: string, value: number): string {
  return `${prefix}${String(value).padStart(3, '0')}`;
}
