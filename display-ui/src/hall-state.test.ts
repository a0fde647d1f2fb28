import { describe, expect, it } from 'vitest';
import type { CounterView, QueueSnapshot, RecentCall, ServiceSummary } from '@hall/protocol';
import { applyCall, applyCounter, applyServices, applyWaitingNumbers, callState, callStateLabel, normalizeSnapshot, oneCallPerTicket, rotatingPage } from './hall-state';

const service = (id: string, waiting: number): ServiceSummary => ({
  id,
  prefix: id.toUpperCase(),
  name: id,
  nameEn: '',
  category: 'x',
  open: true,
  waiting,
  idRequired: false,
  materials: [],
  estimatedWaitMinutes: null,
});
const counter = (id: string, number: number, current: string | null = null): CounterView => ({
  id,
  number,
  name: `${number}号窗口`,
  state: 'open',
  pauseReason: null,
  serviceIds: ['a'],
  currentTicket: current ? { id: `t-${current}`, number: current, status: 'called' } : null,
  clerk: null,
  zone: null,
});
const call = (ticketNumber: string, counterNumber: number, recall = false): RecentCall => ({
  ticketNumber,
  ticketId: `t-${ticketNumber}`,
  counterNumber,
  counterName: `${counterNumber}号窗口`,
  serviceName: 'a',
  phrase: `请${ticketNumber}号到${counterNumber}号窗口办理`,
  at: '2026-11-26T09:30:00+08:00',
  recall,
});
const snap = (): QueueSnapshot => ({
  hall: { id: 'h', name: 'Hall', level: 'county' },
  day: '2026-11-26',
  services: [service('a', 3), service('b', 1)],
  counters: [counter('c2', 2), counter('c1', 1)],
  recentCalls: [call('A001', 1)],
  waitingNumbers: { a: ['A002', 'A003', 'A004'], b: ['B001'] },
  notices: [],
  at: '2026-11-26T09:30:00+08:00',
});

describe('applyCall', () => {
  it('puts the call on top and takes its number out of the next list', () => {
    const s = applyCall(snap(), call('A002', 2));
    expect(s.recentCalls.map((c) => c.ticketNumber)).toEqual(['A002', 'A001']);
    expect(s.waitingNumbers.a).toEqual(['A003', 'A004']);
  });
  it('keeps one entry per ticket when it is recalled', () => {
    const s = applyCall(applyCall(snap(), call('A002', 2)), call('A002', 2, true));
    expect(s.recentCalls.map((c) => [c.ticketNumber, c.recall])).toEqual([
      ['A002', true],
      ['A001', false],
    ]);
  });
});

describe('one line per ticket (issue #13 item 10)', () => {
  it("keeps the newest of a ticket's calls and recalls from the server's list", () => {
    // The server keeps every call record: a call and three recalls of A002, newest first.
    const server = [call('A002', 2, true), call('A002', 2, true), call('A003', 1), call('A002', 2, true), call('A002', 2), call('A001', 1)];
    expect(oneCallPerTicket(server).map((c) => [c.ticketNumber, c.recall])).toEqual([
      ['A002', true],
      ['A003', false],
      ['A001', false],
    ]);
    const s = normalizeSnapshot({ ...snap(), recentCalls: server });
    expect(s.recentCalls.map((c) => c.ticketNumber)).toEqual(['A002', 'A003', 'A001']);
    expect(s.counters.map((c) => c.number)).toEqual([1, 2]);
  });
  it('moves a recalled ticket to the top without a second line', () => {
    let s = normalizeSnapshot(snap());
    for (const n of ['A002', 'A003']) s = applyCall(s, call(n, 2));
    for (let i = 0; i < 3; i++) s = applyCall(s, call('A002', 2, true));
    expect(s.recentCalls.map((c) => c.ticketNumber)).toEqual(['A002', 'A003', 'A001']);
  });
});

describe('callState: 请到 vs 办理中', () => {
  const at = (status: 'called' | 'serving') => [{ ...counter('c2', 2), currentTicket: { id: 't-A002', number: 'A002', status } }];
  it('says 请到 while the ticket is only called', () => {
    expect(callState(call('A002', 2), at('called'))).toBe('calling');
    expect(callStateLabel('calling')?.zh).toBe('请到');
  });
  it('says 办理中 once the clerk serves it', () => {
    expect(callState(call('A002', 2), at('serving'))).toBe('serving');
    expect(callStateLabel('serving')?.zh).toBe('办理中');
  });
  it('says 请到 for a new call before its counter event arrives, and keeps a recalled ticket as it was', () => {
    const s = applyCall(snap(), call('A002', 2));
    expect(callState(call('A002', 2), s.counters)).toBe('calling');
    expect(s.counters.find((c) => c.number === 2)?.currentTicket).toEqual({ id: 't-A002', number: 'A002', status: 'called' });
    const serving = { ...snap(), counters: at('serving') };
    expect(callState(call('A002', 2, true), applyCall(serving, call('A002', 2, true)).counters)).toBe('serving');
  });
  it('says nothing once the counter has moved on', () => {
    expect(callState(call('A001', 2), at('serving'))).toBe('past');
    expect(callState(call('A002', 2), [counter('c2', 2)])).toBe('past');
    expect(callState(call('A002', 7), at('called'))).toBe('past');
    expect(callStateLabel('past')).toBeNull();
  });
});

describe('applyServices', () => {
  it('cuts next lists to the new counts', () => {
    const s = applyServices(snap(), [service('a', 1), service('b', 4)]);
    expect(s.waitingNumbers.a).toEqual(['A002']);
    expect(s.waitingNumbers.b).toEqual(['B001']);
    expect(s.services[0]?.waiting).toBe(1);
  });
  it('takes fresh lists when they come', () => {
    const s = applyWaitingNumbers(snap(), { waitingNumbers: { a: ['A009'], b: [] }, services: [service('a', 1), service('b', 0)] });
    expect(s.waitingNumbers).toEqual({ a: ['A009'], b: [] });
  });
});

describe('applyCounter', () => {
  it('replaces by id and keeps wall order', () => {
    const s = applyCounter(snap(), counter('c1', 1, 'A002'));
    expect(s.counters.map((c) => [c.number, c.currentTicket?.number ?? null])).toEqual([
      [1, 'A002'],
      [2, null],
    ]);
    expect(applyCounter(snap(), counter('c9', 9)).counters.map((c) => c.number)).toEqual([1, 2, 9]);
  });
});

describe('rotatingPage', () => {
  it('turns through the pages', () => {
    const items = [1, 2, 3, 4, 5];
    expect(rotatingPage(items, 2, 0)).toEqual({ items: [1, 2], page: 0, pages: 3 });
    expect(rotatingPage(items, 2, 2)).toEqual({ items: [5], page: 2, pages: 3 });
    expect(rotatingPage(items, 2, 4).page).toBe(1);
    expect(rotatingPage([], 8, 7)).toEqual({ items: [], page: 0, pages: 1 });
  });
});
