/** Formatting for the staff pages. */
import { PRIORITY_LABELS, type CounterState, type Priority, type TicketStatus } from '@hall/protocol';

export const COUNTER_STATE_ZH: Record<CounterState, string> = { open: '服务中', paused: '暂停', closed: '未签到' };

export const TICKET_STATUS_ZH: Record<TicketStatus, string> = {
  waiting: '等候中',
  called: '已呼叫',
  serving: '办理中',
  done: '已办结',
  'no-show': '过号',
  cancelled: '已取消',
  expired: '已失效',
};

export function priorityLabel(p: Priority): string {
  return PRIORITY_LABELS[p].zh;
}

/** The class badge of a ticket at the desk: 预约 for a checked-in appointment, 预约·迟到 for one that came late (a normal ticket). */
export function ticketBadge(t: { priority: Priority; source: string }): string | null {
  if (t.priority === 'appointment') return priorityLabel('appointment');
  if (t.source === 'appointment') return '预约·迟到';
  return t.priority !== 'normal' ? priorityLabel(t.priority) : null;
}

/** Whole minutes from `iso` to `now` (never negative); null for a missing or bad time. */
export function minutesSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, Math.floor((now - t) / 60_000));
}

/** "4:05" under an hour, "1:02:05" above: a running timer. */
export function formatElapsed(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export type WaitLevel = 'ok' | 'near' | 'over' | 'unknown';

/** 电子监察: a wait past the service's limit is over, from 80 % of it near. */
export function waitLevel(minutes: number | null, limitMinutes: number | null | undefined): WaitLevel {
  if (minutes === null) return 'unknown';
  if (!limitMinutes || limitMinutes <= 0) return 'unknown';
  if (minutes > limitMinutes) return 'over';
  if (minutes >= limitMinutes * 0.8) return 'near';
  return 'ok';
}

/** "HH:MM" of an ISO time as written (the hall's own offset). */
export function clockOf(iso: string | null | undefined): string {
  const m = iso ? /T(\d{2}:\d{2})/.exec(iso) : null;
  return m?.[1] ?? '';
}
