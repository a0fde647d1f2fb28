/** The phone page's reading of one ticket: what to say, and when to buzz. */
import type { PublicTicket } from '@hall/protocol';
import { TICKET_STATUS, formatWait, goToCounter, type Bilingual } from './format';

export type Tone = 'waiting' | 'called' | 'serving' | 'done' | 'ended';

export interface TicketReading {
  status: Bilingual;
  tone: Tone;
  /** The big line under the number. */
  headline: Bilingual;
  /** Smaller lines under it. */
  lines: Bilingual[];
  canRate: boolean;
}

export function readTicket(t: PublicTicket): TicketReading {
  const status = TICKET_STATUS[t.status];
  switch (t.status) {
    case 'waiting': {
      const ahead: Bilingual =
        t.waitingAhead <= 0
          ? { zh: '您是下一位', en: 'You are next' }
          : { zh: `前面还有 ${t.waitingAhead} 人`, en: `${t.waitingAhead} ${t.waitingAhead === 1 ? 'person' : 'people'} ahead` };
      const wait = formatWait(t.estimatedWaitMinutes);
      return {
        status,
        tone: 'waiting',
        headline: ahead,
        lines: [{ zh: `预计等候：${wait.zh}`, en: `Estimated wait: ${wait.en}` }, ...(t.requeues > 0 ? [{ zh: '过号后已重新排队', en: 'Re-queued after a missed call' }] : [])],
        canRate: false,
      };
    }
    case 'called': {
      const go = t.counterNumber !== null ? goToCounter(t.counterNumber) : { zh: '请留意叫号', en: 'Please listen for your number' };
      return {
        status,
        tone: 'called',
        headline: go,
        lines: t.recalls > 0 ? [{ zh: `已重呼 ${t.recalls} 次，请尽快前往`, en: `Recalled ${t.recalls}×, please hurry` }] : [],
        canRate: false,
      };
    }
    case 'serving':
      return {
        status,
        tone: 'serving',
        headline: t.counterNumber !== null ? { zh: `正在${t.counterNumber}号窗口办理`, en: `In service at counter ${t.counterNumber}` } : status,
        lines: [],
        canRate: false,
      };
    case 'done':
      return {
        status,
        tone: 'done',
        headline: t.rated ? { zh: '感谢您的评价', en: 'Thank you for your rating' } : { zh: '业务已办结，请为本次服务评价', en: 'Done: please rate our service' },
        lines: [],
        canRate: !t.rated,
      };
    case 'no-show':
      return { status, tone: 'ended', headline: { zh: '您已过号，请到服务台咨询', en: 'Your number was missed: please ask at the front desk' }, lines: [], canRate: false };
    case 'cancelled':
      return { status, tone: 'ended', headline: { zh: '该号已取消', en: 'This ticket was cancelled' }, lines: [], canRate: false };
    case 'expired':
      return { status, tone: 'ended', headline: { zh: '该号已失效', en: 'This ticket has expired' }, lines: [], canRate: false };
  }
}

/** Buzz the phone when the ticket is called, or called again — not when the page opens. */
export function shouldAlert(prev: PublicTicket | null, next: PublicTicket): boolean {
  if (!prev || next.status !== 'called') return false;
  return prev.status !== 'called' || prev.recalls !== next.recalls || prev.calledAt !== next.calledAt;
}
