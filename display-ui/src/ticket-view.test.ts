import { describe, expect, it } from 'vitest';
import type { PublicTicket } from '@hall/protocol';
import { readTicket, shouldAlert } from './ticket-view';

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
  it('offers the rating once the ticket is done and not rated', () => {
    expect(readTicket({ ...base, status: 'done' }).canRate).toBe(true);
    expect(readTicket({ ...base, status: 'done', rated: true }).canRate).toBe(false);
    expect(readTicket({ ...base, status: 'no-show' }).canRate).toBe(false);
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
