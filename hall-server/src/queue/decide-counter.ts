/** Counter sessions: sign-in, sign-out, pause, resume. */
import type { CounterCommand, QueueEvent } from '@hall/protocol';
import type { DecideContext, DecideResult } from './context';
import {
  accepted,
  closeCurrentTicket,
  closedForStaff,
  counterDay,
  DAY_CLOSED_MESSAGE,
  findCounter,
  makeEvent,
  mayActAtCounter,
  refused,
} from './decide-support';
import type { QueueState } from './state';

const MAX_REASON = 200;

export function decideSignIn(state: QueueState, counterId: string, ctx: DecideContext): DecideResult {
  if (state.closed) return refused('QUEUE.INVALID_STATE', DAY_CLOSED_MESSAGE);
  const actor = ctx.actor;
  if (actor.kind !== 'staff') return refused('AUTH.FORBIDDEN', 'only staff sign in at a counter');
  const counter = findCounter(ctx, counterId);
  if (!counter) return refused('COUNTER.NOT_FOUND', 'no such counter', { counterId });
  if (!counter.enabled) return refused('QUEUE.INVALID_STATE', 'the counter is disabled', { counterId });
  const day = counterDay(state, counterId);
  if (day.state !== 'closed') {
    if (day.userId === actor.userId) return accepted([], day.currentTicketId, counterId);
    return refused('COUNTER.OCCUPIED', 'another user is signed in at this counter', { counterId });
  }
  const events: QueueEvent[] = [];
  // One counter per user: signing in here signs the user out of the old one.
  const old = state.userCounter.get(actor.userId);
  if (old !== undefined && old !== counterId) {
    const oldDay = counterDay(state, old);
    events.push(...closeCurrentTicket(state, old, oldDay, ctx));
    events.push(makeEvent(ctx, 'counter.signed-out', { counterId: old, userId: actor.userId, reason: 'moved' }));
  }
  events.push(makeEvent(ctx, 'counter.signed-in', { counterId, userId: actor.userId }));
  return accepted(events, null, counterId);
}

export function decideCounterSession(
  state: QueueState,
  cmd: Extract<CounterCommand, { type: 'counter.sign-out' | 'counter.pause' | 'counter.resume' }>,
  ctx: DecideContext,
): DecideResult {
  if (state.closed) return refused('QUEUE.INVALID_STATE', DAY_CLOSED_MESSAGE);
  const { counterId } = cmd;
  if (!findCounter(ctx, counterId) && !state.counters.has(counterId)) {
    return refused('COUNTER.NOT_FOUND', 'no such counter', { counterId });
  }
  const day = counterDay(state, counterId);
  if (closedForStaff(ctx, day)) return refused('QUEUE.INVALID_STATE', 'the counter is closed', { counterId, state: day.state });
  if (!mayActAtCounter(ctx, day)) return refused('AUTH.FORBIDDEN', 'not signed in at this counter', { counterId });

  switch (cmd.type) {
    case 'counter.sign-out': {
      if (day.state === 'closed') return refused('QUEUE.INVALID_STATE', 'the counter is not signed in', { counterId });
      const events = closeCurrentTicket(state, counterId, day, ctx);
      events.push(makeEvent(ctx, 'counter.signed-out', { counterId, userId: day.userId, reason: 'sign-out' }));
      return accepted(events, null, counterId);
    }
    case 'counter.pause': {
      if (day.state !== 'open') return refused('QUEUE.INVALID_STATE', 'only an open counter pauses', { counterId, state: day.state });
      if (typeof cmd.reason !== 'string') return refused('PROTOCOL.INVALID_PAYLOAD', 'reason must be text');
      const reason = cmd.reason.trim().slice(0, MAX_REASON);
      return accepted([makeEvent(ctx, 'counter.paused', { counterId, reason })], day.currentTicketId, counterId);
    }
    case 'counter.resume': {
      if (day.state !== 'paused') return refused('QUEUE.INVALID_STATE', 'the counter is not paused', { counterId, state: day.state });
      return accepted([makeEvent(ctx, 'counter.resumed', { counterId })], day.currentTicketId, counterId);
    }
  }
}
