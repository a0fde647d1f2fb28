/**
 * A plausible hall day of journal events, deterministic from a seed: for tests and the
 * benchmark (hall-server/bench/stats-year.ts). Tickets arrive through opening hours; each counter
 * serves two services and calls the next ticket of them when free; clerks serve (about 9 minutes
 * on average), mark no-shows and transfer; some citizens rate. Not the queue engine:
 * events are made directly, with the shapes of protocol/src/queue/events.ts.
 */
import { hallMidnight, toHallIso, type QueueEvent } from '@hall/protocol';

export interface SyntheticDayOptions {
  day: string;
  tz?: string;
  tickets: number;
  services?: string[];
  counters?: number;
  seed?: number;
}

/** mulberry32: small, fast, good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SYNTHETIC_SERVICES = ['svc-social', 'svc-tax', 'svc-market', 'svc-land', 'svc-civil', 'svc-pension', 'svc-medical', 'svc-housing'];

export function syntheticDay(o: SyntheticDayOptions): QueueEvent[] {
  const tz = o.tz ?? 'Asia/Shanghai';
  const rand = rng(o.seed ?? 1);
  const services = o.services ?? SYNTHETIC_SERVICES;
  const counters = o.counters ?? 20;
  const open = hallMidnight(o.day, tz) + 9 * 3600_000;
  const span = 8 * 3600_000;
  const events: Array<{ t: number; e: QueueEvent }> = [];
  let seq = 0;
  const id = (): string => `${o.day}-${o.seed ?? 1}-${++seq}`;
  const staff = (c: number) => ({ kind: 'staff' as const, userId: `clerk-${c}`, role: 'clerk' as const });
  const push = (t: number, e: Omit<QueueEvent, 'id' | 'at'> & { type: string }): void => {
    events.push({ t, e: { ...e, id: id(), at: toHallIso(t, tz) } as QueueEvent });
  };
  for (let c = 1; c <= counters; c++) {
    push(open - 600_000 + c, { type: 'counter.signed-in', counterId: `ctr-${c}`, userId: `clerk-${c}`, actor: staff(c) } as never);
  }
  const counterFree = new Array<number>(counters + 1).fill(open);
  // Counter c serves two services (c and c+1 in the list), as real counters serve a few.
  const servedBy = services.map((_s, i) => {
    const list: number[] = [];
    for (let c = 1; c <= counters; c++) if ((c - 1) % services.length === i || c % services.length === i) list.push(c);
    return list.length > 0 ? list : [1 + (i % counters)];
  });
  const freeCounterFor = (serviceId: string, at: number): number => {
    let best = 0;
    for (const c of servedBy[services.indexOf(serviceId)]!) if (best === 0 || Math.max(counterFree[c]!, at) < Math.max(counterFree[best]!, at)) best = c;
    return best;
  };
  const numbers = new Map<string, number>();
  let rated = 0;
  for (let i = 0; i < o.tickets; i++) {
    const issued = open + Math.floor((span * i) / o.tickets);
    const serviceId = services[Math.floor(rand() * services.length)]!;
    const n = (numbers.get(serviceId) ?? 0) + 1;
    numbers.set(serviceId, n);
    const ticketId = `${o.day}-t${i}`;
    const number = `${String.fromCharCode(65 + services.indexOf(serviceId))}${String(n).padStart(3, '0')}`;
    push(issued, {
      type: 'ticket.issued',
      actor: { kind: 'terminal', terminalId: 'kiosk-1' },
      ticketId,
      serviceId,
      number,
      numberValue: n,
      priority: rand() < 0.1 ? 'elderly' : 'normal',
      source: 'kiosk',
      terminalId: 'kiosk-1',
      holder: null,
      appointment: null,
      trackToken: 'x',
      position: 0,
    } as never);
    if (rand() < 0.02) {
      push(issued + 60_000, { type: 'ticket.cancelled', actor: staff(1), ticketId, fromStatus: 'waiting', counterId: null } as never);
      continue;
    }
    let c = freeCounterFor(serviceId, issued);
    const called = Math.max(issued + Math.floor(rand() * 2 * 60_000), counterFree[c]!);
    const counterId = `ctr-${c}`;
    push(called, { type: 'ticket.called', actor: staff(c), ticketId, ticketNumber: number, serviceId, counterId, counterNumber: c, userId: `clerk-${c}`, rule: 'normal', cycle: { priority: 0, normal: 1 } } as never);
    const r = rand();
    if (r < 0.05) {
      push(called + 120_000, { type: 'ticket.no-show', actor: staff(c), ticketId, counterId } as never);
      counterFree[c] = called + 120_000;
      continue;
    }
    let at = called + 30_000;
    if (r < 0.08) {
      const to = services[(services.indexOf(serviceId) + 1) % services.length]!;
      push(called + 60_000, { type: 'ticket.transferred', actor: staff(c), ticketId, counterId, fromServiceId: serviceId, toServiceId: to, position: 0 } as never);
      counterFree[c] = called + 60_000;
      c = freeCounterFor(to, called);
      at = Math.max(called + 5 * 60_000, counterFree[c]!);
      push(at, { type: 'ticket.called', actor: staff(c), ticketId, ticketNumber: number, serviceId: to, counterId: `ctr-${c}`, counterNumber: c, userId: `clerk-${c}`, rule: 'normal', cycle: { priority: 0, normal: 1 } } as never);
    }
    push(at, { type: 'ticket.started', actor: staff(c), ticketId, counterId: `ctr-${c}` } as never);
    const done = at + 60_000 + Math.floor(rand() * rand() * 30 * 60_000);
    push(done, { type: 'ticket.finished', actor: staff(c), ticketId, counterId: `ctr-${c}` } as never);
    counterFree[c] = done;
    if (rand() < 0.3) {
      // One rating in 15 is a 1, one in 15 a 2 (they open rectification cases); the rest 3–5.
      rated++;
      const s = rand();
      const score = rated % 15 === 0 ? 1 : rated % 15 === 7 ? 2 : s < 0.1 ? 3 : s < 0.4 ? 4 : 5;
      push(done + 60_000, { type: 'ticket.rated', actor: { kind: 'public' }, ticketId, score, reasons: [], comment: null, counterId: `ctr-${c}`, userId: `clerk-${c}` } as never);
    }
  }
  const close = hallMidnight(o.day, tz) + 24 * 3600_000 - 1000;
  for (let c = 1; c <= counters; c++) {
    push(close - 3600_000, { type: 'counter.signed-out', actor: staff(c), counterId: `ctr-${c}`, userId: `clerk-${c}`, reason: 'sign-out' } as never);
  }
  push(close, { type: 'day.closed', actor: { kind: 'system' }, day: o.day, issued: o.tickets } as never);
  events.sort((a, b) => a.t - b.t);
  return events.map((x) => x.e);
}
