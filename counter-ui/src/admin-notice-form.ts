/**
 * Hall-screen notices (公告, the scrolling line at the foot of every hall screen) as the admin
 * edits them: rows of text with optional dates; the whole list is sent (`PUT /api/notices`).
 */
import { PutNoticesRequest, type Notice } from '@hall/protocol';
import { check, type Checked } from './admin-forms';

export interface NoticeRow {
  /** Absent for a row added in this form: the server makes one. */
  id?: string;
  text: string;
  from: string;
  to: string;
}

export function noticeRows(notices: readonly Notice[]): NoticeRow[] {
  return notices.map((n) => ({ id: n.id, text: n.text, from: n.from ?? '', to: n.to ?? '' }));
}

export function noticesBody(rows: readonly NoticeRow[]): Checked<PutNoticesRequest> {
  const empty = rows.findIndex((r) => r.text.trim() === '');
  if (empty >= 0) return { ok: false, error: `第 ${empty + 1} 条公告没有内容 Notice ${empty + 1} is empty` };
  const reversed = rows.findIndex((r) => r.from && r.to && r.from > r.to);
  if (reversed >= 0) return { ok: false, error: `第 ${reversed + 1} 条公告的结束日期早于开始日期` };
  return check(PutNoticesRequest, {
    notices: rows.map((r) => ({ ...(r.id ? { id: r.id } : {}), text: r.text.trim(), from: r.from || null, to: r.to || null })),
  });
}

export type NoticeState = 'showing' | 'upcoming' | 'ended';

/** Whether hall screens show it on `today` (the hall date), as the server decides. */
export function noticeState(row: Pick<NoticeRow, 'from' | 'to'>, today: string): NoticeState {
  if (row.from && today < row.from) return 'upcoming';
  if (row.to && today > row.to) return 'ended';
  return 'showing';
}

export const NOTICE_STATE_ZH: Record<NoticeState, string> = { showing: '正在显示', upcoming: '未到日期', ended: '已过期' };
