/**
 * kill -9 while tickets are issued and called: every acknowledged ticket and action survives the
 * restart, and no number is given twice. The server runs as a real child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CounterActionResponse, CounterView, IssueTicketResponse, ServiceSummary, Ticket } from '@hall/protocol';
import { REPO_ROOT } from '../src/main';
import { makeTempDir } from './harness';

const PASSWORD = 'crash-admin-pass';

interface Proc {
  child: ChildProcess;
  url: string;
}

async function startServer(dataDir: string): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'hall-server/src/cli.ts'), 'start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HALL_HOST: '127.0.0.1', HALL_DATA_DIR: dataDir, HALL_ADMIN_PASSWORD: PASSWORD, HALL_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      const verify = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'hall-server/src/cli.ts'), 'verify', dataDir], { cwd: REPO_ROOT });
      let out = '';
      verify.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => verify.on('exit', r));
      expect(out).toContain('journal chain intact');
      expect(code).toBe(0);
    } finally {
      await kill9(p);
    }
  }, 120_000);
});
