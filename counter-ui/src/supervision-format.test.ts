import { describe, expect, it } from 'vitest';
import { ALERT_RULE_ZH, CASE_STATUS_ZH, NEXT_STATUSES, hourlySeries, minutes, percent } from './supervision-format';

describe('supervision formatting', () => {
  it.each([
    [0.8734, '87.3%'],
    [1, '100.0%'],
    [null, '—'],
  ])('percent(%s) = %s', (v, s) => expect(percent(v)).toBe(s));

  it('minutes', () => {
    expect(minutes(12.345)).toBe('12.3 分钟');
    expect(minutes(null)).toBe('—');
  });

  it('hourly series cover the busy hours only', () => {
    const s = hourlySeries({ hourly: [{ hour: 9, arrivals: 10, served: 4 }, { hour: 11, arrivals: 2, served: 8 }] });
    expect(s.hours).toEqual(['09时', '10时', '11时']);
    expect(s.arrivals).toEqual([10, 0, 2]);
    expect(s.served).toEqual([4, 0, 8]);
    expect(hourlySeries({ hourly: [] }).hours).toHaveLength(24);
  });

  it('every status and rule has a Chinese label; closed cases offer no move', () => {
    expect(Object.keys(CASE_STATUS_ZH)).toHaveLength(6);
    expect(Object.keys(ALERT_RULE_ZH)).toHaveLength(6);
    expect(NEXT_STATUSES.rectified).toEqual([]);
    expect(NEXT_STATUSES.pending).toEqual(['valid', 'invalid']);
  });
});
