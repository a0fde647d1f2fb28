/**
 * The hall screen shows the hall's time, not the screen PC's: the offset comes from the
 * server's timestamps (`…+08:00`) and the server's clock corrects the PC's.
 */

/** Minutes east of UTC in an ISO time stamp; null when it has none. */
export function offsetMinutesOf(iso: string): number | null {
  if (/Z$/i.test(iso)) return 0;
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3]));
}

const WEEKDAYS_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface HallClock {
  date: string;
  weekday: string;
  weekdayEn: string;
  time: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function hallClock(epochMs: number, offsetMinutes: number): HallClock {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return {
    date: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`,
    weekday: WEEKDAYS_ZH[d.getUTCDay()] ?? '',
    weekdayEn: WEEKDAYS_EN[d.getUTCDay()] ?? '',
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

/** Hall time minus this PC's time (ms), from a server time stamp received at `receivedAt`. */
export function clockSkewMs(serverIso: string, receivedAt: number): number {
  const t = Date.parse(serverIso);
  return Number.isFinite(t) ? t - receivedAt : 0;
}

/** "09:31" in the hall's zone, for recent-call lines. */
export function hallHourMinute(iso: string): string {
  const t = Date.parse(iso);
  const off = offsetMinutesOf(iso);
  if (!Number.isFinite(t) || off === null) return '';
  const c = hallClock(t, off);
  return c.time.slice(0, 5);
}
