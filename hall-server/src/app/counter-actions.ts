/** Counter actions (protocol's `CounterAction`), shared by REST and the counter keypads. */
import {
  hallError,
  type Actor,
  type CounterAction,
  type CounterActionResponse,
  type HallError,
  type QueueCommand,
} from '@hall/protocol';
import { counterView, ticketView } from '../queue';
import type { CorePort } from './ports';

export function toCommand(a: CounterAction): QueueCommand {
  switch (a.action) {
    case 'call':
      return { type: 'counter.call', counterId: a.counterId, ticketNumber: a.ticketNumber };
    case 'requeue':
      return { type: 'counter.requeue', counterId: a.counterId, ticketNumber: a.ticketNumber };
    case 'transfer':
      return {
        type: 'counter.transfer',
        counterId: a.counterId,
        ...(a.serviceId !== undefined ? { serviceId: a.serviceId } : {}),
        ...(a.toCounterId !== undefined ? { toCounterId: a.toCounterId } : {}),
      };
    case 'pause':
      return { type: 'counter.pause', counterId: a.counterId, reason: a.reason };
    default:
      return { type: `counter.${a.action}`, counterId: a.counterId } as QueueCommand;
  }
}

export async function runCounterAction(
  core: Pick<CorePort, 'execute' | 'state' | 'viewContext'>,
  action: CounterAction,
  actor: Actor,
): Promise<{ ok: true; value: CounterActionResponse } | { ok: false; error: HallError }> {
  const res = await core.execute(toCommand(action), actor);
  if (!res.ok) return res;
  const vctx = core.viewContext();
  const counter = counterView(core.state, action.counterId, vctx);
  if (!counter) return { ok: false, error: hallError('COUNTER.NOT_FOUND', 'no such counter') };
  const ticket = res.ticketId ? (ticketView(core.state, res.ticketId, vctx) ?? null) : null;
  return { ok: true, value: { counter, ticket } };
}
