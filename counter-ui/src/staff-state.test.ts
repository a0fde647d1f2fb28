import { describe, expect, it } from 'vitest';
import type { CounterView, StaffSnapshot, Ticket } from '@hall/protocol';
import { applyCall, applyCounter, applyTicket, counterTitle, myCounter, touchesToday, transferChoices, waitingFor } from './staff-state';

const ticket = (number: string, status: Ticket['status'], serviceId = 'a', issuedAt = '2026-11-26T09:00:00+08:00'): Ticket => ({
  id: `t-${number}`,
  number,
  serviceId,
  serviceName: serviceId,
  priority: 'normal',
  source: 'kiosk',
  status,
  waitingAhead: 0,
  estimatedWaitMinutes: null,
  holderName: null,
  issuedAt,
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  counterId: status === 'waiting' ? null : 'c1',
  counterNumber: status === 'waiting' ? null : 1,
  recalls: 0,
  requeues: 0,
  transferredFrom: null,
  rated: false,
});
const counter = (id: string, number: number, clerkId: string | null): CounterView => ({
  id,
  number,
  name: `${number}号窗口`,
  state: clerkId ? 'open' : 'closed',
  pauseReason: null,
  serviceIds: ['a'],
  currentTicket: null,
  clerk: clerkId ? { id: clerkId, name: 'x', staffNo: '' } : null,
  zone: null,
});
const snap = (): StaffSnapshot => ({
  hall: { id: 'h', name: 'H', level: 'county' },
  day: '2026-11-26',
  services: [],
  counters: [counter('c1', 1, 'u1'), counter('c2', 2, null)],
  recentCalls: [],
  waitingNumbers: { a: ['A003', 'A002'], b: ['B001'] },
  notices: [],
  at: '',
  journal: { journal: 'ok', reason: null },
  tickets: [
    ticket('A002', 'waiting', 'a', '2026-11-26T09:00:00+08:00'),
    ticket('A003', 'waiting', 'a', '2026-11-26T09:05:00+08:00'),
    ticket('B001', 'waiting', 'b'),
    ticket('A004', 'waiting', 'a', '2026-11-26T09:10:00+08:00'),
  ],
  me: { id: 'u1', name: 'x', role: 'clerk', counterId: 'c1' },
});

describe('staff state', () => {
  it('keeps active tickets and drops finished ones', () => {
    let s = applyTicket(snap(), ticket('A002', 'called'));
    expect(s.tickets.find((t) => t.number === 'A002')?.status).toBe('called');
    expect(s.waitingNumbers.a).toEqual(['A003']);
    s = applyTicket(s, ticket('A002', 'done'));
    expect(s.tickets.some((t) => t.number === 'A002')).toBe(false);
  });
  it('orders waiting tickets by the projected order, then by issue time', () => {
    expect(waitingFor(snap(), ['a']).map((t) => t.number)).toEqual(['A003', 'A002', 'A004']);
    expect(waitingFor(snap(), ['b']).map((t) => [t.number, t.ticket?.id])).toEqual([['B001', 't-B001']]);
  });
  it('shows projected numbers even without their tickets', () => {
    const s = { ...snap(), tickets: [] };
    expect(waitingFor(s, ['a', 'b']).map((t) => [t.number, t.serviceId, t.ticket])).toEqual([
      ['A003', 'a', null],
      ['A002', 'a', null],
      ['B001', 'b', null],
    ]);
  });
  it('moves a transferred number out of its old list', () => {
    const moved = { ...ticket('A003', 'waiting', 'b') };
    const s = applyTicket(snap(), moved);
    expect(s.waitingNumbers.a).toEqual(['A002']);
    expect(waitingFor(s, ['b']).map((t) => t.number)).toEqual(['B001', 'A003']);
  });
  it('drops the counter number from its name', () => {
    expect(counterTitle(1, '1号窗口 社保医保')).toBe('社保医保');
    expect(counterTitle(12, '12号窗口')).toBe('');
    expect(counterTitle(3, '综合受理')).toBe('综合受理');
    expect(counterTitle(3, '13号窗口')).toBe('13号窗口');
  });
  it('finds my counter and follows counter changes', () => {
    expect(myCounter(snap())?.id).toBe('c1');
    const s = applyCounter(snap(), counter('c1', 1, null));
    expect(myCounter(s)).toBeNull();
    expect(s.counters.map((c) => c.id)).toEqual(['c1', 'c2']);
  });
  it('keeps one recent call per ticket', () => {
    const call = { ticketNumber: 'A1', ticketId: 't1', counterNumber: 1, counterName: '', serviceName: '', phrase: '', at: '', recall: false };
    const s = applyCall(applyCall(snap(), call), { ...call, recall: true });
    expect(s.recentCalls).toHaveLength(1);
  });
  it('asks for the day figures again when a ticket closes at the counter or a missed one moves', () => {
    const today = { counterId: 'c1', day: '2026-11-26', served: 0, noShow: 1, transferred: 0, missed: [{ ticketId: 't-A009', ticketNumber: 'A009', serviceId: 'A', at: '' }] };
    expect(touchesToday('c1', today, ticket('A002', 'done'))).toBe(true);
    expect(touchesToday('c1', today, ticket('A002', 'no-show'))).toBe(true);
    expect(touchesToday('c1', today, ticket('A002', 'called'))).toBe(false);
    expect(touchesToday('c2', today, ticket('A002', 'done'))).toBe(false);
    expect(touchesToday('c1', today, { ...ticket('A009', 'waiting'), counterId: null })).toBe(true);
    expect(touchesToday('c1', null, { ...ticket('A009', 'waiting'), counterId: null })).toBe(false);
  });

  it('offers transfers to services some open counter serves and to the other signed-in counters', () => {
    const svc = (id: string) => ({ id, prefix: id.toUpperCase(), name: id, nameEn: '', category: '', open: true, waiting: 0, idRequired: false, materials: [], estimatedWaitMinutes: null });
    const c = (id: string, n: number, state: CounterView['state'], serviceIds: string[]): CounterView => ({ ...counter(id, n, null), state, serviceIds });
    const s: StaffSnapshot = {
      ...snap(),
      services: [svc('a'), svc('b'), svc('c'), svc('d')],
      counters: [c('c1', 1, 'open', ['a']), c('c2', 2, 'open', ['b']), c('c3', 3, 'paused', ['c']), c('c4', 4, 'closed', ['d'])],
    };
    const choices = transferChoices(s, s.counters[0] as CounterView, 'a');
    expect(choices.services.map((x) => x.id)).toEqual(['b']);
    expect(choices.counters.map((x) => x.id)).toEqual(['c2', 'c3']);
  });
});
