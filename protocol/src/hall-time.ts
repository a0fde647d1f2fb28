/**
 * Hall-local calendar arithmetic. The hall's day, its opening hours and every date on the wire
 * are in the hall's time zone (`HALL_TZ`, default Asia/Shanghai), whatever the server's own zone.
 * Pure: callers pass the instant (epoch ms) in.
 */

export const DEFAULT_TZ = 'Asia/Shanghai';

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// Formatting is the slow part and the hot path asks for the same second many times (a ticket
// needs its date, minute, weekday and ISO times): the last second's parts and strings are kept.
let lastTz = '';
let lastSecond = Number.NaN;
let lastParts: Parts | undefined;
let lastDate: string | undefined;
let lastIso: string | undefined;

export function hallParts(epochMs: number, tz: string = DEFAULT_TZ): Parts {
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond && tz === lastTz && lastParts) return lastParts;
  const out: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(epochMs))) out[p.type] = p.value;
  const parts: Parts = {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday ?? 'Sun'] ?? 0,
  };
  lastTz = tz;
  lastSecond = second;
  lastParts = parts;
  lastDate = undefined;
  lastIso = undefined;
  return parts;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD` of the instant in the hall's zone. */
export function hallDate(epochMs: number, tz: string = DEFAULT_TZ): string {
  const p = hallParts(epochMs, tz);
  if (p === lastParts && lastDate !== undefined) return lastDate;
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  if (p === lastParts) lastDate = date;
  return date;
}

/** Minutes since hall-local midnight (0..1439). */
export function hallMinuteOfDay(epochMs: number, tz: string = DEFAULT_TZ): number {
  const p = hallParts(epochMs, tz);
  return p.hour * 60 + p.minute;
}

/** 0 = Sunday … 6 = Saturday, in the hall's zone. */
export function hallWeekday(epochMs: number, tz: string = DEFAULT_TZ): number {
  return hallParts(epochMs, tz).weekday;
}

/** Offset of the zone from UTC at that instant, in minutes (Asia/Shanghai: 480). */
export function zoneOffsetMinutes(epochMs: number, tz: string = DEFAULT_TZ): number {
  const p = hallParts(epochMs, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/** ISO 8601 with the hall's offset: `2026-11-26T09:30:00+08:00`. */
export function toHallIso(epochMs: number, tz: string = DEFAULT_TZ): string {
  const p = hallParts(epochMs, tz);
  if (p === lastParts && lastIso !== undefined) return lastIso;
  const off = zoneOffsetMinutes(epochMs, tz);
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  const iso = `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
  if (p === lastParts) lastIso = iso;
  return iso;
}

/** The instant of hall-local midnight that starts `date` (`YYYY-MM-DD`). */
export function hallMidnight(date: string, tz: string = DEFAULT_TZ): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle zones whose offset differs across the guess (DST); China has none.
  let t = guess - zoneOffsetMinutes(guess, tz) * 60000;
  t = guess - zoneOffsetMinutes(t, tz) * 60000;
  return t;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Weekday of a `YYYY-MM-DD` date (0 = Sunday). */
export function weekdayOfDate(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** `HH:MM` → minutes since midnight. `24:00` is allowed as the end of the day. */
export function clockToMinutes(hhmm: string): number {
  // Asked several times per ticket (ticket hours): digits read in place, not split into an array.
  const colon = hhmm.indexOf(':');
  return Number(hhmm.slice(0, colon)) * 60 + Number(hhmm.slice(colon + 1));
}

/** Is `tz` a zone this runtime knows? */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
