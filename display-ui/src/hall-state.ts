/**
 * How the hall screen's snapshot changes with each pushed event. Pure: the store calls these
 * with the current snapshot and keeps what they return.
 */
import type { CounterView, QueueSnapshot, RecentCall, ServiceSummary } from '@hall/protocol';

export const RECENT_CALLS_KEPT = 12;

/** A call goes to the top of the recent calls (once per ticket) and leaves the "next" lists. */
export function applyCall(snap: QueueSnapshot, call: RecentCall): QueueSnapshot {
  const recentCalls = [call, ...snap.recentCalls.filter((c) => c.ticketId !== call.ticketId)].slice(0, RECENT_CALLS_KEPT);
  const waitingNumbers: Record<string, string[]> = {};
  for (const [id, numbers] of Object.entries(snap.waitingNumbers)) waitingNumbers[id] = numbers.filter((n) => n !== call.ticketNumber);
  return { ...snap, recentCalls, waitingNumbers };
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
