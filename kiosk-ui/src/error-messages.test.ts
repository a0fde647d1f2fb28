import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '@hall/protocol';
import { messageFor } from './error-messages';

describe('messageFor', () => {
  it('gives every QUEUE.* refusal its own words, Chinese and English (issue 13 item 2)', () => {
    const codes = (Object.keys(ERROR_STATUS) as string[]).filter((c) => c.startsWith('QUEUE.'));
    const zh = codes.map((code) => messageFor({ code }).zh);
    const en = codes.map((code) => messageFor({ code }).en);
    expect(new Set(zh).size).toBe(codes.length);
    expect(new Set(en).size).toBe(codes.length);
    for (const m of [...zh, ...en]) expect(m).not.toMatch(/QUEUE\./);
  });

  it("says a full quota is today's numbers used up: come back tomorrow or book an appointment", () => {
    const m = messageFor({ code: 'QUEUE.QUOTA_REACHED' });
    expect(m.zh).toContain('今日号源已取完');
    expect(m.zh).toContain('明天');
    expect(m.zh).toContain('预约');
    expect(m.en).toMatch(/used up.*tomorrow.*appointment/);
    // The tile knew why the service was closed: the refusal says the same.
    expect(messageFor({ code: 'QUEUE.SERVICE_CLOSED', details: { reason: 'quota' } })).toEqual(m);
    expect(messageFor({ code: 'QUEUE.SERVICE_CLOSED', details: { reason: 'hours' } }).zh).toContain('不在取号时间');
    expect(messageFor({ code: 'QUEUE.SERVICE_CLOSED', details: { reason: 'disabled' } }).zh).toContain('暂停办理');
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
