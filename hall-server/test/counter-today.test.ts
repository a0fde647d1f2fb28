/**
 * The clerk's desk figures over HTTP (#13 items 7 and 8): `GET /api/counters/:id/today` counts
 * what call-next closed as served, what 过号 marked, what was transferred, lists the missed
 * tickets, and answers the same after a server restart (rebuilt from the journal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterActionResponse, CounterToday, CounterView, ServiceSummary } from '@hall/protocol';
import { createStaff, makeTempDir, startTestHall, type TestHall } from './harness';

describe('GET /api/counters/:id/today', () => {
  let t: TestHall;
  let dataDir: string;
  let clerk: { id: string; token: string };
  let other: { id: string; token: string };
  let supervisor: { id: string; token: string };
  let counter: CounterView;
  let target: ServiceSummary;

  beforeAll(async () => {
    dataDir = await makeTempDir();
    t = await startTestHall({ dataDir });
    clerk = await createStaff(t, 'desk1', 'clerk');
    other = await createStaff(t, 'desk2', 'clerk');
    supervisor = await createStaff(t, 'sup1', 'supervisor');
    const counters = (await t.api<CounterView[]>('GET', '/api/counters')).body;
    const services = (await t.api<ServiceSummary[]>('GET', '/api/services')).body;
    counter = counters.find((c) => c.serviceIds.length > 0) as CounterView;
    target = services.find((s) => !counter.serviceIds.includes(s.id)) as ServiceSummary;
  });
  afterAll(async () => {
    await t.close(true);
    const { rm } = await import('node:fs/promises');
    await rm(dataDir, { recursive: true, force: true });
  });

  const act = async (action: string, body?: unknown) => {
    const r = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/${action}`, body, clerk.token);
    expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };

  it('counts served, no-show and transferred, lists the missed, and survives a restart', async () => {
    const kiosk = await t.kioskToken();
    const serviceId = counter.serviceIds[0] as string;
    for (let i = 0; i < 4; i++) expect((await t.api('POST', '/api/tickets', { serviceId }, kiosk)).status).toBe(201);
    await act('sign-in');

    const first = await act('call-next');
    const second = await act('call-next'); // closes the first as served: no start was pressed
    expect(second.ticket?.id).not.toBe(first.ticket?.id);
    await act('no-show'); // the second, by the 过号 action only
    await act('call-next');
    await act('transfer', { serviceId: target.id });
    await act('call-next');
    await act('finish');

    const today = await t.api<CounterToday>('GET', `/api/counters/${counter.id}/today`, undefined, clerk.token);
    expect(today.status).toBe(200);
    expect(today.body).toMatchObject({ counterId: counter.id, served: 2, noShow: 1, transferred: 1 });
    expect(today.body.missed).toEqual([{ ticketId: second.ticket?.id, ticketNumber: second.ticket?.number, serviceId, at: expect.any(String) }]);
    const first1 = await t.api<{ status: string }>('GET', `/api/tickets/${first.ticket?.id}`, undefined, clerk.token);
    expect(first1.body.status).toBe('done');

    // Another clerk may not read this desk; a supervisor may.
    expect((await t.api('GET', `/api/counters/${counter.id}/today`, undefined, other.token)).status).toBe(403);
    expect((await t.api('GET', `/api/counters/${counter.id}/today`, undefined, supervisor.token)).status).toBe(200);
    expect((await t.api('GET', `/api/counters/nope/today`, undefined, supervisor.token)).status).toBe(404);
    expect((await t.api('GET', `/api/counters/${counter.id}/today`)).status).toBe(401);

    await t.close(true);
    t = await startTestHall({ dataDir });
    const again = await t.api<CounterToday>('GET', `/api/counters/${counter.id}/today`, undefined, clerk.token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(today.body);

    // A re-queued ticket leaves the missed list; the no-show count stays.
    await act('requeue', { ticketNumber: second.ticket?.number });
    const after = await t.api<CounterToday>('GET', `/api/counters/${counter.id}/today`, undefined, clerk.token);
    expect(after.body).toMatchObject({ noShow: 1, missed: [] });
  });
});
