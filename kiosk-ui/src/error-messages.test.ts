import { describe, expect, it } from 'vitest';
import { messageFor } from './error-messages';

describe('messageFor', () => {
  it('gives the fixed sentences for the queue codes', () => {
    expect(messageFor({ code: 'QUEUE.SERVICE_CLOSED' }).zh).toBe('当前不在取号时间');
    expect(messageFor({ code: 'QUEUE.QUOTA_REACHED' }).zh).toBe('今日号已取完');
    expect(messageFor({ code: 'QUEUE.ID_REQUIRED' }).zh).toBe('请先刷身份证');
    expect(messageFor({ code: 'QUEUE.ID_LIMIT_REACHED' }).zh).toContain('不能重复取号');
    expect(messageFor({ code: 'QUEUE.SERVICE_CLOSED' }).en).toMatch(/not issued/);
  });

  it('says how long to wait when the server gives Retry-After', () => {
    expect(messageFor({ code: 'RATE.LIMITED', details: { retryAfter: 12.2 } }).zh).toBe('取号太频繁，请 13 秒后再试');
    expect(messageFor({ code: 'RATE.LIMITED' }).zh).toBe('取号太频繁，请稍后再试');
  });

  it('tells early from late check-in by the protocol codes', () => {
    expect(messageFor({ code: 'APPOINTMENT.TOO_EARLY' }).zh).toContain('还未到签到时间');
    expect(messageFor({ code: 'APPOINTMENT.TOO_LATE' }).zh).toContain('已过签到时间');
    expect(messageFor({ code: 'APPOINTMENT.NOT_FOUND' }).zh).toContain('未找到该预约');
  });

  it('names an unknown code instead of failing', () => {
    const m = messageFor({ code: 'FOO.BAR' });
    expect(m.zh).toContain('FOO.BAR');
    expect(m.en).toContain('FOO.BAR');
    expect(messageFor({ code: 'constructor' }).zh).toContain('constructor');
  });
});
