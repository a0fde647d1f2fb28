/** The statistics and supervision routers over HTTP: roles, bad input, shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { User } from '@hall/protocol';
import { createDemoConfig } from '../config/demo-config';
import { startReadModel, type RunningReadModel } from '../read-model/start-read-model';
import { syntheticDay } from '../read-model/synthetic-day';
import { writeJournalDay } from '../read-model/journal-source';
import { errorHandler } from './http-error';
import { statsRoutes } from './stats-routes';
import { supervisionRoutes } from './supervision-routes';
import { SupervisionActions } from '../supervision/supervision-actions';

const DAY = '2026-12-02';
const NOW = Date.parse('2026-12-03T10:00:00+08:00');
let dir = '';
let running: RunningReadModel;
let server: Server;
let base = '';
let n = 0;

const user = (id: string, role: User['role']): User => ({ id, username: id, name: id, staffNo: '', role, passwordHash: 'x', disabled: false, createdAt: '' });
const users: Record<string, User> = { sup: user('usr-sup', 'supervisor'), clerk: user('clerk-2', 'clerk') };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'routes-'));
  const events = syntheticDay({ day: DAY, tickets: 300, seed: 8 });
  // A bad rating with ticked reasons, about clerk-1 at ctr-1 (the synthetic day ticks none).
  events.push({ id: 'rt-reasons', type: 'ticket.rated', at: `${DAY}T16:30:00+08:00`, actor: { kind: 'public' }, ticketId: 'tk-reasons', score: 1, reasons: ['态度不好', '等候太久'], comment: '太慢', counterId: 'ctr-1', userId: 'clerk-1' } as never);
  // The same hall's other 好差评 channels: a clerk on the citizen's behalf, the counter's evaluator.
  events.push({ id: 'rt-by-clerk', type: 'ticket.rated', at: `${DAY}T16:40:00+08:00`, actor: { kind: 'staff', userId: 'clerk-1', role: 'clerk' }, ticketId: 'tk-paper', score: 4, reasons: [], comment: null, counterId: 'ctr-1', userId: 'clerk-1' } as never);
  events.push({ id: 'rt-by-device', type: 'ticket.rated', at: `${DAY}T16:41:00+08:00`, actor: { kind: 'system' }, ticketId: 'tk-pad', score: 5, reasons: [], comment: null, counterId: 'ctr-1', userId: 'clerk-1' } as never);
  events.push({ id: 'al-raise', type: 'audit.alert-raised', at: `${DAY}T10:00:00+08:00`, actor: { kind: 'system' }, alertId: 'al-1', rule: 'device-down', level: 'red', subject: { kind: 'device', id: 'd', label: '打印机' } } as never);
  await writeJournalDay(path.join(dir, 'journal'), DAY, events);
  const config = createDemoConfig();
  running = await startReadModel({ dataDir: dir, journalDir: path.join(dir, 'journal'), tz: 'Asia/Shanghai', config: () => config, clock: () => NOW, log: { info() {}, warn() {}, error() {} }, inProcess: true, flushMs: 5 });
  await running.caughtUp;
  const actions = new SupervisionActions({
    readModel: running.port,
    record: (e) => {
      running.port.push([{ ...e, id: `rec-${++n}`, at: new Date(NOW + n * 1000).toISOString() }]);
      return Promise.resolve();
    },
  });
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    const who = users[String(req.headers['x-test-user'])];
    req.principal = who ? { kind: 'staff', user: who, token: 't' } : { kind: 'anonymous' };
    next();
  });
  app.use('/api', statsRoutes({ readModel: running.port, today: () => '2026-12-03' }));
  const named = { data: { users: [{ id: 'clerk-1', name: '张三' }] } };
  app.use('/api', supervisionRoutes({ readModel: running.port, actions, today: () => '2026-12-03', tz: () => 'Asia/Shanghai', config: named }));
  app.use(errorHandler({ error: () => undefined }));
  await new Promise<void>((r) => (server = app.listen(0, '127.0.0.1', () => r())));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api`;
});
afterAll(async () => {
  server?.close();
  await running.port.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (p: string, who?: string) => fetch(`${base}${p}`, { headers: who ? { 'x-test-user': who } : {} });
const post = (p: string, body: unknown, who?: string) =>
  fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(who ? { 'x-test-user': who } : {}) }, body: JSON.stringify(body) });

describe('statistics routes', () => {
  it('a supervisor reads the summary; a clerk only their own', async () => {
    const all = await get(`/stats/summary?from=${DAY}&to=${DAY}`, 'sup');
    expect(all.status).toBe(200);
    const s = (await all.json()) as { issued: number; byClerk: Array<{ clerkId: string }> };
    expect(s.issued).toBe(300);
    expect(s.byClerk.length).toBeGreaterThan(1);
    const own = (await (await get(`/stats/summary?from=${DAY}&to=${DAY}`, 'clerk')).json()) as typeof s;
    expect(own.byClerk.map((c) => c.clerkId)).toEqual(['clerk-2']);
    expect((await get(`/stats/summary?from=${DAY}`)).status).toBe(401);
  });

  it.each(['from=2026-12-05&to=2026-12-01', 'from=1900-01-01&to=2026-12-01', 'from=2026-13-01', 'from=x', 'from=2020-01-01&to=2026-12-01', 'from=2026-12-01&from=2026-12-02'])(
    'bad dates %s → 400 PROTOCOL.INVALID_PAYLOAD',
    async (query) => {
      const r = await get(`/stats/summary?${query}`, 'sup');
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
    },
  );

  it('exports CSV and XLSX; an unknown format is 400', async () => {
    const csv = await get(`/stats/export?from=${DAY}&to=${DAY}&format=csv`, 'sup');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect([...new Uint8Array(await csv.arrayBuffer()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const xlsx = await get(`/stats/export?from=${DAY}&to=${DAY}&format=xlsx`, 'sup');
    expect(xlsx.headers.get('content-disposition')).toContain('.xlsx');
    expect((await get(`/stats/export?from=${DAY}&format=pdf`, 'sup')).status).toBe(400);
  });

  it('serves the printable report with a policy that allows its style only', async () => {
    const r = await get(`/stats/report?from=${DAY}`, 'sup');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/style-src 'sha256-/);
    expect(await r.text()).toContain('窗口服务统计报表');
  });
});

describe('supervision routes', () => {
  it('cases: supervisors see all, a clerk their own; a bad status is 400', async () => {
    const all = (await (await get('/rectifications', 'sup')).json()) as Array<{ id: string; clerkId: string; status: string; overdue: boolean; deadline: string }>;
    expect(all.length).toBeGreaterThan(1);
    expect(all[0]).toMatchObject({ status: 'pending', overdue: false, deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const own = (await (await get('/rectifications', 'clerk')).json()) as typeof all;
    expect(own.every((c) => c.clerkId === 'clerk-2')).toBe(true);
    expect((await get('/rectifications?status=lost', 'sup')).status).toBe(400);
  });

  it('transitions: allowed 200, not allowed 409, clerk 403, bad body 400, unknown 404', async () => {
    const [c] = (await (await get('/rectifications?status=pending', 'sup')).json()) as Array<{ id: string }>;
    expect((await post(`/rectifications/${c!.id}/transition`, { to: 'valid', note: '属实' }, 'clerk')).status).toBe(403);
    expect((await post(`/rectifications/${c!.id}/transition`, { to: 'nope' }, 'sup')).status).toBe(400);
    const ok = await post(`/rectifications/${c!.id}/transition`, { to: 'valid', note: '属实' }, 'sup');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { status: string }).status).toBe('valid');
    const bad = await post(`/rectifications/${c!.id}/transition`, { to: 'rectified' }, 'sup');
    expect(bad.status).toBe(409);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('QUEUE.INVALID_STATE');
    expect((await post('/rectifications/no-such-case/transition', { to: 'valid' }, 'sup')).status).toBe(404);
  });

  it('ratings: filtered by score; a clerk sees their own; a bad filter is 400', async () => {
    const bad = (await (await get(`/ratings?from=${DAY}&score=1,2`, 'sup')).json()) as Array<{ score: number; clerkId: string }>;
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((r) => r.score <= 2)).toBe(true);
    const own = (await (await get(`/ratings?from=${DAY}`, 'clerk')).json()) as typeof bad;
    expect(own.every((r) => r.clerkId === 'clerk-2')).toBe(true);
    expect((await get(`/ratings?from=${DAY}&score=7`, 'sup')).status).toBe(400);
  });

  it('alerts: list by activity and dates, acknowledge with a note', async () => {
    expect((await get('/alerts?active=true', 'clerk')).status).toBe(403);
    const active = (await (await get('/alerts?active=true', 'sup')).json()) as Array<{ id: string }>;
    expect(active.map((a) => a.id)).toEqual(['al-1']);
    expect(((await (await get('/alerts?from=2026-12-03&to=2026-12-03', 'sup')).json()) as unknown[]).length).toBe(0);
    expect((await get('/alerts?active=maybe', 'sup')).status).toBe(400);
    expect((await get('/alerts?from=1900-01-01', 'sup')).status).toBe(400);
    const ack = await post('/alerts/al-1/ack', { note: '已处理' }, 'sup');
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ id: 'al-1', acknowledgedBy: 'usr-sup', note: '已处理' });
    expect((await post('/alerts/nope/ack', { note: '' }, 'sup')).status).toBe(404);
  });

  it('ratings: filtered by counter and clerk, paged with limit and offset, clerks named', async () => {
    type Row = { id: string; score: number; clerkId: string; counterId: string; clerkName: string | null; reasons: string[]; comment: string | null };
    const list = async (q: string, who = 'sup'): Promise<Row[]> => (await (await get(`/ratings?from=${DAY}${q}`, who)).json()) as Row[];
    const all = await list('&limit=1000');
    expect(all.length).toBeGreaterThan(20);
    const atOne = await list('&counterId=ctr-1&limit=1000');
    expect(atOne.length).toBeGreaterThan(0);
    expect(atOne.every((r) => r.counterId === 'ctr-1')).toBe(true);
    expect(atOne.length).toBeLessThan(all.length);
    const byClerk = await list('&clerkId=clerk-1&limit=1000');
    expect(byClerk.map((r) => r.id)).toEqual(atOne.map((r) => r.id));
    expect(byClerk.every((r) => r.clerkName === '张三')).toBe(true);
    expect(byClerk.find((r) => r.id === 'rt-reasons')).toMatchObject({ score: 1, reasons: ['态度不好', '等候太久'], comment: '太慢' });
    const page1 = await list('&limit=5');
    const page2 = await list('&limit=5&offset=5');
    expect(page1).toHaveLength(5);
    expect(page2.map((r) => r.id)).toEqual(all.slice(5, 10).map((r) => r.id));
    for (const q of ['limit=0', 'limit=5000', 'offset=-1', 'limit=x', 'counterId=', 'clerkId=' + 'x'.repeat(65)]) {
      const r = await get(`/ratings?from=${DAY}&${q}`, 'sup');
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
    }
  });

  it('ratings: each says its channel (phone, clerk on the citizen\'s behalf, evaluator) and filters by it', async () => {
    type Row = { id: string; channel: string | null };
    const list = async (q: string): Promise<Row[]> => (await (await get(`/ratings?from=${DAY}&limit=1000${q}`, 'sup')).json()) as Row[];
    const all = await list('');
    expect(all.find((r) => r.id === 'rt-reasons')?.channel).toBe('phone');
    expect(all.find((r) => r.id === 'rt-by-clerk')?.channel).toBe('clerk');
    expect(all.find((r) => r.id === 'rt-by-device')?.channel).toBe('evaluator');
    expect((await list('&channel=clerk')).map((r) => r.id)).toEqual(['rt-by-clerk']);
    expect((await list('&channel=evaluator')).map((r) => r.id)).toEqual(['rt-by-device']);
    expect((await list('&channel=phone')).length).toBe(all.length - 2);
    const bad = await get(`/ratings?from=${DAY}&channel=fax`, 'sup');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
  });

  it("a clerk reads only their own: another clerk's ratings or cases are 403, their own are narrowed", async () => {
    for (const p of [`/ratings?from=${DAY}&clerkId=clerk-1`, '/rectifications?clerkId=clerk-1']) {
      const r = await get(p, 'clerk');
      expect(r.status, p).toBe(403);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('AUTH.FORBIDDEN');
    }
    const own = (await (await get('/rectifications?clerkId=clerk-2', 'clerk')).json()) as Array<{ clerkId: string }>;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((c) => c.clerkId === 'clerk-2')).toBe(true);
    const summary = (await (await get(`/stats/summary?from=${DAY}&to=${DAY}`, 'clerk')).json()) as { byCounter: unknown[]; byClerk: Array<{ clerkId: string }> };
    expect(summary.byClerk.map((c) => c.clerkId)).toEqual(['clerk-2']);
    // Another clerk's case: not found for this clerk (its existence is not revealed), and unchanged.
    const [theirs] = (await (await get('/rectifications?clerkId=clerk-1&status=pending', 'sup')).json()) as Array<{ id: string; history: unknown[] }>;
    const appeal = await post(`/rectifications/${theirs!.id}/appeal`, { note: '不是我' }, 'clerk');
    expect(appeal.status).toBe(404);
    expect((await post(`/rectifications/${theirs!.id}/callback`, { reached: true, note: '' }, 'clerk')).status).toBe(403);
    const after = (await (await get('/rectifications?clerkId=clerk-1', 'sup')).json()) as Array<{ id: string; history: unknown[] }>;
    expect(after.find((c) => c.id === theirs!.id)?.history).toEqual(theirs!.history);
  });

  it("cases carry the rating's reasons, the clerk's name, appeals and callbacks in their history", async () => {
    const cases = (await (await get('/rectifications?clerkId=clerk-1', 'sup')).json()) as Array<{ id: string; reasons: string[]; clerkName: string | null; comment: string | null }>;
    const c = cases.find((x) => x.id === 'rt-reasons');
    expect(c).toMatchObject({ reasons: ['态度不好', '等候太久'], clerkName: '张三', comment: '太慢' });
    expect(cases.filter((x) => x.id !== 'rt-reasons').every((x) => Array.isArray(x.reasons))).toBe(true);
    const cb = await post('/rectifications/rt-reasons/callback', { reached: true, note: '已电话回访' }, 'sup');
    expect(cb.status).toBe(200);
    const body = (await cb.json()) as { clerkName: string; history: Array<{ kind: string; note: string; by: string }> };
    expect(body.clerkName).toBe('张三');
    expect(body.history.at(-1)).toMatchObject({ kind: 'callback', reached: true, note: '已电话回访', by: 'usr-sup' });
    const missed = (await (await post('/rectifications/rt-reasons/callback', { reached: false, note: '无人接听' }, 'sup')).json()) as typeof body;
    expect(missed.history.at(-1)).toMatchObject({ kind: 'callback', reached: false, note: '无人接听' });
    expect((await post('/rectifications/rt-reasons/appeal', { note: '' }, 'sup')).status).toBe(400);
  });

  it('cases by group: status=open (pending, valid, rectifying) and status=closed, with a limit, so an old open case is never cut off by newer closed ones', async () => {
    type Case = { id: string; status: string; openedAt: string };
    const list = async (q: string): Promise<Case[]> => (await (await get(`/rectifications${q}`, 'sup')).json()) as Case[];
    const all = await list('?limit=2000');
    expect(all.length).toBeGreaterThan(4);
    // Close the two newest pending cases: the oldest open one must still come first in a small page of open ones.
    const pending = all.filter((c) => c.status === 'pending');
    for (const c of pending.slice(0, 2)) expect((await post(`/rectifications/${c.id}/transition`, { to: 'invalid', note: '不属实' }, 'sup')).status).toBe(200);
    const open = await list('?status=open&limit=2000');
    const closed = await list('?status=closed');
    expect(open.every((c) => ['pending', 'valid', 'rectifying'].includes(c.status))).toBe(true);
    expect(closed.every((c) => ['invalid', 'rectified', 'unrectifiable'].includes(c.status))).toBe(true);
    expect(open.length + closed.length).toBe(all.length);
    const page = await list(`?status=open&limit=${open.length - 1}`);
    expect(page).toHaveLength(open.length - 1);
    expect(page.every((c) => c.status !== 'invalid')).toBe(true);
    expect((await list('?limit=2')).length).toBe(2);
    for (const q of ['?status=openish', '?limit=0', '?limit=99999']) expect((await get(`/rectifications${q}`, 'sup')).status, q).toBe(400);
  });
});
