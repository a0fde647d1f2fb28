/**
 * What the admin console needs of the server (issue 13 item 12), over HTTP on a real hall: one's
 * own password (other sessions end), unlocking a locked user, disabling a user, keeping an admin,
 * hall-screen notices with dates, a new service's sort position, editing a device and printing a
 * test slip. Every refusal is a 4xx with a stable code and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Notice, QueueSnapshot, Service, TestPrintResponse, UserView } from '@hall/protocol';
import { FAST_DEVICES } from '../src/devices/test-support';
import { KioskAgent } from '../src/agent/kiosk-agent';
import type { DeviceListView } from '../src/devices';
import { ADMIN_PASSWORD, connectSocket, createStaff, nextEvent, startTestHall, type TestHall } from './harness';

type Err = { error: { code: string; message: string } };

describe('admin console routes', () => {
  let t: TestHall;
  let admin: string;
  const sockets: Socket[] = [];
  const api = <T = unknown>(method: string, path: string, body?: unknown, token = admin) => t.api<T>(method, path, body, token);

  beforeAll(async () => {
    t = await startTestHall({ devices: FAST_DEVICES });
    admin = await t.login();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  describe('own password', () => {
    it('needs the current password; ends the other sessions of the user, keeps this one', async () => {
      const clerk = await createStaff(t, 'pw-clerk', 'clerk');
      const other = await t.login('pw-clerk', 'password-123');
      const wrong = await api<Err>('POST', '/api/auth/password', { currentPassword: 'nope-nope', newPassword: 'new-password-1' }, clerk.token);
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'AUTH.BAD_CREDENTIALS']);
      for (const body of [{}, { currentPassword: 'password-123', newPassword: 'short' }, { currentPassword: 'password-123', newPassword: 'password-123' }, { currentPassword: 'password-123', newPassword: 'new-password-1', extra: 1 }]) {
        const r = await api<Err>('POST', '/api/auth/password', body, clerk.token);
        expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([400, 'PROTOCOL.INVALID_PAYLOAD']);
      }
      expect((await t.api('POST', '/api/auth/password', { currentPassword: 'password-123', newPassword: 'new-password-1' })).status).toBe(401);
      // Nothing changed so far: both sessions live, the old password works.
      expect((await api('GET', '/api/auth/me', undefined, other)).status).toBe(200);

      // The other session's open socket is dropped at once; this session's stays.
      const otherSocket = connectSocket(t.url, '/counter', { token: other });
      const thisSocket = connectSocket(t.url, '/counter', { token: clerk.token });
      sockets.push(otherSocket, thisSocket);
      await Promise.all([nextEvent(otherSocket, 'snapshot'), nextEvent(thisSocket, 'snapshot')]);
      const dropped = new Promise<void>((resolve) => otherSocket.once('disconnect', () => resolve()));
      expect((await api('POST', '/api/auth/password', { currentPassword: 'password-123', newPassword: 'new-password-1' }, clerk.token)).status).toBe(204);
      await dropped;
      expect(thisSocket.connected).toBe(true);
      expect((await api('GET', '/api/auth/me', undefined, clerk.token)).status).toBe(200);
      expect((await api<Err>('GET', '/api/auth/me', undefined, other)).status).toBe(401);
      expect((await t.api('POST', '/api/auth/login', { username: 'pw-clerk', password: 'password-123' })).status).toBe(401);
      expect((await t.api('POST', '/api/auth/login', { username: 'pw-clerk', password: 'new-password-1' })).status).toBe(200);
    });

    it('five wrong current passwords lock the user (429), like logins', async () => {
      const clerk = await createStaff(t, 'pw-guess', 'clerk');
      for (let i = 0; i < 5; i++) {
        expect((await api('POST', '/api/auth/password', { currentPassword: `guess-${i}`, newPassword: 'new-password-1' }, clerk.token)).status).toBe(401);
      }
      const locked = await api<Err>('POST', '/api/auth/password', { currentPassword: 'password-123', newPassword: 'new-password-1' }, clerk.token);
      expect([locked.status, locked.body.error.code]).toEqual([429, 'AUTH.LOCKED']);
      const users = await api<UserView[]>('GET', '/api/users');
      expect(users.body.find((u) => u.id === clerk.id)?.lockedUntil).toMatch(/^2026-11-26T10:1\d:\d\d\+08:00$/);
    });
  });

  describe('users', () => {
    it('lists users with their lock and no hash; unlock ends a lock at once', async () => {
      const clerk = await createStaff(t, 'lock-clerk', 'clerk');
      for (let i = 0; i < 5; i++) await t.api('POST', '/api/auth/login', { username: 'lock-clerk', password: `wrong-${i}` });
      expect((await t.api('POST', '/api/auth/login', { username: 'lock-clerk', password: 'password-123' })).status).toBe(429);
      const listed = (await api<UserView[]>('GET', '/api/users')).body.find((u) => u.id === clerk.id) as UserView;
      expect(listed).toMatchObject({ username: 'lock-clerk', disabled: false });
      expect(listed.lockedUntil).not.toBeNull();
      expect(JSON.stringify(listed)).not.toContain('passwordHash');

      const sup = await createStaff(t, 'lock-sup', 'supervisor');
      expect((await api('POST', `/api/users/${clerk.id}/unlock`, undefined, sup.token)).status).toBe(403);
      expect((await api<Err>('POST', '/api/users/usr-nobody/unlock')).body.error.code).toBe('USER.NOT_FOUND');
      const unlocked = await api<UserView>('POST', `/api/users/${clerk.id}/unlock`);
      expect([unlocked.status, unlocked.body.lockedUntil]).toEqual([200, null]);
      expect((await t.api('POST', '/api/auth/login', { username: 'lock-clerk', password: 'password-123' })).status).toBe(200);
    });

    it('a disabled user cannot log in until enabled again; edits name, staff number and role', async () => {
      const clerk = await createStaff(t, 'off-clerk', 'clerk');
      const edited = await api<UserView>('PATCH', `/api/users/${clerk.id}`, { name: '王五', staffNo: 'C0099', disabled: true });
      expect(edited.body).toMatchObject({ name: '王五', staffNo: 'C0099', disabled: true, lockedUntil: null });
      expect((await api('GET', '/api/auth/me', undefined, clerk.token)).status).toBe(401);
      expect((await t.api<Err>('POST', '/api/auth/login', { username: 'off-clerk', password: 'password-123' })).status).toBe(401);
      expect((await api('PATCH', `/api/users/${clerk.id}`, { disabled: false, role: 'supervisor' })).status).toBe(200);
      expect((await t.api('POST', '/api/auth/login', { username: 'off-clerk', password: 'password-123' })).status).toBe(200);
    });

    it('the last enabled admin cannot be disabled or demoted (409), and stays signed in', async () => {
      const me = (await api<{ user: { id: string } }>('GET', '/api/auth/me')).body.user.id;
      for (const patch of [{ disabled: true }, { role: 'clerk' }]) {
        const r = await api<Err>('PATCH', `/api/users/${me}`, patch);
        expect([r.status, r.body.error.code], JSON.stringify(patch)).toEqual([409, 'CONFIG.CONFLICT']);
      }
      expect((await api('GET', '/api/auth/me')).status).toBe(200);
      // With a second admin, the first may step down.
      const second = await createStaff(t, 'admin-two', 'admin');
      expect((await api('PATCH', `/api/users/${second.id}`, { role: 'supervisor' })).status).toBe(200);
    });
  });

  describe('notices', () => {
    it('PUT replaces the list; hall screens show today\'s notices at once', async () => {
      const screen = connectSocket(t.url, '/display');
      sockets.push(screen);
      await nextEvent<QueueSnapshot>(screen, 'snapshot');
      const next = nextEvent<QueueSnapshot>(screen, 'snapshot', (s) => s.notices.includes('今日正常办公'));
      const put = await api<Notice[]>('PUT', '/api/notices', {
        notices: [
          { text: '  今日正常办公  ' },
          { text: '元旦放假通知', from: '2026-12-28', to: '2027-01-03' },
          { text: '已过期的通知', to: '2026-11-25' },
          { text: '本周通知', from: '2026-11-23', to: '2026-11-29', zone: 'A' },
        ],
      });
      expect(put.status).toBe(200);
      expect(put.body.map((n) => n.text)).toEqual(['今日正常办公', '元旦放假通知', '已过期的通知', '本周通知']);
      expect(put.body.every((n) => /^notice-/.test(n.id))).toBe(true);
      expect((await next).notices).toEqual(['今日正常办公', '本周通知']);
      const got = await api<Notice[]>('GET', '/api/notices');
      expect(got.body[1]).toMatchObject({ from: '2026-12-28', to: '2027-01-03', zone: null });

      // Ids given back are kept (an edit of one notice keeps the others' ids).
      const kept = await api<Notice[]>('PUT', '/api/notices', { notices: [{ id: got.body[0]?.id, text: '今日正常办公（已改）' }] });
      expect(kept.body).toEqual([{ id: got.body[0]?.id, text: '今日正常办公（已改）', zone: null, from: null, to: null }]);
    });

    it('refuses bad lists with 400 (or 409 for a repeated id) and keeps the old one; clerks may not write', async () => {
      const before = (await api<Notice[]>('GET', '/api/notices')).body;
      for (const body of [
        {},
        { notices: 'x' },
        { notices: [{ text: '' }] },
        { notices: [{ text: '   ' }] },
        { notices: [{ text: 'x', from: '2026-12-02', to: '2026-12-01' }] },
        { notices: [{ text: 'x', from: '2026-13-01' }] },
        { notices: [{ text: 'x'.repeat(501) }] },
        { notices: [{ text: 'x', color: 'red' }] },
        { notices: Array.from({ length: 201 }, () => ({ text: 'x' })) },
      ]) {
        const r = await api<Err>('PUT', '/api/notices', body);
        expect([r.status, r.body.error.code], JSON.stringify(body).slice(0, 80)).toEqual([400, 'PROTOCOL.INVALID_PAYLOAD']);
      }
      const dup = await api<Err>('PUT', '/api/notices', { notices: [{ id: 'n1', text: 'a' }, { id: 'n1', text: 'b' }] });
      expect([dup.status, dup.body.error.code]).toEqual([409, 'CONFIG.CONFLICT']);
      const clerk = await createStaff(t, 'notice-clerk', 'clerk');
      expect((await api('PUT', '/api/notices', { notices: [] }, clerk.token)).status).toBe(403);
      expect((await api<Notice[]>('GET', '/api/notices')).body).toEqual(before);
    });
  });

  describe('hall settings', () => {
    it('a PATCH of one policy or supervision knob keeps the others (no reset to defaults)', async () => {
      expect((await api('PATCH', '/api/hall', { policy: { normalShare: 3, recallLimit: 5 }, supervision: { pausedMinutes: 20 } })).status).toBe(200);
      const r = await api<{ policy: Record<string, number>; supervision: Record<string, number> }>('PATCH', '/api/hall', { policy: { agingMinutes: 45 }, supervision: { deviceDownMinutes: 7 } });
      expect(r.body.policy).toMatchObject({ agingMinutes: 45, normalShare: 3, recallLimit: 5 });
      expect(r.body.supervision).toMatchObject({ deviceDownMinutes: 7, pausedMinutes: 20 });
      const cal = await api<{ calendar: { holidays: string[]; workdays: string[] } }>('PATCH', '/api/hall', { calendar: { holidays: ['2026-10-01'], workdays: ['2026-09-27'] } });
      expect(cal.body.calendar).toEqual({ holidays: ['2026-10-01'], workdays: ['2026-09-27'] });
      for (const body of [{ policy: { agingMinutes: -1 } }, { policy: { colour: 1 } }, { calendar: { holidays: ['2026-13-01'] } }]) {
        expect((await api('PATCH', '/api/hall', body)).status, JSON.stringify(body)).toBe(400);
      }
    });
  });

  describe('services', () => {
    it('a new service goes after the others and takes the hall hours; its own ticket hours and lunch apply', async () => {
      const all = (await api<Service[]>('GET', '/api/services/all')).body;
      const last = Math.max(...all.map((s) => s.sort));
      const created = await api<Service>('POST', '/api/services', { name: '新业务', category: '综合', prefix: 'XN' });
      expect(created.status).toBe(201);
      expect(created.body.sort).toBe(Math.floor(last / 10) * 10 + 10);
      expect(created.body.ticketHours).toBeNull();
      const hours = { open: { start: '08:30', end: '11:30' }, lunch: { start: '10:00', end: '10:30' }, weekdays: [1, 2, 3, 4, 5], allDay: false };
      const patched = await api<Service>('PATCH', `/api/services/${created.body.id}`, { ticketHours: hours });
      expect(patched.body.ticketHours).toEqual(hours);
      // 10:00 hall time, in its lunch break: the kiosk may not issue.
      const kiosk = await t.kioskToken();
      const refused = await t.api<Err>('POST', '/api/tickets', { serviceId: created.body.id }, kiosk);
      expect([refused.status, refused.body.error.code]).toEqual([422, 'QUEUE.SERVICE_CLOSED']);
      const bad = await api<Err>('PATCH', `/api/services/${created.body.id}`, { ticketHours: { ...hours, lunch: { start: '10:30', end: '10:00' } } });
      expect(bad.status).toBe(400);
    });
  });

  describe('counters', () => {
    it('lists counters with their service weights; a weight edit keeps', async () => {
      const all = await api<{ id: string; services: { serviceId: string; weight: number }[] }[]>('GET', '/api/counters/all');
      expect(all.status).toBe(200);
      const c = all.body[0] as { id: string; services: { serviceId: string; weight: number }[] };
      const services = c.services.map((l, i) => ({ serviceId: l.serviceId, weight: i === 0 ? 2.5 : 1 }));
      expect((await api('PATCH', `/api/counters/${c.id}`, { services })).status).toBe(200);
      const again = (await api<typeof all.body>('GET', '/api/counters/all')).body.find((x) => x.id === c.id);
      expect(again?.services).toEqual(services);
      expect((await api('GET', '/api/counters/all', undefined, '')).status).toBe(401);
    });
  });

  describe('devices', () => {
    const kioskId = async (): Promise<string> => {
      const r = await api<{ id: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '测试打印取号机' });
      return r.body.id;
    };

    it('edits a device and prints a test slip; paper out is a printed: false answer with its code', async () => {
      const terminalId = await kioskId();
      const created = await api<DeviceListView>('POST', '/api/devices', { kind: 'printer', name: '测试打印机', transport: { type: 'simulated' }, attachedTo: { terminalId } });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const online = async (): Promise<DeviceListView> => {
        for (let i = 0; i < 200; i++) {
          const d = (await api<DeviceListView[]>('GET', '/api/devices')).body.find((x) => x.id === id) as DeviceListView;
          if (d.status === 'online') return d;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error('printer not online');
      };
      expect((await online()).since).toMatch(/^2026-11-26T10:/);

      const printed = await api<TestPrintResponse>('POST', `/api/devices/${id}/test-print`);
      expect(printed.body).toEqual({ printed: true, code: null, message: null });
      const sim = (await api<{ tickets: number; lastTicket: { text: string } }>('GET', `/api/devices/${id}/simulator`)).body;
      expect(sim.tickets).toBe(1);
      expect(sim.lastTicket.text).toContain('TEST');

      await api('POST', `/api/devices/${id}/simulate`, { action: 'paper-out' });
      const out = await api<TestPrintResponse>('POST', `/api/devices/${id}/test-print`);
      expect(out.body).toMatchObject({ printed: false, code: 'PRINTER.PAPER_OUT' });
      await api('POST', `/api/devices/${id}/simulate`, { action: 'paper-out', on: false });
      expect((await api<TestPrintResponse>('POST', `/api/devices/${id}/test-print`)).body.printed).toBe(true);

      const renamed = await api<DeviceListView>('PATCH', `/api/devices/${id}`, { name: '一楼打印机', options: { paperWidth: 58 } });
      expect([renamed.status, renamed.body.name, renamed.body.options]).toEqual([200, '一楼打印机', { paperWidth: 58 }]);
      expect(renamed.body.kind).toBe('printer');
      await online();
      expect((await api<TestPrintResponse>('POST', `/api/devices/${id}/test-print`)).body.printed).toBe(true);
    });

    it('refuses bad edits and test prints with stable codes, changing nothing', async () => {
      const before = (await api<DeviceListView[]>('GET', '/api/devices')).body.find((d) => d.id === 'dev-led-1') as DeviceListView;
      for (const body of [
        { kind: 'printer' },
        { transport: { type: 'serial', path: '/dev/ttyUSB0', baudRate: 12 } },
        { transport: { type: 'serial', path: '/dev/ttyUSB0', flowControl: 'maybe' } },
        { transport: { type: 'hid', vendorId: 70000, productId: 1 } },
        { transport: { type: 'tcp', host: '', port: 9100 } },
        { address: null },
        { profile: 'no-such-profile' },
        { attachedTo: { terminalId: 'x', counterId: 'y' } },
        { name: '' },
      ]) {
        const r = await api<Err>('PATCH', '/api/devices/dev-led-1', body);
        expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([400, 'PROTOCOL.INVALID_PAYLOAD']);
      }
      const after = (await api<DeviceListView[]>('GET', '/api/devices')).body.find((d) => d.id === 'dev-led-1') as DeviceListView;
      expect({ ...after, status: null, detail: null, since: null }).toEqual({ ...before, status: null, detail: null, since: null });

      expect((await api<Err>('PATCH', '/api/devices/dev-nope', { name: 'x' })).body.error.code).toBe('DEVICE.NOT_FOUND');
      expect((await api<Err>('POST', '/api/devices/dev-nope/test-print')).status).toBe(404);
      const notPrinter = await api<Err>('POST', '/api/devices/dev-led-1/test-print');
      expect([notPrinter.status, notPrinter.body.error.code]).toEqual([409, 'CONFIG.CONFLICT']);
      const sup = await createStaff(t, 'dev-sup-tp', 'supervisor');
      expect((await api('POST', '/api/devices/dev-kiosk-printer/test-print', undefined, sup.token)).status).toBe(403);
      expect((await api('PATCH', '/api/devices/dev-led-1', { name: 'x' }, sup.token)).status).toBe(403);
    });

    it("a kiosk PC's printer (run by its agent) test-prints there; with the agent gone the answer is offline", async () => {
      const kiosk = await api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '代理测试取号机' });
      const created = await api<DeviceListView>('POST', '/api/devices', {
        kind: 'printer',
        name: '代理测试打印机',
        transport: { type: 'simulated' },
        attachedTo: { terminalId: kiosk.body.id },
        options: { runsOn: 'agent' },
      });
      const id = created.body.id;
      expect((await api<TestPrintResponse>('POST', `/api/devices/${id}/test-print`)).body).toMatchObject({ printed: false, code: 'PRINTER.OFFLINE' });
      const agent = new KioskAgent({ hallUrl: t.url, token: kiosk.body.token, runtime: FAST_DEVICES, reconnect: { initialMs: 50, maxMs: 200 } });
      agent.start();
      try {
        for (let i = 0; i < 200; i++) {
          const d = (await api<DeviceListView[]>('GET', '/api/devices')).body.find((x) => x.id === id);
          if (d?.status === 'online') break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const sim = agent.runtime.simulator(id);
        if (sim?.kind !== 'printer') throw new Error('the agent has no simulated printer');
        const slip = sim.printer.nextTicket();
        expect((await api<TestPrintResponse>('POST', `/api/devices/${id}/test-print`)).body).toEqual({ printed: true, code: null, message: null });
        expect((await slip).text).toContain('TEST');
      } finally {
        await agent.stop();
      }
    });

    it('a printer whose port is missing answers printed: false, not an error', async () => {
      const r = await api<DeviceListView>('POST', '/api/devices', { kind: 'printer', name: '串口打印机', transport: { type: 'serial', path: '/dev/hall-missing-printer', baudRate: 9600, flowControl: 'rts-cts', dtr: true } });
      expect(r.status).toBe(201);
      expect(r.body.transport).toEqual({ type: 'serial', path: '/dev/hall-missing-printer', baudRate: 9600, flowControl: 'rts-cts', dtr: true });
      const out = await api<TestPrintResponse>('POST', `/api/devices/${r.body.id}/test-print`);
      expect(out.status).toBe(200);
      expect(out.body.printed).toBe(false);
      expect(out.body.code).toMatch(/^PRINTER\./);
      expect((await api('DELETE', `/api/devices/${r.body.id}`)).status).toBe(204);
    });
  });

  it('the admin password still works at the end (no test changed it)', async () => {
    expect((await t.api('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(200);
  });
});
