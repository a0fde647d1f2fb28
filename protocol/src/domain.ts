/**
 * Wire shapes of the queue domain: what the API returns and sockets push. No personal data
 * beyond a masked name ever appears here.
 */
import { z } from 'zod';

/** Priority classes. `elderly` is derived by the server from the ID card's birth date. */
export const Priority = z.enum(['normal', 'elderly', 'disabled', 'military', 'pregnant', 'appointment', 'vip']);
export type Priority = z.infer<typeof Priority>;
export const PRIORITY_LABELS: Record<Priority, { zh: string; en: string }> = {
  normal: { zh: '普通', en: 'Normal' },
  elderly: { zh: '老年人', en: 'Elderly' },
  disabled: { zh: '残疾人', en: 'Disabled' },
  military: { zh: '军人', en: 'Military' },
  pregnant: { zh: '孕妇', en: 'Pregnant' },
  appointment: { zh: '预约', en: 'Appointment' },
  vip: { zh: '绿色通道', en: 'Green channel' },
};

export const TicketStatus = z.enum(['waiting', 'called', 'serving', 'done', 'no-show', 'cancelled', 'expired']);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const TicketSource = z.enum(['kiosk', 'staff', 'appointment', 'api']);
export type TicketSource = z.infer<typeof TicketSource>;

export const CounterState = z.enum(['closed', 'open', 'paused']);
export type CounterState = z.infer<typeof CounterState>;

/** The one Ticket shape everywhere (API.md). Times are hall-offset ISO strings. */
export interface Ticket {
  id: string;
  number: string;
  serviceId: string;
  serviceName: string;
  priority: Priority;
  source: TicketSource;
  status: TicketStatus;
  /** How many tickets the policy would call before this one now (0 when not waiting). */
  waitingAhead: number;
  /** null until the service has history today. */
  estimatedWaitMinutes: number | null;
  /** Only to whoever issued the ticket and in the tracked read. */
  trackToken?: string;
  /** Masked holder name (张*三), when an ID card was used. */
  holderName: string | null;
  issuedAt: string;
  calledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  counterId: string | null;
  counterNumber: number | null;
  recalls: number;
  requeues: number;
  transferredFrom: string | null;
  rated: boolean;
}

export interface ServiceSummary {
  id: string;
  prefix: string;
  name: string;
  nameEn: string;
  category: string;
  open: boolean;
  waiting: number;
  idRequired: boolean;
  materials: string[];
  estimatedWaitMinutes: number | null;
  /** Why `open` is false, so a kiosk can say it (null while open; absent from older servers). */
  closedReason?: ServiceClosedReason | null;
}

/**
 * `hours`: outside ticket hours (lunch break, holiday, evening); `quota`: the daily quota or the
 * number range is used up; `disabled`: not offered now; `day-closed`: the hall day has closed.
 */
export type ServiceClosedReason = 'hours' | 'quota' | 'disabled' | 'day-closed';

export interface CounterView {
  id: string;
  number: number;
  name: string;
  state: CounterState;
  pauseReason: string | null;
  serviceIds: string[];
  currentTicket: { id: string; number: string; status: TicketStatus } | null;
  /** Signed-in clerk: staff are shown by name and staff number (挂牌上岗). */
  clerk: { id: string; name: string; staffNo: string } | null;
  zone: string | null;
  /** Since when `state` holds (hall time); null: closed all day. For "paused 18 min" on the supervision page. */
  stateSince?: string | null;
  /** Open or paused with no ticket since (hall time); null while busy or closed. */
  idleSince?: string | null;
}

export interface RecentCall {
  ticketNumber: string;
  ticketId: string;
  counterNumber: number;
  counterName: string;
  serviceName: string;
  /** The spoken and shown text, from the hall's phrase template. */
  phrase: string;
  at: string;
  recall: boolean;
  /**
   * Hall-relative URL of the spoken call (`audio/wav`), made on the hall server without any
   * network; on `call` events of `/display` and `/counter`.
   */
  audioUrl?: string;
}

/** What a hall screen shows (`GET /api/queue`, `/display` snapshot). No personal data. */
export interface QueueSnapshot {
  hall: { id: string; name: string; level: string };
  day: string;
  services: ServiceSummary[];
  counters: CounterView[];
  recentCalls: RecentCall[];
  /** Waiting ticket numbers per service, in call order, for the screen's "next" column. */
  waitingNumbers: Record<string, string[]>;
  notices: string[];
  at: string;
}

export const RATING_LABELS: Record<number, { zh: string; en: string }> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Fair' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  1: { zh: '非常不满意', en: 'Very dissatisfied' },
};
