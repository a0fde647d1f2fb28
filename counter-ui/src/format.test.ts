import { describe, expect, it } from 'vitest';
import { clockOf, formatElapsed, minutesSince, priorityLabel, ticketBadge, waitLevel } from './format';

const now = Date.parse('2026-11-26T10:00:00+08:00');

describe('staff format', () => {
  it('measures waits', () => {
    expect(minutesSince('2026-11-26T09:15:30+08:00', now)).toBe(44);
    expect(minutesSince(null, now)).toBeNull();
    expect(minutesSince('2026-11-26T10:05:00+08:00', now)).toBe(0);
  });
  it('formats a running timer', () => {
    expect(formatElapsed('2026-11-26T09:55:55+08:00', now)).toBe('4:05');
    expect(formatElapsed('2026-11-26T08:57:55+08:00', now)).toBe('1:02:05');
    expect(formatElapsed(null, now)).toBe('');
  });
  it('grades a wait against its limit', () => {
    expect(waitLevel(10, 30)).toBe('ok');
    expect(waitLevel(24, 30)).toBe('near');
    expect(waitLevel(31, 30)).toBe('over');
    expect(waitLevel(31, null)).toBe('unknown');
    expect(waitLevel(null, 30)).toBe('unknown');
  });
  it('labels and clock times', () => {
    expect(priorityLabel('elderly')).toBe('老年人');
    expect(clockOf('2026-11-26T09:07:00+08:00')).toBe('09:07');
  });
});

describe('ticket badge at the desk (issue 16)', () => {
  it('an appointment shows 预约; a late one 预约·迟到; other classes their label; normal none', () => {
    expect(ticketBadge({ priority: 'appointment', source: 'appointment' })).toBe('预约');
    expect(ticketBadge({ priority: 'normal', source: 'appointment' })).toBe('预约·迟到');
    expect(ticketBadge({ priority: 'elderly', source: 'kiosk' })).toBe(priorityLabel('elderly'));
    expect(ticketBadge({ priority: 'normal', source: 'kiosk' })).toBeNull();
  });
});
