/** Labels and sentences shown by the hall screen and the phone page. */
import type { CounterState, CounterView, TicketStatus } from '@hall/protocol';

export interface Bilingual {
  zh: string;
  en: string;
}

export const TICKET_STATUS: Record<TicketStatus, Bilingual> = {
  waiting: { zh: '等候中', en: 'Waiting' },
  called: { zh: '请前往窗口', en: 'Called' },
  serving: { zh: '正在办理', en: 'In service' },
  done: { zh: '已办结', en: 'Done' },
  'no-show': { zh: '已过号', en: 'Missed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  expired: { zh: '已失效', en: 'Expired' },
};

const COUNTER_STATE: Record<CounterState, Bilingual> = {
  open: { zh: '等待叫号', en: 'Ready' },
  paused: { zh: '暂停服务', en: 'Paused' },
  closed: { zh: '未开放', en: 'Closed' },
};

export type CounterTone = 'calling' | 'serving' | 'idle' | 'paused' | 'closed';

/**
 * What the screen says about a counter: paused with its reason, closed, idle, calling its ticket
 * (请到: the holder is on the way) or serving it (办理中: the clerk pressed start). A ticket only
 * called is never "办理中".
 */
export function counterStatus(c: Pick<CounterView, 'state' | 'pauseReason' | 'currentTicket'>): Bilingual & { tone: CounterTone } {
  if (c.state === 'paused') {
    const base = COUNTER_STATE.paused;
    return { zh: c.pauseReason ? `${base.zh}（${c.pauseReason}）` : base.zh, en: base.en, tone: 'paused' };
  }
  if (c.state === 'closed') return { ...COUNTER_STATE.closed, tone: 'closed' };
  if (!c.currentTicket) return { ...COUNTER_STATE.open, tone: 'idle' };
  return c.currentTicket.status === 'serving' ? { ...CALL_STATE.serving, tone: 'serving' } : { ...CALL_STATE.calling, tone: 'calling' };
}

/** A called ticket's state on the hall screen. */
export const CALL_STATE = {
  calling: { zh: '请到', en: 'Calling' },
  serving: { zh: '办理中', en: 'Serving' },
} as const satisfies Record<string, Bilingual>;

export function goToCounter(counterNumber: number): Bilingual {
  return { zh: `请到${counterNumber}号窗口`, en: `Please go to counter ${counterNumber}` };
}

export function formatWait(minutes: number | null | undefined): Bilingual {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return { zh: '暂无估计', en: 'No estimate yet' };
  const m = Math.max(0, Math.round(minutes));
  if (m === 0) return { zh: '即将叫号', en: 'Very soon' };
  if (m < 60) return { zh: `约 ${m} 分钟`, en: `About ${m} min` };
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? { zh: `约 ${h} 小时`, en: `About ${h} h` } : { zh: `约 ${h} 小时 ${rest} 分钟`, en: `About ${h} h ${rest} min` };
}

/** A counter's name without the "3号窗口" its number already says. */
export function counterTitle(number: number, name: string): string {
  return name.replace(new RegExp(`^\\s*${number}\\s*号?窗口\\s*[·:：-]?\\s*`), '').trim();
}
