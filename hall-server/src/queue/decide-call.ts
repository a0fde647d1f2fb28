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

/**
 * The lanes a counter calls from: every class of every service it serves, with the weight,
 * without the tickets sent to another counter (rare: the lanes are copied only then).
 */
export function counterLanes(state: QueueState, counter: Counter): Lane[] {
  const lanes: Lane[] = [];
  const elsewhere = (id: string): boolean => {
    const to = state.reserved.get(id);
    return to !== undefined && to !== counter.id;
  };
  for (const link of counter.services) {
    const s = state.services.get(link.serviceId);
    if (!s) continue;
    for (const [priority, all] of s.lanes) {
      const ids = state.reserved.size > 0 && all.some(elsewhere) ? all.filter((id) => !elsewhere(id)) : all;
      if (ids.length > 0) lanes.push({ serviceId: link.serviceId, priority, weight: link.weight, ids, cursor: 0 });
    }
  }
  return lanes;
}

/** The first waiting ticket sent to this counter, which it calls before anything else. */
function firstSentTo(state: QueueState, counterId: string): TicketRecord | undefined {
  for (const [id, to] of state.reserved) {
    const t = state.tickets.get(id);
    if (to === counterId && t?.status === 'waiting') return t;
  }
  return undefined;
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
      const sent = firstSentTo(state, counterId);
      if (sent) {
        events.push(called(ctx, sent, counter, day, 'manual', day.cycle));
        return accepted(events, sent.id, counterId);
      }
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
      const to = transferTarget(state, ctx, cmd, counterId, current);
      if (!to.ok) return to.refusal;
      // Keeps its original issue instant, so it takes the place its wait has earned.
      const position = insertionIndex(state, laneOf(state, to.serviceId, current.priority), current);
      const event = makeEvent(ctx, 'ticket.transferred', {
        ticketId: current.id,
        counterId,
        fromServiceId: current.serviceId,
        toServiceId: to.serviceId,
        position,
        ...(to.counterId !== null ? { toCounterId: to.counterId } : {}),
      });
      return accepted([event], current.id, counterId);
    }
  }
}

type TransferTarget = { ok: true; serviceId: string; counterId: string | null } | { ok: false; refusal: DecideResult };

/**
 * Where a transfer sends the ticket. To a service: another, enabled one. To a counter: one that
 * is signed in (open or paused) other than this one, into the service named (which it must
 * serve), else the ticket's own if it serves it, else its first.
 */
function transferTarget(
  state: QueueState,
  ctx: DecideContext,
  cmd: Extract<CallCommand, { type: 'counter.transfer' }>,
  counterId: string,
  current: TicketRecord,
): TransferTarget {
  const no = (r: DecideResult): TransferTarget => ({ ok: false, refusal: r });
  let counterTo: Counter | undefined;
  if (cmd.toCounterId !== undefined) {
    counterTo = findCounter(ctx, cmd.toCounterId);
    if (!counterTo) return no(refused('COUNTER.NOT_FOUND', 'no such counter', { counterId: String(cmd.toCounterId) }));
    if (counterTo.id === counterId) return no(refused('QUEUE.INVALID_STATE', 'the ticket is already at this counter'));
    if (counterDay(state, counterTo.id).state === 'closed') return no(refused('QUEUE.INVALID_STATE', 'that counter is closed', { counterId: counterTo.id }));
  } else if (cmd.serviceId === undefined) {
    return no(refused('PROTOCOL.INVALID_PAYLOAD', 'a transfer names a service or a counter'));
  }
  const serves = (serviceId: string): boolean => counterTo?.services.some((l) => l.serviceId === serviceId) ?? true;
  const serviceId =
    cmd.serviceId ?? (serves(current.serviceId) ? current.serviceId : (counterTo?.services[0]?.serviceId ?? current.serviceId));
  const target = findService(ctx, serviceId);
  if (!target) return no(refused('SERVICE.NOT_FOUND', 'no such service', { serviceId: String(serviceId) }));
  if (!serves(target.id)) return no(refused('QUEUE.INVALID_STATE', 'that counter does not serve this service', { serviceId: target.id }));
  if (target.id !== current.serviceId && !target.enabled) return no(refused('QUEUE.SERVICE_CLOSED', 'the service is not offered', { serviceId: target.id }));
  if (!counterTo && target.id === current.serviceId) return no(refused('QUEUE.INVALID_STATE', 'the ticket is already in this service'));
  return { ok: true, serviceId: target.id, counterId: counterTo?.id ?? null };
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
