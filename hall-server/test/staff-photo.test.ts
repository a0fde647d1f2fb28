/** Staff photos over HTTP: the admin uploads, the counter screen shows the photo of whoever is signed in there. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterView } from '@hall/protocol';
import { createStaff, startTestHall, type TestHall } from './harness';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('staff photos', () => {
  let t: TestHall;
  beforeAll(async () => {
    t = await startTestHall();
  });
  afterAll(async () => t.close());

  const put = (path: string, body: Buffer, token?: string, type = 'image/png') =>
    fetch(`${t.url}${path}`, { method: 'PUT', headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: new Uint8Array(body) });

  it('admin uploads; the counter shows its clerk photo only while they are signed in there', async () => {
    const admin = await t.login();
    const clerk = await createStaff(t, 'photo-clerk', 'clerk');
    const counter = (await t.api<CounterView[]>('GET', '/api/counters')).body[0] as CounterView;

    expect((await put(`/api/users/${clerk.id}/photo`, PNG)).status).toBe(401);
    expect((await put(`/api/users/${clerk.id}/photo`, PNG, clerk.token)).status).toBe(403);
    expect((await put('/api/users/nobody/photo', PNG, admin)).status).toBe(404);
    const bad = await put(`/api/users/${clerk.id}/photo`, Buffer.from('<svg onload="alert(1)"/>'), admin, 'image/svg+xml');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
    expect((await put(`/api/users/${clerk.id}/photo`, Buffer.concat([PNG, Buffer.alloc(400 * 1024)]), admin)).status).toBe(413);
    expect((await put(`/api/users/${clerk.id}/photo`, PNG, admin)).status).toBe(204);

    // Nobody signed in: nothing to show.
    expect((await fetch(`${t.url}/api/counters/${counter.id}/clerk-photo`)).status).toBe(404);
    await t.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token);
    const shown = await fetch(`${t.url}/api/counters/${counter.id}/clerk-photo`);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await shown.arrayBuffer())).toEqual(PNG);
    await t.api('POST', `/api/counters/${counter.id}/sign-out`, undefined, clerk.token);
    expect((await fetch(`${t.url}/api/counters/${counter.id}/clerk-photo`)).status).toBe(404);

    // JSON requests elsewhere still parse (the raw parser is only on the upload route).
    expect((await t.api('PATCH', '/api/hall', { voice: { repeat: 1 } }, admin)).status).toBe(200);
    expect((await t.api('DELETE', `/api/users/${clerk.id}/photo`, undefined, admin)).status).toBe(204);
    await t.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token);
    expect((await fetch(`${t.url}/api/counters/${counter.id}/clerk-photo`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/counters/nope/clerk-photo`)).status).toBe(404);
  });
});
