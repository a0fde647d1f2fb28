/**
 * The rectification case board (好差评整改), pure: which column a case sits in, how its deadline
 * reads, and its history as lines a supervisor or the clerk reads. Tested without a DOM.
 */
import type { CaseHistoryEntry, CaseStatus, RectificationCase } from '@hall/protocol';
import { CASE_STATUS_ZH } from './supervision-format';

export interface BoardColumn {
  key: 'pending' | 'valid' | 'rectifying' | 'closed';
  zh: string;
  en: string;
  statuses: readonly CaseStatus[];
}

/** The board's columns, in the workflow's order; the three end states share the last. */
export const BOARD_COLUMNS: readonly BoardColumn[] = [
  { key: 'pending', zh: '待核实', en: 'To verify', statuses: ['pending'] },
  { key: 'valid', zh: '属实·待整改', en: 'Valid', statuses: ['valid'] },
  { key: 'rectifying', zh: '整改中', en: 'Rectifying', statuses: ['rectifying'] },
  { key: 'closed', zh: '已办结', en: 'Closed', statuses: ['rectified', 'unrectifiable', 'invalid'] },
];

/**
 * Cases per column: open columns overdue first, then by the nearest deadline; the closed column
 * newest first.
 */
export function boardColumns(cases: readonly RectificationCase[]): Array<{ column: BoardColumn; cases: RectificationCase[] }> {
  return BOARD_COLUMNS.map((column) => {
    const mine = cases.filter((c) => column.statuses.includes(c.status));
    const sorted =
      column.key === 'closed'
        ? mine.sort((a, b) => ((a.closedAt ?? a.openedAt) < (b.closedAt ?? b.openedAt) ? 1 : -1))
        : mine.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.openedAt < b.openedAt ? -1 : 1));
    return { column, cases: sorted };
  });
}

/** Whole calendar days from `a` to `b` (both `YYYY-MM-DD`). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** How the deadline reads today: closed, overdue by N days, due today, or N days left. */
export function deadlineText(c: Pick<RectificationCase, 'status' | 'deadline' | 'overdue'>, today: string): { text: string; tone: 'ok' | 'warn' | 'bad' | 'done' } {
  if (c.status === 'rectified' || c.status === 'unrectifiable' || c.status === 'invalid') return { text: `已办结（期限 ${c.deadline}）`, tone: 'done' };
  const left = daysBetween(today, c.deadline);
  if (c.overdue || left < 0) return { text: `已逾期 ${Math.max(1, -left)} 天（期限 ${c.deadline}）`, tone: 'bad' };
  if (left === 0) return { text: `今日到期（${c.deadline}）`, tone: 'warn' };
  return { text: `剩 ${left} 天（期限 ${c.deadline}）`, tone: left <= 2 ? 'warn' : 'ok' };
}

/** One history entry as a line: when, who, what (a move, the clerk's appeal, a callback) and the note. */
export function historyLine(h: CaseHistoryEntry, nameOf: (userId: string) => string | null = () => null): string {
  const when = h.at.slice(0, 16).replace('T', ' ');
  const who = h.by === null ? '' : h.by === 'system' ? '系统' : (nameOf(h.by) ?? h.by);
  const what =
    h.kind === 'appeal'
      ? '窗口人员申诉'
      : h.kind === 'callback'
        ? `回访${h.reached === true ? '（已联系上）' : h.reached === false ? '（未联系上）' : ''}`
        : `${h.from ? CASE_STATUS_ZH[h.from] : ''} → ${h.to ? CASE_STATUS_ZH[h.to] : ''}`;
  return `${when} ${who} ${what}${h.note ? `：${h.note}` : ''}`.replace(/\s+/g, ' ').trim();
}

/** An appeal is heard while the case awaits its ruling (the server answers 409 otherwise). */
export const canAppeal = (c: Pick<RectificationCase, 'status'>): boolean => c.status === 'pending';

/** Open and overdue counts, for the board's heading. */
export function boardCounts(cases: readonly Pick<RectificationCase, 'status' | 'overdue'>[]): { open: number; overdue: number } {
  const open = cases.filter((c) => c.status === 'pending' || c.status === 'valid' || c.status === 'rectifying');
  return { open: open.length, overdue: open.filter((c) => c.overdue).length };
}
