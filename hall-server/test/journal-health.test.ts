/**
 * A journal that cannot be written (full disk, unwritable folder) as the hall's users meet it:
 * writes answer 503 SERVER.UNAVAILABLE, reads and screens go on, /api/health and the staff
 * consoles say why, and the hall takes tickets again by itself once the disk is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, StaffSnapshot } from '@hall/protocol';
import { connectSocket, createStaff, nextEvent, startTestHall, type TestHall } from './harness';

let failing = false;
let t: TestHall;
beforeAll(async () => {
  t = await startTestHall({
    journal: {
      retryMs: 20,
      beforeSync: () => {
        if (failing) throw Object.assign(new Error('ENOSPC: no space left on device (injected)'), { code: 'ENOSPC' });
      },
    },
  });
});
afterAll(() => t.close());

describe('a journal that cannot be written', () => {
  it('refuses writes with 503, keeps reads, tells staff, and resumes by itself', async () => {
    const kiosk = await t.kioskToken();
    const sup = await createStaff(t, 'disk-sup', 'supervisor');
    const staff = connectSocket(t.url, '/counter', { token: sup.token });
    await nextEvent<StaffSnapshot>(staff, 'snapshot');
    const serviceId = (await t.api<{ id: string }[]>('GET', '/api/services')).body[0]!.id;
    expect((await t.api('POST', '/api/tickets', { serviceId }, kiosk)).status).toBe(201);

    failing = true;
    const told = nextEvent<StaffSnapshot>(staff, 'snapshot', (s) => s.journal.journal === 'failed');
    const refused = await t.api<{ error: { code: string } }>('POST', '/api/tickets', { serviceId }, kiosk);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('SERVER.UNAVAILABLE');
    expect((await told).journal.reason).toMatch(/ENOSPC/);
    const health = await t.api<HealthResponse>('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', journal: { journal: 'failed' } });
    expect((await t.api('GET', '/api/queue')).status).toBe(200);
    expect((await t.api('POST', '/api/tickets', { serviceId }, kiosk)).status).toBe(503);

    const back = nextEvent<StaffSnapshot>(staff, 'snapshot', (s) => s.journal.journal === 'ok');
    failing = false;
    await back;
    expect((await t.api<HealthResponse>('GET', '/api/health')).body).toMatchObject({ status: 'ok', journal: { journal: 'ok', reason: null } });
    expect((await t.api('POST', '/api/tickets', { serviceId }, kiosk)).status).toBe(201);
    staff.close();
  });
});
