import { describe, expect, it } from 'vitest';
import { bookingMessage, dayLabel, dayPlacesLabel, formProblems, groupCode, placesLabel, slotBookable, slotLabel, whenLabel } from './booking-view';

const slot = (booked: number, open = true) => ({ start: '2026-11-26T10:00:00+08:00', end: '2026-11-26T10:30:00+08:00', capacity: 2, booked, open });

describe('booking page words (issue 16)', () => {
  it('days: today, tomorrow, then weekdays', () => {
    expect(dayLabel('2026-11-26', '2026-11-26').zh).toBe('11月26日 今天');
    expect(dayLabel('2026-11-27', '2026-11-26').zh).toBe('11月27日 明天');
    expect(dayLabel('2026-11-28', '2026-11-26').zh).toBe('11月28日 后天');
    expect(dayLabel('2026-11-30', '2026-11-26')).toEqual({ zh: '11月30日 周一', en: 'Mon 30/11' });
    expect(dayLabel('2027-01-01', '2026-12-31').zh).toBe('1月1日 明天');
  });

  it('slots: time, places left, full or closed', () => {
    expect(slotLabel(slot(0))).toBe('10:00–10:30');
    expect(whenLabel(slot(0))).toBe('11月26日 10:00–10:30');
    expect(placesLabel(slot(1)).zh).toBe('余 1 个');
    expect(placesLabel(slot(2)).zh).toBe('已约满');
    expect(placesLabel(slot(0, false)).zh).toBe('已截止');
    expect([slotBookable(slot(1)), slotBookable(slot(2)), slotBookable(slot(0, false))]).toEqual([true, false, false]);
    expect(dayPlacesLabel({ date: '2026-11-27', open: false, capacity: 0, booked: 0, free: 0 }).zh).toBe('不可预约');
    expect(dayPlacesLabel({ date: '2026-11-26', open: true, capacity: 26, booked: 26, free: 0 }).zh).toBe('已约满');
    expect(dayPlacesLabel({ date: '2026-11-26', open: true, capacity: 26, booked: 3, free: 20 }).zh).toBe('余 20 个');
  });

  it('code in groups of four', () => {
    expect(groupCode('1234567890')).toBe('1234 5678 90');
  });

  it('the form: name, a GB 11643 number, an optional phone', () => {
    expect(formProblems({ name: '张三', idNumber: '110105199001010010', phone: '' })).toEqual({});
    expect(formProblems({ name: '张三', idNumber: '11010519900101001x', phone: '138 1234 5678' }).idNumber?.zh).toBe('身份证号码有误，请核对');
    const bad = formProblems({ name: ' ', idNumber: '', phone: 'abc' });
    expect(Object.keys(bad).sort()).toEqual(['idNumber', 'name', 'phone']);
  });

  it("refusals in the page's words", () => {
    expect(bookingMessage('APPOINTMENT.SLOT_FULL').zh).toContain('约满');
    expect(bookingMessage('APPOINTMENT.BLOCKED', { until: '2026-12-31T10:30:00+08:00' }).zh).toBe('因多次预约未到（爽约），12月31日前暂停预约');
    expect(bookingMessage('APPOINTMENT.ID_LIMIT_REACHED', { per: 'day' }).zh).toBe('该身份证当天已有预约');
    expect(bookingMessage('X.Y').zh).toBe('操作未成功（X.Y）');
  });
});
