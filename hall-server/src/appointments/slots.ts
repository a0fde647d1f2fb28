/**
 * Slot arithmetic for 预约服务, pure: which days a service takes bookings (weekdays, statutory
 * holidays and 调休 make-up workdays from the hall calendar), the day's slot grid (opening hours
 * cut by the lunch break), whether a slot may be booked now (past, cut-off, horizon), the
 * check-in window, the cancellation deadline and the 爽约 block.
 *
 * Hall-local minutes are turned into instants as the hall's midnight plus minutes: exact in a
 * zone without daylight saving (HALL_TZ, China), which is the only kind a hall runs in.
 */
import { addDays, clockToMinutes, hallDate, hallMidnight, weekdayOfDate } from '@hall/protocol';
import type { AppointmentSettings, Calendar, Hall, Hours, Service } from '@hall/protocol';
import { isServiceIssuing } from '../queue/ticket-hours';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface Slot {
  /** Epoch ms. */
  start: number;
  end: number;
}

/** A service's booking hours, or null when it takes no bookings. */
export function bookingHours(service: Service, hall: Hall): Hours | null {
  const a = service.appointments;
  if (!service.enabled || !a || !a.enabled) return null;
  return a.hours ?? service.ticketHours ?? hall.hours;
}

/** Does a service with these hours take bookings on `date`? Holidays close, 调休 workdays open. */
export function isBookingDay(date: string, hours: Hours, calendar: Calendar): boolean {
  if (hours.allDay) return true;
  if (calendar.holidays.includes(date)) return false;
  if (calendar.workdays.includes(date)) return true;
  return hours.weekdays.includes(weekdayOfDate(date));
}

/**
 * The slots of one span of minutes: back to back from `from`, each `length` long, the last one
 * ending at or before `to` (a remainder shorter than a slot is not offered).
 */
function grid(from: number, to: number, length: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let m = from; m + length <= to; m += length) out.push([m, m + length]);
  return out;
}

/** The slots of `date` for a service (empty on a closed day or for a service without bookings). */
export function slotsOfDay(date: string, service: Service, hall: Hall, tz: string): Slot[] {
  const hours = bookingHours(service, hall);
  const length = service.appointments?.slotMinutes ?? 0;
  if (!hours || length <= 0 || !isBookingDay(date, hours, hall.calendar)) return [];
  const open = hours.allDay ? { start: 0, end: 24 * 60 } : { start: clockToMinutes(hours.open.start), end: clockToMinutes(hours.open.end) };
  const lunch = !hours.allDay && hours.lunch ? { start: clockToMinutes(hours.lunch.start), end: clockToMinutes(hours.lunch.end) } : null;
  // The grid starts again after lunch, so the afternoon's first slot begins when the counters reopen.
  const spans =
    lunch && lunch.start < open.end && lunch.end > open.start
      ? [
          [open.start, Math.max(open.start, lunch.start)],
          [Math.min(open.end, lunch.end), open.end],
        ]
      : [[open.start, open.end]];
  const midnight = hallMidnight(date, tz);
  return spans.flatMap(([from, to]) => grid(from as number, to as number, length)).map(([s, e]) => ({ start: midnight + s * MINUTE, end: midnight + e * MINUTE }));
}

/** The slot of the grid that starts at `start`, if there is one. */
export function findSlot(start: number, service: Service, hall: Hall, tz: string): Slot | undefined {
  return slotsOfDay(hallDate(start, tz), service, hall, tz).find((s) => s.start === start);
}

/** The days a citizen may book today: today and the `horizonDays` after it. */
export function horizonDaysFrom(today: string, settings: AppointmentSettings): string[] {
  return Array.from({ length: settings.horizonDays + 1 }, (_, i) => addDays(today, i));
}

export type Unbookable = 'past' | 'cutoff' | 'beyond-horizon';

/** Why a slot on the grid cannot be booked at `now`, or null when it can. */
export function unbookableReason(slot: Slot, now: number, settings: AppointmentSettings, tz: string): Unbookable | null {
  if (slot.start <= now) return 'past';
  if (slot.start - settings.cutoffMinutes * MINUTE <= now) return 'cutoff';
  if (hallDate(slot.start, tz) > addDays(hallDate(now, tz), settings.horizonDays)) return 'beyond-horizon';
  return null;
}

/** The kiosk's check-in window: `from` inclusive, `until` exclusive. */
export function checkInWindow(slot: Slot, settings: AppointmentSettings): { from: number; until: number } {
  return { from: slot.start - settings.checkInEarlyMinutes * MINUTE, until: slot.end + settings.checkInLateMinutes * MINUTE };
}

/**
 * The first whole minute in [from, to] at which the service issues tickets, or null: a check-in
 * window may open while the service does not (before the morning opening, in the lunch break).
 */
export function issuingFrom(service: Service, hall: Hall, from: number, to: number, tz: string): number | null {
  for (let m = Math.ceil(from / MINUTE) * MINUTE; m <= to; m += MINUTE) if (isServiceIssuing(service, hall, m, tz)) return m;
  return null;
}

/** The last instant a booking may be cancelled (exclusive). */
export function cancelDeadline(slot: Slot, settings: AppointmentSettings): number {
  return slot.start - settings.cancelMinutes * MINUTE;
}

/** How far back no-shows matter to the 爽约 block: a window and a block that may follow it. */
export function noShowLookbackMs(settings: AppointmentSettings): number {
  return (settings.noShowWindowDays + settings.blockDays) * DAY;
}

/**
 * Until when (epoch ms) an ID may not book, given its no-shows (the instants their windows
 * closed, any order); 0 when it may. The `noShowLimit`-th no-show within `noShowWindowDays`
 * starts a block of `blockDays`; no-shows before a block's start do not count again after it.
 */
export function blockedUntil(noShows: readonly number[], settings: AppointmentSettings): number {
  const windowMs = settings.noShowWindowDays * DAY;
  let until = 0;
  let counted: number[] = [];
  for (const t of [...noShows].sort((a, b) => a - b)) {
    counted = counted.filter((c) => t - c < windowMs);
    counted.push(t);
    if (counted.length >= settings.noShowLimit) {
      until = t + settings.blockDays * DAY;
      counted = [];
    }
  }
  return until;
}
