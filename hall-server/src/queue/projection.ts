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
import type { QueueState, TicketRecord } from './state';

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
  const sentTo = state.reserved.get(ticketId);
  if (sentTo !== undefined) {
    // Sent to one counter, which calls it first: only those sent there before it are ahead.
    let ahead = 0;
    for (const [id, to] of state.reserved) {
      if (id === ticketId) break;
      if (to === sentTo) ahead++;
    }
    return ahead;
  }
  const fast = ratioOnlyWaitingAhead(state, t, policy, now);
  if (fast !== undefined) return fast;
  const p = projectServiceOrder(state, t.serviceId, policy, now, { until: ticketId });
  return p.found >= 0 ? p.found : p.order.length;
}

const before = (a: TicketRecord, b: TicketRecord): boolean =>
  a.issuedAtMs < b.issuedAtMs || (a.issuedAtMs === b.issuedAtMs && a.seq < b.seq);

/**
 * The projection in closed form for the common case, in O(lanes × log waiting): no
 * appointment waits, no re-queued ticket sits out of order, no lane is past the aging bound and
 * every lane is in issue order. Then only rule 3 acts: `priorityShare` priority calls, then
 * `normalShare` normal ones, repeated, each side oldest first. Anything else returns undefined
 * and the caller simulates. The projection property test checks both paths against real calls.
 */
export function ratioOnlyWaitingAhead(state: QueueState, t: TicketRecord, policy: OrderingPolicy, now: number): number | undefined {
  const s = state.services.get(t.serviceId);
  // With no re-queued ticket waiting, every lane is in (issue time, seq) order by construction
  // (`insertionIndex`; the invariants check it), so heads are the oldest and counts are searches.
  if (!s || s.requeuedWaiting > 0) return undefined;
  const agingMs = policy.agingMinutes * 60_000;
  let priorityBefore = 0;
  let priorityTotal = 0;
  let normalBefore = -1;
  let normalTotal = 0;
  for (const [priority, ids] of s.lanes) {
    if (ids.length === 0) continue;
    if (priority === 'appointment') return undefined;
    const head = state.tickets.get(ids[0] as string);
    if (!head || (agingMs > 0 && now - head.issuedAtMs > agingMs)) return undefined;
    if (priority === 'normal') {
      normalTotal += ids.length;
      if (t.priority === 'normal') normalBefore = positionIn(state, ids, t);
    } else {
      priorityTotal += ids.length;
      if (t.priority !== 'normal') {
        const n = priority === t.priority ? positionIn(state, ids, t) : countBefore(state, ids, t);
        // Not found in its own lane: leave it to the projection (priorityBefore stays negative).
        priorityBefore = n < 0 || priorityBefore < 0 ? -1 : priorityBefore + n;
      }
    }
  }
  const P = policy.priorityShare;
  const N = policy.normalShare;
  if (t.priority === 'normal') {
    if (normalBefore < 0) return undefined;
    return normalBefore + (N === 0 ? priorityTotal : Math.min(priorityTotal, (Math.floor(normalBefore / N) + 1) * P));
  }
  if (priorityBefore < 0) return undefined;
  return priorityBefore + Math.min(normalTotal, N === 0 ? 0 : Math.floor(priorityBefore / P) * N);
}

/** `t`'s index in its own sorted lane, -1 if it is not there (a binary search: lanes hold thousands). */
function positionIn(state: QueueState, ids: readonly string[], t: TicketRecord): number {
  // A ticket just issued (the answer's `waitingAhead`) is the last of its lane: no search.
  if (ids[ids.length - 1] === t.id) return ids.length - 1;
  const i = countBefore(state, ids, t);
  return ids[i] === t.id ? i : -1;
}

/** How many tickets of a sorted lane come before `t` (binary search). */
function countBefore(state: QueueState, ids: readonly string[], t: TicketRecord): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = state.tickets.get(ids[mid] as string);
    if (x && before(x, t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
