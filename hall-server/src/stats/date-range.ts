/**
 * The `from`/`to` of a statistics request: real hall dates, in order, within this century and
 * at most a year and a day apart (a year's summary crosses a New Year when it starts mid-year).
 * Anything else is a value with a stable code, never an exception.
 */
import { addDays, fail, ok, type Result } from '@hall/protocol';

export interface DateRange {
  from: string;
  to: string;
}

export const MAX_RANGE_DAYS = 366;
const EARLIEST = '2000-01-01';
const LATEST = '2099-12-31';
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Parses `from`/`to` query values; a missing one is the other, both missing is `today`. */
export function parseDateRange(from: unknown, to: unknown, today: string): Result<DateRange> {
  const bad = (message: string): Result<DateRange> => fail('PROTOCOL.INVALID_PAYLOAD', message);
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (v !== undefined && (typeof v !== 'string' || !isRealDate(v))) return bad(`${name}: a date YYYY-MM-DD`);
  }
  const f = (from as string | undefined) ?? (to as string | undefined) ?? today;
  const t = (to as string | undefined) ?? (from as string | undefined) ?? today;
  if (f < EARLIEST || t > LATEST) return bad(`dates between ${EARLIEST} and ${LATEST} only`);
  if (f > t) return bad('from must not be after to');
  if (daysBetween(f, t) >= MAX_RANGE_DAYS) return bad(`at most ${MAX_RANGE_DAYS} days at once`);
  return ok({ from: f, to: t });
}

/** Every date of a range, in order. */
export function datesOf(range: DateRange): string[] {
  const out: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  return out;
}
