import type { QueueCommand } from '@hall/protocol';
import type { DecideContext, DecideResult } from './context';
import { decideCall } from './decide-call';
import { decideCounterSession, decideSignIn } from './decide-counter';
import { decideCloseDay } from './decide-day';
import { decideIssue } from './decide-issue';
import { refused } from './decide-support';
import { decideCancel, decideRate } from './decide-ticket';
import type { QueueState } from './state';

/**
 * Turns a command into events, or refuses it with a stable error code. Never mutates `state`;
 * an accepted command's events are applied by the caller, in order, before the next command.
 */
export function decide(state: QueueState, command: QueueCommand, ctx: DecideContext): DecideResult {
  switch (command.type) {
    case 'ticket.issue':
      return decideIssue(state, command, ctx);
    case 'ticket.cancel':
      return decideCancel(state, command, ctx);
    case 'ticket.rate':
      return decideRate(state, command, ctx);
    case 'counter.sign-in':
      return decideSignIn(state, command.counterId, ctx);
    case 'counter.sign-out':
    case 'counter.pause':
    case 'counter.resume':
      return decideCounterSession(state, command, ctx);
    case 'counter.call-next':
    case 'counter.call':
    case 'counter.recall':
    case 'counter.start':
    case 'counter.finish':
    case 'counter.no-show':
    case 'counter.requeue':
    case 'counter.transfer':
      return decideCall(state, command, ctx);
    case 'day.close':
      return decideCloseDay(state, ctx);
    default:
      return refused('PROTOCOL.INVALID_PAYLOAD', 'unknown command', {
        type: String((command as { type?: unknown }).type),
      });
  }
}
