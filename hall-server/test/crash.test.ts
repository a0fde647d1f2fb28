/**
 * The server as `npm start` runs it (the bundle hall-server/dist/cli.js, built first when older
 * than the sources), as a real child process: kill -9 while tickets are issued and called loses
 * no acknowledged ticket or action and gives no number twice; a journal damaged in the middle is
 * refused before any write is acknowledged, and `hall-server repair` gets it started again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterActionResponse, CounterView, IssueTicketResponse, ServiceSummary, Ticket } from '@hall/protocol';

// Not imported from the server's sources: this test runs only the bundle.
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const makeTempDir = (prefix: string): Promise<string> => mkdtemp(join(tmpdir(), prefix));

const PASSWORD = 'crash-admin-pass';
const CLI = join(REPO_ROOT, 'hall-server/dist/cli.js');

beforeAll(() => {
  // Skips itself when the bundle is newer than every source file.
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build-server.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' });
}, 60_000);

function runCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HALL_HOST: '127.0.0.1', HALL_ADMIN_PASSWORD: PASSWORD, HALL_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to its end: exit code and output. */
async function cliResult(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = runCli(args);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, out, err };
}

interface Proc {
  child: ChildProcess;
  url: string;
}

async function startServer(dataDir: string): Promise<Proc> {
  const child = runCli(['start'], { HALL_DATA_DIR: dataDir });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return { child, url };
}

async function call<T>(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
}

async function login(url: string): Promise<string> {
  return (await call<{ token: string }>(url, 'POST', '/api/auth/login', undefined, { username: 'admin', password: PASSWORD })).body.token;
}

function kill9(p: Proc): Promise<void> {
  return new Promise((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill('SIGKILL');
  });
}

describe('crash safety (SIGKILL)', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged ticket and call across kill -9, numbers never repeat', async () => {
    dataDir = await makeTempDir('hall-crash-');
    const acked = new Map<string, { number: string; serviceId: string; trackToken: string }>();
    const calledAcked = new Map<string, string>(); // ticketId -> status acknowledged at least

    for (let round = 0; round < 3; round++) {
      const p = await startServer(dataDir);
      const token = await login(p.url);
      const services = (await call<ServiceSummary[]>(p.url, 'GET', '/api/services')).body;
      const counters = (await call<CounterView[]>(p.url, 'GET', '/api/counters')).body;
      const counter = counters.find((c) => c.serviceIds.length > 0) as CounterView;
      // After a restart the admin may still hold the counter: sign-in is idempotent for the holder.
      await call(p.url, 'POST', `/api/counters/${counter.id}/sign-in`, token);

      let stop = false;
      const issuers = Array.from({ length: 8 }, async (_, i) => {
        while (!stop) {
          const svc = services[(i + acked.size) % services.length] as ServiceSummary;
          try {
            const r = await call<IssueTicketResponse>(p.url, 'POST', '/api/tickets', token, { serviceId: svc.id });
            if (r.status === 201) acked.set(r.body.id, { number: r.body.number, serviceId: r.body.serviceId, trackToken: r.body.trackToken });
          } catch {
            return; // the server died mid-request: not acknowledged
          }
        }
      });
      const caller = (async () => {
        while (!stop) {
          try {
            const r = await call<CounterActionResponse>(p.url, 'POST', `/api/counters/${counter.id}/call-next`, token);
            if (r.status === 200 && r.body.ticket) calledAcked.set(r.body.ticket.id, 'called');
          } catch {
            return;
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 600 + round * 300));
      await kill9(p);
      stop = true;
      await Promise.allSettled([...issuers, caller]);
    }

    expect(acked.size).toBeGreaterThan(50);
    console.info(`crash test: ${acked.size} tickets and ${calledAcked.size} calls acknowledged across 3 kills`);
    const p = await startServer(dataDir);
    try {
      const token = await login(p.url);
      for (const [id, info] of acked) {
        // As staff (not rate-limited: a fast run acknowledges more tickets than the public limit).
        const r = await call<Ticket>(p.url, 'GET', `/api/tickets/${id}?token=${info.trackToken}`, token);
        expect(r.status, `acknowledged ticket ${info.number} lost`).toBe(200);
        expect(r.body.number).toBe(info.number);
        if (calledAcked.has(id)) expect(r.body.status, `call of ${info.number} lost`).not.toBe('waiting');
      }
      // Numbers are unique per service, including tickets issued after the crashes.
      const services = (await call<ServiceSummary[]>(p.url, 'GET', '/api/services')).body;
      for (const svc of services) {
        const r = await call<IssueTicketResponse>(p.url, 'POST', '/api/tickets', token, { serviceId: svc.id });
        expect(r.status).toBe(201);
        acked.set(r.body.id, { number: r.body.number, serviceId: svc.id, trackToken: r.body.trackToken });
      }
      const seen = new Set<string>();
      for (const info of acked.values()) {
        const key = `${info.serviceId}:${info.number}`;
        expect(seen.has(key), `number ${info.number} given twice`).toBe(false);
        seen.add(key);
      }
      const verify = await cliResult(['verify', dataDir]);
      expect(verify.out).toContain('journal chain intact');
      expect(verify.code).toBe(0);
    } finally {
      await kill9(p);
    }
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('a journal damaged in the middle', () => {
  let dataDir = '';
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is refused before any write is acknowledged; `hall-server repair` moves the damage aside and the next start works', async () => {
    dataDir = await makeTempDir('hall-damaged-');
    const first = await startServer(dataDir);
    const token = await login(first.url);
    const serviceId = (await call<ServiceSummary[]>(first.url, 'GET', '/api/services')).body[0]!.id;
    for (let i = 0; i < 6; i++) expect((await call(first.url, 'POST', '/api/tickets', token, { serviceId })).status).toBe(201);
    await kill9(first);

    const journalDir = join(dataDir, 'journal');
    const file = join(journalDir, (await readdir(journalDir)).find((n) => n.endsWith('.jsonl'))!);
    const lines = (await readFile(file, 'utf8')).split('\n');
    const bad = lines.length - 4; // a ticket two lines before the last
    lines[bad] = lines[bad]!.replace('"at":"', '"at":"0');
    await writeFile(file, lines.join('\n'));
    const damaged = await readFile(file);

    // Clients keep trying to issue while the server starts on the damaged journal.
    const port = await freePort();
    const child = runCli(['start'], { HALL_DATA_DIR: dataDir, PORT: String(port) });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((r) => child.on('exit', (code) => r(void (exitCode = code))));
    let acknowledged = 0;
    while (exitCode === undefined) {
      const r = await call(`http://127.0.0.1:${port}`, 'POST', '/api/tickets', token, { serviceId }).catch(() => null);
      if (r?.status === 201) acknowledged++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await exited;
    expect(acknowledged).toBe(0);
    expect(exitCode).toBe(2);
    expect(err).toContain(`journal ${file} line ${bad + 1}: hash does not match`);
    expect((await readFile(file)).equals(damaged)).toBe(true);

    const repair = await cliResult(['repair', dataDir]);
    expect(repair.code).toBe(0);
    expect(repair.out).toContain(`from line ${bad + 1} on to ${file}.damaged-1`);
    const again = await startServer(dataDir);
    try {
      expect((await call(again.url, 'POST', '/api/tickets', await login(again.url), { serviceId })).status).toBe(201);
    } finally {
      await kill9(again);
    }
    const verify = await cliResult(['verify', dataDir]);
    expect(verify.out).toContain('journal chain intact');
  }, 60_000);
});
