import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QueueEvent } from '@hall/protocol';
import { DayFold } from './day-fold';
import type { StatsRows } from './day-stats';
import { syntheticDay } from './synthetic-day';

const DAY = '2026-12-07';
const TZ = 'Asia/Shanghai';

function newFold(): DayFold {
  return new DayFold({ hallId: 'h', day: DAY, tz: TZ, limits: (s) => ({ waitMinutes: s === 's1' ? 20 : 30, serviceMinutes: 10 }) });
}

const KEYS: Record<keyof StatsRows, string[]> = {
  cube: ['service_id', 'counter_id', 'clerk_id'],
  hourly: ['service_id', 'hour'],
  hist: ['dim', 'dim_id'],
};
const PARTS = Object.keys(KEYS) as Array<keyof StatsRows>;
const keyOf = (part: keyof StatsRows, row: object): string => KEYS[part].map((k) => String((row as Record<string, unknown>)[k])).join('|');

/** The statistics tables as the projector leaves them: replaced, or upserted row by row. */
class Tables {
  readonly rows = { cube: new Map<string, object>(), hourly: new Map<string, object>(), hist: new Map<string, object>() };
  write({ replace, rows }: { replace: boolean; rows: StatsRows }): void {
    for (const part of PARTS) {
      if (replace) this.rows[part].clear();
      for (const r of rows[part]) this.rows[part].set(keyOf(part, r), r);
    }
  }
  all(): { [P in keyof StatsRows]: Iterable<object> } {
    return { cube: this.rows.cube.values(), hourly: this.rows.hourly.values(), hist: this.rows.hist.values() };
  }
}

/** Rows in a comparable order. */
function sorted(rows: { [P in keyof StatsRows]: Iterable<object> }): Record<keyof StatsRows, object[]> {
  const list = (part: keyof StatsRows): object[] => [...rows[part]].sort((a, b) => keyOf(part, a).localeCompare(keyOf(part, b)));
  return { cube: list('cube'), hourly: list('hourly'), hist: list('hist') };
}

// Any journal of a day's queue events, including ones no engine writes (a served ticket called
// again, a ticket issued twice, an event repeated): the running totals must still equal the day
// counted from its rows.
const ticket = fc.constantFrom('t1', 't2', 't3', 't4');
const service = fc.constantFrom('s1', 's2');
const counter = fc.constantFrom('c1', 'c2');
const user = fc.constantFrom('u1', 'u2');
const minute = fc.integer({ min: 0, max: 16 * 60 });
const step = fc.oneof(
  fc.record({ type: fc.constant('ticket.issued'), ticketId: ticket, serviceId: service, m: minute }),
  fc.record({ type: fc.constant('ticket.called'), ticketId: ticket, counterId: counter, userId: fc.option(user), m: minute }),
  fc.record({ type: fc.constantFrom('ticket.recalled', 'ticket.started', 'ticket.finished', 'ticket.no-show'), ticketId: ticket, counterId: counter, m: minute }),
  fc.record({ type: fc.constant('ticket.requeued'), ticketId: ticket, m: minute }),
  fc.record({ type: fc.constant('ticket.transferred'), ticketId: ticket, counterId: counter, fromServiceId: service, toServiceId: service, m: minute }),
  fc.record({ type: fc.constantFrom('ticket.cancelled', 'ticket.expired'), ticketId: ticket, counterId: fc.option(counter), m: minute }),
  fc.record({ type: fc.constant('ticket.rated'), ticketId: ticket, counterId: counter, userId: user, score: fc.integer({ min: 1, max: 5 }), m: minute }),
  fc.record({ type: fc.constant('counter.signed-in'), counterId: counter, userId: user, m: minute }),
  fc.record({ type: fc.constant('counter.signed-out'), counterId: counter, m: minute }),
  fc.record({ type: fc.constant('repeat'), back: fc.nat(), m: minute }),
);

function toEvents(steps: Array<{ type: string; m: number } & Record<string, unknown>>): QueueEvent[] {
  const out: QueueEvent[] = [];
  steps.forEach(({ m, back, ...s }, i) => {
    if (s.type === 'repeat') {
      if (out.length > 0) out.push(out[out.length - 1 - ((back as number) % out.length)]!);
      return;
    }
    const at = new Date(Date.parse(`${DAY}T08:00:00+08:00`) + m * 60_000).toISOString();
    out.push({ id: `e${i}`, at, actor: { kind: 'system' }, number: 'A001', priority: 'normal', source: 'kiosk', rule: 'normal', reason: 'break', reasons: [], comment: null, ...s } as unknown as QueueEvent);
  });
  return out;
}

describe('running day statistics', () => {
  it('equal the day counted from its rows, after every flush, for any journal', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(step, fc.boolean(), fc.boolean()), { maxLength: 60 }), (plan) => {
        const events = toEvents(plan.map(([s]) => s));
        const f = newFold();
        const tables = new Tables();
        events.forEach((e, i) => {
          // Sometimes the totals stop and the day is counted when next asked (a whole day at once).
          if (plan[i]![2]) f.countWhenAsked();
          f.apply(e);
          if (plan[i]![1]) tables.write(f.takeStatsChanges());
        });
        tables.write(f.takeStatsChanges());
        const counted = sorted(f.recount().rows());
        expect(sorted(f.stats())).toEqual(counted);
        expect(sorted(tables.all())).toEqual(counted);
      }),
      { numRuns: 300 },
    );
  });

  it('a real day is never counted again: each flush writes only the rows that changed', () => {
    const events = syntheticDay({ day: DAY, tickets: 300, counters: 6, seed: 3 });
    const f = newFold();
    const tables = new Tables();
    tables.write(f.takeStatsChanges());
    let most = 0;
    events.forEach((e, i) => {
      f.apply(e);
      // About what one 500 ms flush takes at 100 tickets/s.
      if (i % 10 === 9) {
        const changes = f.takeStatsChanges();
        expect(changes.replace).toBe(false);
        most = Math.max(most, changes.rows.cube.length);
        tables.write(changes);
      }
    });
    tables.write(f.takeStatsChanges());
    const counted = sorted(f.recount().rows());
    expect(sorted(tables.all())).toEqual(counted);
    expect(most).toBeLessThan(counted.cube.length / 2);
  });

  it('a ticket served again (no engine does that) makes the next write replace the day', () => {
    const f = newFold();
    const ev = (id: string, type: string, hhmm: string, extra: object = {}) => ({ id, type, at: `${DAY}T${hhmm}:00+08:00`, ticketId: 't1', counterId: 'c1', ...extra }) as unknown as QueueEvent;
    f.apply(ev('e1', 'ticket.issued', '09:00', { serviceId: 's1', number: 'A001', priority: 'normal', source: 'kiosk' }));
    f.apply(ev('e2', 'ticket.called', '09:05', { userId: 'u1', rule: 'normal' }));
    f.apply(ev('e3', 'ticket.finished', '09:15'));
    f.takeStatsChanges();
    f.apply(ev('e4', 'ticket.finished', '09:25'));
    const changes = f.takeStatsChanges();
    expect(changes.replace).toBe(true);
    expect(changes.rows.cube.find((c) => c.counter_id === 'c1')).toMatchObject({ served: 1, service_n: 1, service_sum_s: 20 * 60, service_max_s: 20 * 60 });
    expect(f.takeStatsChanges().replace).toBe(false);
  });
});
