/**
 * Issue 13 item 11: one rating per ticket across the evaluator, the phone and the clerk. Once a
 * ticket is rated on one channel the others stop asking: the counter's evaluator is cancelled,
 * and a second rating from any channel is refused (409 RATING.DUPLICATE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterActionResponse, CounterView, IssueTicketResponse } from '@hall/protocol';
import { createStaff, startTestHall, type TestHall } from './harness';

describe('one rating per ticket across channels', () => {
  let t: TestHall;
  let admin: string;
  let clerk: { id: string; token: string };
  let counter: CounterView;
  let evaluatorId: string;

  beforeAll(async () => {
    t = await startTestHall();
    admin = await t.login();
    clerk = await createStaff(t, 'rater1', 'clerk');
    counter = (await t.api<CounterView[]>('GET', '/api/counters')).body.find((c) => c.serviceIds.length > 0) as CounterView;
    const dev = await t.api<{ id: string }>('POST', '/api/devices', { kind: 'evaluator', name: '评价器', transport: { type: 'simulated' }, attachedTo: { counterId: counter.id }, address: 7 }, admin);
    expect(dev.status).toBe(201);
    evaluatorId = dev.body.id;
    expect((await t.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token)).status).toBe(200);
  });
  afterAll(() => t.close());

  const evaluatorState = async (): Promise<string> => (await t.api<{ state: string }>('GET', `/api/devices/${evaluatorId}/simulator`, undefined, admin)).body.state;
  async function until(pred: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await pred()) return;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error('condition not met');
  }
  async function serveOne(): Promise<IssueTicketResponse> {
    const issued = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: counter.serviceIds[0] }, await t.kioskToken());
    const called = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/call`, { ticketNumber: issued.body.number }, clerk.token);
    expect(called.status).toBe(200);
    expect((await t.api('POST', `/api/counters/${counter.id}/finish`, undefined, clerk.token)).status).toBe(200);
    await until(async () => (await evaluatorState()) === 'rating');
    return issued.body;
  }

  it('a rating on the phone stops the evaluator asking; a second rating is refused', async () => {
    const ticket = await serveOne();
    const phone = await t.api('POST', `/api/tickets/${ticket.id}/rating?token=${ticket.trackToken}`, { score: 5 });
    expect(phone.status).toBe(201);
    await until(async () => (await evaluatorState()) === 'idle');
    // The evaluator's keys are dead now: a press is refused by the simulator.
    expect((await t.api('POST', `/api/devices/${evaluatorId}/simulate`, { action: 'rate', score: 1 }, admin)).status).toBe(409);
    const again = await t.api<{ error: { code: string } }>('POST', `/api/tickets/${ticket.id}/rating`, { score: 2 }, clerk.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('RATING.DUPLICATE');
  });

  it('a rating recorded by the clerk stops the evaluator too; the phone is refused', async () => {
    const ticket = await serveOne();
    expect((await t.api('POST', `/api/tickets/${ticket.id}/rating`, { score: 4 }, clerk.token)).status).toBe(201);
    await until(async () => (await evaluatorState()) === 'idle');
    const phone = await t.api<{ error: { code: string } }>('POST', `/api/tickets/${ticket.id}/rating?token=${ticket.trackToken}`, { score: 1 });
    expect(phone.body.error.code).toBe('RATING.DUPLICATE');
  });
});
