/** Helpers shared by the decide-* modules. */
import { hallError, toHallIso } from '@hall/protocol';
import type { Counter, ErrorCode, EventOf, QueueEvent, QueueEventType, Service } from '@hall/protocol';
import type { DecideContext, DecideResult } from './context';
import { closedCounter } from './state';
import type { CounterDay, QueueState } from './state';

type Body<T extends QueueEventType> = Omit<EventOf<T>, 'id' | 'at' | 'actor' | 'type'>;

/** Stamps an event with a fresh id, the hall-offset instant and the actor. */
export function makeEvent<T extends QueueEventType>(ctx: DecideContext, type: T, body: Body<T>): EventOf<T> {
  return { id: ctx.newId(), type, at: toHallIso(ctx.now, ctx.tz), actor: ctx.actor, ...body } as unknown as EventOf<T>;
}

export function accepted(events: QueueEvent[], ticketId: string | null, counterId: string | null): DecideResult {
  return { ok: true, events, ticketId, counterId };
}

export function refused(code: ErrorCode, message: string, details?: Record<string, unknown>): DecideResult {
  return { ok: false, error: hallError(code, message, details) };
}

export function findService(ctx: DecideContext, serviceId: string): Service | undefined {
  return ctx.config.services.find((s) => s.id === serviceId);
}

export function findCounter(ctx: DecideContext, counterId: string): Counter | undefined {
  return ctx.config.counters.find((c) => c.id === counterId);
}

export function counterDay(state: QueueState, counterId: string): CounterDay {
  return state.counters.get(counterId) ?? closedCounter();
}

export function isSupervisor(ctx: DecideContext): boolean {
  return ctx.actor.kind === 'staff' && (ctx.actor.role === 'admin' || ctx.actor.role === 'supervisor');
}

/**
 * Counter actions: the clerk signed in there, a supervisor or admin, or the system (devices and
 * timers acting for the hall). Terminals and the public never.
 */
export function mayActAtCounter(ctx: DecideContext, day: CounterDay): boolean {
  const a = ctx.actor;
  if (a.kind === 'system') return true;
  if (a.kind !== 'staff') return false;
  return a.role === 'admin' || a.role === 'supervisor' || (day.state !== 'closed' && day.userId === a.userId);
}

/**
 * Staff acting at a closed counter get `QUEUE.INVALID_STATE` (API.md: "on a closed counter →
 * 409") before the question who may act there, which a closed counter cannot answer.
 */
export function closedForStaff(ctx: DecideContext, day: CounterDay): boolean {
  return day.state === 'closed' && ctx.actor.kind === 'staff';
}

/**
 * Events that close a counter's current ticket before the counter moves on (call-next, call,
 * sign-out, sign-in elsewhere): called or serving → done. A caller keypad has no start key and
 * clerks rarely press it, so a called ticket was served (its service time then runs from the
 * call); a citizen who never came is marked by the 过号 action only, never implied (API.md).
 */
export function closeCurrentTicket(state: QueueState, counterId: string, day: CounterDay, ctx: DecideContext): QueueEvent[] {
  const id = day.currentTicketId;
  if (id === null) return [];
  const t = state.tickets.get(id);
  if (!t) return [];
  if (t.status === 'serving' || t.status === 'called') return [makeEvent(ctx, 'ticket.finished', { ticketId: id, counterId })];
  return [];
}

export const DAY_CLOSED_MESSAGE = 'the hall day is closed';
