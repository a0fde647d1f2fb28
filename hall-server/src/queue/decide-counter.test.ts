import { describe, expect, it } from 'vitest';
import { counterOfUser, counterView } from './views';
import { ADMIN, staff, SUP, SYSTEM, TestHall } from './test-support';

describe('counter sessions', () => {
  it('sign-in binds the clerk and opens the counter', () => {
    const h = new TestHall();
    const res = h.run({ type: 'counter.sign-in', counterId: 'c1' }, staff('u1'));
    expect(res).toMatchObject({ ok: true, ticketId: null, counterId: 'c1' });
    expect(h.events.map((e) => e.type)).toEqual(['counter.signed-in']);
    expect(h.events[0]).toMatchObject({ counterId: 'c1', userId: 'u1', actor: staff('u1') });
    expect(counterView(h.state, 'c1', h.view())).toMatchObject({
      state: 'open',
      clerk: { id: 'u1', name: '李一', staffNo: 'No.u1' },
      currentTicket: null,
    });
    expect(counterOfUser(h.state, 'u1')).toBe('c1');
  });

  it('signing in again at the same counter changes nothing', () => {
    const h = new TestHall();
    h.signIn('c1', 'u1');
    const res = h.run({ type: 'counter.sign-in', counterId: 'c1' }, staff('u1'));
    expect(res).toMatchObject({ ok: true, events: [] });
  });

  it('a user holds one counter: signing in elsewhere closes the old one and its ticket', () => {
    const h = new TestHall();
    const a = h.issue('A');
    h.signIn('c1', 'u1');
    h.callNext('c1');
    h.ok({ type: 'counter.start', counterId: 'c1' });
    const before = h.events.length;
    h.signIn('c2', 'u1');
    expect(h.events.slice(before).map((e) => e.type)).toEqual(['ticket.finished', 'counter.signed-out', 'counter.signed-in']);
    expect(h.events[before + 1]).toMatchObject({ counterId: 'c1', reason: 'moved', userId: 'u1' });
    expect(h.ticket(a).status).toBe('done');
    expect(counterView(h.state, 'c1', h.view())?.state).toBe('closed');
    expect(counterOfUser(h.state, 'u1')).toBe('c2');
    // the old counter is free for someone else
    h.signIn('c1', 'u2');
  });

  it('sign-out closes the current ticket like call-next does', () => {
    const h = new TestHall();
    const a = h.issue('A');
    h.signIn('c1', 'u1');
    h.callNext('c1');
    const before = h.events.length;
    const res = h.run({ type: 'counter.sign-out', counterId: 'c1' }, staff('u1'));
    expect(res).toMatchObject({ ok: true, ticketId: null, counterId: 'c1' });
    expect(h.events.slice(before).map((e) => e.type)).toEqual(['ticket.finished', 'counter.signed-out']);
    expect(h.ticket(a).status).toBe('done');
    expect(counterOfUser(h.state, 'u1')).toBeUndefined();
    expect(counterView(h.state, 'c1', h.view())).toMatchObject({ state: 'closed', clerk: null, currentTicket: null });
  });

  it('a supervisor, an admin or the system may sign a clerk out', () => {
    for (const actor of [SUP, ADMIN, SYSTEM]) {
      const h = new TestHall();
      h.signIn('c1', 'u1');
      h.ok({ type: 'counter.sign-out', counterId: 'c1' }, actor);
      expect(h.events.at(-1)).toMatchObject({ type: 'counter.signed-out', userId: 'u1', reason: 'sign-out', actor });
      expect(counterOfUser(h.state, 'u1')).toBeUndefined();
    }
  });

  it('pause keeps the reason, resume clears it; a paused counter signs out', () => {
    const h = new TestHall();
    h.signIn('c1', 'u1');
    h.ok({ type: 'counter.pause', counterId: 'c1', reason: '  午间休息  ' }, staff('u1'));
    expect(counterView(h.state, 'c1', h.view())).toMatchObject({ state: 'paused', pauseReason: '午间休息' });
    h.ok({ type: 'counter.resume', counterId: 'c1' }, staff('u1'));
    expect(counterView(h.state, 'c1', h.view())).toMatchObject({ state: 'open', pauseReason: null });
    h.ok({ type: 'counter.pause', counterId: 'c1', reason: '开会' }, SUP);
    h.ok({ type: 'counter.sign-out', counterId: 'c1' }, staff('u1'));
    expect(counterView(h.state, 'c1', h.view())).toMatchObject({ state: 'closed', pauseReason: null });
  });

  it('a paused counter keeps its current ticket and may finish it', () => {
    const h = new TestHall();
    const a = h.issue('A');
    h.signIn('c1', 'u1');
    h.callNext('c1');
    const res = h.run({ type: 'counter.pause', counterId: 'c1', reason: '取材料' }, staff('u1'));
    expect(res).toMatchObject({ ok: true, ticketId: a });
    h.ok({ type: 'counter.start', counterId: 'c1' }, staff('u1'));
    h.ok({ type: 'counter.finish', counterId: 'c1' }, staff('u1'));
    expect(h.ticket(a).status).toBe('done');
  });
});
