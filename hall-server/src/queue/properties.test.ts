/**
 * Property tests over random command sequences: whatever the clerks, kiosks and supervisors do,
 * no ticket is lost or duplicated, replay equals the live state, a ticket is at one counter at
 * most, lanes are called in order, the priority ratio and the aging bound hold, numbers never
 * repeat, and refused commands change nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor, EventOf, Priority, QueueCommand, QueueEvent } from '@hall/protocol';
import { QueueEvent as QueueEventSchema } from '@hall/protocol';
import { apply, replay } from './apply';
import { decide } from './decide';
import { fingerprint, invariantViolations } from './invariants';
import { slotOf } from './ordering-policy';
import { queueSnapshot, ticketView } from './views';
import { DAY, makeConfig, MIN, staff, SUP, SYSTEM, TestHall, KIOSK } from './test-support';

const COUNTERS = ['c1', 'c2', 'c3', 'c5', 'c6', 'c4'] as const;
const USERS = ['u1', 'u2', 'u3', 'u5', 'u6'] as const;
const SERVICES = ['A', 'B', 'C', 'D', 'G', 'F', 'E'] as const;
const CLASSES: Priority[] = ['normal', 'normal', 'normal', 'elderly', 'disabled', 'military', 'vip', 'appointment'];
const AGING = 20;

type Who = 'sup' | 'own' | 'other' | 'system';
type Op =
  | { k: 'issue'; svc: number; cls: number; kiosk: boolean; idHash: number; old: boolean; apptIn: number | null }
  | { k: 'sign-in'; c: number; u: number }
  | { k: 'counter'; c: number; who: Who; action: 'sign-out' | 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'pause' | 'resume' }
  | { k: 'by-number'; c: number; who: Who; action: 'call' | 'requeue'; t: number }
  | { k: 'transfer'; c: number; who: Who; svc: number }
  | { k: 'cancel'; t: number; who: Who }
  | { k: 'rate'; t: number; score: number }
  | { k: 'advance'; minutes: number }
  | { k: 'close' };

const who = fc.constantFrom<Who>('sup', 'own', 'own', 'own', 'own', 'own', 'other', 'system');
const counterIdx = fc.constantFrom(0, 0, 0, 1, 1, 2, 3, 4, 4, 5); // c1, c2, c6 busiest
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 25,
    arbitrary: fc.record({
      k: fc.constant('issue' as const),
      svc: fc.constantFrom(0, 0, 0, 0, 1, 1, 1, 2, 3, 4, 5, 6),
      cls: fc.nat({ max: CLASSES.length - 1 }),
      kiosk: fc.boolean(),
      idHash: fc.nat({ max: 3 }),
      old: fc.boolean(),
      apptIn: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: -30, max: 60 }) }),
    }),
  },
  { weight: 15, arbitrary: fc.record({ k: fc.constant('sign-in' as const), c: counterIdx, u: fc.nat({ max: USERS.length - 1 }) }) },
  {
    weight: 50,
    arbitrary: fc.record({
      k: fc.constant('counter' as const),
      c: counterIdx,
      who,
      action: fc.constantFrom(
        'call-next',
        'call-next',
        'call-next',
        'call-next',
        'call-next',
        'call-next',
        'call-next',
        'recall',
        'start',
        'start',
        'finish',
        'finish',
        'no-show',
        'pause',
        'resume',
        'sign-out',
      ),
    }),
  },
  { weight: 10, arbitrary: fc.record({ k: fc.constant('by-number' as const), c: counterIdx, who, action: fc.constantFrom('call', 'requeue', 'requeue'), t: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('transfer' as const), c: counterIdx, who, svc: fc.nat({ max: SERVICES.length - 1 }) }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('cancel' as const), t: fc.nat(), who }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('rate' as const), t: fc.nat(), score: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 15, arbitrary: fc.record({ k: fc.constant('advance' as const), minutes: fc.integer({ min: 0, max: 6 }) }) },
);

function actorFor(h: TestHall, w: Who, counterId: string): Actor {
  if (w === 'sup') return SUP;
  if (w === 'system') return SYSTEM;
  const own = h.state.counters.get(counterId)?.userId;
  if (w === 'own' && own) return staff(own);
  return staff(USERS.find((u) => u !== own) ?? 'u1');
}

function toCommand(h: TestHall, op: Op, ids: string[]): { command: QueueCommand; actor: Actor } | null {
  const pickTicket = (t: number) => (ids.length === 0 ? undefined : h.ticket(ids[t % ids.length] as string));
  switch (op.k) {
    case 'issue': {
      const cls = CLASSES[op.cls] as Priority;
      const appointment = op.apptIn === null ? undefined : { id: `ap${ids.length}`, slotStart: h.now + op.apptIn * MIN };
      return {
        command: {
          type: 'ticket.issue',
          serviceId: SERVICES[op.svc] as string,
          source: op.kiosk ? 'kiosk' : 'staff',
          ...(cls !== 'normal' && !op.kiosk ? { priority: cls } : {}),
          ...(op.idHash > 0 ? { holder: { maskedName: '张*', idHash: `h${op.idHash}`, birthDate: op.old ? '1950-03-04' : '1990-03-04' } } : {}),
          ...(appointment ? { appointment } : {}),
        },
        actor: op.kiosk ? KIOSK : staff('u1'),
      };
    }
    case 'sign-in':
      return { command: { type: 'counter.sign-in', counterId: COUNTERS[op.c] as string }, actor: staff(USERS[op.u] as string) };
    case 'counter': {
      const counterId = COUNTERS[op.c] as string;
      const actor = actorFor(h, op.who, counterId);
      if (op.action === 'pause') return { command: { type: 'counter.pause', counterId, reason: '休息' }, actor };
      return { command: { type: `counter.${op.action}`, counterId } as QueueCommand, actor };
    }
    case 'by-number': {
      const t = pickTicket(op.t);
      const counterId = COUNTERS[op.c] as string;
      return {
        command: { type: `counter.${op.action}`, counterId, ticketNumber: t?.number ?? 'A999' } as QueueCommand,
        actor: actorFor(h, op.who, counterId),
      };
    }
    case 'transfer': {
      const counterId = COUNTERS[op.c] as string;
      return { command: { type: 'counter.transfer', counterId, serviceId: SERVICES[op.svc] as string }, actor: actorFor(h, op.who, counterId) };
    }
    case 'cancel':
      return { command: { type: 'ticket.cancel', ticketId: pickTicket(op.t)?.id ?? 'none' }, actor: actorFor(h, op.who, 'c1') };
    case 'rate':
      return { command: { type: 'ticket.rate', ticketId: pickTicket(op.t)?.id ?? 'none', score: op.score, reasons: [], comment: null }, actor: { kind: 'public' } };
    case 'advance':
      h.advance(op.minutes);
      return null;
    case 'close':
      return { command: { type: 'day.close' }, actor: SYSTEM };
  }
}

interface RunLog {
  h: TestHall;
  problems: string[];
  accepted: number;
}

/** Runs ops through decide + apply, checking per-step properties. */
export function run(ops: Op[], checkEachStep = true): RunLog {
  const h = new TestHall(makeConfig({ hours: { allDay: true }, policy: { agingMinutes: AGING, requeueOffset: 2, recallLimit: 2 } }));
  const problems: string[] = [];
  const ids: string[] = [];
  let accepted = 0;
  for (const op of ops) {
    const c = toCommand(h, op, ids);
    if (!c) continue;
    const before = checkEachStep ? fingerprint(h.state) : undefined;
    const res = decide(h.state, c.command, h.ctx(c.actor));
    if (before !== undefined && fingerprint(h.state) !== before) problems.push(`decide mutated the state on ${c.command.type}`);
    if (!res.ok) continue;
    accepted++;
    for (const e of res.events) {
      if (e.type === 'ticket.called') problems.push(...checkCall(h, e));
      if (e.type === 'ticket.issued') ids.push(e.ticketId);
      h.state = apply(h.state, e);
      h.events.push(e);
    }
    if (checkEachStep) problems.push(...invariantViolations(h.state).map((v) => `after ${c.command.type}: ${v}`));
  }
  return { h, problems, accepted };
}

/** FIFO (rule 5) and the aging bound (rule 1) for a policy call, checked before it is applied. */
function checkCall(h: TestHall, e: EventOf<'ticket.called'>): string[] {
  if (e.rule === 'manual') return [];
  const out: string[] = [];
  const t = h.ticket(e.ticketId);
  const lane = h.state.services.get(t.serviceId)?.lanes.get(t.priority) ?? [];
  if (lane[0] !== t.id) out.push(`${t.number} called from position ${lane.indexOf(t.id)} of its lane`);
  // Aging: no lane head of the counter's services (appointments waiting for their slot aside)
  // may be older than the bound and older than the ticket called.
  const counter = h.config.counters.find((c) => c.id === e.counterId);
  const lead = h.config.hall.policy.appointmentLeadMinutes * MIN;
  for (const link of counter?.services ?? []) {
    for (const ids of h.state.services.get(link.serviceId)?.lanes.values() ?? []) {
      const head = h.state.tickets.get(ids[0] as string);
      if (!head || head.id === t.id) continue;
      if (head.priority === 'appointment' && slotOf(head) - lead > h.now) continue;
      const headAged = h.now - head.issuedAtMs > AGING * MIN;
      if (headAged && (head.issuedAtMs < t.issuedAtMs || (head.issuedAtMs === t.issuedAtMs && head.seq < t.seq))) {
        out.push(`aging: ${head.number} waited ${(h.now - head.issuedAtMs) / MIN} min but ${t.number} was called`);
      }
    }
  }
  return out;
}

/** Random sequences; one in five ends with the day closing. */
export const ops = fc
  .tuple(fc.array(opArb, { minLength: 10, maxLength: 150, size: 'max' }), fc.nat({ max: 4 }))
  .map(([list, close]) => (close === 0 ? [...list, { k: 'close' as const }] : list));

describe('properties over random command sequences', () => {
  it('keep every ticket in exactly one place, one ticket per counter, FIFO lanes, the aging bound, and pure decide', () => {
    fc.assert(
      fc.property(ops, (list) => {
        const { problems } = run(list);
        expect(problems).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('replay of the journalled events (as JSON) equals the live state', () => {
    fc.assert(
      fc.property(ops, (list) => {
        const { h } = run(list, false);
        const journal = h.events.map((e) => JSON.stringify(e)).join('\n');
        const back = journal === '' ? [] : journal.split('\n').map((line) => JSON.parse(line) as QueueEvent);
        expect(replay(DAY, back)).toEqual(h.state);
        // every event is a valid wire event
        for (const e of back) expect(QueueEventSchema.safeParse(e).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('numbers never repeat within a day and every issued ticket is accounted for', () => {
    fc.assert(
      fc.property(ops, (list) => {
        const { h } = run(list, false);
        const issued = h.events.filter((e): e is EventOf<'ticket.issued'> => e.type === 'ticket.issued');
        expect(new Set(issued.map((e) => e.number)).size).toBe(issued.length);
        expect(new Set(issued.map((e) => e.ticketId)).size).toBe(issued.length);
        const byStatus = new Map<string, number>();
        for (const t of h.state.tickets.values()) byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1);
        expect([...byStatus.values()].reduce((a, b) => a + b, 0)).toBe(issued.length);
        expect(invariantViolations(h.state)).toEqual([]);
        if (h.state.closed) {
          expect(byStatus.get('waiting') ?? 0).toBe(0);
          expect(byStatus.get('called') ?? 0).toBe(0);
          expect(byStatus.get('serving') ?? 0).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the priority ratio over long runs', () => {
  it('each counter calls priority:normal as priorityShare:normalShare while both wait', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.constantFrom<Priority>('normal', 'elderly', 'disabled', 'military', 'pregnant', 'vip'), { minLength: 20, maxLength: 200 }),
        fc.array(fc.constantFrom('c1', 'c2', 'c6'), { minLength: 1, maxLength: 200 }),
        (p, n, classes, callers) => {
          const h = new TestHall(makeConfig({ policy: { agingMinutes: 0, priorityShare: p, normalShare: n } }));
          for (const cls of classes) {
            h.issue('A', cls === 'normal' ? undefined : cls);
            h.now += 1000;
          }
          for (const c of ['c1', 'c2', 'c6']) h.signIn(c, { c1: 'u1', c2: 'u2', c6: 'u6' }[c] as string);
          const sides = new Map<string, string>();
          let left = { P: classes.filter((c) => c !== 'normal').length, N: classes.filter((c) => c === 'normal').length };
          for (let i = 0; i < classes.length; i++) {
            const counterId = callers[i % callers.length] as string;
            const bothWait = left.P > 0 && left.N > 0;
            const id = h.callNext(counterId) as string;
            const side = h.ticket(id).priority === 'normal' ? 'N' : 'P';
            left = { ...left, [side]: left[side as 'P' | 'N'] - 1 };
            if (!bothWait) break;
            sides.set(counterId, (sides.get(counterId) ?? '') + side);
          }
          const cycle = 'P'.repeat(p) + 'N'.repeat(n);
          for (const [counterId, s] of sides) {
            expect(s, counterId).toBe(cycle.repeat(Math.ceil(s.length / cycle.length) + 1).slice(0, s.length));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the projection behind waitingAhead', () => {
  // Covers both the closed form (no appointments, no aging) and the simulation behind waitingAhead.
  it('equals the order a fresh counter serving the service alone calls in, at the same instant', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ cls: fc.constantFrom<Priority>(...CLASSES), gap: fc.integer({ min: 0, max: 10 }), slotIn: fc.integer({ min: -20, max: 40 }) }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom(0, 15, 60),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (tickets, wait, aging, priorityShare, normalShare) => {
          const h = new TestHall(makeConfig({ hours: { allDay: true }, policy: { agingMinutes: aging, priorityShare, normalShare } }));
          for (const t of tickets) {
            h.advance(t.gap);
            h.issue('A', t.cls === 'appointment' ? undefined : t.cls === 'normal' ? undefined : t.cls, staff('u1'), {
              ...(t.cls === 'appointment' ? { appointment: { id: 'x', slotStart: h.now + t.slotIn * MIN } } : {}),
            });
          }
          h.advance(wait);
          const expected = queueSnapshot(h.state, { ...h.view(), waitingNumbersLimit: 1000 }).waitingNumbers.A ?? [];
          const ahead = new Map(expected.map((num) => [num, ticketView(h.state, h.state.byNumber.get(num) as string, h.view())?.waitingAhead]));
          expect([...ahead.values()]).toEqual(expected.map((_, i) => i));
          h.signIn('c2', 'u2');
          const called: string[] = [];
          for (let id = h.callNext('c2'); id !== null; id = h.callNext('c2')) called.push(h.number(id));
          expect(called).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
