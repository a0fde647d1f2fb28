import { describe, expect, it } from 'vitest';
import { OrderingPolicy } from '@hall/protocol';
import type { CallRule, Priority, RatioCycle } from '@hall/protocol';
import { defaultOrdering } from './ordering-policy';
import { KIOSK, makeConfig, MIN, TestHall } from './test-support';

const policy = (p: Partial<OrderingPolicy> = {}) => OrderingPolicy.parse(p);

/** Calls next at `counterId` n times, returning the called numbers. */
function calls(h: TestHall, counterId: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = h.callNext(counterId);
    out.push(id === null ? '-' : h.number(id));
  }
  return out;
}
const lastRule = (h: TestHall) => (h.events.findLast((e) => e.type === 'ticket.called') as { rule: CallRule }).rule;

describe('rule 5: FIFO inside a service and class', () => {
  it('calls a lane in queue order', () => {
    const h = new TestHall();
    for (let i = 0; i < 5; i++) h.issue('A');
    h.signIn('c2', 'u2');
    expect(calls(h, 'c2', 6)).toEqual(['A001', 'A002', 'A003', 'A004', 'A005', '-']);
  });
});

describe('rule 4: longest wait × weight across the counter’s services', () => {
  it('equal weights: plain arrival order across services, also within one second', () => {
    const h = new TestHall();
    h.issue('B');
    h.issue('A');
    h.issue('B');
    h.advance(1);
    h.issue('A');
    h.signIn('c1', 'u1');
    expect(calls(h, 'c1', 4)).toEqual(['B001', 'A001', 'B002', 'A002']);
  });

  it('a heavier service wins when its weighted wait is longer', () => {
    const h = new TestHall();
    h.issue('A'); // 09:30
    h.advance(10);
    h.issue('B'); // 09:40
    h.advance(10); // 09:50: A 20 min × 1, B 10 min × 3
    h.signIn('c6', 'u6');
    expect(calls(h, 'c6', 2)).toEqual(['B001', 'A001']);
  });

  it('the same queue at an equal-weight counter goes by arrival', () => {
    const h = new TestHall();
    h.issue('A');
    h.advance(10);
    h.issue('B');
    h.advance(10);
    h.signIn('c1', 'u1');
    expect(calls(h, 'c1', 2)).toEqual(['A001', 'B001']);
  });

  it('among priority classes the longest wait goes first', () => {
    const h = new TestHall();
    h.issue('A', 'vip');
    h.advance(1);
    h.issue('A', 'disabled');
    h.advance(1);
    h.issue('A', 'elderly');
    h.signIn('c2', 'u2');
    expect(calls(h, 'c2', 3)).toEqual(['A001', 'A002', 'A003']);
  });
});

describe('rule 3: priority against normal by ratio', () => {
  const run = (p: Partial<OrderingPolicy>, prio: number, normal: number) => {
    const h = new TestHall(makeConfig({ policy: { agingMinutes: 0, ...p } }));
    for (let i = 0; i < normal; i++) h.issue('A');
    for (let i = 0; i < prio; i++) h.issue('A', i % 2 ? 'disabled' : 'elderly');
    h.signIn('c2', 'u2');
    return calls(h, 'c2', prio + normal).map((n) => (h.ticket(h.state.byNumber.get(n)!).priority === 'normal' ? 'N' : 'P')).join('');
  };

  it('default 1:2 — a priority ticket, then up to two normal ones', () => {
    expect(run({}, 3, 8)).toBe('PNNPNNPNNNN');
  });
  it('2:1', () => {
    expect(run({ priorityShare: 2, normalShare: 1 }, 5, 3)).toBe('PPNPPNPN');
  });
  it('normalShare 0: priority always first', () => {
    expect(run({ normalShare: 0 }, 3, 3)).toBe('PPPNNN');
  });
  it('only priority or only normal waiting: calls what there is', () => {
    expect(run({}, 4, 0)).toBe('PPPP');
    expect(run({}, 0, 3)).toBe('NNN');
  });

  it('a priority ticket arriving after a run of normal ones goes next, once', () => {
    const h = new TestHall(makeConfig({ policy: { agingMinutes: 0 } }));
    for (let i = 0; i < 6; i++) h.issue('A');
    h.signIn('c2', 'u2');
    expect(calls(h, 'c2', 3)).toEqual(['A001', 'A002', 'A003']);
    h.issue('A', 'elderly');
    h.issue('A', 'elderly');
    expect(calls(h, 'c2', 4)).toEqual(['A007', 'A004', 'A005', 'A008']);
  });

  it('each counter keeps its own cycle', () => {
    const h = new TestHall(makeConfig({ policy: { agingMinutes: 0 } }));
    for (let i = 0; i < 4; i++) h.issue('A');
    for (let i = 0; i < 4; i++) h.issue('A', 'military');
    h.signIn('c1', 'u1');
    h.signIn('c2', 'u2');
    expect([h.callNext('c1'), h.callNext('c2')].map((id) => h.ticket(id!).priority)).toEqual(['military', 'military']);
    expect([h.callNext('c1'), h.callNext('c2')].map((id) => h.ticket(id!).priority)).toEqual(['normal', 'normal']);
  });

  it('nextCycle counts sides, caps at the shares and starts a new cycle', () => {
    const p = policy();
    const step = (c: RatioCycle, pr: Priority, rule: CallRule = 'normal') => defaultOrdering.nextCycle(c, pr, rule, p);
    expect(step({ priority: 0, normal: 0 }, 'elderly')).toEqual({ priority: 1, normal: 0 });
    expect(step({ priority: 1, normal: 0 }, 'normal')).toEqual({ priority: 1, normal: 1 });
    expect(step({ priority: 1, normal: 2 }, 'normal')).toEqual({ priority: 1, normal: 2 });
    expect(step({ priority: 1, normal: 2 }, 'vip')).toEqual({ priority: 1, normal: 0 });
    expect(step({ priority: 1, normal: 0 }, 'vip')).toEqual({ priority: 1, normal: 0 });
    expect(step({ priority: 1, normal: 1 }, 'appointment', 'appointment')).toEqual({ priority: 1, normal: 1 });
    expect(step({ priority: 0, normal: 1 }, 'vip', 'manual')).toEqual({ priority: 0, normal: 1 });
  });
});

describe('rule 2: appointments whose slot has come', () => {
  it('an appointment becomes due appointmentLeadMinutes before its slot and then goes first', () => {
    const h = new TestHall();
    h.issue('A');
    h.issue('A');
    h.issue('A', 'elderly');
    h.issue('A', undefined, KIOSK, { appointment: { id: 'ap', slotStart: Date.parse('2026-11-26T09:45:00+08:00') } });
    h.signIn('c2', 'u2');
    h.now = Date.parse('2026-11-26T09:34:59+08:00');
    expect(calls(h, 'c2', 1)).toEqual(['A003']);
    h.now = Date.parse('2026-11-26T09:35:00+08:00');
    expect(calls(h, 'c2', 1)).toEqual(['A004']);
    expect(lastRule(h)).toBe('appointment');
    expect(calls(h, 'c2', 2)).toEqual(['A001', 'A002']);
  });

  it('due appointments by earliest slot; an early one waits unless nothing else does', () => {
    const h = new TestHall();
    const slot = (m: number) => ({ appointment: { id: `ap${m}`, slotStart: h.now + m * MIN } });
    h.issue('A', undefined, KIOSK, slot(60)); // A001: early
    h.issue('A', undefined, KIOSK, slot(5)); // A002: due
    h.issue('A', undefined, KIOSK, slot(-5)); // A003: due, earlier slot
    h.issue('A');
    h.signIn('c2', 'u2');
    expect(calls(h, 'c2', 4)).toEqual(['A003', 'A002', 'A004', 'A001']);
    expect(lastRule(h)).toBe('early-appointment');
  });

  it('a staff-given appointment class without slot is due at once', () => {
    const h = new TestHall();
    h.issue('A');
    h.issue('A', 'appointment');
    h.signIn('c2', 'u2');
    expect(calls(h, 'c2', 1)).toEqual(['A002']);
  });
});

describe('rule 1: aging', () => {
  it('a ticket waiting longer than the bound goes first, before appointments and priority', () => {
    const h = new TestHall();
    h.issue('B'); // 09:30
    h.advance(1);
    h.issue('A', 'vip');
    h.issue('A', undefined, KIOSK, { appointment: { id: 'ap', slotStart: h.now } });
    h.signIn('c1', 'u1');
    h.now = Date.parse('2026-11-26T10:30:00+08:00'); // exactly 60 min: not yet longer
    expect(h.callNext('c1')).not.toBe(null);
    expect(lastRule(h)).toBe('appointment');
    h.now += 1000;
    expect(calls(h, 'c1', 1)).toEqual(['B001']);
    expect(lastRule(h)).toBe('aging');
  });

  it('oldest aged ticket first, only from the counter’s services; 0 disables aging', () => {
    const make = (aging: number) => {
      const h = new TestHall(makeConfig({ policy: { agingMinutes: aging } }));
      h.issue('C', undefined, KIOSK, { holder: { maskedName: '王*', idHash: 'x', birthDate: null } }); // 09:30, not at c1
      h.advance(1);
      h.issue('B'); // 09:31
      h.advance(1);
      h.issue('A'); // 09:32
      h.issue('A', 'disabled'); // 09:32
      h.signIn('c1', 'u1');
      h.now = Date.parse('2026-11-26T12:00:00+08:00');
      return calls(h, 'c1', 3);
    };
    expect(make(60)).toEqual(['B001', 'A001', 'A002']);
    expect(make(0)).toEqual(['A002', 'B001', 'A001']);
  });

  it('pick is pure and returns null on empty lanes', () => {
    expect(defaultOrdering.pick({ lanes: [], ticket: () => undefined, cycle: { priority: 0, normal: 0 }, policy: policy(), now: 0 })).toBe(null);
  });
});
