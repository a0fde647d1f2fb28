/**
 * The three-level network on loopback: a county, a township registered at the county and a
 * village registered at the township, each a real hall server. The village's records reach the
 * county through the township with their own chain; the link is cut (the county stopped, then a
 * proxy that drops replies and delays), each side restarts mid-push, a forged record and a
 * revoked token are refused with codes and a red alert; at the end the county holds exactly the
 * records of each hall's journal, each once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Alert, HallRow, HallTokenResponse, UpstreamStatus } from '@hall/protocol';
import { JournalTail } from '../src/network/journal-tail';
import { startTestHall, type TestHall } from './harness';
import { FAST_LINK, until } from './network-support';

async function issue(t: TestHall, n: number): Promise<void> {
  const kiosk = await t.kioskToken();
  const services = await t.api<Array<{ id: string }>>('GET', '/api/services');
  for (let i = 0; i < n; i++) {
    const r = await t.api('POST', '/api/tickets', { serviceId: services.body[i % services.body.length]!.id }, kiosk);
    expect(r.status).toBe(201);
  }
}

/** The lines of a hall's own journal, all of them. */
async function journalLines(t: TestHall): Promise<string[]> {
  return (await new JournalTail(join(t.dataDir, 'journal')).after(0, t.hall.core.durableSeq, 1e7)).map((r) => r.line);
}

async function heldAt(up: TestHall, hallId: string): Promise<string[]> {
  return (await (await up.hall.network.hub.store()).recordsAfter(hallId, 0, 1e7)).map((r) => r.line);
}

/** An HTTP proxy that delays every request and, while `drop` is set, loses the reply of every other one after forwarding it. */
function flakyProxy(target: () => number): { server: Server; drop: boolean; port: () => number } {
  let n = 0;
  const state = {
    drop: false,
    server: createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        setTimeout(() => {
          const fwd = request({ host: '127.0.0.1', port: target(), path: req.url, method: req.method, headers: req.headers }, (up) => {
            const body: Buffer[] = [];
            up.on('data', (c: Buffer) => body.push(c));
            up.on('end', () => {
              if (state.drop && n++ % 2 === 0) {
                req.socket.destroy();
                return;
              }
              res.writeHead(up.statusCode ?? 502, up.headers);
              res.end(Buffer.concat(body));
            });
          });
          fwd.on('error', () => req.socket.destroy());
          fwd.end(Buffer.concat(chunks));
        }, 5 + Math.floor(Math.random() * 30));
      });
    }),
    port: () => (state.server.address() as AddressInfo).port,
  };
  return state;
}

describe('three-level network', () => {
  let county: TestHall;
  let township: TestHall;
  let village: TestHall;
  let countyAdmin = '';
  let townAtCounty: HallTokenResponse;
  let villageAtTown: HallTokenResponse;
  const proxy = flakyProxy(() => county.hall.port);

  beforeAll(async () => {
    await new Promise<void>((r) => proxy.server.listen(0, '127.0.0.1', () => r()));
    county = await startTestHall({ network: FAST_LINK });
    countyAdmin = await county.login();
    const reg = await county.api<HallTokenResponse>('POST', '/api/halls', { name: '马坝镇便民服务中心', level: 'township' }, countyAdmin);
    expect(reg.status).toBe(201);
    townAtCounty = reg.body;
    township = await startTestHall({ network: FAST_LINK, upstream: { url: `http://127.0.0.1:${proxy.port()}`, token: townAtCounty.token } });
    const v = await township.api<HallTokenResponse>('POST', '/api/halls', { name: '陈庄村便民服务站', level: 'village' }, await township.login());
    expect(v.status).toBe(201);
    villageAtTown = v.body;
    village = await startTestHall({ network: FAST_LINK, upstream: { url: township.url, token: villageAtTown.token } });
  }, 60_000);

  afterAll(async () => {
    await village?.close();
    await township?.close();
    await county?.close();
    proxy.server.close();
  });

  /** Waits until the county holds every record of the township and the village, then checks them line by line. */
  async function allArrived(): Promise<void> {
    for (const [t, id] of [
      [township, townAtCounty.id],
      [village, villageAtTown.id],
    ] as const) {
      await until(`${id} at the county`, async () => {
        const h = (await county.hall.network.hub.halls()).find((x) => x.id === id);
        return h && h.lastSeq === t.hall.core.durableSeq;
      });
      const held = await heldAt(county, id);
      expect(held).toEqual(await journalLines(t));
      expect(new Set(held).size).toBe(held.length);
    }
  }

  it('brings the village through the township to the county, chain intact, and lists both halls', async () => {
    await issue(village, 5);
    await issue(township, 3);
    await allArrived();
    const rows = await county.api<HallRow[]>('GET', '/api/halls', undefined, countyAdmin);
    expect(rows.status).toBe(200);
    expect(rows.body.map((r) => [r.name, r.level, r.via])).toEqual([
      ['马坝镇便民服务中心', 'township', null],
      ['陈庄村便民服务站', 'village', townAtCounty.id],
    ]);
    const vRow = rows.body.find((r) => r.id === villageAtTown.id)!;
    expect(vRow).toMatchObject({ online: true, today: { issued: 5, served: 0 }, waiting: 5, alerts: { yellow: 0, red: 0 } });
    expect(rows.body.find((r) => r.id === townAtCounty.id)).toMatchObject({ today: { issued: 3 }, waiting: 3 });
    // Logging in is journalled too: that record follows on its own.
    const admin = await village.login();
    const status = await until('the login record sent', async () => {
      const s = (await village.api<UpstreamStatus>('GET', '/api/network/status', undefined, admin)).body;
      return s.pending === 0 && s.state === 'idle' && s;
    });
    expect(status).toMatchObject({ configured: true, state: 'idle', lastError: null });
  });

  it('catches up after the county was down, with a proxy that drops replies and delays, and after each side restarts', async () => {
    // The county goes away; the halls keep serving at full speed and keep their records.
    const countyPort = county.hall.port;
    const countyDir = county.dataDir;
    await county.close(true);
    await issue(village, 4);
    await issue(township, 4);
    await until('the township to notice', async () => (await township.api<UpstreamStatus>('GET', '/api/network/status', undefined, await township.login())).body.state === 'waiting-retry');
    county = await startTestHall({ dataDir: countyDir, port: countyPort, network: FAST_LINK });
    countyAdmin = await county.login();
    proxy.drop = true;
    await issue(village, 6);
    // The township restarts mid-push.
    const townDir = township.dataDir;
    const townPort = township.hall.port;
    await township.close(true);
    await issue(village, 2);
    township = await startTestHall({ dataDir: townDir, port: townPort, network: FAST_LINK, upstream: { url: `http://127.0.0.1:${proxy.port()}`, token: townAtCounty.token } });
    // The village restarts too.
    const villageDir = village.dataDir;
    await village.close(true);
    village = await startTestHall({ dataDir: villageDir, network: FAST_LINK, upstream: { url: township.url, token: villageAtTown.token } });
    await issue(village, 3);
    await allArrived();
    proxy.drop = false;
  }, 60_000);

  it('refuses a forged record and a fork with a code, stores nothing, and raises one red alert', async () => {
    const before = await heldAt(county, villageAtTown.id);
    const forged = before.at(-1)!.replace('"type":"', '"type":"x');
    const bad = await county.api<{ error: { code: string } }>('POST', '/api/network/batches', { hallId: villageAtTown.id, records: [forged] }, townAtCounty.token);
    expect(bad).toMatchObject({ status: 422, body: { error: { code: 'NETWORK.CHAIN_BROKEN' } } });
    const gap = await county.api<{ error: { code: string; details: { expectedSeq: number } } }>('POST', '/api/network/batches', { hallId: villageAtTown.id, records: [before.at(-1)!.replace(/^\{"seq":\d+/, '{"seq":999999')] }, townAtCounty.token);
    expect(gap.status).toBe(422); // the seq changed after hashing: a changed record, not a gap
    expect(await heldAt(county, villageAtTown.id)).toEqual(before);
    const alerts = await until('the red alert', async () => {
      const r = await county.api<Alert[]>('GET', '/api/alerts?active=true', undefined, countyAdmin);
      const mine = r.body.filter((a) => a.rule === 'network-refused');
      return mine.length > 0 && mine;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'red', subject: { kind: 'hall', id: villageAtTown.id } });
    const rows = await county.api<HallRow[]>('GET', '/api/halls', undefined, countyAdmin);
    expect(rows.body.find((r) => r.id === villageAtTown.id)!.alerts.red).toBe(1);
    // The village's next real records clear it.
    await issue(village, 1);
    await until('the alert cleared', async () => (await county.api<Alert[]>('GET', '/api/alerts?active=true', undefined, countyAdmin)).body.every((a) => a.rule !== 'network-refused'));
  });

  it('refuses a revoked township, and takes it back with a rotated token', async () => {
    expect((await county.api('DELETE', `/api/halls/${townAtCounty.id}`, undefined, countyAdmin)).status).toBe(204);
    await issue(township, 2);
    await until('the refusal', async () => (await township.api<UpstreamStatus>('GET', '/api/network/status', undefined, await township.login())).body.lastError?.code === 'NETWORK.TOKEN_REVOKED');
    const rot = await county.api<HallTokenResponse>('POST', `/api/halls/${townAtCounty.id}/token`, undefined, countyAdmin);
    expect(rot.status).toBe(200);
    expect(rot.body.token).not.toBe(townAtCounty.token);
    const old = await county.api<{ error: { code: string } }>('POST', '/api/network/batches', { records: ['x'] }, townAtCounty.token);
    expect(old).toMatchObject({ status: 401, body: { error: { code: 'NETWORK.UNKNOWN_HALL' } } });
    townAtCounty = rot.body;
    const dir = township.dataDir;
    const port = township.hall.port;
    await township.close(true);
    township = await startTestHall({ dataDir: dir, port, network: FAST_LINK, upstream: { url: `http://127.0.0.1:${proxy.port()}`, token: townAtCounty.token } });
    await allArrived();
  });

  it('answers bad batches with a code and stores nothing', async () => {
    const held = await heldAt(county, townAtCounty.id);
    const post = (body: unknown, token = townAtCounty.token, raw?: string) => county.api<{ error?: { code: string }; duplicates?: number; accepted?: number }>('POST', '/api/network/batches', body, token, raw);
    expect(await post(undefined, townAtCounty.token, '{"records": [')).toMatchObject({ status: 400, body: { error: { code: 'PROTOCOL.INVALID_PAYLOAD' } } });
    expect(await post({ records: [] })).toMatchObject({ status: 400, body: { error: { code: 'PROTOCOL.INVALID_PAYLOAD' } } });
    expect(await post({ records: [1, 2] })).toMatchObject({ status: 400, body: { error: { code: 'PROTOCOL.INVALID_PAYLOAD' } } });
    expect(await post({ records: held.slice(0, 1), extra: true })).toMatchObject({ status: 400 });
    expect(await post({ records: Array.from({ length: 1001 }, () => held[0]) })).toMatchObject({ status: 413, body: { error: { code: 'PROTOCOL.PAYLOAD_TOO_LARGE' } } });
    expect(await post({ records: [held[0]!.padEnd(5_000_000, ' ')] })).toMatchObject({ status: 413, body: { error: { code: 'PROTOCOL.PAYLOAD_TOO_LARGE' } } });
    expect(await post({ records: held.slice(0, 2) }, 'unknown-token')).toMatchObject({ status: 401, body: { error: { code: 'NETWORK.UNKNOWN_HALL' } } });
    expect(await post({ records: held.slice(0, 2) }, '')).toMatchObject({ status: 401, body: { error: { code: 'NETWORK.UNKNOWN_HALL' } } });
    // A replayed old batch: acknowledged, nothing stored twice.
    expect(await post({ records: held.slice(0, 3) })).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 3 } });
    expect(await heldAt(county, townAtCounty.id)).toEqual(held);
    // Staff routes: roles and codes.
    const clerk = await county.api('GET', '/api/halls');
    expect(clerk.status).toBe(401);
    expect((await county.api('POST', '/api/halls', { name: '', level: 'village' }, countyAdmin)).status).toBe(400);
    expect((await county.api('POST', '/api/halls', { name: '县中心', level: 'county' }, countyAdmin)).status).toBe(400);
    expect(await county.api('DELETE', '/api/halls/hall-nope', undefined, countyAdmin)).toMatchObject({ status: 404, body: { error: { code: 'HALL.NOT_FOUND' } } });
    expect(await county.api('POST', '/api/network/ping', { halls: 'x' }, townAtCounty.token)).toMatchObject({ status: 400 });
  });
});
