import { describe, expect, it } from 'vitest';
import { Actor } from './actor';
import { QUEUE_COMMAND_TYPES } from './commands';
import { isTicketEvent, QUEUE_EVENT_TYPES, QueueEvent } from './events';

const base = { id: 'e1', at: '2026-11-26T09:30:00+08:00', actor: { kind: 'system' } };

describe('queue event schemas', () => {
  it('lists every event type once', () => {
    expect(new Set(QUEUE_EVENT_TYPES).size).toBe(16);
    expect(QUEUE_EVENT_TYPES).toContain('ticket.no-show');
    expect(QUEUE_EVENT_TYPES).toContain('day.closed');
    expect(new Set(QUEUE_COMMAND_TYPES).size).toBe(16);
  });

  it('accepts a journalled event and rejects a malformed one', () => {
    const called = {
      ...base,
      type: 'ticket.called',
      ticketId: 't1',
      ticketNumber: 'A001',
      serviceId: 'A',
      counterId: 'c1',
      counterNumber: 1,
      userId: 'u1',
      rule: 'priority',
      cycle: { priority: 1, normal: 0 },
    };
    expect(QueueEvent.parse(called)).toEqual(called);
    expect(QueueEvent.safeParse({ ...called, rule: 'bribe' }).success).toBe(false);
    expect(QueueEvent.safeParse({ ...called, type: 'ticket.teleported' }).success).toBe(false);
    expect(QueueEvent.safeParse({ ...base, type: 'ticket.rated', ticketId: 't', score: 6, reasons: [], comment: null, counterId: null, userId: null }).success).toBe(false);
    expect(isTicketEvent(QueueEvent.parse(called))).toBe(true);
    expect(isTicketEvent(QueueEvent.parse({ ...base, type: 'counter.resumed', counterId: 'c1' }))).toBe(false);
  });

  it('validates actors', () => {
    expect(Actor.safeParse({ kind: 'staff', userId: 'u1', role: 'clerk' }).success).toBe(true);
    expect(Actor.safeParse({ kind: 'staff', userId: 'u1', role: 'boss' }).success).toBe(false);
    expect(Actor.safeParse({ kind: 'terminal', terminalId: 'k1' }).success).toBe(true);
    expect(Actor.safeParse({ kind: 'public' }).success).toBe(true);
  });
});
