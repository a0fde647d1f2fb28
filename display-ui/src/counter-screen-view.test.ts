import { describe, expect, it } from 'vitest';
import type { CounterView, QueueSnapshot } from '@hall/protocol';
import { counterScreenView, nextNumbers, promptActive } from './counter-screen-view';

const counter = (over: Partial<CounterView> = {}): CounterView => ({
  id: 'c3',
  number: 3,
  name: '3号窗口 社保医保',
  state: 'open',
  pauseReason: null,
  serviceIds: ['s1', 's2'],
  currentTicket: null,
  clerk: { id: 'u1', name: '王芳', staffNo: 'C001' },
  zone: null,
  ...over,
});
const snap = (c: CounterView): QueueSnapshot =>
  ({
    hall: { id: 'h', name: '县政务服务中心', level: 'county' },
    day: '2026-11-26',
    services: [
      { id: 's1', waiting: 4 },
      { id: 's2', waiting: 1 },
    ],
    counters: [c],
    recentCalls: [],
    waitingNumbers: { s1: ['A002', 'A003', 'A004', 'A005'], s2: ['B007'] },
    notices: [],
    at: '2026-11-26T10:00:00+08:00',
  }) as unknown as QueueSnapshot;

describe('nextNumbers', () => {
  it.each([
    [['s1', 's2'], ['A002', 'B007', 'A003', 'A004', 'A005']],
    [['s2'], ['B007']],
    [['s9'], []],
  ])('%o → %o', (ids, next) => expect(nextNumbers(ids, { s1: ['A002', 'A003', 'A004', 'A005'], s2: ['B007'] })).toEqual(next));
  it('stops at the limit', () => expect(nextNumbers(['s1'], { s1: ['1', '2', '3', '4', '5', '6'] }, 3)).toEqual(['1', '2', '3']));
});

describe('counterScreenView', () => {
  it('an open counter calling a number: who serves, the number, the next ones', () => {
    const v = counterScreenView(snap(counter({ currentTicket: { id: 't', number: 'A001', status: 'called' } })), 'c3');
    expect(v).toMatchObject({
      number: 3,
      title: '社保医保',
      clerk: { id: 'u1', name: '王芳', staffNo: 'C001' },
      current: { number: 'A001', tone: 'called', state: { zh: '请到本窗口办理' } },
      status: { tone: 'open' },
      next: ['A002', 'B007', 'A003', 'A004', 'A005'],
      waiting: 5,
    });
  });
  it.each([
    [counter({ currentTicket: { id: 't', number: 'A001', status: 'serving' } }), '办理中', '正在办理'],
    [counter({ state: 'paused', pauseReason: '午间休息' }), '暂停服务：午间休息', null],
    [counter({ state: 'paused' }), '暂停服务', null],
    [counter({ state: 'closed', clerk: null }), '暂停办理', null],
    [counter(), '等待叫号', null],
  ])('%#: status %s', (c, status, current) => {
    const v = counterScreenView(snap(c), 'c3');
    expect(v?.status.zh).toBe(status);
    expect(v?.current?.state.zh ?? null).toBe(current);
  });
  it('another counter id shows nothing', () => expect(counterScreenView(snap(counter()), 'c4')).toBeNull());
});

describe('promptActive', () => {
  const p = { ticketId: 't', ticketNumber: 'A001', token: 'x', until: '2026-11-26T10:01:00+08:00' };
  it.each([
    [Date.parse('2026-11-26T10:00:30+08:00'), true],
    [Date.parse('2026-11-26T10:01:00+08:00'), false],
  ])('%i → %s', (now, active) => expect(promptActive(p, now)).toBe(active));
  it('no prompt', () => expect(promptActive(null, 0)).toBe(false));
});
