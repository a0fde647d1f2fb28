/**
 * How the staff snapshot follows the /counter events, and what the pages read from it. Pure.
 * The snapshot holds the active tickets (waiting, called, serving); a ticket that leaves
 * those states leaves the list.
 */
import type { CounterToday, CounterView, RecentCall, ServiceSummary, StaffSnapshot, Ticket } from '@hall/protocol';

const ACTIVE = new Set(['waiting', 'called', 'serving']);

export function applyTicket(snap: StaffSnapshot, t: Ticket): StaffSnapshot {
  const others = snap.tickets.filter((x) => x.id !== t.id);
  const tickets = ACTIVE.has(t.status) ? [...others, t] : others;
  // The projected "next" lists come only with a snapshot: a number leaves every list but its
  // own service's once it is no longer waiting there (called, transferred, finished…).
  const waitingNumbers: Record<string, string[]> = {};
  for (const [id, list] of Object.entries(snap.waitingNumbers)) {
    waitingNumbers[id] = t.status === 'waiting' && id === t.serviceId ? list : list.filter((n) => n !== t.number);
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

export interface WaitingEntry {
  number: string;
  serviceId: string;
  /** Full ticket when the snapshot or an event brought it (issue time, priority). */
  ticket: Ticket | null;
}

/**
 * Waiting numbers of the given services: first in the server's projected call order
 * (`waitingNumbers`), then any other waiting ticket the events brought, by issue time.
 */
export function waitingFor(snap: StaffSnapshot, serviceIds: readonly string[]): WaitingEntry[] {
  const out: WaitingEntry[] = [];
  const seen = new Set<string>();
  const byNumber = new Map(snap.tickets.map((t) => [t.number, t] as const));
  for (const serviceId of serviceIds) {
    for (const number of snap.waitingNumbers[serviceId] ?? []) {
      const ticket = byNumber.get(number) ?? null;
      if (seen.has(number) || (ticket && ticket.status !== 'waiting')) continue;
      seen.add(number);
      out.push({ number, serviceId, ticket });
    }
  }
  const wanted = new Set(serviceIds);
  const rest = snap.tickets
    .filter((t) => t.status === 'waiting' && wanted.has(t.serviceId) && !seen.has(t.number))
    .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  for (const t of rest) out.push({ number: t.number, serviceId: t.serviceId, ticket: t });
  return out;
}

/** A counter's name without the "3号窗口" its number already says. */
export function counterTitle(number: number, name: string): string {
  const rest = name.replace(new RegExp(`^\\s*${number}\\s*号?窗口\\s*[·:：-]?\\s*`), '').trim();
  return rest;
}

/**
 * Whether a ticket event may change the desk's day figures (GET /api/counters/:id/today): a
 * ticket closed at this counter, or one of its missed tickets re-queued by someone else. The
 * desk's own actions refresh the figures anyway.
 */
export function touchesToday(counterId: string, today: CounterToday | null, t: Ticket): boolean {
  if (t.counterId === counterId && (t.status === 'done' || t.status === 'no-show')) return true;
  return today?.missed.some((m) => m.ticketId === t.id) ?? false;
}

/**
 * Where the clerk at `counter` may transfer a ticket of `serviceId` (#13 item 9): the services
 * some open counter serves (a ticket sent to a service nobody serves would wait all day), but
 * not its own; and the other counters signed in (open or paused), by number.
 */
export function transferChoices(snap: StaffSnapshot, counter: CounterView, serviceId: string | null): { services: ServiceSummary[]; counters: CounterView[] } {
  const served = new Set<string>();
  for (const c of snap.counters) if (c.state === 'open') for (const id of c.serviceIds) served.add(id);
  return {
    services: snap.services.filter((s) => s.id !== serviceId && served.has(s.id)),
    counters: snap.counters.filter((c) => c.id !== counter.id && c.state !== 'closed').sort((a, b) => a.number - b.number),
  };
}
