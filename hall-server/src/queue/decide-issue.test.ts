import { describe, expect, it } from 'vitest';
import type { EventOf } from '@hall/protocol';
import { ADMIN, KIOSK, makeConfig, staff, TestHall } from './test-support';
import { replay } from './apply';

const at = (iso: string) => Date.parse(iso);
const holder = (idHash: string, birthDate: string | null = '1990-05-01') => ({ maskedName: '张*三', idHash, birthDate });

describe('ticket.issue', () => {
  it('numbers per service per day from numberStart, three digits then four', () => {
    const h = new TestHall();
    expect(h.number(h.issue('A'))).toBe('A001');
    expect(h.number(h.issue('B'))).toBe('B001');
    expect(h.number(h.issue('A'))).toBe('A002');
    expect(['GA998', 'GA999', 'GA1000', 'GA1001']).toEqual([1, 2, 3, 4].map(() => h.number(h.issue('G'))));
  });

  it('a request key seen that day gets its ticket again: no events, even past the quota, and after a replay', () => {
    const h = new TestHall();
    const cmd = { type: 'ticket.issue', serviceId: 'D', source: 'kiosk', requestKey: 't:kiosk-1:tap-1' } as const;
    const first = h.run(cmd, KIOSK);
    expect(first.ok).toBe(true);
    expect((h.events[0] as EventOf<'ticket.issued'>).requestKey).toBe('t:kiosk-1:tap-1');
    h.issue('D');
    const before = h.events.length;
    const again = h.run(cmd, KIOSK);
    expect(again).toEqual({ ok: true, events: [], ticketId: first.ok ? first.ticketId : null, counterId: null });
    expect(h.events.length).toBe(before);
    expect(h.err({ ...cmd, requestKey: 't:kiosk-1:tap-2' }, KIOSK).code).toBe('QUEUE.QUOTA_REACHED');
    const replayed = replay(h.state.day, h.events);
    expect(replayed.requestKeys).toEqual(new Map([['t:kiosk-1:tap-1', first.ok ? first.ticketId : '']]));
  });

  it('counts quota per service and leaves other services alone', () => {
    const h = new TestHall();
    h.issue('D');
    h.issue('D');
    expect(h.err({ type: 'ticket.issue', serviceId: 'D', source: 'staff' }).code).toBe('QUEUE.QUOTA_REACHED');
    expect(h.number(h.issue('A'))).toBe('A001');
  });

  it('never hands out a number string twice, even when two services share a prefix', () => {
    const config = makeConfig();
    config.services.push({ ...config.services[0]!, id: 'A2', name: '社保二' });
    const h = new TestHall(config);
    expect(h.number(h.issue('A'))).toBe('A001');
    expect(h.number(h.issue('A2'))).toBe('A002');
    expect(h.number(h.issue('A'))).toBe('A003');
  });

  it('records the issue event with every decision and no birth date', () => {
    const h = new TestHall();
    const res = h.run({ type: 'ticket.issue', serviceId: 'A', source: 'kiosk', holder: holder('hash-1') }, KIOSK);
    expect(res.ok).toBe(true);
    const e = h.events[0] as EventOf<'ticket.issued'>;
    expect(e).toEqual({
      id: expect.any(String),
      type: 'ticket.issued',
      at: '2026-11-26T09:30:00+08:00',
      actor: KIOSK,
      ticketId: res.ok ? res.ticketId : '',
      serviceId: 'A',
      number: 'A001',
      numberValue: 1,
      priority: 'normal',
      source: 'kiosk',
      terminalId: 'k1',
      holder: { maskedName: '张*三', idHash: 'hash-1' },
      appointment: null,
      trackToken: expect.stringMatching(/^tok/),
      position: 0,
    });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(res.ok && res.counterId).toBe(null);
  });

  it('opens by ticket hours: morning, after lunch, make-up workday, all-day service', () => {
    const ok = (iso: string, service = 'A') => {
      const h = new TestHall(makeConfig(), { now: at(iso) });
      return h.run({ type: 'ticket.issue', serviceId: service, source: 'staff' }).ok;
    };
    expect(ok('2026-11-26T09:00:00+08:00')).toBe(true);
    expect(ok('2026-11-26T11:59:59+08:00')).toBe(true);
    expect(ok('2026-11-26T12:00:00+08:00')).toBe(false);
    expect(ok('2026-11-26T13:29:59+08:00')).toBe(false);
    expect(ok('2026-11-26T13:30:00+08:00')).toBe(true);
    expect(ok('2026-11-26T16:59:59+08:00')).toBe(true);
    expect(ok('2026-11-26T17:00:00+08:00')).toBe(false);
    expect(ok('2026-09-27T10:00:00+08:00')).toBe(true); // a Sunday made a workday (调休)
    expect(ok('2026-09-26T10:00:00+08:00')).toBe(false); // the Saturday before
    expect(ok('2026-10-01T10:00:00+08:00')).toBe(false); // National Day, a Thursday
    expect(ok('2026-10-01T03:00:00+08:00', 'F')).toBe(true); // allDay ignores hours and calendar
    expect(ok('2026-11-28T23:59:00+08:00', 'F')).toBe(true);
  });

  it('a service without its own hours follows the hall; an allDay hall is always open', () => {
    const h = new TestHall(makeConfig({ hours: { allDay: true } }), { now: at('2026-10-01T02:00:00+08:00') });
    expect(h.run({ type: 'ticket.issue', serviceId: 'A', source: 'staff' }).ok).toBe(true);
  });

  it('reads the hall day in the hall zone, not UTC', () => {
    // 2026-11-27T01:30 UTC is 09:30 on Friday the 27th in Shanghai.
    const h = new TestHall(makeConfig(), { now: Date.parse('2026-11-27T01:30:00Z'), day: '2026-11-27' });
    expect(h.run({ type: 'ticket.issue', serviceId: 'A', source: 'staff' }).ok).toBe(true);
    expect(h.events[0]?.at).toBe('2026-11-27T09:30:00+08:00');
  });

  it('an ID-only service accepts a card or an appointment', () => {
    const h = new TestHall();
    h.issue('C', undefined, KIOSK, { holder: holder('x') });
    h.issue('C', undefined, KIOSK, { appointment: { id: 'ap1', slotStart: h.now } });
    expect(h.state.tickets.size).toBe(2);
  });

  it('counts the per-ID limit per service and per ID hash', () => {
    const h = new TestHall();
    h.issue('C', undefined, KIOSK, { holder: holder('p') });
    h.issue('C', undefined, KIOSK, { holder: holder('p') });
    expect(h.err({ type: 'ticket.issue', serviceId: 'C', source: 'kiosk', holder: holder('p') }, KIOSK).code).toBe('QUEUE.ID_LIMIT_REACHED');
    h.issue('C', undefined, KIOSK, { holder: holder('q') });
    h.issue('A', undefined, KIOSK, { holder: holder('p') });
  });

  it('derives the elderly class from the birth date on the hall date (60 on the birthday)', () => {
    const h = new TestHall();
    const old = h.issue('A', undefined, KIOSK, { holder: holder('a', '1966-11-26') });
    const young = h.issue('A', undefined, KIOSK, { holder: holder('b', '1966-11-27') });
    const none = h.issue('A', undefined, KIOSK, { holder: holder('c', null) });
    expect(h.ticket(old).priority).toBe('elderly');
    expect(h.ticket(young).priority).toBe('normal');
    expect(h.ticket(none).priority).toBe('normal');
    // asking explicitly is fine when the card agrees
    const asked = h.issue('A', 'elderly', KIOSK, { holder: holder('d', '1950-01-01') });
    expect(h.ticket(asked).priority).toBe('elderly');
  });

  it('honours a configured elderly age', () => {
    const h = new TestHall(makeConfig({ policy: { elderlyAge: 70 } }));
    expect(h.ticket(h.issue('A', undefined, KIOSK, { holder: holder('a', '1960-01-01') })).priority).toBe('normal');
    expect(h.ticket(h.issue('A', undefined, KIOSK, { holder: holder('b', '1956-11-26') })).priority).toBe('elderly');
  });

  it('staff may give any class; an elderly card does not override the class staff chose', () => {
    const h = new TestHall();
    for (const p of ['normal', 'elderly', 'disabled', 'military', 'pregnant', 'appointment', 'vip'] as const) {
      expect(h.ticket(h.issue('A', p, staff('u1'))).priority).toBe(p);
    }
    expect(h.ticket(h.issue('A', 'military', ADMIN, { holder: holder('m', '1940-01-01') })).priority).toBe('military');
    expect(h.ticket(h.issue('A', undefined, ADMIN, { holder: holder('n', '1940-01-01') })).priority).toBe('elderly');
  });

  it('an appointment check-in gets the appointment class', () => {
    const h = new TestHall();
    const id = h.issue('A', undefined, KIOSK, { appointment: { id: 'ap', slotStart: h.now + 30 * 60_000 }, source: 'appointment' });
    const t = h.ticket(id);
    expect(t.priority).toBe('appointment');
    expect(t.appointment).toEqual({ id: 'ap', slotStart: h.now + 30 * 60_000 });
    expect(t.source).toBe('appointment');
    // a kiosk may also say so explicitly
    expect(h.ticket(h.issue('A', 'appointment', KIOSK, { appointment: { id: 'ap2', slotStart: h.now } })).priority).toBe('appointment');
  });

  it('keeps appointment tickets ordered by slot', () => {
    const h = new TestHall();
    const late = h.issue('A', undefined, KIOSK, { appointment: { id: '1', slotStart: h.now + 40 * 60_000 } });
    const early = h.issue('A', undefined, KIOSK, { appointment: { id: '2', slotStart: h.now + 20 * 60_000 } });
    expect(h.state.services.get('A')?.lanes.get('appointment')).toEqual([early, late]);
  });
});
