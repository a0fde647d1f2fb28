/**
 * Applies one event to the state. For speed it MUTATES `state` and returns the same object: the
 * owner (the server's command loop, or `replay`) holds the only reference. Callers that need the
 * old state must copy it first.
 *
 * Events carry every decision, so nothing here reads the config. An event that does not fit the
 * state (a hand-edited journal) changes nothing rather than crashing the start-up replay.
 */
import type { EventOf, Priority, QueueEvent } from '@hall/protocol';
import { closedCounter, emptyServiceDay, initialState, RECENT_CALLS_KEPT } from './state';
import type { CounterDay, QueueState, ServiceDay, TicketRecord } from './state';

export function apply(state: QueueState, event: QueueEvent): QueueState {
  switch (event.type) {
    case 'ticket.issued':
      issued(state, event);
      break;
    case 'ticket.called': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      detach(state, t, event.at);
      const ms = Date.parse(event.at);
      t.status = 'called';
      t.calledAt = event.at;
      t.calledAtMs = ms;
      t.startedAt = null;
      t.startedAtMs = null;
      t.counterId = event.counterId;
      t.counterNumber = event.counterNumber;
      t.clerkId = event.userId;
      t.recalls = 0;
      const c = counterOf(state, event.counterId);
      c.currentTicketId = t.id;
      c.idleSince = null;
      c.cycle = { priority: event.cycle.priority, normal: event.cycle.normal };
      pushCall(state, t, event, false);
      break;
    }
    case 'ticket.recalled': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      t.recalls = event.recalls;
      pushCall(state, t, event, true);
      break;
    }
    case 'ticket.started': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      t.status = 'serving';
      t.startedAt = event.at;
      t.startedAtMs = Date.parse(event.at);
      break;
    }
    case 'ticket.finished': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      detach(state, t, event.at);
      const ms = Date.parse(event.at);
      t.status = 'done';
      t.finishedAt = event.at;
      t.finishedAtMs = ms;
      const s = serviceOf(state, t.serviceId);
      counterOf(state, event.counterId).tally.served += 1;
      s.finished += 1;
      s.serviceMsTotal += Math.max(0, ms - (t.startedAtMs ?? t.calledAtMs ?? ms));
      break;
    }
    case 'ticket.no-show': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      detach(state, t, event.at);
      t.status = 'no-show';
      t.noShowAt = event.at;
      counterOf(state, event.counterId).tally.noShow += 1;
      break;
    }
    case 'ticket.requeued': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      detach(state, t, event.at);
      resetCall(t);
      t.noShowAt = null;
      t.requeues += 1;
      t.placedByRequeue = true;
      enqueue(state, t, event.position);
      break;
    }
    case 'ticket.transferred': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      detach(state, t, event.at);
      resetCall(t);
      counterOf(state, event.counterId).tally.transferred += 1;
      t.transferredFrom = event.fromServiceId;
      t.serviceId = event.toServiceId;
      t.placedByRequeue = false;
      enqueue(state, t, event.position);
      if (event.toCounterId !== undefined) state.reserved.set(t.id, event.toCounterId);
      break;
    }
    case 'ticket.cancelled':
    case 'ticket.expired': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      detach(state, t, event.at);
      t.status = event.type === 'ticket.cancelled' ? 'cancelled' : 'expired';
      break;
    }
    case 'ticket.rated': {
      const t = state.tickets.get(event.ticketId);
      if (!t) break;
      t.rating = { score: event.score, reasons: [...event.reasons], comment: event.comment };
      break;
    }
    case 'counter.signed-in': {
      const c = counterOf(state, event.counterId);
      const old = state.userCounter.get(event.userId);
      if (old !== undefined && old !== event.counterId) {
        const o = state.counters.get(old);
        if (o) Object.assign(o, { state: 'closed', userId: null, pauseReason: null, since: event.at, idleSince: null });
      }
      c.state = 'open';
      c.userId = event.userId;
      c.pauseReason = null;
      c.since = event.at;
      c.idleSince = c.currentTicketId === null ? event.at : null;
      state.userCounter.set(event.userId, event.counterId);
      break;
    }
    case 'counter.signed-out': {
      const c = counterOf(state, event.counterId);
      if (c.userId !== null && state.userCounter.get(c.userId) === event.counterId) state.userCounter.delete(c.userId);
      c.state = 'closed';
      c.userId = null;
      c.pauseReason = null;
      c.since = event.at;
      c.idleSince = null;
      break;
    }
    case 'counter.paused': {
      const c = counterOf(state, event.counterId);
      c.state = 'paused';
      c.pauseReason = event.reason;
      c.since = event.at;
      break;
    }
    case 'counter.resumed': {
      const c = counterOf(state, event.counterId);
      c.state = 'open';
      c.pauseReason = null;
      c.since = event.at;
      // Idle time counts from the resume: the pause is shown as a pause, not as idling.
      if (c.currentTicketId === null) c.idleSince = event.at;
      break;
    }
    case 'day.closed':
      state.closed = true;
      break;
  }
  return state;
}

function issued(state: QueueState, e: EventOf<'ticket.issued'>): void {
  if (state.tickets.has(e.ticketId)) return;
  const ms = Date.parse(e.at);
  state.issued += 1;
  const t: TicketRecord = {
    id: e.ticketId,
    number: e.number,
    numberValue: e.numberValue,
    seq: state.issued,
    serviceId: e.serviceId,
    priority: e.priority,
    source: e.source,
    terminalId: e.terminalId,
    holder: e.holder ? { maskedName: e.holder.maskedName, idHash: e.holder.idHash } : null,
    appointment: e.appointment ? { id: e.appointment.id, slotStart: e.appointment.slotStart } : null,
    trackToken: e.trackToken,
    status: 'waiting',
    issuedAt: e.at,
    issuedAtMs: ms,
    calledAt: null,
    calledAtMs: null,
    startedAt: null,
    startedAtMs: null,
    finishedAt: null,
    finishedAtMs: null,
    counterId: null,
    counterNumber: null,
    clerkId: null,
    recalls: 0,
    requeues: 0,
    placedByRequeue: false,
    transferredFrom: null,
    noShowAt: null,
    rating: null,
  };
  state.tickets.set(t.id, t);
  state.byNumber.set(t.number, t.id);
  if (e.requestKey !== undefined) state.requestKeys.set(e.requestKey, t.id);
  const s = serviceOf(state, e.serviceId);
  s.issued += 1;
  s.lastNumber = s.lastNumber === null ? e.numberValue : Math.max(s.lastNumber, e.numberValue);
  if (t.holder) s.issuedPerId.set(t.holder.idHash, (s.issuedPerId.get(t.holder.idHash) ?? 0) + 1);
  enqueue(state, t, e.position);
}

function serviceOf(state: QueueState, serviceId: string): ServiceDay {
  let s = state.services.get(serviceId);
  if (!s) {
    s = emptyServiceDay();
    state.services.set(serviceId, s);
  }
  return s;
}

function counterOf(state: QueueState, counterId: string): CounterDay {
  let c = state.counters.get(counterId);
  if (!c) {
    c = closedCounter();
    state.counters.set(counterId, c);
  }
  return c;
}

function enqueue(state: QueueState, t: TicketRecord, position: number): void {
  const s = serviceOf(state, t.serviceId);
  let lane = s.lanes.get(t.priority);
  if (!lane) {
    lane = [];
    s.lanes.set(t.priority, lane);
  }
  if (position >= lane.length) lane.push(t.id);
  else lane.splice(Math.max(0, position), 0, t.id);
  if (t.placedByRequeue) s.requeuedWaiting += 1;
  t.status = 'waiting';
}

/** Takes the ticket out of its lane or off its counter, whichever holds it; a counter so freed is idle from `at`. */
function detach(state: QueueState, t: TicketRecord, at: string): void {
  if (t.status === 'waiting') {
    state.reserved.delete(t.id);
    const s = state.services.get(t.serviceId);
    const lane = s?.lanes.get(t.priority);
    if (!s || !lane) return;
    if (lane[0] === t.id) lane.shift();
    else {
      const i = lane.indexOf(t.id);
      if (i < 0) return;
      lane.splice(i, 1);
    }
    if (t.placedByRequeue) s.requeuedWaiting -= 1;
    if (lane.length === 0) s.lanes.delete(t.priority as Priority);
  } else if (t.status === 'called' || t.status === 'serving') {
    if (t.counterId === null) return;
    const c = state.counters.get(t.counterId);
    if (c && c.currentTicketId === t.id) {
      c.currentTicketId = null;
      if (c.state !== 'closed') c.idleSince = at;
    }
  }
}

function resetCall(t: TicketRecord): void {
  t.calledAt = null;
  t.calledAtMs = null;
  t.startedAt = null;
  t.startedAtMs = null;
  t.counterId = null;
  t.counterNumber = null;
  t.clerkId = null;
  t.recalls = 0;
}

/** Remembers a call or recall for the hall screens' "recent calls". */
function pushCall(state: QueueState, t: TicketRecord, event: { counterId: string; counterNumber: number; at: string }, recall: boolean): void {
  state.recentCalls.push({
    ticketId: t.id,
    ticketNumber: t.number,
    serviceId: t.serviceId,
    counterId: event.counterId,
    counterNumber: event.counterNumber,
    at: event.at,
    recall,
  });
  if (state.recentCalls.length > RECENT_CALLS_KEPT) state.recentCalls.splice(0, state.recentCalls.length - RECENT_CALLS_KEPT);
}

export function replay(day: string, events: Iterable<QueueEvent>): QueueState {
  const state = initialState(day);
  for (const e of events) apply(state, e);
  return state;
}
