/** The clerk's desk figures for one counter, read from the day's state (so a restart's replay rebuilds them). */
import type { CounterToday, MissedTicket } from '@hall/protocol';
import { closedCounter } from './state';
import type { QueueState } from './state';

export function counterToday(state: QueueState, counterId: string): CounterToday {
  const { tally } = state.counters.get(counterId) ?? closedCounter();
  const missed: MissedTicket[] = [];
  for (const t of state.tickets.values()) {
    if (t.status !== 'no-show' || t.counterId !== counterId || t.noShowAt === null) continue;
    missed.push({ ticketId: t.id, ticketNumber: t.number, serviceId: t.serviceId, at: t.noShowAt });
  }
  // ISO instants of one day in one offset sort as strings.
  missed.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { counterId, day: state.day, served: tally.served, noShow: tally.noShow, transferred: tally.transferred, missed };
}
