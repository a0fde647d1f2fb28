/**
 * The upstream link across kill -9, with both halls as real server processes (the bundle
 * `npm start` runs): a village pushes to a county while tickets are issued; the county is killed
 * mid-ingest, then the village mid-push, each started again on the same data folder and port.
 * At the end the county holds exactly the village's journal, line for line, each record once.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hallDate, type HallRow, type HallTokenResponse } from '@hall/protocol';
import { JournalTail } from '../src/network/journal-tail';
import { NetworkStore } from '../src/network/network-store';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO_ROOT, 'hall-server/dist/cli.js');
const PASSWORD = 'network-crash-pass';

beforeAll(() => {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build-server.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' });
}, 120_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function start(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HALL_HOST: '127.0.0.1', HALL_ADMIN_PASSWORD: PASSWORD, HALL_LOG_LEVEL: 'error', HALL_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no start: ${out} ${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/ready at http/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return child;
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function call<T>(port: number, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
}

const login = async (port: number): Promise<string> => (await call<{ token: string }>(port, 'POST', '/api/auth/login', undefined, { username: 'admin', password: PASSWORD })).body.token;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('network link across kill -9', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await kill9(c);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('loses nothing and stores nothing twice when either side is killed mid-push', async () => {
    const countyDir = await mkdtemp(join(tmpdir(), 'net-crash-county-'));
    const villageDir = await mkdtemp(join(tmpdir(), 'net-crash-village-'));
    dirs.push(countyDir, villageDir);
    const [countyPort, villagePort] = [await freePort(), await freePort()];
    let county = await start(countyDir, countyPort);
    children.push(county);
    const reg = await call<HallTokenResponse>(countyPort, 'POST', '/api/halls', await login(countyPort), { name: '陈庄村便民服务站', level: 'village' });
    expect(reg.status).toBe(201);
    const env = { HALL_UPSTREAM_URL: `http://127.0.0.1:${countyPort}`, HALL_UPSTREAM_TOKEN: reg.body.token };
    let village = await start(villageDir, villagePort, env);
    children.push(village);

    let issued = 0;
    let stop = false;
    const issuer = (async () => {
      while (!stop) {
        try {
          const token = await login(villagePort);
          const services = (await call<Array<{ id: string }>>(villagePort, 'GET', '/api/services')).body;
          for (let i = 0; i < 40 && !stop; i++) {
            const r = await call(villagePort, 'POST', '/api/tickets', token, { serviceId: services[i % services.length]!.id });
            if (r.status === 201) issued++;
          }
        } catch {
          await sleep(50); // the village is down for a moment
        }
      }
    })();
    // One login each: a login is journalled, and sessions outlive a restart.
    const countyToken = await login(countyPort);
    const countyHas = async (): Promise<number> => {
      try {
        const rows = await call<HallRow[]>(countyPort, 'GET', '/api/halls', countyToken);
        return rows.body.find((r) => r.id === reg.body.id)?.lastSeq ?? 0;
      } catch {
        return -1;
      }
    };
    const waitFor = async (what: string, ok: () => Promise<boolean>): Promise<void> => {
      for (const end = Date.now() + 60_000; Date.now() < end; await sleep(50)) if (await ok()) return;
      throw new Error(`timed out: ${what}`);
    };

    // The county dies while records arrive, and comes back on the same folder and port.
    await waitFor('records at the county', async () => (await countyHas()) > 20);
    await kill9(county);
    await sleep(300);
    county = await start(countyDir, countyPort);
    children.push(county);
    // The village dies mid-push, and comes back.
    await waitFor('more records at the county', async () => (await countyHas()) > 120);
    await kill9(village);
    village = await start(villageDir, villagePort, env);
    children.push(village);
    await waitFor('tickets after the restarts', async () => issued > 200);
    stop = true;
    await issuer;

    // Caught up: the county's last seq is the village's; then both stop and the files are compared.
    const villageToken = await login(villagePort);
    const villageSeq = async (): Promise<number> => {
      const s = await call<{ halls: Array<{ localSeq: number; ackedSeq: number }> }>(villagePort, 'GET', '/api/network/status', villageToken);
      return s.body.halls[0]!.localSeq;
    };
    let caughtUp = 0;
    await waitFor('caught up', async () => {
      const local = await villageSeq();
      caughtUp = local;
      return (await countyHas()) === local;
    });
    // The county's statistics for the village, from what it received (read model on its worker thread).
    const today = hallDate(Date.now(), 'Asia/Shanghai');
    // (A ticket whose request died with the village may be in its journal without a 201: compare with the village's own figures.)
    const q = `/api/stats/summary?from=${today}&to=${today}`;
    await waitFor('the village in the statistics', async () => {
      const own = await call<{ issued: number }>(villagePort, 'GET', q, villageToken);
      const r = await call<{ issued: number }>(countyPort, 'GET', `${q}&hallId=${reg.body.id}`, countyToken);
      return r.status === 200 && own.body.issued >= issued && r.body.issued === own.body.issued;
    });
    await kill9(village);
    await kill9(county);
    const lines = (await new JournalTail(join(villageDir, 'journal')).after(0, Number.MAX_SAFE_INTEGER, 1e7)).map((r) => r.line);
    const store = await NetworkStore.open({ sqliteFile: join(countyDir, 'network.sqlite') });
    try {
      const held = (await store.recordsAfter(reg.body.id, 0, 1e7)).map((r) => r.line);
      // Everything up to the catch-up, line for line (the 电子监察 engine may journal an alert later).
      expect(held.length).toBeGreaterThanOrEqual(caughtUp);
      expect(held).toEqual(lines.slice(0, held.length));
      expect(new Set(held).size).toBe(held.length);
      expect(await store.count(reg.body.id)).toBe(held.length);
    } finally {
      await store.close();
    }
    expect(issued).toBeGreaterThan(200);
  }, 180_000);
});
