/** `ticket.issue`: numbering, ticket hours, quotas, per-ID limits and the ticket's class. */
import { ageOn, hallDate, Priority, TicketSource } from '@hall/protocol';
import type { IssueTicketCommand, Priority as PriorityT } from '@hall/protocol';
import type { DecideContext, DecideResult } from './context';
import { accepted, DAY_CLOSED_MESSAGE, findService, makeEvent, refused } from './decide-support';
import { formatTicketNumber, insertionIndex, laneOf } from './state';
import type { QueueState, TicketRecord } from './state';
import { isOpenAt, hoursOf } from './ticket-hours';

export function decideIssue(state: QueueState, cmd: IssueTicketCommand, ctx: DecideContext): DecideResult {
  if (state.closed) return refused('QUEUE.INVALID_STATE', DAY_CLOSED_MESSAGE);
  const actor = ctx.actor;
  if (actor.kind === 'public') return refused('AUTH.FORBIDDEN', 'tickets are issued by a kiosk or by staff');
  // A retried request (its answer was lost) gets its ticket again, even if the quota is now full.
  const earlier = cmd.requestKey === undefined ? undefined : state.requestKeys.get(cmd.requestKey);
  if (earlier !== undefined) return accepted([], earlier, null);
  if (!TicketSource.safeParse(cmd.source).success) return refused('PROTOCOL.INVALID_PAYLOAD', 'unknown ticket source');
  if (cmd.priority !== undefined && !Priority.safeParse(cmd.priority).success) {
    return refused('PROTOCOL.INVALID_PAYLOAD', 'unknown priority class');
  }
  if (cmd.appointment && !Number.isFinite(cmd.appointment.slotStart)) {
    return refused('PROTOCOL.INVALID_PAYLOAD', 'appointment slotStart must be epoch milliseconds');
  }

  const service = findService(ctx, cmd.serviceId);
  if (!service) return refused('SERVICE.NOT_FOUND', 'no such service', { serviceId: cmd.serviceId });
  if (!service.enabled) return refused('QUEUE.SERVICE_CLOSED', 'the service is not offered', { serviceId: service.id });
  const hall = ctx.config.hall;
  if (!isOpenAt(hoursOf(service, hall), hall.calendar, ctx.now, ctx.tz)) {
    return refused('QUEUE.SERVICE_CLOSED', 'outside ticket hours', { serviceId: service.id });
  }

  // The class: an appointment wins; the elderly class comes from the card's birth date.
  const requested: PriorityT = cmd.priority ?? 'normal';
  const birthDate = cmd.holder?.birthDate ?? null;
  const elderly = birthDate !== null && ageOn(birthDate, hallDate(ctx.now, ctx.tz)) >= hall.policy.elderlyAge;
  // A kiosk gets normal, the elderly class its card proves, or an appointment it checks in;
  // every other class is given by staff (or the system, for integrations).
  if (actor.kind === 'terminal') {
    const allowed =
      requested === 'normal' ||
      (requested === 'elderly' && elderly) ||
      (requested === 'appointment' && cmd.appointment !== undefined);
    if (!allowed) {
      return refused('AUTH.FORBIDDEN', 'a kiosk may not give this priority class', { priority: requested });
    }
  }
  const priority: PriorityT = cmd.appointment ? 'appointment' : requested === 'normal' && elderly ? 'elderly' : requested;

  if (service.idRequired && !cmd.holder && !cmd.appointment) {
    return refused('QUEUE.ID_REQUIRED', 'this service needs an ID card', { serviceId: service.id });
  }

  const day = state.services.get(service.id);
  const issued = day?.issued ?? 0;
  if (service.dailyQuota > 0 && issued >= service.dailyQuota) {
    return refused('QUEUE.QUOTA_REACHED', 'the daily quota is reached', { serviceId: service.id });
  }
  // Numbers only move forward, and a number string is never handed out twice in a day (two
  // services may share a prefix).
  const last = day?.lastNumber ?? null;
  let value = last === null ? service.numberStart : Math.max(last + 1, service.numberStart);
  let number = formatTicketNumber(service.prefix, value);
  while (state.byNumber.has(number) && value <= service.numberEnd) {
    value++;
    number = formatTicketNumber(service.prefix, value);
  }
  if (value > service.numberEnd) {
    return refused('QUEUE.QUOTA_REACHED', 'the number range is used up', { serviceId: service.id });
  }

  const holder = cmd.holder ? { maskedName: cmd.holder.maskedName, idHash: cmd.holder.idHash } : null;
  if (holder && service.perIdDailyLimit > 0 && (day?.issuedPerId.get(holder.idHash) ?? 0) >= service.perIdDailyLimit) {
    return refused('QUEUE.ID_LIMIT_REACHED', 'this ID card has taken its tickets for the day', { serviceId: service.id });
  }

  const ticketId = ctx.newId();
  const appointment = cmd.appointment ? { id: cmd.appointment.id, slotStart: cmd.appointment.slotStart } : null;
  // Where it goes in its lane: the key of a would-be record (issue instant ≈ now, last in order).
  const probe = {
    priority,
    appointment,
    issuedAtMs: Math.floor(ctx.now / 1000) * 1000,
    seq: state.issued + 1,
  } as TicketRecord;
  const position = insertionIndex(state, laneOf(state, service.id, priority), probe);
  const event = makeEvent(ctx, 'ticket.issued', {
    ticketId,
    serviceId: service.id,
    number,
    numberValue: value,
    priority,
    source: cmd.source,
    terminalId: cmd.terminalId ?? (actor.kind === 'terminal' ? actor.terminalId : null),
    holder,
    appointment,
    trackToken: ctx.newToken(),
    position,
    ...(cmd.requestKey !== undefined ? { requestKey: cmd.requestKey } : {}),
  });
  return accepted([event], ticketId, null);
}
