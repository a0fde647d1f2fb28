/**
 * Where a waiting ticket stands: the order in which the ordering policy would call a service's
 * waiting tickets now, if one counter served that service alone, starting a fresh
 * priority:normal cycle. This is the documented approximation behind `waitingAhead`: it counts
 * the aging, appointment and priority-interleaving rules inside the service, and ignores other
 * services competing for the same counters and each counter's own cycle position.
 */
import type { OrderingPolicy, RatioCycle } from '@hall/protocol';
import { defaultOrdering } from './ordering-policy';
import type { Lane, OrderingStrategy } from './ordering-policy';
import type { QueueState } from './state';

export interface ProjectionOptions {
  /** Stop once this ticket comes up; its index is returned as `found`. */
  until?: string;
  /** Stop after this many tickets. */
  limit?: number;
  strategy?: OrderingStrategy;
}

export interface Projection {
  /** Ticket ids in projected call order (up to `until` exclusive, or `limit`). */
  order: string[];
  /** Index of `until` in the call order, or -1. */
  found: number;
}

export function projectServiceOrder(
  state: QueueState,
  serviceId: string,
  policy: OrderingPolicy,
  now: number,
  opts: ProjectionOptions = {},
): Projection {
  const strategy = opts.strategy ?? defaultOrdering;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const lanes: Lane[] = [];
  const s = state.services.get(serviceId);
  if (s) for (const [priority, ids] of s.lanes) if (ids.length > 0) lanes.push({ serviceId, priority, weight: 1, ids, cursor: 0 });
  const order: string[] = [];
  let cycle: RatioCycle = { priority: 0, normal: 0 };
  const ticket = (id: string) => state.tickets.get(id);
  while (order.length < limit) {
    const pick = strategy.pick({ lanes, ticket, cycle, policy, now });
    if (!pick) break;
    if (pick.ticketId === opts.until) return { order, found: order.length };
    (lanes[pick.lane] as Lane).cursor += 1;
    order.push(pick.ticketId);
    const t = state.tickets.get(pick.ticketId);
    if (t) cycle = strategy.nextCycle(cycle, t.priority, pick.rule, policy);
  }
  return { order, found: -1 };
}

/** How many tickets the policy would call before this waiting ticket now (0 when not waiting). */
export function waitingAheadOf(state: QueueState, ticketId: string, policy: OrderingPolicy, now: number): number {
  const t = state.tickets.get(ticketId);
  if (!t || t.status !== 'waiting') return 0;
  const p = projectServiceOrder(state, t.serviceId, policy, now, { until: ticketId });
  return p.found >= 0 ? p.found : p.order.length;
}
