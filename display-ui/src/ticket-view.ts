/** The phone page's reading of one ticket: what to say, what to do next, and when to buzz. */
import type { PublicTicket, TicketStatus } from '@hall/protocol';
import { TICKET_STATUS, formatWait, goToCounter, type Bilingual } from './format';

export type Tone = 'waiting' | 'called' | 'serving' | 'done' | 'ended';

export interface TicketReading {
  /** The status as the page shows it (a ticket of a closed day reads as expired). */
  statusKey: TicketStatus;
  status: Bilingual;
  tone: Tone;
  /** The big line under the number. */
  headline: Bilingual;
  /** Smaller lines under it: what to do next. */
  lines: Bilingual[];
  canRate: boolean;
  /** Nothing more will happen to the ticket by itself: no alerts to offer, no calls to list. */
  final: boolean;
}

/** What the page knows of the hall besides the ticket (the /display snapshot). */
export interface HallContext {
  /** The hall's day now (`snapshot.day`): a ticket of an earlier day that was still open has expired at day close. */
  today?: string | null;
  /** Service names by id, to say where a transferred ticket came from. */
  serviceNames?: Readonly<Record<string, string>>;
}

const FINAL: ReadonlySet<TicketStatus> = new Set(['done', 'no-show', 'cancelled', 'expired']);

/** The hall day a ticket belongs to: its issue time is hall time (`2026-11-26T09:00:00+08:00`). */
export function ticketDay(t: Pick<PublicTicket, 'issuedAt'>): string {
  return t.issuedAt.slice(0, 10);
}

/**
 * The status the citizen should see. The server expires every open ticket at day close; a page
 * that missed that push (asleep, offline at midnight) still knows from the hall's new day.
 */
/** Nothing more happens to the ticket by itself (a missed one may still be re-queued by staff). */
export function isFinal(status: TicketStatus): boolean {
  return FINAL.has(status);
}

export function effectiveStatus(t: PublicTicket, ctx: HallContext = {}): TicketStatus {
  if (!FINAL.has(t.status) && ctx.today && ticketDay(t) < ctx.today) return 'expired';
  return t.status;
}

export function readTicket(t: PublicTicket, ctx: HallContext = {}): TicketReading {
  const key = effectiveStatus(t, ctx);
  const status = TICKET_STATUS[key];
  const base = { statusKey: key, status, canRate: false, final: isFinal(key) };
  switch (key) {
    case 'waiting': {
      const ahead: Bilingual =
        t.waitingAhead <= 0
          ? { zh: '您是下一位', en: 'You are next' }
          : { zh: `前面还有 ${t.waitingAhead} 人`, en: `${t.waitingAhead} ${t.waitingAhead === 1 ? 'person' : 'people'} ahead` };
      const wait = formatWait(t.estimatedWaitMinutes);
      const lines: Bilingual[] = [{ zh: `预计等候：${wait.zh}`, en: `Estimated wait: ${wait.en}` }];
      if (t.transferredFrom !== null && t.transferredFrom === t.serviceId) {
        // Sent to another counter of the same service (#13 item 9): that counter calls it.
        lines.push({ zh: '已转至其他窗口办理，无需重新取号，请留意叫号', en: 'Passed to another counter: keep this ticket and watch for your number' });
      } else if (t.transferredFrom !== null) {
        const from = ctx.serviceNames?.[t.transferredFrom];
        lines.push({
          zh: from ? `已从「${from}」转至「${t.serviceName}」，无需重新取号，请留意叫号` : `已转至「${t.serviceName}」，无需重新取号，请留意叫号`,
          en: `${from ? `Transferred from ${from}` : 'Transferred'} to ${t.serviceName}: keep this ticket and watch for your number`,
        });
      }
      if (t.requeues > 0) lines.push({ zh: '过号后已重新排队', en: 'Re-queued after a missed call' });
      return {
        ...base,
        status: t.transferredFrom !== null ? { zh: '已转办 · 等候中', en: 'Transferred · waiting' } : status,
        tone: 'waiting',
        headline: ahead,
        lines,
      };
    }
    case 'called': {
      const go = t.counterNumber !== null ? goToCounter(t.counterNumber) : { zh: '请留意叫号', en: 'Please listen for your number' };
      const lines: Bilingual[] = [{ zh: '请带好号票和材料，尽快前往', en: 'Bring this ticket and your documents' }];
      if (t.recalls > 0) lines.push({ zh: `已重呼 ${t.recalls} 次，请尽快前往，以免过号`, en: `Recalled ${t.recalls}×: please hurry or the number is missed` });
      return { ...base, tone: 'called', headline: go, lines };
    }
    case 'serving':
      return {
        ...base,
        tone: 'serving',
        headline: t.counterNumber !== null ? { zh: `正在${t.counterNumber}号窗口办理`, en: `In service at counter ${t.counterNumber}` } : status,
        lines: [],
      };
    case 'done':
      return {
        ...base,
        tone: 'done',
        headline: t.rated ? { zh: '业务已办结，感谢您的评价', en: 'Done: thank you for your rating' } : { zh: '业务已办结，请为本次服务评价', en: 'Done: please rate our service' },
        lines: [{ zh: '感谢您的耐心等候', en: 'Thank you for waiting' }],
        canRate: !t.rated,
      };
    case 'no-show':
      return {
        ...base,
        tone: 'ended',
        headline: { zh: '您已过号', en: 'Your number was missed' },
        lines: [
          { zh: '请持号票到服务台（咨询台）说明情况，工作人员可为您重新排队', en: 'Take this ticket to the front desk: staff can put you back in the queue' },
          { zh: '也可以重新取号', en: 'Or take a new ticket' },
        ],
      };
    case 'cancelled':
      return {
        ...base,
        tone: 'ended',
        headline: { zh: '该号已取消', en: 'This ticket was cancelled' },
        lines: [{ zh: '如仍需办理，请重新取号或到服务台咨询', en: 'To be served, take a new ticket or ask at the front desk' }],
      };
    case 'expired':
      return {
        ...base,
        tone: 'ended',
        headline: { zh: '今日办理已结束，该号已失效', en: "Today's service has ended: this ticket has expired" },
        lines: [{ zh: '请在办理时间内重新取号，或预约办理', en: 'Please take a new ticket during service hours, or book an appointment' }],
      };
  }
}

/** Buzz the phone when the ticket is called, or called again — not when the page opens. */
export function shouldAlert(prev: PublicTicket | null, next: PublicTicket): boolean {
  if (!prev || next.status !== 'called') return false;
  return prev.status !== 'called' || prev.recalls !== next.recalls || prev.calledAt !== next.calledAt;
}

/** Long enough to feel in a pocket, short enough not to alarm. */
export const VIBRATE_PATTERN: readonly number[] = [400, 150, 400, 150, 400];

/** The tab's title: a called ticket says where to go, so a tab in the background says it too. */
export function pageTitle(t: PublicTicket | null, r: TicketReading | null): string {
  if (!t || !r) return '我的排队 My ticket';
  if (r.tone === 'called') return `${r.headline.zh} · ${t.number}`;
  return `${t.number} ${r.status.zh} · 我的排队`;
}
