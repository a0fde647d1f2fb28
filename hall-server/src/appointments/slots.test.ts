import { describe, expect, it } from 'vitest';
import { AppointmentSettings, Hall, Service, toHallIso, type Hours } from '@hall/protocol';
import { blockedUntil, bookingHours, cancelDeadline, checkInWindow, findSlot, horizonDaysFrom, isBookingDay, issuingFrom, slotsOfDay, unbookableReason } from './slots';

const TZ = 'Asia/Shanghai';
const weekdayHours: Hours = { open: { start: '09:00', end: '17:00' }, lunch: { start: '12:00', end: '13:30' }, weekdays: [1, 2, 3, 4, 5], allDay: false };
const hall = Hall.parse({
  id: 'h',
  name: '测试大厅',
  level: 'township',
  hours: weekdayHours,
  // 2026-10-01..07 National Day; Sunday 2026-10-11 a make-up workday (调休).
  calendar: { holidays: ['2026-10-01', '2026-10-02', '2026-10-05'], workdays: ['2026-10-11'] },
});
const svc = (appointments: unknown, extra: Record<string, unknown> = {}): Service =>
  Service.parse({ id: 's', name: '社保', category: '社保', prefix: 'A', appointments, ...extra });
const settings = AppointmentSettings.parse({});
const at = (iso: string): number => Date.parse(iso);
const times = (slots: Array<{ start: number; end: number }>): string[] =>
  slots.map((s) => `${toHallIso(s.start, TZ).slice(11, 16)}-${toHallIso(s.end, TZ).slice(11, 16)}`);

describe('booking days', () => {
  it.each([
    ['2026-10-08', true, 'a Thursday'],
    ['2026-10-10', false, 'a Saturday'],
    ['2026-10-11', true, 'a Sunday that is a 调休 workday'],
    ['2026-10-01', false, 'a holiday on a Thursday'],
    ['2026-10-05', false, 'a holiday on a Monday'],
  ])('%s → %s (%s)', (date, open) => {
    expect(isBookingDay(date, weekdayHours, hall.calendar)).toBe(open);
  });

  it('all-day hours ignore the calendar', () => {
    expect(isBookingDay('2026-10-01', { ...weekdayHours, allDay: true }, hall.calendar)).toBe(true);
  });
});

describe('the slot grid', () => {
  it.each([
    [30, ['09:00-09:30', '09:30-10:00', '10:00-10:30', '10:30-11:00', '11:00-11:30', '11:30-12:00', '13:30-14:00', '14:00-14:30', '14:30-15:00', '15:00-15:30', '15:30-16:00', '16:00-16:30', '16:30-17:00']],
    // 09:00–12:00 holds two 80-minute slots (20 minutes left over); after lunch 13:30–17:00 two more.
    [80, ['09:00-10:20', '10:20-11:40', '13:30-14:50', '14:50-16:10']],
    [240, []],
  ])('slots of %i minutes on a weekday, cut by lunch', (slotMinutes, expected) => {
    expect(times(slotsOfDay('2026-10-08', svc({ slotMinutes }), hall, TZ))).toEqual(expected);
  });

  it('no slots on a holiday, a weekend, or for a service without bookings', () => {
    expect(slotsOfDay('2026-10-01', svc({}), hall, TZ)).toEqual([]);
    expect(slotsOfDay('2026-10-10', svc({}), hall, TZ)).toEqual([]);
    expect(slotsOfDay('2026-10-08', svc(null), hall, TZ)).toEqual([]);
    expect(slotsOfDay('2026-10-08', svc({ enabled: false }), hall, TZ)).toEqual([]);
    expect(slotsOfDay('2026-10-08', svc({}, { enabled: false }), hall, TZ)).toEqual([]);
  });

  it('a 调休 Sunday has slots', () => {
    expect(slotsOfDay('2026-10-11', svc({ slotMinutes: 60 }), hall, TZ)).toHaveLength(3 + 3);
  });

  it('booking hours: the appointment hours, else the service ticket hours, else the hall', () => {
    const own: Hours = { open: { start: '08:00', end: '10:00' }, lunch: null, weekdays: [6], allDay: false };
    expect(bookingHours(svc({ hours: own }), hall)).toEqual(own);
    expect(bookingHours(svc({}, { ticketHours: own }), hall)).toEqual(own);
    expect(bookingHours(svc({}), hall)).toEqual(weekdayHours);
    expect(times(slotsOfDay('2026-10-10', svc({ hours: own, slotMinutes: 60 }), hall, TZ))).toEqual(['08:00-09:00', '09:00-10:00']);
  });

  it('day edges: an all-day service runs from midnight to midnight, hall time', () => {
    const slots = slotsOfDay('2026-10-08', svc({ slotMinutes: 60, hours: { ...weekdayHours, allDay: true } }), hall, TZ);
    expect(slots).toHaveLength(24);
    expect(toHallIso(slots[0]!.start, TZ)).toBe('2026-10-08T00:00:00+08:00');
    expect(toHallIso(slots[23]!.end, TZ)).toBe('2026-10-09T00:00:00+08:00');
  });

  it('hall time, not the server zone: the same grid in another zone starts at its own midnight', () => {
    const tokyo = slotsOfDay('2026-10-08', svc({ slotMinutes: 30 }), hall, 'Asia/Tokyo');
    expect(toHallIso(tokyo[0]!.start, 'Asia/Tokyo')).toBe('2026-10-08T09:00:00+09:00');
    expect(tokyo[0]!.start).toBe(at('2026-10-08T09:00:00+08:00') - 3600_000);
  });

  it('lunch outside the opening span changes nothing; a lunch at opening time moves the start', () => {
    const late = { ...weekdayHours, open: { start: '14:00', end: '16:00' } };
    expect(times(slotsOfDay('2026-10-08', svc({ slotMinutes: 60, hours: late }), hall, TZ))).toEqual(['14:00-15:00', '15:00-16:00']);
    const lunchFirst = { ...weekdayHours, open: { start: '12:00', end: '15:30' } };
    expect(times(slotsOfDay('2026-10-08', svc({ slotMinutes: 60, hours: lunchFirst }), hall, TZ))).toEqual(['13:30-14:30', '14:30-15:30']);
  });

  it('findSlot: only a start on the grid', () => {
    expect(findSlot(at('2026-10-08T13:30:00+08:00'), svc({}), hall, TZ)).toBeDefined();
    expect(findSlot(at('2026-10-08T12:00:00+08:00'), svc({}), hall, TZ)).toBeUndefined();
    expect(findSlot(at('2026-10-08T09:15:00+08:00'), svc({}), hall, TZ)).toBeUndefined();
    expect(findSlot(at('2026-10-01T09:00:00+08:00'), svc({}), hall, TZ)).toBeUndefined();
  });
});

describe('when a slot may be booked', () => {
  const slot = { start: at('2026-10-08T10:00:00+08:00'), end: at('2026-10-08T10:30:00+08:00') };
  it.each([
    ['2026-10-08T10:00:00+08:00', 'past'],
    ['2026-10-08T10:10:00+08:00', 'past'],
    ['2026-10-08T09:30:00+08:00', 'cutoff'],
    ['2026-10-08T09:29:59+08:00', null],
    ['2026-10-01T09:00:00+08:00', null],
    ['2026-09-30T23:59:59+08:00', 'beyond-horizon'],
  ])('at %s: %s', (now, reason) => {
    expect(unbookableReason(slot, at(now), settings, TZ)).toBe(reason);
  });

  it('the horizon: today and the next 7 days', () => {
    expect(horizonDaysFrom('2026-12-29', settings)).toEqual(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05']);
  });

  it('check-in window and cancellation deadline', () => {
    const w = checkInWindow(slot, AppointmentSettings.parse({ checkInEarlyMinutes: 30, checkInLateMinutes: 15 }));
    expect(toHallIso(w.from, TZ)).toBe('2026-10-08T09:30:00+08:00');
    expect(toHallIso(w.until, TZ)).toBe('2026-10-08T10:45:00+08:00');
    expect(toHallIso(cancelDeadline(slot, settings), TZ)).toBe('2026-10-08T09:30:00+08:00');
  });
});

describe('爽约 block', () => {
  const day = (d: number): number => at('2026-01-01T10:00:00+08:00') + d * 86_400_000;
  const s = AppointmentSettings.parse({ noShowLimit: 3, noShowWindowDays: 90, blockDays: 30 });
  it.each([
    ['none', [], 0],
    ['two', [day(0), day(10)], 0],
    ['three within 90 days', [day(0), day(10), day(80)], day(80) + 30 * 86_400_000],
    ['three spread over more than 90 days', [day(0), day(10), day(95)], 0],
    ['order does not matter', [day(80), day(0), day(10)], day(80) + 30 * 86_400_000],
    // After a block, the no-shows that caused it do not block again.
    ['a fourth after the block', [day(0), day(1), day(2), day(40)], day(2) + 30 * 86_400_000],
    ['six: two blocks', [day(0), day(1), day(2), day(40), day(41), day(42)], day(42) + 30 * 86_400_000],
  ])('%s', (_name, noShows, until) => {
    expect(blockedUntil(noShows, s)).toBe(until);
  });
});

describe('issuingFrom: when a service issues tickets inside a check-in window', () => {
  // Tuesday 2026-10-13; the service keeps the hall's hours (lunch 12:00–13:30).
  const s = svc({ enabled: true });
  const hm = (iso: number | null): string | null => (iso === null ? null : toHallIso(iso, TZ).slice(11, 16));
  it.each([
    ['08:40', '09:00', '09:00'], // before the morning opening
    ['13:05', '13:30', '13:30'], // in the lunch break
    ['12:59:30', '13:30', '13:30'], // rounds up to a whole minute
    ['10:00', '10:30', '10:00'], // already issuing
    ['17:10', '17:30', null], // closed for the day
  ])('from %s to %s → %s', (from, to, want) => {
    const f = at(`2026-10-13T${from.length === 5 ? `${from}:00` : from}+08:00`);
    expect(hm(issuingFrom(s, hall, f, at(`2026-10-13T${to}:00+08:00`), TZ))).toBe(want);
  });
  it('a holiday issues nothing', () => {
    expect(issuingFrom(s, hall, at('2026-10-01T08:30:00+08:00'), at('2026-10-01T10:00:00+08:00'), TZ)).toBeNull();
  });
});
