/**
 * The 好差评 ratings list's filters, pure: the query the server takes (`GET /api/ratings`), the
 * checks a date range must pass before asking, and the five levels' words. Tested without a DOM.
 */

export const RATINGS_PAGE_SIZE = 50;

/** The five levels (五级评价), 5 best. */
export const SCORE_ZH: Record<number, string> = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' };

/** The score choices of the filter: a level, or the bad (差评) or good (好评) ones together. */
export const SCORE_CHOICES: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: '全部评价 All' },
  { value: '1,2', label: '差评（1–2） Bad' },
  { value: '4,5', label: '好评（4–5） Good' },
  ...[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: `${n} 分 ${SCORE_ZH[n]}` })),
];

/** How a rating reached the hall (RatingRow.channel), for the filter and the list. */
export const CHANNEL_ZH: Record<string, string> = { evaluator: '评价器 Evaluator', phone: '手机 Phone', clerk: '工作人员代评 By clerk', kiosk: '取号机 Kiosk' };
export const CHANNEL_CHOICES: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: '全部渠道 All' },
  ...Object.entries(CHANNEL_ZH).map(([value, label]) => ({ value, label })),
];

export interface RatingFilters {
  from: string;
  to: string;
  serviceId: string;
  counterId: string;
  clerkId: string;
  /** '', '1,2', '4,5' or one digit. */
  score: string;
  /** '' or a RatingChannel. */
  channel: string;
  /** 0-based page. */
  page: number;
}

export function defaultFilters(today: string): RatingFilters {
  return { from: today, to: today, serviceId: '', counterId: '', clerkId: '', score: '', channel: '', page: 0 };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (d: string): boolean => DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

/** Why a range cannot be asked for (Chinese first), or null: the server's rules, said before asking. */
export function rangeProblem(from: string, to: string): string | null {
  if (!validDate(from) || !validDate(to)) return '请选择有效日期 Pick valid dates';
  if (from > to) return '开始日期晚于结束日期 The start is after the end';
  if (from < '2000-01-01' || to > '2099-12-31') return '日期超出范围 Dates out of range';
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 366) return '最多查询一年 At most one year';
  return null;
}

/**
 * The query string for a page of ratings: one more row than the page asks, so the list knows
 * whether a next page exists without a count query.
 */
export function ratingsQuery(f: RatingFilters, pageSize = RATINGS_PAGE_SIZE): string {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.serviceId) q.set('serviceId', f.serviceId);
  if (f.counterId) q.set('counterId', f.counterId);
  if (f.clerkId) q.set('clerkId', f.clerkId);
  if (f.score) q.set('score', f.score);
  if (f.channel) q.set('channel', f.channel);
  q.set('limit', String(pageSize + 1));
  q.set('offset', String(f.page * pageSize));
  return q.toString();
}

/** A page's rows and whether another follows (the extra row asked for). */
export function pageOf<T>(rows: readonly T[], pageSize = RATINGS_PAGE_SIZE): { rows: T[]; more: boolean } {
  return { rows: rows.slice(0, pageSize), more: rows.length > pageSize };
}

/** "★★☆☆☆" for a score, with the level's words. */
export function stars(score: number): string {
  const n = Math.max(0, Math.min(5, Math.round(score)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}
