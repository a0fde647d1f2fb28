/**
 * What a counter screen (窗口屏) shows, from its cut-down snapshot. Pure, tested without a DOM:
 * the counter's number and name, the clerk by name and staff number (挂牌上岗), the number being
 * called or served, the next numbers of its services, and why it is paused or closed.
 */
import type { CounterView, QueueSnapshot, RatePrompt } from '@hall/protocol';
import type { Bilingual } from './format';
import { counterTitle } from './format';

export interface CounterScreenView {
  number: number;
  /** The counter's own name without "3号窗口" ("社保医保"); may be empty. */
  title: string;
  clerk: { id: string; name: string; staffNo: string } | null;
  /** The ticket at the counter, with what is happening to it. */
  current: { number: string; state: Bilingual; tone: 'called' | 'serving' } | null;
  /** Paused with its reason, closed, or open and waiting for the next call. */
  status: Bilingual & { tone: 'open' | 'idle' | 'paused' | 'closed' };
  next: string[];
  waiting: number;
}

/** Next numbers across the counter's services: the head of each queue in turn, oldest heads first. */
export function nextNumbers(serviceIds: readonly string[], waitingNumbers: Record<string, string[]>, limit = 5): string[] {
  const lists = serviceIds.map((id) => waitingNumbers[id] ?? []);
  const out: string[] = [];
  for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++) {
    for (const l of lists) {
      const n = l[i];
      if (n !== undefined && out.length < limit && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

export function counterScreenView(snap: QueueSnapshot, counterId: string): CounterScreenView | null {
  const c: CounterView | undefined = snap.counters.find((x) => x.id === counterId);
  if (!c) return null;
  const current = c.currentTicket
    ? c.currentTicket.status === 'serving'
      ? { number: c.currentTicket.number, state: { zh: '正在办理', en: 'Now serving' }, tone: 'serving' as const }
      : { number: c.currentTicket.number, state: { zh: '请到本窗口办理', en: 'Please come to this counter' }, tone: 'called' as const }
    : null;
  const status: CounterScreenView['status'] =
    c.state === 'paused'
      ? { zh: c.pauseReason ? `暂停服务：${c.pauseReason}` : '暂停服务', en: 'Paused, back soon', tone: 'paused' }
      : c.state === 'closed'
        ? { zh: '暂停办理', en: 'Closed', tone: 'closed' }
        : current
          ? { zh: '办理中', en: 'Open', tone: 'open' }
          : { zh: '等待叫号', en: 'Ready for the next number', tone: 'idle' };
  return {
    number: c.number,
    title: counterTitle(c.number, c.name),
    clerk: c.clerk ? { id: c.clerk.id, name: c.clerk.name, staffNo: c.clerk.staffNo } : null,
    current,
    status,
    next: nextNumbers(c.serviceIds, snap.waitingNumbers),
    waiting: snap.services.filter((s) => c.serviceIds.includes(s.id)).reduce((n, s) => n + s.waiting, 0),
  };
}

/** The prompt still stands at `nowMs` (the server's `until`, hall time). */
export function promptActive(p: RatePrompt | null, nowMs: number): boolean {
  return p !== null && Date.parse(p.until) > nowMs;
}
