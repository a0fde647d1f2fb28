/**
 * Counter screens (窗口屏, `/display/counter/:counterId`): what one counter's screen may see.
 * Pure: the hall screen's snapshot cut down to that counter, its services and its calls, and the
 * rating prompt after a ticket is finished there when the counter has no evaluator device.
 */
import type { HallConfig, QueueEvent, QueueSnapshot } from '@hall/protocol';

/** How long the rating prompt stays on the counter screen unless the next call comes first. */
export const RATE_PROMPT_MS = 60_000;
/** Next numbers shown per service. */
const NEXT_PER_SERVICE = 5;

/** The snapshot of one counter's screen: nothing of other counters, only its services' queues. */
export function counterScreenSnapshot(snap: QueueSnapshot, counterId: string): QueueSnapshot {
  const counter = snap.counters.find((c) => c.id === counterId);
  const serviceIds = new Set(counter?.serviceIds ?? []);
  const waitingNumbers: Record<string, string[]> = {};
  for (const id of serviceIds) waitingNumbers[id] = (snap.waitingNumbers[id] ?? []).slice(0, NEXT_PER_SERVICE);
  return {
    ...snap,
    counters: counter ? [counter] : [],
    services: snap.services.filter((s) => serviceIds.has(s.id)),
    recentCalls: counter ? snap.recentCalls.filter((c) => c.counterNumber === counter.number) : [],
    waitingNumbers,
  };
}

export function hasEvaluator(config: Pick<HallConfig, 'devices'>, counterId: string): boolean {
  return config.devices.some((d) => d.kind === 'evaluator' && d.attachedTo !== null && 'counterId' in d.attachedTo && d.attachedTo.counterId === counterId);
}

export type PromptChange = { counterId: string; ticketId: string; show: boolean };

/**
 * What the events do to the counter screens' rating prompts: a ticket finished at a counter
 * without an evaluator shows one (call-next finishes the last ticket and calls the next at
 * once: its holder is still at the counter, so the next call does not clear it); its rating or
 * the clerk signing out clears it, otherwise it times out on the screen.
 */
export function promptChanges(events: readonly QueueEvent[], config: Pick<HallConfig, 'devices'>): PromptChange[] {
  const out: PromptChange[] = [];
  for (const e of events) {
    const ev = e as QueueEvent & { ticketId?: string; counterId?: string | null };
    if (!ev.counterId) continue;
    if (e.type === 'ticket.finished' && ev.ticketId && !hasEvaluator(config, ev.counterId)) out.push({ counterId: ev.counterId, ticketId: ev.ticketId, show: true });
    else if (e.type === 'ticket.rated' && ev.ticketId) out.push({ counterId: ev.counterId, ticketId: ev.ticketId, show: false });
    // Signing out clears whatever the screen asks (an empty ticketId matches any).
    else if (e.type === 'counter.signed-out') out.push({ counterId: ev.counterId, ticketId: '', show: false });
  }
  return out;
}
