/**
 * Structural invariants of a QueueState, for tests: every ticket in exactly one place, one
 * ticket per counter, unique numbers, consistent sign-ins. Returns the violations found.
 */
import { laneKey } from './state';
import type { QueueState, TicketRecord } from './state';

/** A cheap, exact fingerprint of a state (Maps as entry lists), for "nothing changed" checks. */
export function fingerprint(state: QueueState): string {
  return JSON.stringify(state, (_k, v: unknown) => (v instanceof Map ? { map: [...v.entries()] } : v));
}

export function invariantViolations(state: QueueState): string[] {
  const out: string[] = [];
  const inLane = new Map<string, number>();
  for (const [serviceId, s] of state.services) {
    for (const [priority, lane] of s.lanes) {
      for (const id of lane) {
        inLane.set(id, (inLane.get(id) ?? 0) + 1);
        const t = state.tickets.get(id);
        if (!t) out.push(`lane ${serviceId}/${priority} holds unknown ${id}`);
        else if (t.status !== 'waiting') out.push(`lane ${serviceId}/${priority} holds ${t.number} in status ${t.status}`);
        else if (t.serviceId !== serviceId || t.priority !== priority) out.push(`${t.number} sits in the wrong lane`);
      }
    }
  }
  // Rule 5: apart from re-queued no-shows waiting where the re-queue put them (near the front,
  // on purpose), a lane is in arrival order (appointments: slot order), transferred tickets by
  // their original issue. A re-queued ticket transferred since is back in that order.
  for (const [serviceId, s] of state.services) {
    let requeued = 0;
    for (const lane of s.lanes.values()) for (const id of lane) if (state.tickets.get(id)?.placedByRequeue) requeued++;
    if (requeued !== s.requeuedWaiting) out.push(`service ${serviceId} counts ${s.requeuedWaiting} re-queued waiting, holds ${requeued}`);
    for (const [priority, lane] of s.lanes) {
      let prev: TicketRecord | undefined;
      for (const id of lane) {
        const t = state.tickets.get(id);
        if (!t || t.placedByRequeue) continue;
        if (prev && (laneKey(prev) > laneKey(t) || (laneKey(prev) === laneKey(t) && prev.seq > t.seq))) {
          out.push(`lane ${serviceId}/${priority}: ${t.number} queued behind younger ${prev.number}`);
        }
        prev = t;
      }
    }
  }
  const atCounter = new Map<string, string[]>();
  for (const [counterId, c] of state.counters) {
    if (c.currentTicketId === null) continue;
    atCounter.set(c.currentTicketId, [...(atCounter.get(c.currentTicketId) ?? []), counterId]);
    const t = state.tickets.get(c.currentTicketId);
    if (!t) out.push(`counter ${counterId} holds unknown ticket`);
    else if (t.status !== 'called' && t.status !== 'serving') out.push(`counter ${counterId} holds ${t.number} in status ${t.status}`);
    if (c.state === 'closed') out.push(`closed counter ${counterId} holds a ticket`);
  }
  for (const t of state.tickets.values()) {
    const lanes = inLane.get(t.id) ?? 0;
    const counters = atCounter.get(t.id) ?? [];
    if (t.status === 'waiting' && lanes !== 1) out.push(`waiting ${t.number} is in ${lanes} lanes`);
    if (t.status !== 'waiting' && lanes !== 0) out.push(`${t.status} ${t.number} is in a lane`);
    if (t.status === 'called' || t.status === 'serving') {
      if (counters.length !== 1) out.push(`${t.status} ${t.number} is at ${counters.length} counters`);
      else if (counters[0] !== t.counterId) out.push(`${t.number} thinks it is at ${t.counterId}, is at ${counters[0]}`);
    } else if (counters.length !== 0) out.push(`${t.status} ${t.number} is at a counter`);
    if (state.byNumber.get(t.number) !== t.id) out.push(`number ${t.number} does not map back`);
  }
  for (const id of state.reserved.keys()) {
    const t = state.tickets.get(id);
    if (t?.status !== 'waiting') out.push(`${t?.number ?? id} is sent to a counter but not waiting`);
  }
  if (state.byNumber.size !== state.tickets.size) out.push('a number was handed out twice');
  if (state.issued !== state.tickets.size) out.push('issued count differs from tickets');
  let signedIn = 0;
  for (const [counterId, c] of state.counters) {
    if (c.state === 'closed') {
      if (c.userId !== null) out.push(`closed counter ${counterId} has a user`);
      continue;
    }
    signedIn++;
    if (c.userId === null || state.userCounter.get(c.userId) !== counterId) out.push(`counter ${counterId} sign-in not indexed`);
  }
  if (state.userCounter.size !== signedIn) out.push('a user is indexed at no or several counters');
  return out;
}
