import { describe, expect, it } from 'vitest';
import { invariantViolations } from './invariants';
import { waitingAheadOf } from './projection';
import { meanServiceMinutes, ticketView } from './views';
import { KIOSK, makeConfig, staff, SUP, TestHall } from './test-support';

const open = (h: TestHall, counterId = 'c1', userId = 'u1') => h.signIn(counterId, userId);

describe('call-next', () => {
  it('returns null when nobody waits and still closes the current ticket', () => {
    const h = new TestHall();
    open(h);
    expect(h.run({ type: 'counter.call-next', counterId: 'c1' }, staff('u1'))).toMatchObject({
      ok: true,
      events: [],
      ticketId: null,
      counterId: 'c1',
    });
    const a = h.issue('A');
    expect(h.callNext('c1')).toBe(a);
    h.ok({ type: 'counter.start', counterId: 'c1' });
    const res = h.run({ type: 'counter.call-next', counterId: 'c1' });
    expect(res).toMatchObject({ ok: true, ticketId: null });
    expect(h.ticket(a).status).toBe('done');
  });

  it('records the call with counter, clerk, rule and cycle', () => {
    const h = new TestHall();
    const a = h.issue('A');
    open(h);
    h.callNext('c1', staff('u1'));
    expect(h.events.at(-1)).toMatchObject({
      type: 'ticket.called',
      ticketId: a,
      ticketNumber: 'A001',
      serviceId: 'A',
      counterId: 'c1',
      counterNumber: 1,
      userId: 'u1',
      rule: 'normal',
      cycle: { priority: 0, normal: 1 },
    });
    expect(ticketView(h.state, a, h.view())).toMatchObject({
      status: 'called',
      counterId: 'c1',
      counterNumber: 1,
      calledAt: '2026-11-26T09:30:00+08:00',
      waitingAhead: 0,
    });
  });

  it('calls only from the services the counter serves', () => {
    const h = new TestHall();
    h.issue('C', undefined, KIOSK, { holder: { maskedName: '李*', idHash: 'x', birthDate: null } });
    const b = h.issue('B');
    open(h, 'c2', 'u2'); // serves A only
    expect(h.callNext('c2')).toBe(null);
    open(h, 'c1', 'u1');
    expect(h.callNext('c1')).toBe(b);
  });

  it('two counters never get the same ticket', () => {
    const h = new TestHall();
    const a = h.issue('A');
    const b = h.issue('A');
    open(h, 'c1', 'u1');
    open(h, 'c2', 'u2');
    expect(h.callNext('c1')).toBe(a);
    expect(h.callNext('c2')).toBe(b);
    expect(h.callNext('c2')).toBe(null);
  });
});

describe('call-next closes the current ticket as served (API.md: keypads have no start key)', () => {
  // Each row: what the clerk did with the first ticket before pressing call-next again, and the
  // service minutes that ticket counts for (from start when pressed, else from the call).
  const rows: { name: string; start: boolean; startAfter: number; callNextAfter: number; minutes: number }[] = [
    { name: 'called, never started: done, timed from the call', start: false, startAfter: 0, callNextAfter: 6, minutes: 6 },
    { name: 'started two minutes after the call: done, timed from the start', start: true, startAfter: 2, callNextAfter: 6, minutes: 4 },
  ];
  it.each(rows)('$name', ({ start, startAfter, callNextAfter, minutes }) => {
    const h = new TestHall();
    const a = h.issue('A');
    const b = h.issue('A');
    open(h);
    expect(h.callNext('c1')).toBe(a);
    if (start) {
      h.advance(startAfter);
      h.ok({ type: 'counter.start', counterId: 'c1' });
      h.advance(callNextAfter - startAfter);
    } else {
      h.advance(callNextAfter);
    }
    const before = h.events.length;
    expect(h.callNext('c1')).toBe(b);
    expect(h.events.slice(before).map((e) => e.type)).toEqual(['ticket.finished', 'ticket.called']);
    expect(h.ticket(a).status).toBe('done');
    expect(meanServiceMinutes(h.state, 'A')).toBe(minutes);
  });

  it('marks no-show only by the 过号 action', () => {
    const h = new TestHall();
    const a = h.issue('A');
    const b = h.issue('A');
    open(h);
    h.callNext('c1');
    h.ok({ type: 'counter.no-show', counterId: 'c1' });
    expect(h.ticket(a).status).toBe('no-show');
    expect(h.callNext('c1')).toBe(b);
    expect(meanServiceMinutes(h.state, 'A')).toBe(null);
  });
});

describe('call by number', () => {
  it('calls any waiting ticket, also of a service the counter does not serve, without moving the cycle', () => {
    const h = new TestHall();
    h.issue('A');
    const c = h.issue('C', undefined, KIOSK, { holder: { maskedName: '李*', idHash: 'x', birthDate: null } });
    open(h, 'c2', 'u2');
    const res = h.run({ type: 'counter.call', counterId: 'c2', ticketNumber: 'c001' }, staff('u2'));
    expect(res).toMatchObject({ ok: true, ticketId: c, counterId: 'c2' });
    expect(h.events.at(-1)).toMatchObject({ type: 'ticket.called', rule: 'manual', cycle: { priority: 0, normal: 0 } });
  });

  it('closes the counter’s current ticket first', () => {
    const h = new TestHall();
    const a = h.issue('A');
    h.issue('A');
    open(h);
    h.callNext('c1');
    h.ok({ type: 'counter.call', counterId: 'c1', ticketNumber: 'A002' });
    expect(h.ticket(a).status).toBe('done');
  });
});

describe('recall, start, finish, no-show', () => {
  it('counts recalls up to the limit, then refuses; a new call starts again', () => {
    const h = new TestHall(makeConfig({ policy: { recallLimit: 2 } }));
    const a = h.issue('A');
    open(h);
    h.callNext('c1');
    expect(h.run({ type: 'counter.recall', counterId: 'c1' })).toMatchObject({ ok: true, ticketId: a });
    expect(h.events.at(-1)).toMatchObject({ type: 'ticket.recalled', recalls: 1, ticketNumber: 'A001', counterNumber: 1 });
    h.ok({ type: 'counter.recall', counterId: 'c1' });
    expect(h.ticket(a).recalls).toBe(2);
    expect(h.err({ type: 'counter.recall', counterId: 'c1' }).code).toBe('QUEUE.RECALL_LIMIT');
    h.ok({ type: 'counter.no-show', counterId: 'c1' });
    h.ok({ type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' });
    h.callNext('c1');
    expect(h.ticket(a).recalls).toBe(0);
    h.ok({ type: 'counter.recall', counterId: 'c1' });
  });

  it('recalls show on the screen as recalls', () => {
    const h = new TestHall();
    h.issue('A');
    open(h);
    h.callNext('c1');
    h.ok({ type: 'counter.recall', counterId: 'c1' });
    expect(h.state.recentCalls.map((c) => c.recall)).toEqual([false, true]);
  });

  it('start → serving → finish → done, with times', () => {
    const h = new TestHall();
    const a = h.issue('A');
    open(h);
    h.advance(3);
    h.callNext('c1');
    h.advance(1);
    expect(h.run({ type: 'counter.start', counterId: 'c1' })).toMatchObject({ ok: true, ticketId: a });
    h.advance(7);
    expect(h.run({ type: 'counter.finish', counterId: 'c1' })).toMatchObject({ ok: true, ticketId: a });
    expect(ticketView(h.state, a, h.view())).toMatchObject({
      status: 'done',
      issuedAt: '2026-11-26T09:30:00+08:00',
      calledAt: '2026-11-26T09:33:00+08:00',
      startedAt: '2026-11-26T09:34:00+08:00',
      finishedAt: '2026-11-26T09:41:00+08:00',
    });
    expect(h.state.counters.get('c1')?.currentTicketId).toBe(null);
  });

  it('finish straight from called', () => {
    const h = new TestHall();
    const a = h.issue('A');
    open(h);
    h.callNext('c1');
    h.ok({ type: 'counter.finish', counterId: 'c1' });
    expect(h.ticket(a).status).toBe('done');
  });

  it('no-show frees the counter', () => {
    const h = new TestHall();
    const a = h.issue('A');
    open(h);
    h.callNext('c1');
    h.ok({ type: 'counter.no-show', counterId: 'c1' }, SUP);
    expect(h.ticket(a).status).toBe('no-show');
    expect(h.state.counters.get('c1')?.currentTicketId).toBe(null);
  });
});

describe('requeue (过号重排)', () => {
  it('puts a no-show requeueOffset places from the front of its service and class', () => {
    const h = new TestHall(makeConfig({ policy: { requeueOffset: 2 } }));
    const ids = [0, 1, 2, 3, 4].map(() => h.issue('A'));
    const p = h.issue('A', 'disabled');
    open(h);
    h.ok({ type: 'counter.call', counterId: 'c1', ticketNumber: 'A001' });
    h.ok({ type: 'counter.no-show', counterId: 'c1' });
    const res = h.run({ type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' });
    expect(res).toMatchObject({ ok: true, ticketId: ids[0] });
    expect(h.events.at(-1)).toMatchObject({ type: 'ticket.requeued', position: 2, serviceId: 'A' });
    expect(h.state.services.get('A')?.lanes.get('normal')).toEqual([ids[1], ids[2], ids[0], ids[3], ids[4]]);
    expect(h.state.services.get('A')?.lanes.get('disabled')).toEqual([p]);
    expect(h.ticket(ids[0]!)).toMatchObject({ status: 'waiting', requeues: 1, counterId: null, calledAt: null });
  });

  it('goes to the back when fewer wait than the offset', () => {
    const h = new TestHall();
    const a = h.issue('A');
    const b = h.issue('A');
    open(h);
    h.callNext('c1');
    h.ok({ type: 'counter.no-show', counterId: 'c1' });
    h.ok({ type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' });
    expect(h.state.services.get('A')?.lanes.get('normal')).toEqual([b, a]);
  });

  it('a supervisor may requeue from any counter', () => {
    const h = new TestHall();
    h.issue('A');
    open(h);
    h.callNext('c1');
    h.ok({ type: 'counter.no-show', counterId: 'c1' });
    h.ok({ type: 'counter.requeue', counterId: 'c2', ticketNumber: 'A001' }, SUP);
  });
});

describe('transfer', () => {
  it('keeps id, number and issue time and waits in the new service by its original issue time', () => {
    const h = new TestHall();
    const a = h.issue('A'); // 09:30
    h.advance(10);
    const b1 = h.issue('B'); // 09:40
    h.advance(10);
    const b2 = h.issue('B'); // 09:50
    open(h, 'c2', 'u2');
    h.callNext('c2');
    h.ok({ type: 'counter.start', counterId: 'c2' });
    h.advance(5);
    const res = h.run({ type: 'counter.transfer', counterId: 'c2', serviceId: 'B' }, staff('u2'));
    expect(res).toMatchObject({ ok: true, ticketId: a, counterId: 'c2' });
    expect(h.events.at(-1)).toMatchObject({ type: 'ticket.transferred', fromServiceId: 'A', toServiceId: 'B', position: 0 });
    expect(h.state.services.get('B')?.lanes.get('normal')).toEqual([a, b1, b2]);
    expect(ticketView(h.state, a, h.view())).toMatchObject({
      id: a,
      number: 'A001',
      serviceId: 'B',
      serviceName: '医保办理',
      status: 'waiting',
      issuedAt: '2026-11-26T09:30:00+08:00',
      transferredFrom: 'A',
      counterId: null,
      calledAt: null,
      startedAt: null,
    });
    expect(h.state.counters.get('c2')?.currentTicketId).toBe(null);
    open(h, 'c3', 'u3');
    expect(h.callNext('c3')).toBe(a);
  });

  it('a transferred ticket lands between older and younger ones', () => {
    const h = new TestHall();
    const b1 = h.issue('B');
    h.advance(1);
    const a = h.issue('A');
    h.advance(1);
    const b2 = h.issue('B');
    open(h, 'c2', 'u2');
    h.callNext('c2');
    h.ok({ type: 'counter.transfer', counterId: 'c2', serviceId: 'B' });
    expect(h.state.services.get('B')?.lanes.get('normal')).toEqual([b1, a, b2]);
  });
});

describe('transfer to a counter (#13 item 9)', () => {
  /** c1 (A, B) has A001 called; A002 and A003 wait in A; c2 (A) and c3 (B, C) are open. */
  function setUp() {
    const h = new TestHall();
    const a1 = h.issue('A');
    const a2 = h.issue('A');
    const a3 = h.issue('A');
    open(h, 'c1', 'u1');
    open(h, 'c2', 'u2');
    open(h, 'c3', 'u3');
    expect(h.callNext('c1')).toBe(a1);
    return { h, a1, a2, a3 };
  }

  it('keeps the service when the counter serves it; that counter calls it next, before older tickets', () => {
    const { h, a1, a2 } = setUp();
    h.ok({ type: 'counter.transfer', counterId: 'c1', toCounterId: 'c2' }, staff('u1'));
    expect(h.events.at(-1)).toMatchObject({ type: 'ticket.transferred', fromServiceId: 'A', toServiceId: 'A', toCounterId: 'c2' });
    expect(h.ticket(a1).status).toBe('waiting');
    expect(waitingAheadOf(h.state, a1, h.view().config.hall.policy, h.now)).toBe(0);
    // Another counter of the same service passes it by.
    expect(h.callNext('c1')).toBe(a2);
    expect(h.callNext('c2')).toBe(a1);
    expect(invariantViolations(h.state)).toEqual([]);
  });

  const refusals: { name: string; cmd: Record<string, unknown>; code: string }[] = [
    { name: 'a closed counter', cmd: { toCounterId: 'c6' }, code: 'QUEUE.INVALID_STATE' },
    { name: 'its own counter', cmd: { toCounterId: 'c1' }, code: 'QUEUE.INVALID_STATE' },
    { name: 'an unknown counter', cmd: { toCounterId: 'c99' }, code: 'COUNTER.NOT_FOUND' },
    { name: 'a service the counter does not serve', cmd: { toCounterId: 'c2', serviceId: 'B' }, code: 'QUEUE.INVALID_STATE' },
    { name: 'neither a service nor a counter', cmd: {}, code: 'PROTOCOL.INVALID_PAYLOAD' },
  ];
  it.each(refusals)('refuses $name', ({ cmd, code }) => {
    const { h } = setUp();
    expect(h.err({ type: 'counter.transfer', counterId: 'c1', ...cmd } as never, staff('u1')).code).toBe(code);
  });

  it("moves the ticket into the counter's first service when it does not serve the ticket's", () => {
    const { h, a1 } = setUp();
    h.ok({ type: 'counter.transfer', counterId: 'c1', toCounterId: 'c3' }, staff('u1'));
    expect(h.ticket(a1)).toMatchObject({ status: 'waiting', serviceId: 'B', transferredFrom: 'A' });
    expect(h.callNext('c1')).not.toBe(a1); // c1 serves B too, but the ticket is c3's
    expect(h.callNext('c3')).toBe(a1);
    expect(h.state.reserved.size).toBe(0);
  });

  it('a cancelled or expired ticket leaves the counter it was sent to', () => {
    const { h, a1 } = setUp();
    h.ok({ type: 'counter.transfer', counterId: 'c1', toCounterId: 'c2' }, staff('u1'));
    h.ok({ type: 'ticket.cancel', ticketId: a1 }, SUP);
    expect(h.state.reserved.size).toBe(0);
    expect(invariantViolations(h.state)).toEqual([]);
  });
});
