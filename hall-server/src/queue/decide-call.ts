/**
 * A counter's work on tickets: call-next, call a number, recall, start, finish, no-show,
 * re-queue a no-show (过号重排), transfer to another service.
 *
 * Calling by number takes any waiting ticket of the day, also of a service the counter does not
 * serve: the clerk names the ticket on purpose (a citizen at the wrong window, a supervisor
 * helping out), and the choice is journalled with rule `manual`.
 */
import type { Counter, CounterCommand, QueueEvent } from '@hall/protocol';
import type { DecideContext, DecideResult } from './context';
import {
  accepted,
  closeCurrentTicket,
  closedForStaff,
  counterDay,
  DAY_CLOSED_MESSAGE,
  findCounter,
  findService,
  makeEvent,
  mayActAtCounter,
  refused,
} from './decide-support';
import { defaultOrdering } from './ordering-policy';
import type { Lane, OrderingStrategy } from './ordering-policy';
import { insertionIndex, laneOf } from './state';
import type { CounterDay, QueueState, TicketRecord } from './state';

type CallCommand = Exclude<
  CounterCommand,
  { type: 'counter.sign-in' | 'counter.sign-out' | 'counter.pause' | 'counter.resume' }
>;

/** The lanes a counter calls from: every class of every service it serves, with the weight. */
export function counterLanes(state: QueueState, counter: Counter): Lane[] {
  const lanes: Lane[] = [];
  for (const link of counter.services) {
    const s = state.services.get(link.serviceId);
    if (!s) continue;
    for (const [priority, ids] of s.lanes) {
      if (ids.length > 0) lanes.push({ serviceId: link.serviceId, priority, weight: link.weight, ids, cursor: 0 });
    }
  }
  return lanes;
}

export function decideCall(
  state: QueueState,
  cmd: CallCommand,
  ctx: DecideContext,
  strategy: OrderingStrategy = defaultOrdering,
): DecideResult {
  if (state.closed) return refused('QUEUE.INVALID_STATE', DAY_CLOSED_MESSAGE);
  const { counterId } = cmd;
  const counter = findCounter(ctx, counterId);
  if (!counter) return refused('COUNTER.NOT_FOUND', 'no such counter', { counterId });
  const day = counterDay(state, counterId);
  if (cmd.type !== 'counter.requeue' && closedForStaff(ctx, day)) {
    return refused('QUEUE.INVALID_STATE', 'the counter is closed', { counterId, state: day.state });
  }
  if (!mayActAtCounter(ctx, day)) return refused('AUTH.FORBIDDEN', 'not signed in at this counter', { counterId });
  const policy = ctx.config.hall.policy;
  const current = day.currentTicketId === null ? undefined : state.tickets.get(day.currentTicketId);

  switch (cmd.type) {
    case 'counter.call-next': {
      if (day.state !== 'open') return notOpen(counterId, day);
      const events = closeCurrentTicket(state, counterId, day, ctx);
      const pick = strategy.pick({
        lanes: counterLanes(state, counter),
        ticket: (id) => state.tickets.get(id),
        cycle: day.cycle,
        policy,
        now: ctx.now,
      });
      if (!pick) return accepted(events, null, counterId);
      const t = state.tickets.get(pick.ticketId) as TicketRecord;
      events.push(called(ctx, t, counter, day, pick.rule, strategy.nextCycle(day.cycle, t.priority, pick.rule, policy)));
      return accepted(events, t.id, counterId);
    }
    case 'counter.call': {
      if (day.state !== 'open') return notOpen(counterId, day);
      const t = byNumber(state, cmd.ticketNumber);
      if (!t) return refused('QUEUE.NOT_FOUND', 'no such ticket number today', { ticketNumber: String(cmd.ticketNumber) });
      if (t.status !== 'waiting') return wrongStatus(t);
      const events = closeCurrentTicket(state, counterId, day, ctx);
      events.push(called(ctx, t, counter, day, 'manual', day.cycle));
      return accepted(events, t.id, counterId);
    }
    case 'counter.recall': {
      if (day.state !== 'open') return notOpen(counterId, day);
      if (!current) return noCurrent(counterId);
      if (current.status !== 'called') return wrongStatus(current);
      if (current.recalls >= policy.recallLimit) {
        return refused('QUEUE.RECALL_LIMIT', 'recall limit reached: mark no-show or start', {
          ticketId: current.id,
          recallLimit: policy.recallLimit,
        });
      }
      const event = makeEvent(ctx, 'ticket.recalled', {
        ticketId: current.id,
        ticketNumber: current.number,
        counterId,
        counterNumber: counter.number,
        recalls: current.recalls + 1,
      });
      return accepted([event], current.id, counterId);
    }
    case 'counter.start': {
      if (!current) return noCurrent(counterId);
      if (current.status !== 'called') return wrongStatus(current);
      return accepted([makeEvent(ctx, 'ticket.started', { ticketId: current.id, counterId })], current.id, counterId);
    }
    case 'counter.finish': {
      if (!current) return noCurrent(counterId);
      if (current.status !== 'called' && current.status !== 'serving') return wrongStatus(current);
      return accepted([makeEvent(ctx, 'ticket.finished', { ticketId: current.id, counterId })], current.id, counterId);
    }
    case 'counter.no-show': {
      if (!current) return noCurrent(counterId);
      if (current.status !== 'called') return wrongStatus(current);
      return accepted([makeEvent(ctx, 'ticket.no-show', { ticketId: current.id, counterId })], current.id, counterId);
    }
    case 'counter.requeue': {
      const t = byNumber(state, cmd.ticketNumber);
      if (!t) return refused('QUEUE.NOT_FOUND', 'no such ticket number today', { ticketNumber: String(cmd.ticketNumber) });
      if (t.status !== 'no-show') return wrongStatus(t);
      const lane = laneOf(state, t.serviceId, t.priority);
      const position = Math.min(policy.requeueOffset, lane.length);
      const event = makeEvent(ctx, 'ticket.requeued', { ticketId: t.id, counterId, serviceId: t.serviceId, position });
      return accepted([event], t.id, counterId);
    }
    case 'counter.transfer': {
      if (!current) return noCurrent(counterId);
      if (current.status !== 'called' && current.status !== 'serving') return wrongStatus(current);
      const target = findService(ctx, cmd.serviceId);
      if (!target) return refused('SERVICE.NOT_FOUND', 'no such service', { serviceId: String(cmd.serviceId) });
      if (!target.enabled) return refused('QUEUE.SERVICE_CLOSED', 'the service is not offered', { serviceId: target.id });
      if (target.id === current.serviceId) return refused('QUEUE.INVALID_STATE', 'the ticket is already in this service');
      // Keeps its original issue instant, so it takes the place its wait has earned.
      const position = insertionIndex(state, laneOf(state, target.id, current.priority), current);
      const event = makeEvent(ctx, 'ticket.transferred', {
        ticketId: current.id,
        counterId,
        fromServiceId: current.serviceId,
        toServiceId: target.id,
        position,
      });
      return accepted([event], current.id, counterId);
    }
  }
}

function called(
  ctx: DecideContext,
  t: TicketRecord,
  counter: Counter,
  day: CounterDay,
  rule: QueueEventRule,
  cycle: CounterDay['cycle'],
): QueueEvent {
  return makeEvent(ctx, 'ticket.called', {
    ticketId: t.id,
    ticketNumber: t.number,
    serviceId: t.serviceId,
    counterId: counter.id,
    counterNumber: counter.number,
    userId: day.userId,
    rule,
    cycle: { priority: cycle.priority, normal: cycle.normal },
  });
}
type QueueEventRule = Parameters<OrderingStrategy['nextCycle']>[2];

function byNumber(state: QueueState, ticketNumber: unknown): TicketRecord | undefined {
  if (typeof ticketNumber !== 'string') return undefined;
  const id = state.byNumber.get(ticketNumber.trim().toUpperCase());
  return id === undefined ? undefined : state.tickets.get(id);
}

function notOpen(counterId: string, day: CounterDay): DecideResult {
  return refused('QUEUE.INVALID_STATE', day.state === 'paused' ? 'the counter is paused' : 'the counter is closed', {
    counterId,
    state: day.state,
  });
}
function noCurrent(counterId: string): DecideResult {
  return refused('QUEUE.INVALID_STATE', 'the counter has no current ticket', { counterId });
}
function wrongStatus(t: TicketRecord): DecideResult {
  return refused('QUEUE.INVALID_STATE', `the ticket is ${t.status}`, { ticketId: t.id, status: t.status });
}
