import { describe, expect, it } from 'vitest';
import type { QueueEvent } from '@hall/protocol';
import { DayFold, ratingChannel } from './day-fold';

const DAY = '2026-12-07';
const at = (hhmm: string): string => `${DAY}T${hhmm}:00+08:00`;
const clerk = (n: number) => ({ kind: 'staff' as const, userId: `u${n}`, role: 'clerk' as const });
let seq = 0;
const ev = (e: Record<string, unknown>): QueueEvent => ({ id: `e${++seq}`, actor: clerk(1), ...e }) as unknown as QueueEvent;
const issue = (ticketId: string, serviceId: string, time: string) =>
  ev({ type: 'ticket.issued', at: at(time), ticketId, serviceId, number: 'A001', numberValue: 1, priority: 'normal', source: 'kiosk', terminalId: null, holder: null, appointment: null, trackToken: 'x', position: 0 });
const call = (ticketId: string, serviceId: string, counterId: string, userId: string, time: string) =>
  ev({ type: 'ticket.called', at: at(time), ticketId, ticketNumber: 'A001', serviceId, counterId, counterNumber: 1, userId, rule: 'normal', cycle: { priority: 0, normal: 1 } });

function fold(events: QueueEvent[]): DayFold {
  const f = new DayFold({ hallId: 'h', day: DAY, tz: 'Asia/Shanghai', limits: () => ({ waitMinutes: 30, serviceMinutes: 10 }) });
  for (const e of events) f.apply(e);
  return f;
}

describe('day fold', () => {
  it('times a ticket: wait to the first call, service from the start (else the call) to the finish', () => {
    const f = fold([
      issue('t1', 's1', '09:00'),
      call('t1', 's1', 'c1', 'u1', '09:20'),
      ev({ type: 'ticket.started', at: at('09:22'), ticketId: 't1', counterId: 'c1' }),
      ev({ type: 'ticket.finished', at: at('09:37'), ticketId: 't1', counterId: 'c1' }),
      issue('t2', 's1', '09:01'),
      call('t2', 's1', 'c1', 'u1', '09:40'),
      ev({ type: 'ticket.finished', at: at('09:45'), ticketId: 't2', counterId: 'c1' }),
    ]);
    expect(fold([]).stats().cube).toEqual([]);
    expect(f.tickets.get('t1')).toMatchObject({ status: 'done', wait_s: 1200, service_s: 900, counter_id: 'c1', clerk_id: 'u1' });
    expect(f.tickets.get('t2')).toMatchObject({ wait_s: 39 * 60, service_s: 300 });
    const cell = f.stats().cube.find((c) => c.counter_id === 'c1')!;
    // t1 waited 20 minutes (within 30), t2 39 (over); t1 served 15 minutes (over 10), t2 5 (within).
    expect(cell).toMatchObject({ served: 2, wait_n: 2, wait_within: 1, wait_max_s: 2340, service_n: 2, service_within: 1, service_max_s: 900 });
    const issued = f.stats().cube.find((c) => c.counter_id === '')!;
    expect(issued).toMatchObject({ service_id: 's1', clerk_id: '', issued: 2 });
    const hourly = f.stats().hourly.find((h) => h.hour === 9)!;
    expect(hourly).toMatchObject({ arrivals: 2, served: 2 });
  });

  it('counts a transfer for the service it left and the served ticket where it finished', () => {
    const f = fold([
      issue('t1', 's1', '09:00'),
      call('t1', 's1', 'c1', 'u1', '09:10'),
      ev({ type: 'ticket.transferred', at: at('09:12'), ticketId: 't1', counterId: 'c1', fromServiceId: 's1', toServiceId: 's2', position: 0 }),
      call('t1', 's2', 'c2', 'u2', '09:30'),
      ev({ type: 'ticket.finished', at: at('09:35'), ticketId: 't1', counterId: 'c2' }),
    ]);
    const cube = f.stats().cube;
    expect(cube.find((c) => c.counter_id === 'c1')).toMatchObject({ service_id: 's1', transferred: 1, wait_n: 1, served: 0 });
    expect(cube.find((c) => c.counter_id === 'c2')).toMatchObject({ service_id: 's2', served: 1, service_n: 1, wait_n: 0 });
    expect(f.tickets.get('t1')).toMatchObject({ first_service_id: 's1', service_id: 's2', transfers: 1, wait_s: 600 });
  });

  it('no-shows, cancellations, expiries and ratings; an event seen twice changes nothing', () => {
    const noShow = ev({ type: 'ticket.no-show', at: at('09:15'), ticketId: 't1', counterId: 'c1' });
    const rated = ev({ type: 'ticket.rated', at: at('10:00'), ticketId: 't3', score: 2, reasons: ['等候久'], comment: '慢', counterId: 'c1', userId: 'u1' });
    const f = fold([
      ev({ type: 'counter.signed-in', at: at('08:30'), counterId: 'c1', userId: 'u1' }),
      issue('t1', 's1', '09:00'),
      call('t1', 's1', 'c1', 'u1', '09:10'),
      noShow,
      noShow,
      issue('t2', 's1', '09:01'),
      ev({ type: 'ticket.cancelled', at: at('09:05'), ticketId: 't2', fromStatus: 'waiting', counterId: null }),
      issue('t3', 's1', '09:02'),
      call('t3', 's1', 'c1', 'u1', '09:30'),
      ev({ type: 'ticket.finished', at: at('09:40'), ticketId: 't3', counterId: 'c1' }),
      rated,
      rated,
      issue('t4', 's1', '16:00'),
      ev({ type: 'ticket.expired', at: at('23:59'), ticketId: 't4', fromStatus: 'waiting', counterId: null }),
      ev({ type: 'day.closed', at: at('23:59'), day: DAY, issued: 4 }),
    ]);
    expect(f.events).toBe(13);
    expect(f.closed).toBe(true);
    const cube = f.stats().cube;
    const sum = (k: 'issued' | 'no_show' | 'cancelled' | 'expired' | 'ratings' | 'satisfied') => cube.reduce((n, c) => n + c[k], 0);
    expect({ issued: sum('issued'), noShow: sum('no_show'), cancelled: sum('cancelled'), expired: sum('expired'), ratings: sum('ratings'), satisfied: sum('satisfied') }).toEqual({
      issued: 4,
      noShow: 1,
      cancelled: 1,
      expired: 1,
      ratings: 1,
      satisfied: 0,
    });
    expect([...f.ratings.values()]).toEqual([expect.objectContaining({ ticket_number: 'A001', service_id: 's1', score: 2, reasons: '["等候久"]', comment: '慢' })]);
    expect([...f.sessions.values()]).toEqual([expect.objectContaining({ counter_id: 'c1', clerk_id: 'u1', ended_at: null })]);
  });

  it('takeDirty gives the rows changed since the last call', () => {
    const f = fold([issue('t1', 's1', '09:00')]);
    expect(f.takeDirty().tickets.map((t) => t.ticket_id)).toEqual(['t1']);
    expect(f.takeDirty().tickets).toEqual([]);
    f.apply(call('t1', 's1', 'c1', 'u1', '09:10'));
    const d = f.takeDirty();
    expect(d.tickets.map((t) => t.status)).toEqual(['called']);
    expect(d.calls).toHaveLength(1);
  });
});

describe('ratingChannel', () => {
  it.each([
    [{ kind: 'public' }, 'phone'],
    [{ kind: 'staff', userId: 'u1', role: 'clerk' }, 'clerk'],
    [{ kind: 'system' }, 'evaluator'],
    [{ kind: 'terminal', terminalId: 'k1' }, 'kiosk'],
  ] as const)('%o → %s', (actor, channel) => expect(ratingChannel(actor)).toBe(channel));
});
