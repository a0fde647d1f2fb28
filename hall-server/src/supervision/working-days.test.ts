import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay } from './working-days';

// 2026: National Day holiday 10-01..10-08, make-up workdays Sun 09-27 and Sat 10-10 (illustrative).
const calendar = {
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08'],
  workdays: ['2026-09-27', '2026-10-10'],
};

describe('working days', () => {
  it.each([
    ['2026-09-25', true], // Friday
    ['2026-09-26', false], // Saturday
    ['2026-09-27', true], // Sunday, make-up workday
    ['2026-10-01', false], // Thursday, holiday
    ['2026-10-10', true], // Saturday, make-up workday
    ['2026-10-11', false], // Sunday
  ])('%s working: %s', (day, expected) => {
    expect(isWorkingDay(day, calendar)).toBe(expected);
  });

  it.each([
    ['2026-09-24', 0, '2026-09-24'],
    ['2026-09-24', 1, '2026-09-25'],
    ['2026-09-25', 1, '2026-09-27'], // the Sunday make-up day counts
    ['2026-09-25', 3, '2026-09-29'],
    ['2026-09-30', 1, '2026-10-09'], // skips the holiday week and the weekend
    ['2026-09-30', 2, '2026-10-10'],
    ['2026-11-02', 15, '2026-11-23'],
  ])('%s + %i working days = %s', (day, n, expected) => {
    expect(addWorkingDays(day, n, calendar)).toBe(expected);
  });

  it('plain weekdays without a calendar', () => {
    expect(addWorkingDays('2026-12-04', 1, { holidays: [], workdays: [] })).toBe('2026-12-07');
  });
});
