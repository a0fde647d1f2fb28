/**
 * The hot paths stay cheap with a big day: issue and call-next cost O(waiting in the services
 * concerned), never O(tickets of the day). Bounds are generous (a loaded CI box), the point is
 * catching an accidental scan of every ticket per command, which would take minutes here.
 */
import { describe, expect, it } from 'vitest';
import { apply } from './apply';
import { decide } from './decide';
import type { DecideContext } from './context';
import { queueSnapshot, serviceSummaries, ticketView } from './views';
import { KIOSK, makeConfig, staff, TestHall } from './test-support';

describe('performance', () => {
  it('issues 20,000 tickets and serves 10,000 of them quickly', () => {
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
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) {
      if (i % 1000 === 0) h.now += 1000;
      run({ type: 'ticket.issue', serviceId: ['A', 'B', 'F'][i % 3] as string, source: 'kiosk' }, KIOSK);
    }
    const issueMs = performance.now() - t0;
    for (const [c, u] of [['c1', 'u1'], ['c2', 'u2'], ['c3', 'u3'], ['c5', 'u5'], ['c6', 'u6']] as const) {
      run({ type: 'counter.sign-in', counterId: c }, staff(u));
    }
    const t1 = performance.now();
    const counters = ['c1', 'c2', 'c3', 'c5', 'c6'] as const;
    for (let i = 0; i < 10_000; i++) {
      h.now += 100;
      const res = run({ type: 'counter.call-next', counterId: counters[i % 5] as string }, { kind: 'system' });
      expect(res.ok && res.ticketId).toBeTruthy();
    }
    const callMs = performance.now() - t1;
    const t2 = performance.now();
    serviceSummaries(h.state, h.view());
    queueSnapshot(h.state, h.view());
    const last = [...h.state.tickets.keys()].at(-1) as string;
    expect(ticketView(h.state, last, h.view())?.waitingAhead).toBeGreaterThan(1000);
    const viewMs = performance.now() - t2;
    // Typically ~100 ms, ~100 ms and a few ms; a quadratic path would take minutes.
    expect(issueMs).toBeLessThan(8000);
    expect(callMs).toBeLessThan(8000);
    expect(viewMs).toBeLessThan(2000);
    console.log(`issue ${(issueMs / 20).toFixed(1)} µs/ticket, call-next ${(callMs / 10).toFixed(1)} µs/call, views ${viewMs.toFixed(1)} ms`);
    expect(h.state.tickets.size).toBe(20_000);
  });
});
