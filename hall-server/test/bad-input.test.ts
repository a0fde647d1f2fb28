/**
 * Bad input of every kind at every endpoint built here: malformed JSON, wrong types, unknown ids,
 * missing or wrong role. Each gets a 4xx with a stable code, and nothing changes.
 */
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterView, ServiceSummary } from '@hall/protocol';
import { createStaff, startTestHall, type TestHall } from './harness';

type Err = { error: { code: string; message: string } };

describe('bad input changes nothing', () => {
  let t: TestHall;
  let admin: string;
  let clerk: string;
  let kiosk: string;
  let svc: ServiceSummary;
  let counter: CounterView;

  async function journalBytes(): Promise<string> {
    const dir = join(t.dataDir, 'journal');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
    return (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('');
  }
  const configBytes = () => readFile(join(t.dataDir, 'config.json'), 'utf8');

  beforeAll(async () => {
    t = await startTestHall();
    admin = await t.login();
    clerk = (await createStaff(t, 'clerk-bad', 'clerk')).token;
    kiosk = await t.kioskToken();
    svc = (await t.api<ServiceSummary[]>('GET', '/api/services')).body[0] as ServiceSummary;
    counter = (await t.api<CounterView[]>('GET', '/api/counters')).body[0] as CounterView;
    await t.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk);
  });
  afterAll(() => t.close());

  const postEndpoints = (): { path: string; token: () => string }[] => [
    { path: '/api/auth/login', token: () => '' },
    { path: '/api/users', token: () => admin },
    { path: '/api/terminals', token: () => admin },
    { path: '/api/services', token: () => admin },
    { path: '/api/counters', token: () => admin },
    { path: '/api/tickets', token: () => kiosk },
    { path: `/api/counters/${counter.id}/call`, token: () => clerk },
    { path: `/api/counters/${counter.id}/requeue`, token: () => clerk },
    { path: `/api/counters/${counter.id}/transfer`, token: () => clerk },
    { path: `/api/counters/${counter.id}/pause`, token: () => clerk },
  ];

  it('malformed JSON → 400 PROTOCOL.INVALID_PAYLOAD everywhere, nothing written', async () => {
    const before = [await journalBytes(), await configBytes()];
    for (const e of postEndpoints()) {
      for (const raw of ['{', '{"a":', 'null x', '\u0000', '{"serviceId": }']) {
        const r = await t.api<Err>('POST', e.path, undefined, e.token() || undefined, raw);
        expect(r.status, `${e.path} ${raw}`).toBe(400);
        expect(r.body.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
      }
    }
    for (const path of ['/api/hall', `/api/services/${svc.id}`, `/api/counters/${counter.id}`]) {
      const r = await t.api<Err>('PATCH', path, undefined, admin, '{"name":');
      expect(r.status).toBe(400);
    }
    expect([await journalBytes(), await configBytes()]).toEqual(before);
  });

  it('wrong types and shapes → 400 naming the field, nothing written', async () => {
    const before = [await journalBytes(), await configBytes()];
    const cases: [string, string, unknown, () => string][] = [
      ['POST', '/api/auth/login', { username: 1, password: [] }, () => ''],
      ['POST', '/api/users', { username: 'u x', name: '', role: 'boss', password: 'short' }, () => admin],
      ['POST', '/api/terminals', { kind: 'printer', name: 'x' }, () => admin],
      ['POST', '/api/services', { name: 'x', category: 'y', prefix: 'abc' }, () => admin],
      ['POST', '/api/services', { name: 'x', category: 'y', prefix: 'X', numberStart: 9, numberEnd: 3 }, () => admin],
      ['POST', '/api/counters', { number: 'one', name: 'x' }, () => admin],
      ['PATCH', '/api/hall', { name: 42 }, () => admin],
      ['PATCH', '/api/hall', { hours: { open: { start: '25:00', end: '17:00' } } }, () => admin],
      ['PATCH', '/api/hall', { timezone: 'Mars/Olympus' }, () => admin],
      ['PATCH', '/api/hall', { unknownField: true }, () => admin],
      ['PATCH', `/api/services/${svc.id}`, { dailyQuota: -1 }, () => admin],
      ['PATCH', `/api/counters/${counter.id}`, { number: 1.5 }, () => admin],
      ['POST', '/api/tickets', { serviceId: 7 }, () => kiosk],
      ['POST', '/api/tickets', { serviceId: svc.id, priority: 'royal' }, () => kiosk],
      ['POST', '/api/tickets', { serviceId: svc.id, idCard: { name: '张三' } }, () => kiosk],
      ['POST', '/api/tickets', [1, 2], () => kiosk],
      ['POST', `/api/counters/${counter.id}/call`, { ticketNumber: 'A1' }, () => clerk],
      ['POST', `/api/counters/${counter.id}/pause`, { reason: '' }, () => clerk],
      ['POST', `/api/counters/${counter.id}/transfer`, {}, () => clerk],
    ];
    for (const [method, path, body, token] of cases) {
      const r = await t.api<Err>(method, path, body, token() || undefined);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
      expect(r.body.error.message.length).toBeGreaterThan(3);
    }
    const bad = await t.api<Err>('POST', '/api/tickets/x/rating?token=x', { score: 9 });
    expect(bad.status).toBe(404);
    expect([await journalBytes(), await configBytes()]).toEqual(before);
  });

  it('unknown ids → 404 with a code, nothing written', async () => {
    const before = await journalBytes();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/tickets', { serviceId: 'no-such-service' }, 'SERVICE.NOT_FOUND'],
      ['POST', '/api/tickets/no-such-ticket/cancel', undefined, 'QUEUE.NOT_FOUND'],
      ['GET', '/api/tickets/no-such-ticket?token=abc', undefined, 'QUEUE.NOT_FOUND'],
      ['POST', '/api/counters/no-such-counter/sign-in', undefined, 'COUNTER.NOT_FOUND'],
      ['PATCH', '/api/services/no-such-service', { name: 'x' }, 'SERVICE.NOT_FOUND'],
      ['PATCH', '/api/counters/no-such-counter', { name: 'x' }, 'COUNTER.NOT_FOUND'],
      ['PATCH', '/api/users/no-such-user', { name: 'x' }, 'USER.NOT_FOUND'],
      ['DELETE', '/api/terminals/no-such-terminal', undefined, 'TERMINAL.NOT_FOUND'],
      ['POST', `/api/counters/${'c'}/call-next`, undefined, 'COUNTER.NOT_FOUND'],
    ];
    for (const [method, path, body, code] of cases) {
      const r = await t.api<Err>(method, path, body, path.startsWith('/api/tickets') && method === 'POST' && body ? kiosk : admin);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe(code);
    }
    const num = await t.api<Err>('POST', `/api/counters/${counter.id}/call`, { ticketNumber: 'ZZ999' }, clerk);
    expect(num.status).toBe(404);
    expect(await journalBytes()).toBe(before);
  });

  it('missing or wrong role → 401/403, nothing written', async () => {
    const before = [await journalBytes(), await configBytes()];
    const adminOnly: [string, string, unknown][] = [
      ['POST', '/api/users', { username: 'zz', name: 'z', role: 'clerk', password: 'password-123' }],
      ['GET', '/api/users', undefined],
      ['POST', '/api/terminals', { kind: 'kiosk', name: 'x' }],
      ['PATCH', '/api/hall', { name: '新名' }],
      ['POST', '/api/services', { name: 'x', category: 'y', prefix: 'Y' }],
      ['PATCH', `/api/services/${svc.id}`, { name: 'x' }],
      ['POST', '/api/counters', { number: 77, name: 'x' }],
      ['PATCH', `/api/counters/${counter.id}`, { name: 'x' }],
    ];
    for (const [method, path, body] of adminOnly) {
      const none = await t.api<Err>(method, path, body);
      expect(none.status, `${method} ${path} anonymous`).toBe(401);
      expect(none.body.error.code).toBe('AUTH.REQUIRED');
      const asClerk = await t.api<Err>(method, path, body, clerk);
      expect(asClerk.status, `${method} ${path} clerk`).toBe(403);
      expect(asClerk.body.error.code).toBe('AUTH.FORBIDDEN');
      const asKiosk = await t.api<Err>(method, path, body, kiosk);
      expect(asKiosk.status, `${method} ${path} kiosk`).toBe(403);
      const forged = await t.api<Err>(method, path, body, 'forged-token');
      expect(forged.status).toBe(401);
    }
    for (const action of ['sign-in', 'call-next', 'recall', 'start', 'finish', 'no-show', 'resume', 'sign-out']) {
      expect((await t.api<Err>('POST', `/api/counters/${counter.id}/${action}`)).status).toBe(401);
      expect((await t.api<Err>('POST', `/api/counters/${counter.id}/${action}`, undefined, kiosk)).status).toBe(403);
    }
    expect((await t.api<Err>('POST', '/api/tickets', { serviceId: svc.id }, 'forged')).status).toBe(401);
    expect([await journalBytes(), await configBytes()]).toEqual(before);
  });

  it('an oversized body is refused', async () => {
    const r = await t.api<Err>('POST', '/api/tickets', undefined, kiosk, JSON.stringify({ serviceId: 'x'.repeat(100_000) }));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PROTOCOL.PAYLOAD_TOO_LARGE');
    const chunked = await rawPost('/api/tickets', kiosk, { 'transfer-encoding': 'chunked' }, [Buffer.from('{"serviceId":"'), Buffer.alloc(70_000, 0x78), Buffer.from('"}')]);
    expect(chunked.status).toBe(413);
  });

  it('unusual bodies on the two busiest routes: a 4xx with a code, and nothing written', async () => {
    const display = (await t.api<{ token: string }>('POST', '/api/terminals', { kind: 'display', name: '屏' }, admin)).body.token;
    const before = await journalBytes();
    const cases: Array<[string, Record<string, string>, Buffer | string, number]> = [
      ['a JSON number', {}, '123', 400],
      ['whitespace only', {}, '   ', 400],
      ['an empty body', {}, '', 400],
      ['a UTF-8 BOM', {}, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"serviceId":5}')]), 400],
      ['a latin1 charset', { 'content-type': 'application/json; charset=latin1' }, '{"serviceId":5}', 400],
      ['a gzip body', { 'content-encoding': 'gzip' }, gzipSync('{"serviceId":5}'), 400],
      ['an unknown service', {}, '{"serviceId":"svc-none"}', 404],
    ];
    for (const [name, headers, body, status] of cases) {
      const r = await rawPost('/api/tickets', kiosk, headers, [Buffer.from(body)]);
      expect(r.status, name).toBe(status);
      expect(JSON.parse(r.text).error.code, name).toMatch(/^[A-Z_]+\.[A-Z_]+$/);
      expect(r.headers['content-security-policy'], name).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    const asDisplay = await t.api<Err>('POST', '/api/tickets', { serviceId: svc.id }, display);
    expect(asDisplay.status).toBe(403);
    for (const [path, body] of [[`/api/counters/${counter.id}/call`, '{"ticketNumber":7}'], [`/api/counters/${counter.id}/pause`, '{'], [`/api/counters/${counter.id}/call-next`, '{"counterId":"other"}']] as const) {
      const r = await rawPost(path, clerk, {}, [Buffer.from(body)]);
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.text).error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
    }
    expect(await journalBytes()).toBe(before);
  });

  /** node:http, for bodies fetch will not send (chunked pieces, raw bytes with any headers). */
  function rawPost(path: string, token: string, headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = request(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8'), headers: res.headers }));
      });
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });
  }
});
