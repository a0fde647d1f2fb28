/**
 * Ticket hours: may a service hand out tickets at this instant? The service's own hours, else
 * the hall's; the hall calendar closes statutory holidays and opens make-up workdays.
 */
import { clockToMinutes, hallDate, hallMinuteOfDay, hallWeekday } from '@hall/protocol';
import type { Hall, Hours, Service } from '@hall/protocol';

export function hoursOf(service: Service, hall: Hall): Hours {
  return service.ticketHours ?? hall.hours;
}

/** True when `hours` are open at `now`, reading the hall calendar. `allDay` ignores the calendar. */
export function isOpenAt(hours: Hours, calendar: Hall['calendar'], now: number, tz: string): boolean {
  if (hours.allDay) return true;
  const date = hallDate(now, tz);
  if (calendar.holidays.includes(date)) return false;
  if (!calendar.workdays.includes(date) && !hours.weekdays.includes(hallWeekday(now, tz))) return false;
  const minute = hallMinuteOfDay(now, tz);
  if (minute < clockToMinutes(hours.open.start) || minute >= clockToMinutes(hours.open.end)) return false;
  if (hours.lunch && minute >= clockToMinutes(hours.lunch.start) && minute < clockToMinutes(hours.lunch.end)) return false;
  return true;
}

export function isServiceIssuing(service: Service, hall: Hall, now: number, tz: string): boolean {
  return service.enabled && isOpenAt(hoursOf(service, hall), hall.calendar, now, tz);
}
