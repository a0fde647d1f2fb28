/**
 * A big day (20,000 tickets, 10,000 served) stays correct. How fast it goes is measured by
 * `npm run bench` (call-next with 10,000 waiting), never asserted here.
 */
import { describe, expect, it } from 'vitest';
import { apply } from './apply';
import { decide } from './decide';
import type { DecideContext } from './context';
import { queueSnapshot, serviceSummaries, ticketView } from './views';
import { KIOSK, makeConfig, staff, TestHall } from './test-support';

describe('a big day', () => {
  it('issues 20,000 tickets and serves 10,000 of them in policy order', () => {
    const h = new TestHall(makeConfig({ hours: { allDay: true } }));
    let n = 0;
    const ctx = (actor: DecideContext['actor']): DecideContext => ({
      now: h.now,
      tz: 'Asia/Shanghai',
      config: h.config,
      newId: () => `x${++n}`,
      newToken: () => `t${n}`,
      actor,
    });
    const run = (command: Parameters<typeof decide>[1], actor: DecideContext['actor']) => {
      const res = decide(h.state, command, ctx(actor));
      if (!res.ok) throw new Error(res.error.code);
      for (const e of res.events) apply(h.state, e);
      return res;
    };
    for (let i = 0; i < 20_000; i++) {
      if (i % 1000 === 0) h.now += 1000;
      run({ type: 'ticket.issue', serviceId: ['A', 'B', 'F'][i % 3] as string, source: 'kiosk' }, KIOSK);
    }
    for (const [c, u] of [['c1', 'u1'], ['c2', 'u2'], ['c3', 'u3'], ['c5', 'u5'], ['c6', 'u6']] as const) {
      run({ type: 'counter.sign-in', counterId: c }, staff(u));
    }
    const counters = ['c1', 'c2', 'c3', 'c5', 'c6'] as const;
    for (let i = 0; i < 10_000; i++) {
      h.now += 100;
      const res = run({ type: 'counter.call-next', counterId: counters[i % 5] as string }, { kind: 'system' });
      expect(res.ok && res.ticketId).toBeTruthy();
    }
    serviceSummaries(h.state, h.view());
    queueSnapshot(h.state, h.view());
    const last = [...h.state.tickets.keys()].at(-1) as string;
    expect(ticketView(h.state, last, h.view())?.waitingAhead).toBeGreaterThan(1000);
    expect([...h.state.tickets.values()].filter((t) => t.status === 'waiting')).toHaveLength(10_000);
    expect(h.state.tickets.size).toBe(20_000);
  });
});
