import { describe, expect, it } from 'vitest';
import { clockSkewMs, hallClock, hallHourMinute, offsetMinutesOf } from './clock';

describe('hall clock', () => {
  it('reads offsets', () => {
    expect(offsetMinutesOf('2026-11-26T09:30:00+08:00')).toBe(480);
    expect(offsetMinutesOf('2026-11-26T09:30:00.123-05:30')).toBe(-330);
    expect(offsetMinutesOf('2026-11-26T01:30:00Z')).toBe(0);
    expect(offsetMinutesOf('2026-11-26')).toBeNull();
  });
  it('shows the hall day and time whatever the PC zone', () => {
    const t = Date.parse('2026-11-26T16:05:09Z');
    expect(hallClock(t, 480)).toEqual({ date: '2026年11月27日', weekday: '星期五', weekdayEn: 'Fri', time: '00:05:09' });
  });
  it('measures the skew and formats call times', () => {
    expect(clockSkewMs('2026-11-26T09:30:05+08:00', Date.parse('2026-11-26T01:30:00Z'))).toBe(5000);
    expect(clockSkewMs('garbage', 1)).toBe(0);
    expect(hallHourMinute('2026-11-26T09:31:44+08:00')).toBe('09:31');
  });
});
