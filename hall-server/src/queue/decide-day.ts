/** `day.close`: every open ticket expires, every counter closes, the day is sealed. */
import type { DecideContext, DecideResult } from './context';
import { accepted, DAY_CLOSED_MESSAGE, makeEvent, refused } from './decide-support';
import type { QueueEvent } from '@hall/protocol';
import type { QueueState } from './state';

export function decideCloseDay(state: QueueState, ctx: DecideContext): DecideResult {
  const a = ctx.actor;
  if (!(a.kind === 'system' || (a.kind === 'staff' && (a.role === 'admin' || a.role === 'supervisor')))) {
    return refused('AUTH.FORBIDDEN', 'only the system or a supervisor closes the day');
  }
  if (state.closed) return refused('QUEUE.INVALID_STATE', DAY_CLOSED_MESSAGE);
  const events: QueueEvent[] = [];
  for (const t of state.tickets.values()) {
    if (t.status === 'waiting' || t.status === 'called' || t.status === 'serving') {
      const counterId = t.status === 'waiting' ? null : t.counterId;
      events.push(makeEvent(ctx, 'ticket.expired', { ticketId: t.id, fromStatus: t.status, counterId }));
    }
  }
  for (const [counterId, day] of state.counters) {
    if (day.state !== 'closed') {
      events.push(makeEvent(ctx, 'counter.signed-out', { counterId, userId: day.userId, reason: 'day-close' }));
    }
  }
  events.push(makeEvent(ctx, 'day.closed', { day: state.day, issued: state.issued }));
  return accepted(events, null, null);
}
