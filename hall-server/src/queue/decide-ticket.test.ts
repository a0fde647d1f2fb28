import { describe, expect, it } from 'vitest';
import { ticketView } from './views';
import { ADMIN, KIOSK, PUBLIC, staff, SYSTEM, TestHall } from './test-support';

describe('cancel', () => {
  it('cancels a waiting ticket: out of its queue, number kept', () => {
    const h = new TestHall();
    const a = h.issue('A');
    const b = h.issue('A');
    const res = h.run({ type: 'ticket.cancel', ticketId: a }, staff('u1'));
    expect(res).toMatchObject({ ok: true, ticketId: a, counterId: null });
    expect(h.events.at(-1)).toMatchObject({ type: 'ticket.cancelled', fromStatus: 'waiting', counterId: null });
    expect(h.state.services.get('A')?.lanes.get('normal')).toEqual([b]);
    expect(h.number(h.issue('A'))).toBe('A003');
  });

  it('cancels a called ticket and frees its counter', () => {
    const h = new TestHall();
    const a = h.issue('A');
    h.signIn('c1', 'u1');
    h.callNext('c1');
    h.ok({ type: 'ticket.cancel', ticketId: a }, ADMIN);
    expect(h.events.at(-1)).toMatchObject({ type: 'ticket.cancelled', fromStatus: 'called', counterId: 'c1' });
    expect(h.state.counters.get('c1')?.currentTicketId).toBe(null);
    expect(ticketView(h.state, a, h.view())?.status).toBe('cancelled');
  });
});

describe('rating (好差评)', () => {
  const served = () => {
    const h = new TestHall();
    const a = h.issue('A');
    h.signIn('c1', 'u1');
    h.callNext('c1');
    h.ok({ type: 'counter.start', counterId: 'c1' });
    h.ok({ type: 'counter.finish', counterId: 'c1' });
    return { h, a };
  };

  it('rates a served ticket once, naming counter and clerk', () => {
    const { h, a } = served();
    const res = h.run({ type: 'ticket.rate', ticketId: a, score: 5, reasons: ['态度好'], comment: '很快' }, PUBLIC);
    expect(res).toMatchObject({ ok: true, ticketId: a });
    expect(h.events.at(-1)).toMatchObject({
      type: 'ticket.rated',
      score: 5,
      reasons: ['态度好'],
      comment: '很快',
      counterId: 'c1',
      userId: 'u1',
      actor: PUBLIC,
    });
    expect(ticketView(h.state, a, h.view())?.rated).toBe(true);
  });

  it('accepts ratings from an evaluator (system), a kiosk or staff, and after the day closed', () => {
    for (const actor of [SYSTEM, KIOSK, staff('u2')]) {
      const { h, a } = served();
      h.ok({ type: 'day.close' });
      h.ok({ type: 'ticket.rate', ticketId: a, score: 1, reasons: [], comment: null }, actor);
    }
  });
});
