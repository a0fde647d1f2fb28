/**
 * Events of the queue engine: the audit trail, the journal (one JSON object a line), the source
 * of statistics and the upstream sync stream. Each event carries the decision taken (which
 * ticket, which counter, which queue position), so applying it never needs the config.
 *
 * The schemas validate events read back from a journal or received from a downstream hall.
 * Events hold no personal data beyond a masked name and a keyed hash of the ID number.
 */
import { z } from 'zod';
import { Priority, TicketSource, TicketStatus } from '../domain';
import { Actor } from './actor';

const Id = z.string().min(1).max(128);
const Text = (max: number) => z.string().max(max);

const base = {
  /** From the engine's id generator; unique, makes upstream sync idempotent. */
  id: Id,
  /** Hall-offset ISO 8601 (`2026-11-26T09:30:00+08:00`). */
  at: z.string().min(1).max(40),
  actor: Actor,
};

/** Why the ordering policy chose a ticket (`manual`: called by number). */
export const CallRule = z.enum(['aging', 'appointment', 'priority', 'normal', 'early-appointment', 'manual']);
export type CallRule = z.infer<typeof CallRule>;

/** Per-counter position in the priority:normal cycle after a call (rule 3). */
export const RatioCycle = z.object({ priority: z.number().int().min(0), normal: z.number().int().min(0) });
export type RatioCycle = z.infer<typeof RatioCycle>;

export const TicketIssuedEvent = z.object({
  ...base,
  type: z.literal('ticket.issued'),
  ticketId: Id,
  serviceId: Id,
  number: Text(8),
  /** The numeric part of `number`. */
  numberValue: z.number().int().min(0),
  priority: Priority,
  source: TicketSource,
  terminalId: Id.nullable(),
  /** Masked name and keyed ID hash; the birth date stays out of the journal. */
  holder: z.object({ maskedName: Text(40), idHash: Text(200) }).nullable(),
  appointment: z.object({ id: Id, slotStart: z.number() }).nullable(),
  /** Capability secret of the phone ticket page. */
  trackToken: Text(200),
  /** Index in the service's queue of this class at which the ticket was put. */
  position: z.number().int().min(0),
  /** The issuing request's idempotency key, when it had one (no personal data). */
  requestKey: Text(200).optional(),
});

export const TicketCalledEvent = z.object({
  ...base,
  type: z.literal('ticket.called'),
  ticketId: Id,
  ticketNumber: Text(8),
  serviceId: Id,
  counterId: Id,
  counterNumber: z.number().int(),
  /** The clerk signed in at the counter, if any. */
  userId: Id.nullable(),
  rule: CallRule,
  /** The counter's ratio cycle after this call. */
  cycle: RatioCycle,
});

export const TicketRecalledEvent = z.object({
  ...base,
  type: z.literal('ticket.recalled'),
  ticketId: Id,
  ticketNumber: Text(8),
  counterId: Id,
  counterNumber: z.number().int(),
  /** Recalls of this call so far, this one included. */
  recalls: z.number().int().min(1),
});

const atCounter = { ticketId: Id, counterId: Id };

export const TicketStartedEvent = z.object({ ...base, type: z.literal('ticket.started'), ...atCounter });
export const TicketFinishedEvent = z.object({ ...base, type: z.literal('ticket.finished'), ...atCounter });
export const TicketNoShowEvent = z.object({ ...base, type: z.literal('ticket.no-show'), ...atCounter });

export const TicketRequeuedEvent = z.object({
  ...base,
  type: z.literal('ticket.requeued'),
  ticketId: Id,
  /** The counter whose clerk re-queued it. */
  counterId: Id,
  serviceId: Id,
  position: z.number().int().min(0),
});

export const TicketTransferredEvent = z.object({
  ...base,
  type: z.literal('ticket.transferred'),
  ticketId: Id,
  counterId: Id,
  fromServiceId: Id,
  toServiceId: Id,
  position: z.number().int().min(0),
  /** Sent to one counter (#13 item 9): it waits for that counter only, which calls it next. */
  toCounterId: Id.optional(),
});

export const TicketCancelledEvent = z.object({
  ...base,
  type: z.literal('ticket.cancelled'),
  ticketId: Id,
  fromStatus: TicketStatus,
  counterId: Id.nullable(),
});

export const TicketExpiredEvent = z.object({
  ...base,
  type: z.literal('ticket.expired'),
  ticketId: Id,
  fromStatus: TicketStatus,
  counterId: Id.nullable(),
});

export const TicketRatedEvent = z.object({
  ...base,
  type: z.literal('ticket.rated'),
  ticketId: Id,
  score: z.number().int().min(1).max(5),
  reasons: z.array(Text(100)).max(20),
  comment: Text(500).nullable(),
  /** Where and by whom it was served, for per-counter and per-clerk statistics. */
  counterId: Id.nullable(),
  userId: Id.nullable(),
});

export const CounterSignedInEvent = z.object({
  ...base,
  type: z.literal('counter.signed-in'),
  counterId: Id,
  userId: Id,
});

export const SignOutReason = z.enum(['sign-out', 'moved', 'day-close']);
export type SignOutReason = z.infer<typeof SignOutReason>;

export const CounterSignedOutEvent = z.object({
  ...base,
  type: z.literal('counter.signed-out'),
  counterId: Id,
  userId: Id.nullable(),
  reason: SignOutReason,
});

export const CounterPausedEvent = z.object({
  ...base,
  type: z.literal('counter.paused'),
  counterId: Id,
  reason: Text(200),
});

export const CounterResumedEvent = z.object({ ...base, type: z.literal('counter.resumed'), counterId: Id });

export const DayClosedEvent = z.object({
  ...base,
  type: z.literal('day.closed'),
  /** The hall date closed, `YYYY-MM-DD`. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Tickets issued that day. */
  issued: z.number().int().min(0),
});

export const QueueEvent = z.discriminatedUnion('type', [
  TicketIssuedEvent,
  TicketCalledEvent,
  TicketRecalledEvent,
  TicketStartedEvent,
  TicketFinishedEvent,
  TicketNoShowEvent,
  TicketRequeuedEvent,
  TicketTransferredEvent,
  TicketCancelledEvent,
  TicketExpiredEvent,
  TicketRatedEvent,
  CounterSignedInEvent,
  CounterSignedOutEvent,
  CounterPausedEvent,
  CounterResumedEvent,
  DayClosedEvent,
]);
export type QueueEvent = z.infer<typeof QueueEvent>;
export type QueueEventType = QueueEvent['type'];
/** The event of one type: `EventOf<'ticket.called'>`. */
export type EventOf<T extends QueueEventType> = Extract<QueueEvent, { type: T }>;

export type TicketIssuedEvent = EventOf<'ticket.issued'>;
export type TicketCalledEvent = EventOf<'ticket.called'>;
export type TicketRecalledEvent = EventOf<'ticket.recalled'>;
export type TicketStartedEvent = EventOf<'ticket.started'>;
export type TicketFinishedEvent = EventOf<'ticket.finished'>;
export type TicketNoShowEvent = EventOf<'ticket.no-show'>;
export type TicketRequeuedEvent = EventOf<'ticket.requeued'>;
export type TicketTransferredEvent = EventOf<'ticket.transferred'>;
export type TicketCancelledEvent = EventOf<'ticket.cancelled'>;
export type TicketExpiredEvent = EventOf<'ticket.expired'>;
export type TicketRatedEvent = EventOf<'ticket.rated'>;
export type CounterSignedInEvent = EventOf<'counter.signed-in'>;
export type CounterSignedOutEvent = EventOf<'counter.signed-out'>;
export type CounterPausedEvent = EventOf<'counter.paused'>;
export type CounterResumedEvent = EventOf<'counter.resumed'>;
export type DayClosedEvent = EventOf<'day.closed'>;

export const QUEUE_EVENT_TYPES = QueueEvent.options.map((o) => o.shape.type.value) as QueueEventType[];

/** Events that change what a ticket is; the others concern counters or the day. */
export function isTicketEvent(e: QueueEvent): e is Extract<QueueEvent, { ticketId: string }> {
  return e.type.startsWith('ticket.');
}
