/** Ticket-level commands outside a counter: cancel (staff) and rate (好差评). */
import type { CancelTicketCommand, RateTicketCommand } from '@hall/protocol';
import type { DecideContext, DecideResult } from './context';
import { accepted, DAY_CLOSED_MESSAGE, makeEvent, refused } from './decide-support';
import type { QueueState } from './state';

export function decideCancel(state: QueueState, cmd: CancelTicketCommand, ctx: DecideContext): DecideResult {
  if (state.closed) return refused('QUEUE.INVALID_STATE', DAY_CLOSED_MESSAGE);
  if (ctx.actor.kind !== 'staff' && ctx.actor.kind !== 'system') return refused('AUTH.FORBIDDEN', 'only staff cancel tickets');
  const t = state.tickets.get(cmd.ticketId);
  if (!t) return refused('QUEUE.NOT_FOUND', 'no such ticket', { ticketId: String(cmd.ticketId) });
  if (t.status !== 'waiting' && t.status !== 'called') {
    return refused('QUEUE.INVALID_STATE', `the ticket is ${t.status}`, { ticketId: t.id, status: t.status });
  }
  const counterId = t.status === 'called' ? t.counterId : null;
  return accepted([makeEvent(ctx, 'ticket.cancelled', { ticketId: t.id, fromStatus: t.status, counterId })], t.id, null);
}

const MAX_REASONS = 20;
const MAX_REASON = 100;
const MAX_COMMENT = 500;

/** Anyone who reached the command may rate: the edge checks the trackToken or the evaluator. */
export function decideRate(state: QueueState, cmd: RateTicketCommand, ctx: DecideContext): DecideResult {
  const t = state.tickets.get(cmd.ticketId);
  if (!t) return refused('QUEUE.NOT_FOUND', 'no such ticket', { ticketId: String(cmd.ticketId) });
  const reasons: unknown = cmd.reasons ?? [];
  const comment: unknown = cmd.comment ?? null;
  if (
    !Number.isInteger(cmd.score) ||
    cmd.score < 1 ||
    cmd.score > 5 ||
    !Array.isArray(reasons) ||
    reasons.length > MAX_REASONS ||
    !reasons.every((r) => typeof r === 'string' && r.length <= MAX_REASON) ||
    (comment !== null && (typeof comment !== 'string' || comment.length > MAX_COMMENT))
  ) {
    return refused('PROTOCOL.INVALID_PAYLOAD', 'a rating is a score 1..5, up to 20 reasons and a comment');
  }
  if (t.rating) return refused('RATING.DUPLICATE', 'the ticket is already rated', { ticketId: t.id });
  if (t.status !== 'done') return refused('RATING.NOT_SERVED', 'only a served ticket can be rated', { ticketId: t.id });
  const event = makeEvent(ctx, 'ticket.rated', {
    ticketId: t.id,
    score: cmd.score,
    reasons: [...(reasons as string[])],
    comment: comment as string | null,
    counterId: t.counterId,
    userId: t.clerkId,
  });
  return accepted([event], t.id, t.counterId);
}
