/**
 * The hall calendar (法定节假日 and 调休 make-up workdays) as the admin edits it: dates are added
 * one by one or as a range (国庆 7 days), kept sorted and unique, and a date is never both.
 */
import { PatchHallRequest, type Calendar } from '@hall/protocol';
import { check, type Checked } from './admin-forms';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Longest range one click adds: the longest Chinese holiday is 8 days; 31 leaves room for a closure. */
export const MAX_RANGE_DAYS = 31;

/** A real calendar date (2026-02-30 is not). */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** The dates from `from` to `to` inclusive (calendar arithmetic in UTC: no clock, no zone). */
export function dateRange(from: string, to: string): Checked<string[]> {
  if (!isDate(from)) return { ok: false, error: `开始日期不正确 Bad date: ${from || '（空）'}` };
  if (to === '' || to === from) return { ok: true, value: [from] };
  if (!isDate(to)) return { ok: false, error: `结束日期不正确 Bad date: ${to}` };
  if (to < from) return { ok: false, error: '结束日期不能早于开始日期 The end is before the start' };
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); ; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(day);
    if (day === to) break;
    if (out.length >= MAX_RANGE_DAYS) return { ok: false, error: `一次最多添加 ${MAX_RANGE_DAYS} 天 At most ${MAX_RANGE_DAYS} days at once` };
  }
  return { ok: true, value: out };
}

export type CalendarList = keyof Calendar;

/** Adds the dates to one list (sorted, unique) and takes them out of the other. */
export function addDates(cal: Calendar, list: CalendarList, dates: readonly string[]): Calendar {
  const other: CalendarList = list === 'holidays' ? 'workdays' : 'holidays';
  const added = new Set(dates);
  return {
    ...cal,
    [list]: [...new Set([...cal[list], ...dates])].sort(),
    [other]: cal[other].filter((d) => !added.has(d)),
  } as Calendar;
}

export function removeDate(cal: Calendar, list: CalendarList, date: string): Calendar {
  return { ...cal, [list]: cal[list].filter((d) => d !== date) } as Calendar;
}

/** 周一…周日 of a date. */
export function weekdayZh(date: string): string {
  return `周${'日一二三四五六'[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;
}

/** Dates by year, newest year first, for a list that spans several years. */
export function byYear(dates: readonly string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const d of dates) groups.set(d.slice(0, 4), [...(groups.get(d.slice(0, 4)) ?? []), d]);
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? 1 : -1));
}

/** A make-up workday on a weekday is almost always a typo (调休 moves a weekend day). */
export function oddWorkdays(cal: Calendar): string[] {
  return cal.workdays.filter((d) => {
    const w = new Date(`${d}T00:00:00Z`).getUTCDay();
    return w !== 0 && w !== 6;
  });
}

export function calendarBody(cal: Calendar): Checked<{ calendar: Calendar }> {
  const both = cal.holidays.filter((d) => cal.workdays.includes(d));
  if (both.length) return { ok: false, error: `${both.join('、')} 不能既是节假日又是调休上班日` };
  return check(PatchHallRequest, { calendar: cal }) as Checked<{ calendar: Calendar }>;
}
