import { describe, expect, it } from 'vitest';
import { replay } from './apply';
import { initialState } from './state';
import { counterViews } from './views';
import { ADMIN, DAY, SUP, SYSTEM, TestHall } from './test-support';

describe('day.close', () => {
  it('expires every open ticket, closes counters, seals the day', () => {
    const h = new TestHall();
    const a = h.issue('A');
    const b = h.issue('A');
    const c = h.issue('B');
    const d = h.issue('A');
    h.signIn('c1', 'u1');
    h.signIn('c2', 'u2');
    h.callNext('c1'); // a called
    h.callNext('c2'); // b called
    h.ok({ type: 'counter.start', counterId: 'c2' }); // b serving
    h.ok({ type: 'ticket.cancel', ticketId: d }, ADMIN);
    const before = h.events.length;
    const res = h.run({ type: 'day.close' }, SYSTEM);
    expect(res).toMatchObject({ ok: true, ticketId: null, counterId: null });
    const closing = h.events.slice(before);
    expect(closing.map((e) => e.type)).toEqual([
      'ticket.expired',
      'ticket.expired',
      'ticket.expired',
      'counter.signed-out',
      'counter.signed-out',
      'day.closed',
    ]);
    expect(closing[0]).toMatchObject({ ticketId: a, fromStatus: 'called', counterId: 'c1' });
    expect(closing[1]).toMatchObject({ ticketId: b, fromStatus: 'serving', counterId: 'c2' });
    expect(closing[2]).toMatchObject({ ticketId: c, fromStatus: 'waiting', counterId: null });
    expect(closing[3]).toMatchObject({ reason: 'day-close' });
    expect(closing[5]).toMatchObject({ day: DAY, issued: 4 });
    expect([a, b, c, d].map((id) => h.ticket(id).status)).toEqual(['expired', 'expired', 'expired', 'cancelled']);
    expect(counterViews(h.state, h.view()).every((c) => c.state === 'closed' && c.currentTicket === null)).toBe(true);
    expect(h.state.closed).toBe(true);
    expect(h.state.userCounter.size).toBe(0);
    expect(replay(DAY, h.events)).toEqual(h.state);
  });

  it('a supervisor may close the day; the next day numbers restart', () => {
    const h = new TestHall();
    h.issue('A');
    h.ok({ type: 'day.close' }, SUP);
    h.state = initialState('2026-11-27');
    h.now += 24 * 3600_000;
    expect(h.number(h.issue('A'))).toBe('A001');
  });
});
