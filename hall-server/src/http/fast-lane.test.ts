/**
 * The fast lane must answer exactly as Express does. Express's router ignores case, so
 * `/API/tickets` is the same route served by Express: every request below goes to both
 * spellings and the answers (status, error body, headers) must match.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHall, type TestHall } from '../../test/harness';
import { parseJsonBody } from './fast-lane';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send(url: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: Buffer | string; chunks?: Buffer[] } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: opts.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}

/** Headers that must be the same on both paths (Date and Connection are node:http's own). */
function comparable(r: Raw): Record<string, unknown> {
  const { date: _d, connection: _c, 'keep-alive': _k, ...rest } = r.headers;
  return rest;
}

let h: TestHall;
let kiosk: string;
let clerk: string;
let display: string;

beforeAll(async () => {
  h = await startTestHall();
  kiosk = await h.kioskToken();
  clerk = await h.login();
  const admin = clerk;
  const d = await h.api<{ token: string }>('POST', '/api/terminals', { kind: 'display', name: '屏' }, admin);
  display = d.body.token;
}, 60_000);
afterAll(async () => h?.close());

const json = { 'content-type': 'application/json' };
const bearer = (t: string): Record<string, string> => ({ ...json, authorization: `Bearer ${t}` });

describe('fast lane answers as Express does', () => {
  const cases: Array<{ name: string; headers: () => Record<string, string>; body?: Buffer | string; chunks?: Buffer[] }> = [
    { name: 'no token', headers: () => json, body: '{"serviceId":"svc-a"}' },
    { name: 'a display token', headers: () => bearer(display), body: '{"serviceId":"svc-a"}' },
    { name: 'a revoked-looking token', headers: () => bearer('nope'), body: '{"serviceId":"svc-a"}' },
    { name: 'malformed JSON', headers: () => bearer(kiosk), body: '{"serviceId":' },
    { name: 'a JSON number', headers: () => bearer(kiosk), body: '123' },
    { name: 'whitespace only', headers: () => bearer(kiosk), body: '   ' },
    { name: 'an empty body', headers: () => bearer(kiosk), body: '' },
    { name: 'wrong types', headers: () => bearer(kiosk), body: '{"serviceId":5}' },
    { name: 'unknown fields', headers: () => bearer(kiosk), body: '{"serviceId":"svc-social","x":1}' },
    { name: 'an unknown service', headers: () => bearer(kiosk), body: '{"serviceId":"svc-none"}' },
    { name: 'a bad ID number', headers: () => bearer(kiosk), body: JSON.stringify({ serviceId: 'svc-social', idCard: { idNumber: '110101199003071234', name: '张三' } }) },
    { name: 'too large, declared', headers: () => bearer(kiosk), body: `{"serviceId":"${'x'.repeat(70_000)}"}` },
    { name: 'too large, chunked', headers: () => ({ ...bearer(kiosk), 'transfer-encoding': 'chunked' }), chunks: [Buffer.from('{"serviceId":"'), Buffer.alloc(70_000, 0x78), Buffer.from('"}')] },
    { name: 'a UTF-8 BOM', headers: () => bearer(kiosk), body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"serviceId":5}')]) },
    { name: 'a latin1 charset (Express)', headers: () => ({ ...bearer(kiosk), 'content-type': 'application/json; charset=latin1' }), body: '{"serviceId":5}' },
    { name: 'a gzip body (Express)', headers: () => ({ ...bearer(kiosk), 'content-encoding': 'gzip' }), body: gzipSync('{"serviceId":5}') },
  ];
  for (const c of cases) {
    it(`POST /api/tickets: ${c.name}`, async () => {
      const opts = { headers: c.headers(), ...(c.body !== undefined ? { body: c.body } : {}), ...(c.chunks ? { chunks: c.chunks } : {}) };
      const fast = await send(h.url, 'POST', '/api/tickets', opts);
      const slow = await send(h.url, 'POST', '/API/tickets', opts);
      expect(fast.status).toBeGreaterThanOrEqual(400);
      expect({ status: fast.status, body: JSON.parse(fast.text), headers: comparable(fast) }).toEqual({
        status: slow.status,
        body: JSON.parse(slow.text),
        headers: comparable(slow),
      });
    });
  }

  it('a ticket issued on both paths has the same shape and headers', async () => {
    const opts = { headers: bearer(kiosk), body: '{"serviceId":"svc-social"}' };
    const fast = await send(h.url, 'POST', '/api/tickets?x=1', opts);
    const slow = await send(h.url, 'POST', '/API/tickets', opts);
    expect(fast.status).toBe(201);
    expect(slow.status).toBe(201);
    expect(Object.keys(JSON.parse(fast.text)).sort()).toEqual(Object.keys(JSON.parse(slow.text)).sort());
    const { 'content-length': _a, ...fh } = comparable(fast);
    const { 'content-length': _b, ...sh } = comparable(slow);
    expect(fh).toEqual(sh);
    expect(fh['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(fh['cache-control']).toBe('no-store');
  });

  it('counter actions: errors and a sign-in match', async () => {
    for (const [path, body] of [
      ['/counters/ctr-1/fly', ''],
      ['/counters/ctr-none/sign-in', ''],
      ['/counters/ctr-1/call', '{"ticketNumber":7}'],
      ['/counters/ctr-1/pause', '{'],
    ] as const) {
      const fast = await send(h.url, 'POST', `/api${path}`, { headers: bearer(clerk), body });
      const slow = await send(h.url, 'POST', `/API${path}`, { headers: bearer(clerk), body });
      expect({ path, status: fast.status, body: JSON.parse(fast.text), headers: comparable(fast) }).toEqual({
        path,
        status: slow.status,
        body: JSON.parse(slow.text),
        headers: comparable(slow),
      });
    }
    const anon = await send(h.url, 'POST', '/api/counters/ctr-1/call-next', { headers: json });
    expect(anon.status).toBe(401);
    const signIn = await send(h.url, 'POST', '/api/counters/ctr-1/sign-in', { headers: bearer(clerk) });
    expect(signIn.status).toBe(200);
    expect(JSON.parse(signIn.text).counter).toMatchObject({ id: 'ctr-1', state: 'open' });
  });

  it('other methods and paths still reach Express', async () => {
    const get = await send(h.url, 'GET', '/api/tickets', { headers: bearer(kiosk) });
    expect(get.status).toBe(404);
    expect(JSON.parse(get.text).error.code).toBe('ROUTE.NOT_FOUND');
    const escaped = await send(h.url, 'POST', '/api/counters/ctr%2D1/sign-out', { headers: bearer(clerk) });
    expect(escaped.status).toBe(200);
  });
});

describe('parseJsonBody', () => {
  it('is strict like express.json', () => {
    expect(parseJsonBody(Buffer.alloc(0))).toEqual({});
    expect(parseJsonBody(Buffer.from(' {"a":1} '))).toEqual({ a: 1 });
    expect(parseJsonBody(Buffer.from('[1]'))).toEqual([1]);
    for (const bad of ['1', '"x"', 'null', ' ', '{', 'true']) expect(() => parseJsonBody(Buffer.from(bad))).toThrow(/malformed JSON/);
  });
});
