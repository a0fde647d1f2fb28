/**
 * The ordering policy: which waiting ticket a counter calls next. A policy, not a constant: the
 * engine calls it through `OrderingStrategy`, and the default strategy reads its knobs from
 * `hall.policy` (DESIGN.md "Queue domain"):
 *
 *  1. aging: a lane head waiting longer than `agingMinutes` goes first, oldest issue first;
 *  2. appointments whose slot has come (slot − lead ≤ now), earliest slot first;
 *  3. priority classes (every class but normal and appointment) against normal ones by
 *     `priorityShare : normalShare`, tracked per counter in its `cycle`;
 *  4. on the chosen side, the lane head with the longest wait × the service's weight at this
 *     counter (equal weights: plain arrival order across services and classes);
 *  5. inside a lane (one service, one class), queue position: only lane heads are ever chosen.
 *
 * An appointment ticket whose slot has not come yet waits for it; it is called before its slot
 * only by a counter that has nothing else to call (`early-appointment`).
 */
import type { CallRule, OrderingPolicy, Priority, RatioCycle } from '@hall/protocol';
import type { TicketRecord } from './state';

/** One service-and-class queue as the policy sees it; the head is `ids[cursor]`. */
export interface Lane {
  serviceId: string;
  priority: Priority;
  /** The service's weight at the counter asking (rule 4). */
  weight: number;
  ids: readonly string[];
  cursor: number;
}

export interface PolicyInput {
  lanes: readonly Lane[];
  ticket: (id: string) => TicketRecord | undefined;
  cycle: RatioCycle;
  policy: OrderingPolicy;
  now: number;
}

export interface Pick {
  /** Index into `lanes`. */
  lane: number;
  ticketId: string;
  rule: CallRule;
}

export interface OrderingStrategy {
  /** The ticket to call next, or null when no lane has a head. Pure. */
  pick(input: PolicyInput): Pick | null;
  /** The counter's cycle after calling a ticket of `priority` by `rule`. */
  nextCycle(cycle: RatioCycle, priority: Priority, rule: CallRule, policy: OrderingPolicy): RatioCycle;
}

export type Side = 'priority' | 'normal' | 'appointment';

export function sideOf(priority: Priority): Side {
  if (priority === 'normal') return 'normal';
  if (priority === 'appointment') return 'appointment';
  return 'priority';
}

/** The instant an appointment ticket's slot starts; a staff-given class without slot: its issue. */
export function slotOf(t: TicketRecord): number {
  return t.appointment?.slotStart ?? t.issuedAtMs;
}

interface Candidate {
  lane: number;
  t: TicketRecord;
  score: number;
}

/** Older first: issue instant, then issue order. */
function older(a: TicketRecord, b: TicketRecord): boolean {
  return a.issuedAtMs < b.issuedAtMs || (a.issuedAtMs === b.issuedAtMs && a.seq < b.seq);
}
function earlierSlot(a: TicketRecord, b: TicketRecord): boolean {
  const sa = slotOf(a);
  const sb = slotOf(b);
  return sa < sb || (sa === sb && a.seq < b.seq);
}

/** Rule 4: the longer weighted wait; equal: the older ticket. */
function better(c: Candidate, best: Candidate | null): Candidate {
  if (!best || c.score > best.score || (c.score === best.score && older(c.t, best.t))) return c;
  return best;
}

/** Which side rule 3 calls when both wait. */
export function sideByRatio(cycle: RatioCycle, policy: OrderingPolicy): 'priority' | 'normal' {
  if (cycle.priority < policy.priorityShare) return 'priority';
  if (cycle.normal < policy.normalShare) return 'normal';
  return 'priority';
}

export const defaultOrdering: OrderingStrategy = {
  pick({ lanes, ticket, cycle, policy, now }) {
    const agingMs = policy.agingMinutes * 60_000;
    const leadMs = policy.appointmentLeadMinutes * 60_000;
    let aged: Candidate | null = null;
    let due: Candidate | null = null;
    let early: Candidate | null = null;
    let prio: Candidate | null = null;
    let norm: Candidate | null = null;

    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i] as Lane;
      const id = lane.ids[lane.cursor];
      if (id === undefined) continue;
      const t = ticket(id);
      if (!t) continue;
      const side = sideOf(t.priority);
      if (side === 'appointment' && slotOf(t) - leadMs > now) {
        if (!early || earlierSlot(t, early.t)) early = { lane: i, t, score: 0 };
        continue;
      }
      if (agingMs > 0 && now - t.issuedAtMs > agingMs && (!aged || older(t, aged.t))) aged = { lane: i, t, score: 0 };
      if (side === 'appointment') {
        if (!due || earlierSlot(t, due.t)) due = { lane: i, t, score: 0 };
        continue;
      }
      const score = Math.max(0, now - t.issuedAtMs) * lane.weight;
      const c: Candidate = { lane: i, t, score };
      if (side === 'priority') prio = better(c, prio);
      else norm = better(c, norm);
    }

    const chosen = (c: Candidate, rule: CallRule): Pick => ({ lane: c.lane, ticketId: c.t.id, rule });
    if (aged) return chosen(aged, 'aging');
    if (due) return chosen(due, 'appointment');
    if (prio && norm) return sideByRatio(cycle, policy) === 'priority' ? chosen(prio, 'priority') : chosen(norm, 'normal');
    if (prio) return chosen(prio, 'priority');
    if (norm) return chosen(norm, 'normal');
    if (early) return chosen(early, 'early-appointment');
    return null;
  },

  nextCycle(cycle, priority, rule, policy) {
    if (rule === 'manual') return cycle;
    const side = sideOf(priority);
    // A priority call after normal ones starts a new cycle; counts are capped at the shares.
    if (side === 'priority') {
      return cycle.normal > 0
        ? { priority: 1, normal: 0 }
        : { priority: Math.min(cycle.priority + 1, policy.priorityShare), normal: 0 };
    }
    if (side === 'normal') return { priority: cycle.priority, normal: Math.min(cycle.normal + 1, policy.normalShare) };
    return cycle;
  },
};
