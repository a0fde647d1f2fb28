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

describe('appointment check-in messages (issue 16)', () => {
  it('early: when to come back, and the rule', () => {
    const m = messageFor({ code: 'APPOINTMENT.TOO_EARLY', details: { checkInFrom: '2026-11-26T10:30:00+08:00', earlyMinutes: 30 } });
    expect(m.zh).toBe('还未到签到时间，请于 11月26日 10:30 后再来签到（预约时段开始前 30 分钟起可签到）');
    expect(m.en).toContain('10:30 on 2026-11-26');
  });
  it('late: when check-in closed; a ticket is still to be had', () => {
    expect(messageFor({ code: 'APPOINTMENT.TOO_LATE', details: { checkInUntil: '2026-11-26T14:00:00+08:00' } }).zh).toBe('预约签到已于 11月26日 14:00 截止，预约已失效，请选择业务现场取号');
  });
  it('used: the number already given', () => {
    expect(messageFor({ code: 'APPOINTMENT.USED', details: { ticketNumber: 'A012' } }).zh).toContain('A012');
  });
  it('without details: the plain sentence', () => {
    expect(messageFor({ code: 'APPOINTMENT.TOO_EARLY' }).zh).toBe('还未到签到时间，请稍后再来签到');
  });
});
