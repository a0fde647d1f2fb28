import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterActionResponse, IssueTicketResponse, ServiceSummary, Ticket, CounterView } from '@hall/protocol';
import { ADMIN_PASSWORD, ID, createStaff, startTestHall, type TestHall } from './harness';

type Err = { error: { code: string; message: string } };

describe('HTTP contract (API.md)', () => {
  let t: TestHall;
  let admin: string;
  let kiosk: string;
  let services: ServiceSummary[];
  let counters: CounterView[];

  beforeAll(async () => {
    t = await startTestHall();
    admin = await t.login();
    kiosk = await t.kioskToken();
    services = (await t.api<ServiceSummary[]>('GET', '/api/services')).body;
    counters = (await t.api<CounterView[]>('GET', '/api/counters')).body;
  });
  afterAll(() => t.close());

  it('health names the hall', async () => {
    const r = await t.api<{ status: string; hall: { id: string; name: string; level: string } }>('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.hall.name).toMatch(/[\u4e00-\u9fff]/);
    expect(['county', 'township', 'village']).toContain(r.body.hall.level);
  });

  it('an empty data folder is a demo hall: ≥4 services, ≥6 counters, Chinese names', () => {
    expect(services.length).toBeGreaterThanOrEqual(4);
    expect(counters.length).toBeGreaterThanOrEqual(6);
    for (const s of services) {
      expect(s).toMatchObject({ id: expect.any(String), prefix: expect.stringMatching(/^[A-Z]{1,2}$/), name: expect.stringMatching(/[\u4e00-\u9fff]/), open: true, waiting: expect.any(Number) });
    }
    for (const c of counters) {
      expect(c).toMatchObject({ id: expect.any(String), number: expect.any(Number), state: 'closed', currentTicket: null });
      expect(Array.isArray(c.serviceIds)).toBe(true);
    }
  });

  it('every error body has a stable code', async () => {
    const r = await t.api<Err>('GET', '/api/nope');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('ROUTE.NOT_FOUND');
  });

  describe('auth', () => {
    it('login returns a token and the user; wrong password is 401', async () => {
      const ok = await t.api<{ token: string; user: { id: string; name: string; role: string } }>('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(ok.status).toBe(200);
      expect(ok.body.token).toEqual(expect.any(String));
      expect(ok.body.user).toMatchObject({ id: expect.any(String), role: 'admin' });
      const bad = await t.api<Err>('POST', '/api/auth/login', { username: 'admin', password: 'nope' });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('AUTH.BAD_CREDENTIALS');
    });

    it('five failures lock the user (429 with Retry-After)', async () => {
      await createStaff(t, 'locky', 'clerk');
      for (let i = 0; i < 5; i++) {
        const r = await t.api<Err>('POST', '/api/auth/login', { username: 'locky', password: 'wrong-password' });
        expect(r.status).toBe(401);
      }
      const r = await t.api<Err>('POST', '/api/auth/login', { username: 'locky', password: 'password-123' });
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('AUTH.LOCKED');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('logout revokes the token', async () => {
      const tok = await t.login();
      expect((await t.api('POST', '/api/auth/logout', undefined, tok)).status).toBe(204);
      const r = await t.api<Err>('POST', '/api/users', { username: 'x1', name: 'x', role: 'clerk', password: 'password-123' }, tok);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('AUTH.REQUIRED');
    });

    it('users: admin only, no password hash in responses', async () => {
      const clerk = await createStaff(t, 'clerk-a', 'clerk');
      const forbidden = await t.api<Err>('POST', '/api/users', { username: 'y', name: 'y', role: 'clerk', password: 'password-123' }, clerk.token);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('AUTH.FORBIDDEN');
      const created = await t.api<Record<string, unknown>>('POST', '/api/users', { username: 'sup1', name: '李四', staffNo: 'S001', role: 'supervisor', password: 'password-123' }, admin);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(String), username: 'sup1', role: 'supervisor' });
      expect(JSON.stringify(created.body)).not.toMatch(/passwordHash|scrypt/);
      const list = await t.api('GET', '/api/users', undefined, admin);
      expect(JSON.stringify(list.body)).not.toMatch(/passwordHash|scrypt/);
    });

    it('terminals: admin creates a kiosk and gets its token once', async () => {
      const r = await t.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'display', name: '大厅屏', zone: 'A区' }, admin);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ id: expect.any(String), token: expect.any(String) });
      const list = await t.api('GET', '/api/terminals', undefined, admin);
      expect(JSON.stringify(list.body)).not.toContain(r.body.token);
    });
  });

  describe('tickets', () => {
    it('a kiosk issues A001-style numbers per service with a trackToken', async () => {
      const svc = services[0] as ServiceSummary;
      const a = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id }, kiosk);
      expect(a.status).toBe(201);
      expect(a.body.number).toMatch(new RegExp(`^${svc.prefix}\\d{3}$`));
      expect(a.body).toMatchObject({ serviceId: svc.id, priority: 'normal', status: 'waiting', trackToken: expect.any(String), print: 'none' });
      expect(a.body.estimatedWaitMinutes).toBeNull();
      const b = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id }, kiosk);
      expect(Number(b.body.number.slice(svc.prefix.length))).toBe(Number(a.body.number.slice(svc.prefix.length)) + 1);
      expect(b.body.waitingAhead).toBeGreaterThan(a.body.waitingAhead);
    });

    it('reads a ticket with its token; without it 404', async () => {
      const svc = services[1] as ServiceSummary;
      const a = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id }, kiosk);
      const ok = await t.api<Ticket>('GET', `/api/tickets/${a.body.id}?token=${a.body.trackToken}`);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: a.body.id, number: a.body.number, trackToken: a.body.trackToken });
      const no = await t.api<Err>('GET', `/api/tickets/${a.body.id}?token=wrong`);
      expect(no.status).toBe(404);
      expect(no.body.error.code).toBe('QUEUE.NOT_FOUND');
      expect((await t.api('GET', `/api/tickets/${a.body.id}`)).status).toBe(404);
    });

    it('checks the ID checksum and derives the elderly class itself', async () => {
      const svc = services[0] as ServiceSummary;
      const bad = await t.api<Err>('POST', '/api/tickets', { serviceId: svc.id, idCard: { name: '王五', idNumber: '110105195003070018' } }, kiosk);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('PROTOCOL.INVALID_ID_NUMBER');
      const old = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id, idCard: { name: '王小五', idNumber: ID.elderly, birthDate: '2000-01-01' } }, kiosk);
      expect(old.status).toBe(201);
      expect(old.body.priority).toBe('elderly');
      expect(old.body.holderName).toBe('王*五');
      expect(JSON.stringify(old.body)).not.toContain(ID.elderly);
      const young = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id, idCard: { name: '赵六', idNumber: ID.young, birthDate: '1940-01-01' } }, kiosk);
      expect(young.body.priority).toBe('normal');
    });

    it('a kiosk may not ask for another priority class; staff may', async () => {
      const svc = services[0] as ServiceSummary;
      const k = await t.api<Err>('POST', '/api/tickets', { serviceId: svc.id, priority: 'military' }, kiosk);
      expect(k.status).toBe(403);
      expect(k.body.error.code).toBe('AUTH.FORBIDDEN');
      const s = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svc.id, priority: 'military' }, admin);
      expect(s.status).toBe(201);
      expect(s.body.priority).toBe('military');
    });

    it('a retried request with the same requestId returns the same ticket', async () => {
      const svc = services[1] as ServiceSummary;
      const body = { serviceId: svc.id, requestId: 'tap-0001-retry' };
      const [a, b] = await Promise.all([t.api<IssueTicketResponse>('POST', '/api/tickets', body, kiosk), t.api<IssueTicketResponse>('POST', '/api/tickets', body, kiosk)]);
      expect(a.status).toBe(201);
      expect(b.body.id).toBe(a.body.id);
      const c = await t.api<IssueTicketResponse>('POST', '/api/tickets', { ...body, requestId: 'tap-0002-other' }, kiosk);
      expect(c.body.id).not.toBe(a.body.id);
    });

    it('issuing needs a kiosk or staff token', async () => {
      const r = await t.api<Err>('POST', '/api/tickets', { serviceId: (services[0] as ServiceSummary).id });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('AUTH.REQUIRED');
    });

    it('staff cancel a waiting ticket', async () => {
      const a = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: (services[2] as ServiceSummary).id }, kiosk);
      const c = await t.api<Ticket>('POST', `/api/tickets/${a.body.id}/cancel`, undefined, admin);
      expect(c.status).toBe(200);
      expect(c.body.status).toBe('cancelled');
      const again = await t.api<Err>('POST', `/api/tickets/${a.body.id}/cancel`, undefined, admin);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('QUEUE.INVALID_STATE');
      expect((await t.api<Err>('POST', `/api/tickets/${a.body.id}/cancel`, undefined, kiosk)).status).toBe(403);
      expect((await t.api<Err>('POST', `/api/tickets/${a.body.id}/cancel`)).status).toBe(401);
    });
  });

  describe('counters', () => {
    it('sign in, call next, recall, start, finish, rate once', async () => {
      const clerk = await createStaff(t, 'clerk-flow', 'clerk');
      const counter = counters.find((c) => c.serviceIds.length > 0) as CounterView;
      const svcId = counter.serviceIds[0] as string;
      const issued = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svcId }, kiosk);

      const si = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token);
      expect(si.status).toBe(200);
      expect(si.body.counter.state).toBe('open');
      expect(si.body.counter.clerk?.id).toBe(clerk.id);

      // Call until our ticket comes up (earlier tests left tickets waiting).
      let called: Ticket | null = null;
      for (let i = 0; i < 50 && called?.id !== issued.body.id; i++) {
        const r = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk.token);
        expect(r.status).toBe(200);
        called = r.body.ticket;
        if (!called) break;
        expect(r.body.counter.currentTicket?.id).toBe(called.id);
      }
      expect(called?.id).toBe(issued.body.id);
      expect(called?.status).toBe('called');

      const rc = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/recall`, undefined, clerk.token);
      expect(rc.status).toBe(200);
      expect(rc.body.ticket?.recalls).toBe(1);
      expect((await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/start`, undefined, clerk.token)).body.ticket?.status).toBe('serving');

      const early = await t.api<Err>('POST', `/api/tickets/${issued.body.id}/rating?token=${issued.body.trackToken}`, { score: 5 });
      expect(early.status).toBe(409);

      const fin = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/finish`, undefined, clerk.token);
      expect(fin.status).toBe(200);
      expect(fin.body.ticket?.status).toBe('done');

      const rate = await t.api('POST', `/api/tickets/${issued.body.id}/rating?token=${issued.body.trackToken}`, { score: 5, reasons: ['态度好'] });
      expect(rate.status).toBe(201);
      const dup = await t.api<Err>('POST', `/api/tickets/${issued.body.id}/rating?token=${issued.body.trackToken}`, { score: 4 });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('RATING.DUPLICATE');
      const noTok = await t.api<Err>('POST', `/api/tickets/${issued.body.id}/rating`, { score: 4 });
      expect(noTok.status).toBe(404);

      // Another user cannot take the counter; a clerk cannot act at a counter not theirs.
      const other = await createStaff(t, 'clerk-other', 'clerk');
      const occ = await t.api<Err>('POST', `/api/counters/${counter.id}/sign-in`, undefined, other.token);
      expect(occ.status).toBe(409);
      expect(occ.body.error.code).toBe('COUNTER.OCCUPIED');
      const foreign = await t.api<Err>('POST', `/api/counters/${counter.id}/call-next`, undefined, other.token);
      expect(foreign.status).toBe(403);

      // Pause blocks calling; resume allows it; sign-out closes.
      expect((await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/pause`, { reason: '午休' }, clerk.token)).body.counter).toMatchObject({ state: 'paused', pauseReason: '午休' });
      const paused = await t.api<Err>('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk.token);
      expect(paused.status).toBe(409);
      expect(paused.body.error.code).toBe('QUEUE.INVALID_STATE');
      expect((await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/resume`, undefined, clerk.token)).body.counter.state).toBe('open');
      expect((await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/sign-out`, undefined, clerk.token)).body.counter.state).toBe('closed');
    });

    it('no-show, requeue (过号重排) and transfer keep the ticket', async () => {
      const clerk = await createStaff(t, 'clerk-nq', 'clerk');
      const counter = counters.find((c) => c.serviceIds.length > 0 && c.id !== counters[0]?.id) as CounterView;
      await t.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token);
      const svcId = counter.serviceIds[0] as string;
      // Drain what waits at this counter.
      for (let i = 0; i < 100; i++) {
        const r = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk.token);
        if (!r.body.ticket) break;
      }
      const a = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: svcId }, kiosk);
      const call = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk.token);
      expect(call.body.ticket?.id).toBe(a.body.id);
      const ns = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/no-show`, undefined, clerk.token);
      expect(ns.body.ticket?.status).toBe('no-show');
      const rq = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/requeue`, { ticketNumber: a.body.number }, clerk.token);
      expect(rq.status).toBe(200);
      const back = await t.api<Ticket>('GET', `/api/tickets/${a.body.id}?token=${a.body.trackToken}`);
      expect(back.body.status).toBe('waiting');

      const again = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/call`, { ticketNumber: a.body.number }, clerk.token);
      expect(again.status).toBe(200);
      expect(again.body.ticket?.id).toBe(a.body.id);
      const target = services.find((s) => s.id !== svcId) as ServiceSummary;
      const tr = await t.api<CounterActionResponse>('POST', `/api/counters/${counter.id}/transfer`, { serviceId: target.id }, clerk.token);
      expect(tr.status).toBe(200);
      const moved = await t.api<Ticket>('GET', `/api/tickets/${a.body.id}?token=${a.body.trackToken}`);
      expect(moved.body).toMatchObject({ id: a.body.id, number: a.body.number, serviceId: target.id, status: 'waiting', issuedAt: a.body.issuedAt });
      expect(tr.body.counter.currentTicket).toBeNull();
    });

    it('unknown counters and actions are 404 with a code', async () => {
      const r = await t.api<Err>('POST', '/api/counters/nope/call-next', undefined, admin);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('COUNTER.NOT_FOUND');
      const a = await t.api<Err>('POST', `/api/counters/${counters[0]?.id}/dance`, undefined, admin);
      expect(a.status).toBe(404);
    });
  });

  describe('hall set-up takes effect at once', () => {
    it('a new service issues tickets immediately; a disabled one is closed', async () => {
      const r = await t.api<{ id: string }>('POST', '/api/services', { name: '测试业务', category: '其他', prefix: 'Z', ticketHours: { open: { start: '00:00', end: '24:00' }, lunch: null, weekdays: [0, 1, 2, 3, 4, 5, 6], allDay: true } }, admin);
      expect(r.status).toBe(201);
      const tk = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: r.body.id }, kiosk);
      expect(tk.status).toBe(201);
      expect(tk.body.number).toBe('Z001');
      const dup = await t.api<Err>('POST', '/api/services', { name: '重复', category: '其他', prefix: 'Z' }, admin);
      expect(dup.status).toBe(409);
      expect((await t.api('PATCH', `/api/services/${r.body.id}`, { enabled: false }, admin)).status).toBe(200);
      const closed = await t.api<Err>('POST', '/api/tickets', { serviceId: r.body.id }, kiosk);
      expect(closed.status).toBeGreaterThanOrEqual(404);
      expect(['QUEUE.SERVICE_CLOSED', 'SERVICE.NOT_FOUND']).toContain(closed.body.error.code);
    });

    it('a quota is enforced', async () => {
      const r = await t.api<{ id: string }>('POST', '/api/services', { name: '限额业务', category: '其他', prefix: 'Q', dailyQuota: 2, ticketHours: { open: { start: '00:00', end: '24:00' }, lunch: null, weekdays: [0, 1, 2, 3, 4, 5, 6], allDay: true } }, admin);
      for (let i = 0; i < 2; i++) expect((await t.api('POST', '/api/tickets', { serviceId: r.body.id }, kiosk)).status).toBe(201);
      const over = await t.api<Err>('POST', '/api/tickets', { serviceId: r.body.id }, kiosk);
      expect(over.status).toBe(422);
      expect(over.body.error.code).toBe('QUEUE.QUOTA_REACHED');
    });

    it('PATCH /api/hall changes the name at once; counters can be added', async () => {
      const r = await t.api('PATCH', '/api/hall', { name: '马坝镇便民服务中心', level: 'township', policy: { recallLimit: 1 } }, admin);
      expect(r.status).toBe(200);
      expect((await t.api<{ hall: { name: string; level: string } }>('GET', '/api/health')).body.hall).toMatchObject({ name: '马坝镇便民服务中心', level: 'township' });
      const c = await t.api<{ id: string; serviceIds: string[] }>('POST', '/api/counters', { number: 99, name: '99号窗口', serviceIds: [services[0]?.id] }, admin);
      expect(c.status).toBe(201);
      expect((await t.api<CounterView[]>('GET', '/api/counters')).body.some((x) => x.id === c.body.id)).toBe(true);
      const badRef = await t.api<Err>('POST', '/api/counters', { number: 98, name: '98号窗口', serviceIds: ['nope'] }, admin);
      expect(badRef.status).toBe(404);
    });
  });

  it('the queue read has no personal data', async () => {
    const r = await t.api<{ services: unknown[]; counters: unknown[]; recentCalls: unknown[] }>('GET', '/api/queue');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ services: expect.any(Array), counters: expect.any(Array), recentCalls: expect.any(Array) });
    expect(JSON.stringify(r.body)).not.toMatch(/王\*五|idHash|trackToken/);
  });
});
