import { describe, expect, it } from 'vitest';
import type { PublicTicket } from '@hall/protocol';
import { effectiveStatus, pageTitle, readTicket, shouldAlert } from './ticket-view';

const base: PublicTicket = {
  id: 't1',
  number: 'A012',
  serviceId: 's',
  serviceName: '社保业务',
  priority: 'normal',
  source: 'kiosk',
  status: 'waiting',
  waitingAhead: 4,
  estimatedWaitMinutes: 18,
  issuedAt: '2026-11-26T09:00:00+08:00',
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  counterId: null,
  counterNumber: null,
  recalls: 0,
  requeues: 0,
  transferredFrom: null,
  rated: false,
};

describe('readTicket', () => {
  it('says how many are ahead and how long', () => {
    const r = readTicket(base);
    expect(r.headline.zh).toBe('前面还有 4 人');
    expect(r.lines[0]?.zh).toBe('预计等候：约 18 分钟');
    expect(readTicket({ ...base, waitingAhead: 0 }).headline.zh).toBe('您是下一位');
  });
  it('names the counter when called', () => {
    const r = readTicket({ ...base, status: 'called', counterNumber: 3, calledAt: '2026-11-26T09:20:00+08:00' });
    expect(r.headline.zh).toBe('请到3号窗口');
    expect(r.tone).toBe('called');
  });
  it('says what to do after a recall', () => {
    const r = readTicket({ ...base, status: 'called', counterNumber: 3, recalls: 2 });
    expect(r.lines.map((l) => l.zh)).toContain('已重呼 2 次，请尽快前往，以免过号');
    expect(r.final).toBe(false);
  });
  it('names the counter while being served', () => {
    const r = readTicket({ ...base, status: 'serving', counterNumber: 3 });
    expect([r.tone, r.headline.zh, r.final]).toEqual(['serving', '正在3号窗口办理', false]);
  });
  it('closes a served ticket with the rating or the thanks', () => {
    const r = readTicket({ ...base, status: 'done', counterNumber: 3 });
    expect([r.tone, r.statusKey, r.final, r.canRate]).toEqual(['done', 'done', true, true]);
    expect(r.headline.zh).toBe('业务已办结，请为本次服务评价');
    expect(readTicket({ ...base, status: 'done', rated: true }).headline.zh).toBe('业务已办结，感谢您的评价');
  });
  it('tells a missed (过号) holder where to go and what else to do', () => {
    const r = readTicket({ ...base, status: 'no-show' });
    expect([r.tone, r.status.zh, r.headline.zh, r.final]).toEqual(['ended', '已过号', '您已过号', true]);
    expect(r.lines.map((l) => l.zh)).toEqual(['请持号票到服务台（咨询台）说明情况，工作人员可为您重新排队', '也可以重新取号']);
    expect(r.lines.every((l) => l.en.length > 0)).toBe(true);
  });
  it('says a re-queued ticket is waiting again', () => {
    const r = readTicket({ ...base, requeues: 1 });
    expect([r.tone, r.final]).toEqual(['waiting', false]);
    expect(r.lines.map((l) => l.zh)).toContain('过号后已重新排队');
  });
  it('says a cancelled ticket is over and how to be served', () => {
    const r = readTicket({ ...base, status: 'cancelled' });
    expect([r.headline.zh, r.final]).toEqual(['该号已取消', true]);
    expect(r.lines[0]?.zh).toBe('如仍需办理，请重新取号或到服务台咨询');
  });
  it('says an expired ticket is over for today', () => {
    const r = readTicket({ ...base, status: 'expired' });
    expect([r.headline.zh, r.status.zh, r.final, r.canRate]).toEqual(['今日办理已结束，该号已失效', '已失效', true, false]);
    expect(r.lines[0]?.zh).toBe('请在办理时间内重新取号，或预约办理');
  });
  it("reads a ticket still open at the hall's next day as expired (issue #13 item 6: not 前面还有1人)", () => {
    const open = { ...base, waitingAhead: 1 };
    expect(effectiveStatus(open, { today: '2026-11-26' })).toBe('waiting');
    expect(effectiveStatus(open, { today: '2026-11-27' })).toBe('expired');
    expect(effectiveStatus({ ...base, status: 'called' }, { today: '2026-11-27' })).toBe('expired');
    // A final state stays what it was.
    expect(effectiveStatus({ ...base, status: 'done' }, { today: '2026-11-27' })).toBe('done');
    const r = readTicket(open, { today: '2026-11-27' });
    expect([r.statusKey, r.tone, r.headline.zh, r.final]).toEqual(['expired', 'ended', '今日办理已结束，该号已失效', true]);
    expect(JSON.stringify(r)).not.toContain('前面还有');
  });
  it('says a transferred ticket waits in its new service, named with where it came from', () => {
    const moved = { ...base, serviceId: 's2', serviceName: '不动产登记', transferredFrom: 's', waitingAhead: 2 };
    const r = readTicket(moved, { serviceNames: { s: '社保业务', s2: '不动产登记' } });
    expect([r.tone, r.status.zh, r.headline.zh, r.final]).toEqual(['waiting', '已转办 · 等候中', '前面还有 2 人', false]);
    expect(r.lines.map((l) => l.zh)).toContain('已从「社保业务」转至「不动产登记」，无需重新取号，请留意叫号');
    // Without the hall's names it still says where it went.
    expect(readTicket(moved).lines.map((l) => l.zh)).toContain('已转至「不动产登记」，无需重新取号，请留意叫号');
  });
  it('says a ticket passed to another counter of its service waits for that counter', () => {
    const r = readTicket({ ...base, transferredFrom: 's' }, { serviceNames: { s: '社保业务' } });
    expect(r.status.zh).toBe('已转办 · 等候中');
    expect(r.lines.map((l) => l.zh)).toContain('已转至其他窗口办理，无需重新取号，请留意叫号');
    expect(JSON.stringify(r.lines)).not.toContain('转至「社保业务」');
  });
  it('offers the rating once the ticket is done and not rated', () => {
    expect(readTicket({ ...base, status: 'done' }).canRate).toBe(true);
    expect(readTicket({ ...base, status: 'done', rated: true }).canRate).toBe(false);
    expect(readTicket({ ...base, status: 'no-show' }).canRate).toBe(false);
  });
});

describe('pageTitle', () => {
  it('puts the counter in the tab title when called', () => {
    const called = { ...base, status: 'called' as const, counterNumber: 3 };
    expect(pageTitle(called, readTicket(called))).toBe('请到3号窗口 · A012');
    expect(pageTitle(base, readTicket(base))).toBe('A012 等候中 · 我的排队');
    expect(pageTitle(null, null)).toBe('我的排队 My ticket');
  });
});

describe('shouldAlert', () => {
  const called = { ...base, status: 'called' as const, counterNumber: 3, calledAt: 'x' };
  it('buzzes on the call and on a recall only', () => {
    expect(shouldAlert(null, called)).toBe(false);
    expect(shouldAlert(base, called)).toBe(true);
    expect(shouldAlert(called, called)).toBe(false);
    expect(shouldAlert(called, { ...called, recalls: 1 })).toBe(true);
    expect(shouldAlert(called, { ...called, status: 'serving' })).toBe(false);
  });
});
