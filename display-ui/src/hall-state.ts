/**
 * How the hall screen's snapshot changes with each pushed event. Pure: the store calls these
 * with the current snapshot and keeps what they return.
 */
import type { CounterView, QueueSnapshot, RecentCall, ServiceSummary } from '@hall/protocol';
import { CALL_STATE, type Bilingual } from './format';

export const RECENT_CALLS_KEPT = 12;

/**
 * Newest first, one line per ticket: the server's list keeps every call and recall, and a
 * recall moves the ticket's line to the top instead of adding another.
 */
export function oneCallPerTicket(calls: readonly RecentCall[]): RecentCall[] {
  const seen = new Set<string>();
  const out: RecentCall[] = [];
  for (const c of calls) {
    if (seen.has(c.ticketId)) continue;
    seen.add(c.ticketId);
    out.push(c);
  }
  return out;
}

/** A snapshot as the screens keep it: counters in wall order, one recent call per ticket. */
export function normalizeSnapshot(snap: QueueSnapshot): QueueSnapshot {
  return {
    ...snap,
    counters: [...snap.counters].sort((a, b) => a.number - b.number),
    recentCalls: oneCallPerTicket(snap.recentCalls).slice(0, RECENT_CALLS_KEPT),
  };
}

export type CallState = 'calling' | 'serving' | 'past';

/**
 * Where a called ticket is now, from its counter: still 请到 (called, not yet served), 办理中
 * (the clerk started it), or past (the counter has moved on: served, missed or transferred).
 */
export function callState(call: Pick<RecentCall, 'ticketId' | 'counterNumber'>, counters: readonly CounterView[]): CallState {
  const current = counters.find((c) => c.number === call.counterNumber)?.currentTicket;
  if (!current || current.id !== call.ticketId) return 'past';
  return current.status === 'serving' ? 'serving' : 'calling';
}

/** The words of a call's state; none for a past call (its time says enough). */
export function callStateLabel(state: CallState): Bilingual | null {
  return state === 'past' ? null : CALL_STATE[state];
}

/**
 * A call goes to the top of the recent calls (once per ticket) and leaves the "next" lists. Its
 * counter now has it as the current ticket (called, or as it was on a recall): the counter's own
 * event follows, and until then the screen must not say the call is past.
 */
export function applyCall(snap: QueueSnapshot, call: RecentCall): QueueSnapshot {
  const recentCalls = [call, ...snap.recentCalls.filter((c) => c.ticketId !== call.ticketId)].slice(0, RECENT_CALLS_KEPT);
  const waitingNumbers: Record<string, string[]> = {};
  for (const [id, numbers] of Object.entries(snap.waitingNumbers)) waitingNumbers[id] = numbers.filter((n) => n !== call.ticketNumber);
  const counters = snap.counters.map((c) =>
    c.number !== call.counterNumber || c.currentTicket?.id === call.ticketId ? c : { ...c, currentTicket: { id: call.ticketId, number: call.ticketNumber, status: 'called' as const } },
  );
  return { ...snap, recentCalls, waitingNumbers, counters };
}

/**
 * New counts per service. The "next" lists only come with a snapshot: a list longer than the
 * new count is cut from the end, so the screen never shows more numbers than are waiting.
 */
export function applyServices(snap: QueueSnapshot, services: ServiceSummary[]): QueueSnapshot {
  const waitingNumbers: Record<string, string[]> = { ...snap.waitingNumbers };
  for (const s of services) {
    const list = waitingNumbers[s.id];
    if (list && list.length > s.waiting) waitingNumbers[s.id] = list.slice(0, Math.max(0, s.waiting));
  }
  return { ...snap, services, waitingNumbers };
}

export function applyCounter(snap: QueueSnapshot, counter: CounterView): QueueSnapshot {
  const others = snap.counters.filter((c) => c.id !== counter.id);
  const counters = [...others, counter].sort((a, b) => a.number - b.number);
  return { ...snap, counters };
}

/** Fresh "next" lists (from `GET /api/queue`) without losing the pushed counters and calls. */
export function applyWaitingNumbers(snap: QueueSnapshot, fresh: Pick<QueueSnapshot, 'waitingNumbers' | 'services'>): QueueSnapshot {
  return applyServices({ ...snap, waitingNumbers: fresh.waitingNumbers }, fresh.services);
}

/** One page of a list the screen cannot show at once, turning every tick: page `tick mod pages`. */
export function rotatingPage<T>(items: readonly T[], size: number, tick: number): { items: T[]; page: number; pages: number } {
  const per = Math.max(1, size);
  const pages = Math.max(1, Math.ceil(items.length / per));
  const page = ((Math.floor(tick) % pages) + pages) % pages;
  return { items: items.slice(page * per, page * per + per), page, pages };
}
