import { describe, expect, it } from 'vitest';
import { addDates, byYear, calendarBody, dateRange, isDate, oddWorkdays, removeDate, weekdayZh } from './admin-calendar-form';

describe('hall calendar form', () => {
  it('knows real dates', () => {
    expect(isDate('2026-10-01')).toBe(true);
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2026-1-1')).toBe(false);
  });
  it('expands a range, across a month end, and refuses bad ones in Chinese', () => {
    expect(dateRange('2026-09-29', '2026-10-03')).toEqual({ ok: true, value: ['2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03'] });
    expect(dateRange('2026-10-01', '')).toEqual({ ok: true, value: ['2026-10-01'] });
    expect(dateRange('2026-10-05', '2026-10-01')).toMatchObject({ ok: false, error: expect.stringMatching(/^结束日期不能早于/) });
    expect(dateRange('', '')).toMatchObject({ ok: false, error: expect.stringMatching(/^开始日期不正确/) });
    expect(dateRange('2026-01-01', '2026-03-01')).toMatchObject({ ok: false, error: expect.stringMatching(/^一次最多添加 31 天/) });
  });
  it('keeps lists sorted and unique; a date moves between holidays and make-up workdays', () => {
    let cal = { holidays: ['2026-10-08'], workdays: ['2026-10-10'] };
    cal = addDates(cal, 'holidays', ['2026-10-01', '2026-10-02', '2026-10-08', '2026-10-10']);
    expect(cal).toEqual({ holidays: ['2026-10-01', '2026-10-02', '2026-10-08', '2026-10-10'], workdays: [] });
    cal = addDates(cal, 'workdays', ['2026-10-10', '2026-09-27']);
    expect(cal).toEqual({ holidays: ['2026-10-01', '2026-10-02', '2026-10-08'], workdays: ['2026-09-27', '2026-10-10'] });
    expect(removeDate(cal, 'holidays', '2026-10-02').holidays).toEqual(['2026-10-01', '2026-10-08']);
  });
  it('says the weekday, groups by year, flags make-up workdays that are not weekends', () => {
    expect(weekdayZh('2026-10-01')).toBe('周四');
    expect(byYear(['2026-01-01', '2027-02-01', '2026-10-01'])).toEqual([['2027', ['2027-02-01']], ['2026', ['2026-01-01', '2026-10-01']]]);
    expect(oddWorkdays({ holidays: [], workdays: ['2026-09-27', '2026-09-28'] })).toEqual(['2026-09-28']);
  });
  it('builds the PATCH body and refuses a date in both lists', () => {
    expect(calendarBody({ holidays: ['2026-10-01'], workdays: ['2026-09-27'] })).toEqual({ ok: true, value: { calendar: { holidays: ['2026-10-01'], workdays: ['2026-09-27'] } } });
    expect(calendarBody({ holidays: ['2026-10-01'], workdays: ['2026-10-01'] })).toMatchObject({ ok: false, error: expect.stringContaining('不能既是节假日又是调休上班日') });
  });
});
