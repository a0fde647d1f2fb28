/**
 * Every refusal the engine can give, command by command: the code, no events, and the state
 * left exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, ErrorCode, QueueCommand } from '@hall/protocol';
import { ADMIN, KIOSK, makeConfig, PUBLIC, staff, SUP, SYSTEM, TestHall } from './test-support';

const at = (iso: string) => Date.parse(iso);
const holder = (idHash: string, birthDate: string | null = '1990-01-01') => ({ maskedName: '张*三', idHash, birthDate });

interface Case {
  name: string;
  setup?: (h: TestHall) => void;
  command: QueueCommand | ((h: TestHall) => QueueCommand);
  actor?: Actor;
  code: ErrorCode;
  config?: Parameters<typeof makeConfig>[0];
  now?: number;
}

/** c1 open by u1 with A001 called. */
const calledAtC1 = (h: TestHall) => {
  h.issue('A');
  h.signIn('c1', 'u1');
  h.callNext('c1');
};
const servingAtC1 = (h: TestHall) => {
  calledAtC1(h);
  h.ok({ type: 'counter.start', counterId: 'c1' });
};
const doneA001 = (h: TestHall) => {
  servingAtC1(h);
  h.ok({ type: 'counter.finish', counterId: 'c1' });
};

const cases: Case[] = [
  // ticket.issue
  { name: 'issue by the public', command: { type: 'ticket.issue', serviceId: 'A', source: 'api' }, actor: PUBLIC, code: 'AUTH.FORBIDDEN' },
  { name: 'issue for an unknown service', command: { type: 'ticket.issue', serviceId: 'ZZ', source: 'staff' }, code: 'SERVICE.NOT_FOUND' },
  { name: 'issue for a disabled service', command: { type: 'ticket.issue', serviceId: 'E', source: 'staff' }, code: 'QUEUE.SERVICE_CLOSED' },
  {
    name: 'issue before opening',
    now: at('2026-11-26T08:59:59+08:00'),
    command: { type: 'ticket.issue', serviceId: 'A', source: 'kiosk' },
    actor: KIOSK,
    code: 'QUEUE.SERVICE_CLOSED',
  },
  { name: 'issue at lunch', now: at('2026-11-26T12:00:00+08:00'), command: { type: 'ticket.issue', serviceId: 'A', source: 'staff' }, code: 'QUEUE.SERVICE_CLOSED' },
  { name: 'issue at closing time', now: at('2026-11-26T17:00:00+08:00'), command: { type: 'ticket.issue', serviceId: 'A', source: 'staff' }, code: 'QUEUE.SERVICE_CLOSED' },
  { name: 'issue on a Saturday', now: at('2026-11-28T10:00:00+08:00'), command: { type: 'ticket.issue', serviceId: 'A', source: 'staff' }, code: 'QUEUE.SERVICE_CLOSED' },
  { name: 'issue on a statutory holiday', now: at('2026-10-01T10:00:00+08:00'), command: { type: 'ticket.issue', serviceId: 'A', source: 'staff' }, code: 'QUEUE.SERVICE_CLOSED' },
  {
    name: 'kiosk asks for the disabled class',
    command: { type: 'ticket.issue', serviceId: 'A', source: 'kiosk', priority: 'disabled' },
    actor: KIOSK,
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'kiosk asks for the elderly class without an old enough card',
    command: { type: 'ticket.issue', serviceId: 'A', source: 'kiosk', priority: 'elderly', holder: holder('h1', '1966-11-27') },
    actor: KIOSK,
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'kiosk asks for the appointment class without an appointment',
    command: { type: 'ticket.issue', serviceId: 'A', source: 'kiosk', priority: 'appointment' },
    actor: KIOSK,
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'kiosk asks for the green channel',
    command: { type: 'ticket.issue', serviceId: 'A', source: 'kiosk', priority: 'vip' },
    actor: KIOSK,
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'unknown priority class',
    command: { type: 'ticket.issue', serviceId: 'A', source: 'staff', priority: 'royal' as never },
    code: 'PROTOCOL.INVALID_PAYLOAD',
  },
  { name: 'ID-only service without a card', command: { type: 'ticket.issue', serviceId: 'C', source: 'kiosk' }, actor: KIOSK, code: 'QUEUE.ID_REQUIRED' },
  {
    name: 'daily quota reached',
    setup: (h) => {
      h.issue('D');
      h.issue('D');
    },
    command: { type: 'ticket.issue', serviceId: 'D', source: 'staff' },
    code: 'QUEUE.QUOTA_REACHED',
  },
  {
    name: 'number range used up',
    setup: (h) => {
      for (let i = 0; i < 4; i++) h.issue('G');
    },
    command: { type: 'ticket.issue', serviceId: 'G', source: 'staff' },
    code: 'QUEUE.QUOTA_REACHED',
  },
  {
    name: 'per-ID daily limit reached',
    setup: (h) => {
      h.issue('C', undefined, KIOSK, { holder: holder('same') });
      h.issue('C', undefined, KIOSK, { holder: holder('same') });
    },
    command: { type: 'ticket.issue', serviceId: 'C', source: 'kiosk', holder: holder('same') },
    actor: KIOSK,
    code: 'QUEUE.ID_LIMIT_REACHED',
  },
  {
    name: 'issue after the day closed',
    setup: (h) => h.ok({ type: 'day.close' }),
    command: { type: 'ticket.issue', serviceId: 'A', source: 'staff' },
    code: 'QUEUE.INVALID_STATE',
  },
  // ticket.cancel
  { name: 'cancel by a kiosk', setup: (h) => h.issue('A'), command: { type: 'ticket.cancel', ticketId: 'id1' }, actor: KIOSK, code: 'AUTH.FORBIDDEN' },
  { name: 'cancel by the public', setup: (h) => h.issue('A'), command: { type: 'ticket.cancel', ticketId: 'id1' }, actor: PUBLIC, code: 'AUTH.FORBIDDEN' },
  { name: 'cancel an unknown ticket', command: { type: 'ticket.cancel', ticketId: 'nope' }, actor: staff('u1'), code: 'QUEUE.NOT_FOUND' },
  { name: 'cancel a serving ticket', setup: servingAtC1, command: { type: 'ticket.cancel', ticketId: 'id1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'cancel a done ticket', setup: doneA001, command: { type: 'ticket.cancel', ticketId: 'id1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  {
    name: 'cancel a cancelled ticket',
    setup: (h) => {
      h.issue('A');
      h.ok({ type: 'ticket.cancel', ticketId: 'id1' }, ADMIN);
    },
    command: { type: 'ticket.cancel', ticketId: 'id1' },
    actor: ADMIN,
    code: 'QUEUE.INVALID_STATE',
  },
  // ticket.rate
  { name: 'rate an unknown ticket', command: { type: 'ticket.rate', ticketId: 'x', score: 5, reasons: [], comment: null }, actor: PUBLIC, code: 'QUEUE.NOT_FOUND' },
  {
    name: 'rate a waiting ticket',
    setup: (h) => h.issue('A'),
    command: { type: 'ticket.rate', ticketId: 'id1', score: 5, reasons: [], comment: null },
    actor: PUBLIC,
    code: 'RATING.NOT_SERVED',
  },
  {
    name: 'rate a no-show',
    setup: (h) => {
      calledAtC1(h);
      h.ok({ type: 'counter.no-show', counterId: 'c1' });
    },
    command: { type: 'ticket.rate', ticketId: 'id1', score: 1, reasons: [], comment: null },
    actor: PUBLIC,
    code: 'RATING.NOT_SERVED',
  },
  {
    name: 'rate a serving ticket',
    setup: servingAtC1,
    command: { type: 'ticket.rate', ticketId: 'id1', score: 4, reasons: [], comment: null },
    actor: PUBLIC,
    code: 'RATING.NOT_SERVED',
  },
  {
    name: 'rate twice',
    setup: (h) => {
      doneA001(h);
      h.ok({ type: 'ticket.rate', ticketId: 'id1', score: 5, reasons: [], comment: null }, PUBLIC);
    },
    command: { type: 'ticket.rate', ticketId: 'id1', score: 3, reasons: [], comment: null },
    actor: PUBLIC,
    code: 'RATING.DUPLICATE',
  },
  ...[0, 6, 2.5, Number.NaN].map(
    (score): Case => ({
      name: `rate with score ${score}`,
      setup: doneA001,
      command: { type: 'ticket.rate', ticketId: 'id1', score, reasons: [], comment: null },
      actor: PUBLIC,
      code: 'PROTOCOL.INVALID_PAYLOAD',
    }),
  ),
  {
    name: 'rate with an overlong comment',
    setup: doneA001,
    command: { type: 'ticket.rate', ticketId: 'id1', score: 5, reasons: [], comment: 'x'.repeat(501) },
    actor: PUBLIC,
    code: 'PROTOCOL.INVALID_PAYLOAD',
  },
  // counter.sign-in
  { name: 'sign-in by a kiosk', command: { type: 'counter.sign-in', counterId: 'c1' }, actor: KIOSK, code: 'AUTH.FORBIDDEN' },
  { name: 'sign-in by the system', command: { type: 'counter.sign-in', counterId: 'c1' }, actor: SYSTEM, code: 'AUTH.FORBIDDEN' },
  { name: 'sign-in at an unknown counter', command: { type: 'counter.sign-in', counterId: 'c99' }, actor: staff('u1'), code: 'COUNTER.NOT_FOUND' },
  { name: 'sign-in at a disabled counter', command: { type: 'counter.sign-in', counterId: 'c4' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  {
    name: 'sign-in at a counter another clerk holds',
    setup: (h) => h.signIn('c1', 'u1'),
    command: { type: 'counter.sign-in', counterId: 'c1' },
    actor: staff('u2'),
    code: 'COUNTER.OCCUPIED',
  },
  {
    name: 'a supervisor signs in at a held counter',
    setup: (h) => h.signIn('c1', 'u1'),
    command: { type: 'counter.sign-in', counterId: 'c1' },
    actor: SUP,
    code: 'COUNTER.OCCUPIED',
  },
  {
    name: 'sign-in at a paused counter another clerk holds',
    setup: (h) => {
      h.signIn('c1', 'u1');
      h.ok({ type: 'counter.pause', counterId: 'c1', reason: '午休' });
    },
    command: { type: 'counter.sign-in', counterId: 'c1' },
    actor: staff('u2'),
    code: 'COUNTER.OCCUPIED',
  },
  // counter.sign-out
  { name: 'sign-out of an unknown counter', command: { type: 'counter.sign-out', counterId: 'c99' }, actor: SUP, code: 'COUNTER.NOT_FOUND' },
  {
    name: 'sign-out of another clerk’s counter',
    setup: (h) => h.signIn('c1', 'u1'),
    command: { type: 'counter.sign-out', counterId: 'c1' },
    actor: staff('u2'),
    code: 'AUTH.FORBIDDEN',
  },
  { name: 'sign-out by a kiosk', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.sign-out', counterId: 'c1' }, actor: KIOSK, code: 'AUTH.FORBIDDEN' },
  { name: 'sign-out of a closed counter', command: { type: 'counter.sign-out', counterId: 'c1' }, actor: SUP, code: 'QUEUE.INVALID_STATE' },
  { name: 'a clerk signs out of a closed counter', command: { type: 'counter.sign-out', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'a kiosk signs out of a closed counter', command: { type: 'counter.sign-out', counterId: 'c1' }, actor: KIOSK, code: 'AUTH.FORBIDDEN' },
  // counter.call-next
  { name: 'call-next at an unknown counter', command: { type: 'counter.call-next', counterId: 'c99' }, actor: SUP, code: 'COUNTER.NOT_FOUND' },
  { name: 'call-next at a closed counter', setup: (h) => h.issue('A'), command: { type: 'counter.call-next', counterId: 'c1' }, actor: SUP, code: 'QUEUE.INVALID_STATE' },
  { name: 'a clerk calls next at a closed counter', command: { type: 'counter.call-next', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'a terminal calls next at a closed counter', command: { type: 'counter.call-next', counterId: 'c1' }, actor: KIOSK, code: 'AUTH.FORBIDDEN' },
  {
    name: 'a clerk signed in elsewhere calls next here',
    setup: (h) => {
      h.signIn('c1', 'u1');
      h.signIn('c2', 'u2');
    },
    command: { type: 'counter.call-next', counterId: 'c1' },
    actor: staff('u2'),
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'a clerk not signed in there requeues',
    setup: (h) => {
      calledAtC1(h);
      h.ok({ type: 'counter.no-show', counterId: 'c1' });
    },
    command: { type: 'counter.requeue', counterId: 'c2', ticketNumber: 'A001' },
    actor: staff('u1'),
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'another clerk calls next',
    setup: (h) => h.signIn('c1', 'u1'),
    command: { type: 'counter.call-next', counterId: 'c1' },
    actor: staff('u2'),
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'call-next by the public',
    setup: (h) => h.signIn('c1', 'u1'),
    command: { type: 'counter.call-next', counterId: 'c1' },
    actor: PUBLIC,
    code: 'AUTH.FORBIDDEN',
  },
  {
    name: 'call-next at a paused counter',
    setup: (h) => {
      h.issue('A');
      h.signIn('c1', 'u1');
      h.ok({ type: 'counter.pause', counterId: 'c1', reason: '休息' });
    },
    command: { type: 'counter.call-next', counterId: 'c1' },
    actor: staff('u1'),
    code: 'QUEUE.INVALID_STATE',
  },
  {
    name: 'call-next after the day closed',
    setup: (h) => {
      h.signIn('c1', 'u1');
      h.ok({ type: 'day.close' });
    },
    command: { type: 'counter.call-next', counterId: 'c1' },
    actor: SUP,
    code: 'QUEUE.INVALID_STATE',
  },
  // counter.call
  { name: 'call an unknown number', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.call', counterId: 'c1', ticketNumber: 'A404' }, actor: staff('u1'), code: 'QUEUE.NOT_FOUND' },
  { name: 'call a called number', setup: calledAtC1, command: { type: 'counter.call', counterId: 'c1', ticketNumber: 'A001' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  {
    name: 'call at a paused counter',
    setup: (h) => {
      h.issue('A');
      h.signIn('c1', 'u1');
      h.ok({ type: 'counter.pause', counterId: 'c1', reason: '' });
    },
    command: { type: 'counter.call', counterId: 'c1', ticketNumber: 'A001' },
    actor: staff('u1'),
    code: 'QUEUE.INVALID_STATE',
  },
  { name: 'call at a closed counter', setup: (h) => h.issue('A'), command: { type: 'counter.call', counterId: 'c1', ticketNumber: 'A001' }, actor: ADMIN, code: 'QUEUE.INVALID_STATE' },
  // counter.recall
  { name: 'recall without a current ticket', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.recall', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'recall a serving ticket', setup: servingAtC1, command: { type: 'counter.recall', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  {
    name: 'recall past the limit',
    setup: (h) => {
      calledAtC1(h);
      for (let i = 0; i < 3; i++) h.ok({ type: 'counter.recall', counterId: 'c1' });
    },
    command: { type: 'counter.recall', counterId: 'c1' },
    actor: staff('u1'),
    code: 'QUEUE.RECALL_LIMIT',
  },
  {
    name: 'recall with a limit of 0',
    config: { policy: { recallLimit: 0 } },
    setup: calledAtC1,
    command: { type: 'counter.recall', counterId: 'c1' },
    actor: staff('u1'),
    code: 'QUEUE.RECALL_LIMIT',
  },
  {
    name: 'recall at a paused counter',
    setup: (h) => {
      calledAtC1(h);
      h.ok({ type: 'counter.pause', counterId: 'c1', reason: '' });
    },
    command: { type: 'counter.recall', counterId: 'c1' },
    actor: staff('u1'),
    code: 'QUEUE.INVALID_STATE',
  },
  { name: 'recall at an unknown counter', command: { type: 'counter.recall', counterId: 'nope' }, actor: ADMIN, code: 'COUNTER.NOT_FOUND' },
  // counter.start / finish / no-show
  { name: 'start without a current ticket', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.start', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'start a serving ticket', setup: servingAtC1, command: { type: 'counter.start', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'start by another clerk', setup: calledAtC1, command: { type: 'counter.start', counterId: 'c1' }, actor: staff('u2'), code: 'AUTH.FORBIDDEN' },
  { name: 'finish without a current ticket', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.finish', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'finish twice', setup: doneA001, command: { type: 'counter.finish', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'finish at a closed counter', command: { type: 'counter.finish', counterId: 'c2' }, actor: SUP, code: 'QUEUE.INVALID_STATE' },
  { name: 'no-show without a current ticket', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.no-show', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'no-show a serving ticket', setup: servingAtC1, command: { type: 'counter.no-show', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  // counter.requeue
  { name: 'requeue an unknown number', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A999' }, actor: staff('u1'), code: 'QUEUE.NOT_FOUND' },
  {
    name: 'requeue a waiting ticket',
    setup: (h) => {
      h.issue('A');
      h.signIn('c1', 'u1');
    },
    command: { type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' },
    actor: staff('u1'),
    code: 'QUEUE.INVALID_STATE',
  },
  { name: 'requeue a done ticket', setup: doneA001, command: { type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'requeue at an unknown counter', command: { type: 'counter.requeue', counterId: 'cX', ticketNumber: 'A001' }, actor: SUP, code: 'COUNTER.NOT_FOUND' },
  // counter.transfer
  { name: 'transfer without a current ticket', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.transfer', counterId: 'c1', serviceId: 'B' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'transfer to an unknown service', setup: calledAtC1, command: { type: 'counter.transfer', counterId: 'c1', serviceId: 'ZZ' }, actor: staff('u1'), code: 'SERVICE.NOT_FOUND' },
  { name: 'transfer to a disabled service', setup: calledAtC1, command: { type: 'counter.transfer', counterId: 'c1', serviceId: 'E' }, actor: staff('u1'), code: 'QUEUE.SERVICE_CLOSED' },
  { name: 'transfer to its own service', setup: calledAtC1, command: { type: 'counter.transfer', counterId: 'c1', serviceId: 'A' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  // counter.pause / resume
  {
    name: 'pause a paused counter',
    setup: (h) => {
      h.signIn('c1', 'u1');
      h.ok({ type: 'counter.pause', counterId: 'c1', reason: 'a' });
    },
    command: { type: 'counter.pause', counterId: 'c1', reason: 'b' },
    actor: staff('u1'),
    code: 'QUEUE.INVALID_STATE',
  },
  { name: 'pause a closed counter', command: { type: 'counter.pause', counterId: 'c1', reason: 'b' }, actor: SUP, code: 'QUEUE.INVALID_STATE' },
  { name: 'pause by another clerk', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.pause', counterId: 'c1', reason: 'b' }, actor: staff('u2'), code: 'AUTH.FORBIDDEN' },
  { name: 'pause an unknown counter', command: { type: 'counter.pause', counterId: 'zz', reason: 'b' }, actor: SUP, code: 'COUNTER.NOT_FOUND' },
  { name: 'resume an open counter', setup: (h) => h.signIn('c1', 'u1'), command: { type: 'counter.resume', counterId: 'c1' }, actor: staff('u1'), code: 'QUEUE.INVALID_STATE' },
  { name: 'resume a closed counter', command: { type: 'counter.resume', counterId: 'c1' }, actor: SUP, code: 'QUEUE.INVALID_STATE' },
  // day.close
  { name: 'a clerk closes the day', command: { type: 'day.close' }, actor: staff('u1'), code: 'AUTH.FORBIDDEN' },
  { name: 'a kiosk closes the day', command: { type: 'day.close' }, actor: KIOSK, code: 'AUTH.FORBIDDEN' },
  { name: 'close the day twice', setup: (h) => h.ok({ type: 'day.close' }), command: { type: 'day.close' }, actor: SYSTEM, code: 'QUEUE.INVALID_STATE' },
  // unknown
  { name: 'an unknown command', command: { type: 'ticket.teleport' } as unknown as QueueCommand, code: 'PROTOCOL.INVALID_PAYLOAD' },
];

describe('refusals', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const h = new TestHall(makeConfig(c.config));
    c.setup?.(h);
    if (c.now !== undefined) h.now = c.now;
    const before = structuredClone(h.state);
    const command = typeof c.command === 'function' ? c.command(h) : c.command;
    const res = h.decide(command, c.actor ?? SYSTEM);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe(c.code);
    expect(res.error.message).toBeTruthy();
    expect(h.state).toEqual(before);
  });

  it('covers every queue error code the engine owns', () => {
    const covered = new Set(cases.map((c) => c.code));
    for (const code of [
      'AUTH.FORBIDDEN',
      'QUEUE.NOT_FOUND',
      'SERVICE.NOT_FOUND',
      'COUNTER.NOT_FOUND',
      'QUEUE.INVALID_STATE',
      'QUEUE.RECALL_LIMIT',
      'COUNTER.OCCUPIED',
      'RATING.DUPLICATE',
      'RATING.NOT_SERVED',
      'QUEUE.SERVICE_CLOSED',
      'QUEUE.QUOTA_REACHED',
      'QUEUE.ID_LIMIT_REACHED',
      'QUEUE.ID_REQUIRED',
      'PROTOCOL.INVALID_PAYLOAD',
    ] as const) {
      expect(covered, code).toContain(code);
    }
  });
});
