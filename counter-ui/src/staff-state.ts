/**
 * How the staff snapshot follows the /counter events, and what the pages read from it. Pure.
 * The snapshot holds the active tickets (waiting, called, serving); a ticket that leaves
 * those states leaves the list.
 */
import type { CounterView, RecentCall, ServiceSummary, StaffSnapshot, Ticket } from '@hall/protocol';

const ACTIVE = new Set(['waiting', 'called', 'serving']);

export function applyTicket(snap: StaffSnapshot, t: Ticket): StaffSnapshot {
  const others = snap.tickets.filter((x) => x.id !== t.id);
  const tickets = ACTIVE.has(t.status) ? [...others, t] : others;
  // The hall screen's "next" lists are rebuilt only with a snapshot; drop a number that left.
  let waitingNumbers = snap.waitingNumbers;
  if (t.status !== 'waiting') {
    waitingNumbers = {};
    for (const [id, list] of Object.entries(snap.waitingNumbers)) waitingNumbers[id] = list.filter((n) => n !== t.number);
  }
  return { ...snap, tickets, waitingNumbers };
}

export function applyCounter(snap: StaffSnapshot, c: CounterView): StaffSnapshot {
  const counters = [...snap.counters.filter((x) => x.id !== c.id), c].sort((a, b) => a.number - b.number);
  return { ...snap, counters };
}

export function applyServices(snap: StaffSnapshot, services: ServiceSummary[]): StaffSnapshot {
  return { ...snap, services };
}

export function applyCall(snap: StaffSnapshot, call: RecentCall, keep = 20): StaffSnapshot {
  return { ...snap, recentCalls: [call, ...snap.recentCalls.filter((c) => c.ticketId !== call.ticketId)].slice(0, keep) };
}

/** The counter this user is signed in at. */
export function myCounter(snap: StaffSnapshot): CounterView | null {
  return snap.counters.find((c) => c.clerk?.id === snap.me.id) ?? null;
}

/**
 * Waiting tickets of the given services: in the server's projected call order where it is
 * known, then by issue time.
 */
export function waitingFor(snap: StaffSnapshot, serviceIds: readonly string[]): Ticket[] {
  const wanted = new Set(serviceIds);
  const rank = new Map<string, number>();
  for (const id of serviceIds) (snap.waitingNumbers[id] ?? []).forEach((n, i) => rank.set(n, i));
  return snap.tickets
    .filter((t) => t.status === 'waiting' && wanted.has(t.serviceId))
    .sort((a, b) => (rank.get(a.number) ?? 1e9) - (rank.get(b.number) ?? 1e9) || a.issuedAt.localeCompare(b.issuedAt));
}

/** Ticket ids finished per counter today, from the ticket events seen; used for the day's count. */
export function recordServed(served: Record<string, string[]>, t: Ticket): Record<string, string[]> {
  if (t.status !== 'done' || !t.counterId) return served;
  const list = served[t.counterId] ?? [];
  if (list.includes(t.id)) return served;
  return { ...served, [t.counterId]: [...list, t.id] };
}

/** Missed tickets seen today, newest first, for 过号重排. */
export function recordNoShow(noShows: Ticket[], t: Ticket, keep = 30): Ticket[] {
  const others = noShows.filter((x) => x.id !== t.id);
  return t.status === 'no-show' ? [t, ...others].slice(0, keep) : others;
}
