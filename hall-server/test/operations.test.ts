/**
 * Operating the hall: day close, restarts, rate limits, first start, logs without personal data.
 * Time comes from an injected clock; nothing here depends on the wall clock.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { IssueTicketResponse, ServiceSummary, Ticket } from '@hall/protocol';
import { REPO_ROOT } from '../src/main';
import { request as httpsRequest } from 'node:https';
import { io } from 'socket.io-client';
import { ID, createStaff, makeTempDir, nextEvent, startTestHall, type TestHall } from './harness';
import { makeTestCertificate } from '../src/ops/test-certificates';
import { tlsFilesFromEnv } from '../src/ops/tls-files';

type Err = { error: { code: string } };

let halls: TestHall[] = [];
afterEach(async () => {
  for (const h of halls) await h.close().catch(() => undefined);
  halls = [];
});
async function hall(opts: Parameters<typeof startTestHall>[0] = {}): Promise<TestHall> {
  const h = await startTestHall(opts);
  halls.push(h);
  return h;
}

describe('day close', () => {
  it('at hall midnight open tickets expire, numbering restarts and a new journal file starts', async () => {
    let now = Date.parse('2026-11-26T23:58:00+08:00');
    const dataDir = await makeTempDir();
    const t = await hall({ dataDir, clock: () => now });
    const admin = await t.login();
    const svc = (await t.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    const a = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id }, admin);
    expect(a.body.number).toBe(`${svc.prefix}001`);

    now = Date.parse('2026-11-27T00:00:05+08:00');
    const b = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id }, admin);
    expect(b.status).toBe(201);
    expect(b.body.number).toBe(`${svc.prefix}001`);
    expect((await t.api<{ day: string }>('GET', '/api/health')).body.day).toBe('2026-11-27');
    const old = await t.api<Err>('GET', `/api/tickets/${a.body.id}?token=${a.body.trackToken}`);
    expect(old.status).toBe(404); // yesterday's tickets are closed and out of today's queue
    const files = (await readdir(join(dataDir, 'journal'))).filter((f) => f.endsWith('.jsonl')).sort();
    expect(files).toEqual(['2026-11-26.jsonl', '2026-11-27.jsonl']);
    const yesterday = await readFile(join(dataDir, 'journal', '2026-11-26.jsonl'), 'utf8');
    expect(yesterday).toContain('"ticket.expired"');
    expect(yesterday).toContain('"day.closed"');
  });

  it('a hall that was off at midnight closes the past day at start-up', async () => {
    let now = Date.parse('2026-11-26T16:00:00+08:00');
    const dataDir = await makeTempDir();
    const t1 = await startTestHall({ dataDir, clock: () => now });
    const admin = await t1.login();
    const svc = (await t1.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    await t1.api('POST', '/api/tickets', { serviceId: svc.id }, admin);
    await t1.close(true);

    now = Date.parse('2026-11-28T08:30:00+08:00');
    const t2 = await hall({ dataDir, clock: () => now });
    expect((await t2.api<{ day: string }>('GET', '/api/health')).body.day).toBe('2026-11-28');
    const s = (await t2.api<ServiceSummary[]>('GET', '/api/services')).body.find((x) => x.id === svc.id);
    expect(s?.waiting).toBe(0);
    const closed = await readFile(join(dataDir, 'journal', '2026-11-26.jsonl'), 'utf8');
    expect(closed).toContain('"day.closed"');
  });
});

describe('restarts', () => {
  it('staff tokens and tickets survive a restart', async () => {
    const dataDir = await makeTempDir();
    const t1 = await startTestHall({ dataDir });
    const admin = await t1.login();
    const svc = (await t1.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    const a = await t1.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id }, admin);
    await t1.close(true);
    const t2 = await hall({ dataDir });
    const r = await t2.api<Ticket>('GET', `/api/tickets/${a.body.id}`, undefined, admin);
    expect(r.status).toBe(200);
    expect(r.body.number).toBe(a.body.number);
    const b = await t2.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id }, admin);
    expect(b.body.number).not.toBe(a.body.number);
  });

  it('a kiosk retrying a request after a restart gets the same ticket, unprinted, and no rate-limit point is spent', async () => {
    const dataDir = await makeTempDir();
    const t1 = await startTestHall({ dataDir });
    const kiosk = await t1.kioskToken();
    const svc = (await t1.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    const body = { serviceId: svc.id, requestId: 'tap-before-crash' };
    const a = await t1.api<IssueTicketResponse>('POST', '/api/tickets', body, kiosk);
    expect(a.status).toBe(201);
    await t1.close(true);
    const t2 = await hall({ dataDir });
    const admin = await t2.login();
    await t2.api('PATCH', '/api/hall', { terminalTicketsPerMinute: 1 }, admin);
    const again = await t2.api<IssueTicketResponse>('POST', '/api/tickets', body, kiosk);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: a.body.id, number: a.body.number, trackToken: a.body.trackToken, print: 'none' });
    const fresh = await t2.api<IssueTicketResponse>('POST', '/api/tickets', { ...body, requestId: 'tap-after' }, kiosk);
    expect(fresh.status).toBe(201);
    expect(fresh.body.number).not.toBe(a.body.number);
  });

  it('tokens expire after 12 hours', async () => {
    let now = Date.parse('2026-11-26T08:00:00+08:00');
    const t = await hall({ clock: () => now });
    const admin = await t.login();
    expect((await t.api('GET', '/api/users', undefined, admin)).status).toBe(200);
    now += 12 * 3600_000 + 1000;
    expect((await t.api('GET', '/api/users', undefined, admin)).status).toBe(401);
  });
});

describe('limits', () => {
  it('a kiosk terminal is limited per minute; staff are not', async () => {
    const t = await hall();
    const admin = await t.login();
    await t.api('PATCH', '/api/hall', { terminalTicketsPerMinute: 3 }, admin);
    const kiosk = await t.kioskToken();
    const svc = (await t.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    for (let i = 0; i < 3; i++) expect((await t.api('POST', '/api/tickets', { serviceId: svc.id }, kiosk)).status).toBe(201);
    const limited = await t.api<Err>('POST', '/api/tickets', { serviceId: svc.id }, kiosk);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE.LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect((await t.api('POST', '/api/tickets', { serviceId: svc.id }, admin)).status).toBe(201);
  });

  it('public endpoints are limited per client address', async () => {
    const t = await hall({ publicRatePerMinute: 5 });
    for (let i = 0; i < 5; i++) expect((await t.api('GET', '/api/queue')).status).toBe(200);
    const r = await t.api<Err>('GET', '/api/queue');
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('RATE.LIMITED');
    expect(r.headers.get('retry-after')).toBeTruthy();
    expect((await t.api('GET', '/api/health')).status).toBe(200);
  });

  it('login attempts are limited per address', async () => {
    const t = await hall({ loginRatePerMinute: 3 });
    for (let i = 0; i < 3; i++) await t.api('POST', '/api/auth/login', { username: `u${i}`, password: 'x' });
    const r = await t.api<Err>('POST', '/api/auth/login', { username: 'admin', password: 'x' });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('RATE.LIMITED');
  });
});

describe('security headers', () => {
  it('pages get a CSP for the UIs without forcing HTTPS on the hall LAN', async () => {
    const t = await hall();
    const r = await fetch(`${t.url}/counter`);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers.get('strict-transport-security')).toBeNull();
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('API answers get the short set for JSON, however the path is spelled and wherever they are answered', async () => {
    const t = await hall();
    for (const [method, path] of [['GET', '/api/health'], ['GET', '/API/health'], ['GET', '/api/no-such-thing'], ['POST', '/api/tickets'], ['POST', '/Api/tickets']] as const) {
      const r = await fetch(`${t.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : null });
      expect(r.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
      expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(r.headers.get('cache-control'), path).toBe('no-store');
      expect(r.headers.get('x-dns-prefetch-control'), path).toBeNull();
      expect(r.headers.get('strict-transport-security'), path).toBeNull();
      expect(r.headers.get('x-powered-by'), path).toBeNull();
    }
  });
});

describe('privacy', () => {
  it('nothing personal reaches the logs or the journal', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const t = await hall({ log: pino({ level: 'debug' }, sink) });
    const kiosk = await t.kioskToken();
    const svc = (await t.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    const r = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id, idCard: { name: '欧阳小明', idNumber: ID.elderly } }, kiosk);
    expect(r.status).toBe(201);
    expect(r.body.holderName).toBe('欧**明');
    await t.api('POST', '/api/tickets', { serviceId: svc.id, idCard: { name: '欧阳小明', idNumber: '110105195003070018' } }, kiosk);
    await t.api('POST', '/api/auth/login', { username: 'admin', password: 'wrong-secret-pw' });
    const journal = (await readdir(join(t.dataDir, 'journal'))).filter((f) => f.endsWith('.jsonl'));
    const text = lines.join('') + (await Promise.all(journal.map((f) => readFile(join(t.dataDir, 'journal', f), 'utf8')))).join('');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [ID.elderly, '110105195003070018', '欧阳小明', 'wrong-secret-pw', '1950-03-07']) expect(text).not.toContain(secret);
  });
});

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'hall-server/src/cli.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, HALL_LOG_LEVEL: 'error', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('command line', () => {
  it('a bad config file is a clear error naming the field, exit non-zero', async () => {
    const dataDir = await makeTempDir();
    const t = await startTestHall({ dataDir });
    await t.close(true);
    const cfg = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8')) as { services: { prefix: string }[] };
    (cfg.services[1] as { prefix: string }).prefix = 'a1';
    await writeFile(join(dataDir, 'config.json'), JSON.stringify(cfg));
    const r = await runCli(['start'], { HALL_DATA_DIR: dataDir, PORT: '0' });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('services[1].prefix');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace

    await writeFile(join(dataDir, 'config.json'), '{ not json');
    const r2 = await runCli(['start'], { HALL_DATA_DIR: dataDir, PORT: '0' });
    expect(r2.code).not.toBe(0);
    expect(r2.err).toMatch(/config\.json/);
  });

  it('verify finds a tampered journal line', async () => {
    const dataDir = await makeTempDir();
    const t = await startTestHall({ dataDir });
    const admin = await t.login();
    const svc = (await t.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    for (let i = 0; i < 3; i++) await t.api('POST', '/api/tickets', { serviceId: svc.id }, admin);
    await t.close(true);
    const ok = await runCli(['verify', dataDir], {});
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('journal chain intact');
    const dir = join(dataDir, 'journal');
    const file = join(dir, (await readdir(dir)).filter((f) => f.endsWith('.jsonl'))[0] as string);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(`${svc.prefix}002`, `${svc.prefix}009`));
    const bad = await runCli(['verify', dataDir], {});
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('FAIL');
  });

  it('the first start prints a random admin password once', async () => {
    const dataDir = await makeTempDir();
    const env = { HALL_DATA_DIR: dataDir, PORT: '0', HALL_HOST: '127.0.0.1', HALL_ADMIN_PASSWORD: '' };
    const first = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'hall-server/src/cli.ts'), 'start'], { cwd: REPO_ROOT, env: { ...process.env, ...env, HALL_LOG_LEVEL: 'error' } });
    let out = '';
    first.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (out.includes('ready at')) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    first.kill('SIGTERM');
    await new Promise((r) => first.on('exit', r));
    const m = /user "admin" created with password (\S+)/.exec(out);
    expect(m?.[1]).toMatch(/^\S{16}$/);
    expect(out).toMatch(/kiosk\?token=/);
    const second = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'hall-server/src/cli.ts'), 'start'], { cwd: REPO_ROOT, env: { ...process.env, ...env, HALL_LOG_LEVEL: 'error' } });
    let out2 = '';
    second.stdout.on('data', (d: Buffer) => (out2 += d.toString()));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (out2.includes('ready at')) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    const url = /ready at (\S+)/.exec(out2)?.[1] as string;
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: m?.[1] }) });
    expect(login.status).toBe(200);
    second.kill('SIGTERM');
    await new Promise((r) => second.on('exit', r));
    expect(out2).not.toContain('created with password');
  });
});

/** One HTTPS request trusting `ca` only (the hall's test certificate). */
function httpsJson(url: string, ca: string, method: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, ca, servername: 'hall.local', headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('health check over HTTP (GET /api/doctor)', () => {
  type Report = { checkedAt: string; errors: number; warnings: number; findings: Array<{ check: string; level: string; found: string; todo: string }> };

  it('admins only; the same checks as hall-server doctor, run inside the serving hall', async () => {
    const t = await hall();
    expect((await t.api<Err>('GET', '/api/doctor')).body.error.code).toBe('AUTH.REQUIRED');
    const sup = await createStaff(t, 'sup1', 'supervisor');
    const refused = await t.api<Err>('GET', '/api/doctor', undefined, sup.token);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'AUTH.FORBIDDEN']);
    const admin = await t.login();
    const r = await t.api<Report>('GET', '/api/doctor', undefined, admin);
    expect(r.status).toBe(200);
    expect(r.body.checkedAt).toMatch(/^2026-11-26T\d\d:\d\d:\d\d\+08:00$/); // the hall's injected clock
    const level = (c: string) => r.body.findings.find((f) => f.check === c)?.level;
    expect([level('data.config'), level('data.journal'), level('port'), level('tls')]).toEqual(['ok', 'ok', 'ok', 'info']);
    expect(level('backup.age')).toBe('warn'); // no HALL_BACKUP_DIR in tests
    expect(r.body.warnings).toBe(r.body.findings.filter((f) => f.level === 'warn').length);
    const page = await t.api<string>('GET', '/api/doctor/report', undefined, admin);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(page.body).toContain('系统体检');
    expect(page.body).toContain('没有开启夜间备份');
    expect((await t.api<Err>('GET', '/api/doctor/report', undefined, sup.token)).status).toBe(403);
  });

  it('a hall with HALL_TLS_CERT/KEY serves HTTPS, and its doctor checks that certificate against HALL_PUBLIC_URL', async () => {
    const cert = makeTestCertificate({ san: 'DNS:hall.local,IP:127.0.0.1' });
    const tls = tlsFilesFromEnv({ HALL_TLS_CERT: cert.certFile, HALL_TLS_KEY: cert.keyFile });
    // The certificate is made now by the wall clock, so the hall's clock starts a day later.
    const start = Date.now() + 86_400_000;
    const t = await hall({ tls: tls ?? undefined, publicUrl: 'https://queue.example.gov.cn:8443', clock: () => start });
    expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsJson(`${t.url}/api/health`, cert.cert, 'GET');
    expect(health.status).toBe(200);
    const login = await httpsJson(`${t.url}/api/auth/login`, cert.cert, 'POST', { username: 'admin', password: 'admin-pass-123' });
    const token = (login.body as { token: string }).token;
    const r = await httpsJson(`${t.url}/api/doctor`, cert.cert, 'GET', undefined, token);
    const findings = (r.body as Report).findings;
    const level = (c: string) => findings.find((f) => f.check === c)?.level;
    expect([level('port'), level('tls.expiry'), level('tls.key'), level('tls.hostname')]).toEqual(['ok', 'ok', 'ok', 'error']);
    expect(findings.find((f) => f.check === 'tls.hostname')?.found).toContain('queue.example.gov.cn');
    expect(findings.find((f) => f.check === 'port')?.found).toContain('HTTPS');

    // Screens follow the hall over wss on the same port, trusting the hall's certificate only.
    const screen = io(`${t.url}/display`, { transports: ['websocket'], reconnection: false, forceNew: true, ca: cert.cert });
    try {
      const snap = await nextEvent<{ day: string }>(screen, 'snapshot');
      expect(typeof snap.day).toBe('string');
    } finally {
      screen.close();
    }
  });

  it('hall-server start refuses a certificate without its key: exit 78 (no restart loop) and what to set', async () => {
    const cert = makeTestCertificate();
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'hall-server/src/cli.ts'), 'start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, HALL_DATA_DIR: await makeTempDir(), PORT: '0', HALL_TLS_CERT: cert.certFile, HALL_TLS_KEY: '' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(78);
    expect(err).toMatch(/HALL_TLS_CERT 和 HALL_TLS_KEY 要同时设置/);
  });
});
