/**
 * Logins are limited per address and per username whatever Authorization header they carry,
 * and the first start creates the admin before anyone can reach the server.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startHall } from '../src/main';
import { ADMIN_PASSWORD, makeTempDir, startTestHall, type TestHall } from './harness';

type Err = { error: { code: string } };

const halls: TestHall[] = [];
afterEach(async () => {
  for (const h of halls.splice(0)) await h.close();
});
async function hall(opts: Parameters<typeof startTestHall>[0] = {}): Promise<TestHall> {
  const h = await startTestHall(opts);
  halls.push(h);
  return h;
}

describe('login limits', () => {
  it('a bearer token in the header does not lift the per-address limit', async () => {
    // Two logins to get the tokens, two with them, then the limit.
    const t = await hall({ loginRatePerMinute: 4 });
    const kiosk = await t.kioskToken();
    const admin = await t.login();
    for (const token of [kiosk, admin]) {
      const r = await t.api<Err>('POST', '/api/auth/login', { username: 'nobody', password: 'x' }, token);
      expect(r.status).not.toBe(429);
    }
    const r = await t.api<Err>('POST', '/api/auth/login', { username: 'nobody2', password: 'x' }, kiosk);
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('RATE.LIMITED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('one username is limited whatever the address; others are not', async () => {
    const t = await hall({ loginRatePerUserPerMinute: 2 });
    for (let i = 0; i < 2; i++) expect((await t.api('POST', '/api/auth/login', { username: 'Admin', password: ADMIN_PASSWORD })).status).toBe(200);
    const r = await t.api<Err>('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('RATE.LIMITED');
    expect(r.headers.get('retry-after')).toBeTruthy();
    expect((await t.api('POST', '/api/auth/login', { username: 'someone', password: 'x' })).status).toBe(401);
  });

  it('a burst of logins beyond the hashing queue is refused 429, not queued without bound', async () => {
    const t = await hall();
    const kiosk = await t.kioskToken();
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.api<Err>('POST', '/api/auth/login', { username: `flood${i}`, password: 'x' }, kiosk)),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
    const refused = burst.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.body.error.code).toBe('RATE.LIMITED');
      expect(r.headers.get('retry-after')).toBeTruthy();
    }
    // The hall goes on issuing and logging in afterwards.
    expect((await t.api('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('first start', () => {
  it('the admin exists before the server answers anything', async () => {
    const dataDir = await makeTempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const firstAnswer = (async () => {
      for (;;) {
        try {
          const health = await fetch(`${url}/api/health`);
          if (health.status === 200) break;
        } catch {
          await new Promise((r) => setTimeout(r, 1));
        }
      }
      return fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    })();
    const running = await startHall({ dataDir, port, host: '127.0.0.1', adminPassword: ADMIN_PASSWORD, log: pino({ level: 'silent' }), announce: () => undefined });
    try {
      expect((await firstAnswer).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
