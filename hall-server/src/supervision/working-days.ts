/**
 * Working days (工作日) for rectification deadlines: Monday to Friday, except statutory holidays
 * (法定节假日), plus make-up workdays (调休) that fall on a weekend — both from the hall calendar.
 */
import { addDays, weekdayOfDate, type Calendar } from '@hall/protocol';

export function isWorkingDay(day: string, calendar: Calendar): boolean {
  if (calendar.workdays.includes(day)) return true;
  if (calendar.holidays.includes(day)) return false;
  const wd = weekdayOfDate(day);
  return wd >= 1 && wd <= 5;
}

/**
 * The `n`-th working day after `day` (the day itself does not count, as a deadline of
 * "15 working days from receipt" reads). `n = 0` is `day` itself.
 */
export function addWorkingDays(day: string, n: number, calendar: Calendar): string {
  let d = day;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d, calendar)) left--;
  }
  return d;
}
