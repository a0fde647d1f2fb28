/**
 * The upstream set from the admin console (`PATCH /api/hall { upstream }`) takes effect without a
 * restart, and taking it away stops the pushes; the token is never read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HallTokenResponse, UpstreamStatus } from '@hall/protocol';
import { startTestHall, type TestHall } from './harness';
import { FAST_LINK, until } from './network-support';

describe('upstream from the hall settings', () => {
  let county: TestHall;
  let village: TestHall;
  beforeAll(async () => {
    county = await startTestHall({ network: FAST_LINK });
    village = await startTestHall({ network: FAST_LINK });
  });
  afterAll(async () => {
    await village?.close();
    await county?.close();
  });

  it('pushes once an admin sets the upstream, and stops when it is taken away', async () => {
    const countyAdmin = await county.login();
    const reg = (await county.api<HallTokenResponse>('POST', '/api/halls', { name: '陈庄村便民服务站', level: 'village' }, countyAdmin)).body;
    const admin = await village.login();
    expect((await village.api<UpstreamStatus>('GET', '/api/network/status', undefined, admin)).body).toMatchObject({ configured: false, state: 'off' });
    expect((await village.api('PATCH', '/api/hall', { upstream: { url: county.url, token: reg.token } }, admin)).status).toBe(200);
    expect((await village.api<{ upstream: unknown }>('GET', '/api/hall', undefined, admin)).body.upstream).toEqual({ url: county.url, token: '[set]' });
    await until('the village at the county', async () => {
      const h = (await county.hall.network.hub.halls()).find((x) => x.id === reg.id);
      return h !== undefined && h.lastSeq === village.hall.core.durableSeq;
    });
    expect((await village.api('PATCH', '/api/hall', { upstream: null }, admin)).status).toBe(200);
    await until('the link off', async () => (await village.api<UpstreamStatus>('GET', '/api/network/status', undefined, admin)).body.state === 'off');
    const held = (await county.hall.network.hub.halls()).find((x) => x.id === reg.id)!.lastSeq;
    await village.api('POST', '/api/tickets', { serviceId: (await village.api<Array<{ id: string }>>('GET', '/api/services')).body[0]!.id }, admin);
    await new Promise((r) => setTimeout(r, 500));
    expect((await county.hall.network.hub.halls()).find((x) => x.id === reg.id)!.lastSeq).toBe(held);
    expect(village.hall.core.durableSeq).toBeGreaterThan(held);
  });
});
