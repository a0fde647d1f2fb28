/**
 * 预约服务 end to end over HTTP on a hall clock the test moves: slots, booking and its bad input,
 * check-in early / inside the window / twice / late, cancellation and its deadline, no-shows and
 * the 爽约 block, roles and the integration token, statistics, and bookings surviving a restart.
 * Thursday 2026-11-26; Friday 11-27 a holiday, Sunday 11-29 a 调休 workday.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar, type AppointmentSlot, type AppointmentStats, type AppointmentView, type BookedAppointment, type BookingDay, type BookingOptions, type IssueTicketResponse, type KioskIdCard, type Ticket } from '@hall/protocol';
import { connectSocket, createStaff, makeTempDir, nextEvent, startTestHall, type TestHall } from './harness';
import { createBackup } from '../src/ops/backup';
import { restoreBackup } from '../src/ops/restore';
import { WEEKDAY_HOURS, idNumber, makeBookable, settableClock } from './appointments-support';

const time = settableClock('2026-11-26T08:00:00+08:00');
let t: TestHall;
let admin: string;
let kiosk: string;
const at = (hhmm: string, date = '2026-11-26'): string => `${date}T${hhmm}:00+08:00`;
const book = (start: string, who: number | string, extra: Record<string, unknown> = {}, token?: string) =>
  t.api<BookedAppointment & { error?: { code: string; details?: Record<string, unknown> } }>(
    'POST',
    '/api/appointments',
    { serviceId: 'svc-social', start, name: '张小三', idNumber: typeof who === 'number' ? idNumber(who) : who, ...extra },
    token,
  );
type Err = { error: { code: string; details?: Record<string, unknown> } };
const checkIn = (code: string, token = kiosk) => t.api<IssueTicketResponse & Err>('POST', `/api/appointments/${code}/check-in`, {}, token);
const slots = async (date = '2026-11-26'): Promise<AppointmentSlot[]> => (await t.api<AppointmentSlot[]>('GET', `/api/appointments/slots?serviceId=svc-social&date=${date}`)).body;

beforeAll(async () => {
  t = await startTestHall({ clock: time.clock, bookingRatePerMinute: 100_000 });
  admin = await makeBookable(t, 2, { calendar: { holidays: ['2026-11-27'], workdays: ['2026-11-29'] } });
  kiosk = await t.kioskToken();
}, 30_000);
afterAll(async () => {
  await t?.close();
});

describe('slots and days', () => {
  it('lists the bookable services and the horizon', async () => {
    const r = await t.api<BookingOptions>('GET', '/api/appointments/services');
    expect(r.status).toBe(200);
    // The demo hall books 社保 and 市场主体登记.
    expect(r.body.services.map((s) => s.id)).toEqual(['svc-social', 'svc-business']);
    expect(r.body.days).toHaveLength(8);
    expect(r.body.today).toBe('2026-11-26');
  });

  it('days: the holiday and Saturday closed, the 调休 Sunday open', async () => {
    const r = await t.api<BookingDay[]>('GET', '/api/appointments/days?serviceId=svc-social');
    const open = Object.fromEntries(r.body.map((d) => [d.date, d.open]));
    expect(open).toMatchObject({ '2026-11-26': true, '2026-11-27': false, '2026-11-28': false, '2026-11-29': true, '2026-11-30': true });
    expect(r.body[0]).toMatchObject({ capacity: 26, booked: 0, free: 26 });
  });

  it("today's slots with the lunch break, in hall time", async () => {
    const list = await slots();
    expect(list).toHaveLength(13);
    expect(list[0]).toEqual({ start: at('09:00'), end: at('09:30'), capacity: 2, booked: 0, open: true });
    expect(list.map((s) => s.start)).not.toContain(at('12:00'));
    expect(list[6]!.start).toBe(at('13:30'));
    expect(await slots('2026-11-27')).toEqual([]);
  });

  it('bad queries are 4xx with a code', async () => {
    expect((await t.api<Err>('GET', '/api/appointments/slots?serviceId=svc-social&date=2026-13-01')).body.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
    expect((await t.api<Err>('GET', '/api/appointments/slots?serviceId=svc-social')).status).toBe(400);
    const unknown = await t.api<Err>('GET', '/api/appointments/slots?serviceId=svc-nope&date=2026-11-26');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'SERVICE.NOT_FOUND']);
    const notBookable = await t.api<Err>('GET', '/api/appointments/slots?serviceId=svc-agri&date=2026-11-26');
    expect([notBookable.status, notBookable.body.error.code]).toEqual([422, 'APPOINTMENT.SLOT_UNAVAILABLE']);
  });
});

describe('booking', () => {
  it('bad input: 4xx with a code, and nothing booked', async () => {
    const cases: Array<[Record<string, unknown>, number, string, string?]> = [
      [{ idNumber: '110105199001010011' }, 400, 'PROTOCOL.INVALID_ID_NUMBER'],
      [{ idNumber: '12345' }, 400, 'PROTOCOL.INVALID_ID_NUMBER'],
      [{ serviceId: 'svc-nope' }, 404, 'SERVICE.NOT_FOUND'],
      [{ start: at('10:00', '2026-11-25') }, 422, 'APPOINTMENT.SLOT_UNAVAILABLE', 'past'],
      [{ start: at('08:00') }, 422, 'APPOINTMENT.SLOT_UNAVAILABLE', 'not-a-slot'],
      [{ start: at('10:00', '2026-11-27') }, 422, 'APPOINTMENT.SLOT_UNAVAILABLE', 'not-a-slot'],
      [{ start: at('12:00') }, 422, 'APPOINTMENT.SLOT_UNAVAILABLE', 'not-a-slot'],
      [{ start: at('09:15') }, 422, 'APPOINTMENT.SLOT_UNAVAILABLE', 'not-a-slot'],
      [{ start: at('10:00', '2026-12-04') }, 422, 'APPOINTMENT.SLOT_UNAVAILABLE', 'beyond-horizon'],
      [{ start: 'tomorrow' }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
      [{ name: '' }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
      [{ phone: 'call me' }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
      [{ extra: 1 }, 400, 'PROTOCOL.INVALID_PAYLOAD'],
    ];
    for (const [fields, status, code, reason] of cases) {
      const r = await t.api<Err>('POST', '/api/appointments', { serviceId: 'svc-social', start: at('10:00'), name: '张三', idNumber: idNumber(1), ...fields });
      expect([JSON.stringify(fields), r.status, r.body.error.code, r.body.error.details?.reason]).toEqual([JSON.stringify(fields), status, code, reason]);
    }
    const malformed = await t.api<Err>('POST', '/api/appointments', undefined, undefined, '{"serviceId": ');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'PROTOCOL.INVALID_PAYLOAD']);
    expect((await slots()).every((s) => s.booked === 0)).toBe(true);
  });

  it('books a slot: a code, the name masked, the ID number and name nowhere on disk', async () => {
    const r = await book(at('10:00'), 1, { phone: '13812345678' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ serviceId: 'svc-social', start: at('10:00'), end: at('10:30'), name: '张*三', checkInFrom: at('09:30'), checkInUntil: at('10:30'), cancelUntil: at('09:30') });
    expect(r.body.code).toMatch(/^\d{10}$/);
    expect((await slots())[2]).toMatchObject({ start: at('10:00'), booked: 1 });
    const db = await readFile(join(t.dataDir, 'appointments.sqlite')).catch(() => Buffer.alloc(0));
    const wal = await readFile(join(t.dataDir, 'appointments.sqlite-wal')).catch(() => Buffer.alloc(0));
    const disk = Buffer.concat([db, wal]);
    expect(disk.length).toBeGreaterThan(0);
    expect(disk.includes(idNumber(1))).toBe(false);
    expect(disk.includes(Buffer.from('张小三'))).toBe(false);
    const view = await t.api<AppointmentView>('GET', `/api/appointments/${r.body.code}`);
    expect(view.body).toMatchObject({ status: 'booked', phone: '138****5678', source: 'public' });
  });

  it('per-ID limits: one booking a day, and a full slot is 409', async () => {
    const again = await book(at('14:00'), 1);
    expect([again.status, again.body.error?.code, again.body.error?.details?.per]).toEqual([422, 'APPOINTMENT.ID_LIMIT_REACHED', 'day']);
    expect((await book(at('10:00'), 2)).status).toBe(201);
    const full = await book(at('10:00'), 3);
    expect([full.status, full.body.error?.code]).toEqual([409, 'APPOINTMENT.SLOT_FULL']);
  });

  it('per-ID open bookings: at most 3 at once', async () => {
    for (const d of ['2026-11-29', '2026-11-30', '2026-12-01']) expect((await book(at('09:00', d), 4)).status).toBe(201);
    const fourth = await book(at('09:00', '2026-12-02'), 4);
    expect([fourth.status, fourth.body.error?.details?.per]).toEqual([422, 'open']);
  });
});

describe('check-in', () => {
  let code = '';
  let afterLunch = '';
  let code2 = '';
  beforeAll(async () => {
    code = (await book(at('11:00'), 10)).body.code;
    afterLunch = (await book(at('13:30'), 14)).body.code;
    code2 = (await book(at('13:30'), 13)).body.code;
  });

  it('early: TOO_EARLY with when to come back', async () => {
    time.set(at('10:20'));
    const r = await checkIn(code);
    expect([r.status, r.body.error.code, r.body.error.details?.checkInFrom]).toEqual([422, 'APPOINTMENT.TOO_EARLY', at('10:30')]);
  });

  it('inside the window: a ticket of the appointment class; a second check-in makes none', async () => {
    time.set(at('10:35'));
    const r = await checkIn(code);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ serviceId: 'svc-social', priority: 'appointment', source: 'appointment', holderName: '张*三', status: 'waiting' });
    const twice = await checkIn(code);
    expect([twice.status, twice.body.error.code, twice.body.error.details?.ticketNumber]).toEqual([409, 'APPOINTMENT.USED', r.body.number]);
    const view = await t.api<AppointmentView>('GET', `/api/appointments/${code}`);
    expect(view.body).toMatchObject({ status: 'checked-in', ticketId: r.body.id, ticketNumber: r.body.number });
    const queue = await t.api<Ticket>('GET', `/api/tickets/${r.body.id}?token=${r.body.trackToken}`);
    expect(queue.body.priority).toBe('appointment');
  });

  it("a swiped card: the kiosk where it was swiped gets that holder's bookings today, nobody else does", async () => {
    const kioskRow = await t.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '刷卡取号机' }, admin);
    const reader = await t.api<{ id: string }>('POST', '/api/devices', { kind: 'id-reader', name: '读卡器', transport: { type: 'simulated' }, attachedTo: { terminalId: kioskRow.body.id } }, admin);
    const adult = '32010219880721003' + idCheckChar('32010219880721003');
    const own = (await book(at('15:00'), adult)).body.code;
    const socket = connectSocket(t.url, '/kiosk', { token: kioskRow.body.token });
    try {
      await nextEvent(socket, 'snapshot');
      const card = nextEvent<KioskIdCard>(socket, 'id-card');
      let sent = 0;
      // The simulated reader comes online shortly after it is added.
      while ((await t.api('POST', `/api/devices/${reader.body.id}/simulate`, { action: 'insert-card', person: 'adult' }, admin)).status !== 200 && sent++ < 50) await new Promise((r) => setTimeout(r, 100));
      const token = (await card).cardToken;
      const list = await t.api<Array<{ code: string; start: string; status: string }>>('GET', `/api/appointments/by-card?cardToken=${token}`, undefined, kioskRow.body.token);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([expect.objectContaining({ code: own, start: at('15:00'), status: 'booked' })]);
      // Another kiosk, staff, nobody: not theirs to ask.
      expect((await t.api<Err>('GET', `/api/appointments/by-card?cardToken=${token}`, undefined, kiosk)).body.error.code).toBe('QUEUE.ID_REQUIRED');
      expect((await t.api('GET', `/api/appointments/by-card?cardToken=${token}`, undefined, admin)).status).toBe(403);
      expect((await t.api('GET', `/api/appointments/by-card?cardToken=${token}`)).status).toBe(401);
      expect((await t.api('GET', '/api/appointments/by-card', undefined, kioskRow.body.token)).status).toBe(400);
      // Asking does not use the card up: the same token still issues a ticket.
      expect((await t.api('POST', '/api/tickets', { serviceId: 'svc-agri', idCardToken: token }, kioskRow.body.token)).status).toBe(201);
      expect((await t.api('DELETE', `/api/appointments/${own}`)).status).toBe(204);
    } finally {
      socket.close();
    }
  });

  it('who may check in: a kiosk or staff; not a display, not anonymous; unknown codes 404', async () => {
    const display = (await t.api<{ token: string }>('POST', '/api/terminals', { kind: 'display', name: '屏' }, admin)).body.token;
    expect((await checkIn(code, display)).status).toBe(403);
    expect((await t.api('POST', `/api/appointments/${code}/check-in`, {})).status).toBe(401);
    expect((await checkIn('0000000000')).body.error.code).toBe('APPOINTMENT.NOT_FOUND');
    expect((await checkIn('not-a-code')).status).toBe(404);
  });

  it('cancel: 204, then CANCELLED on cancel and check-in; past the deadline CANCEL_DEADLINE', async () => {
    const a = (await book(at('14:00'), 11)).body.code;
    expect((await t.api('DELETE', `/api/appointments/${a}`)).status).toBe(204);
    expect((await t.api<Err>('DELETE', `/api/appointments/${a}`)).body.error.code).toBe('APPOINTMENT.CANCELLED');
    expect((await checkIn(a)).body.error.code).toBe('APPOINTMENT.CANCELLED');
    expect((await t.api('DELETE', '/api/appointments/9999999999')).status).toBe(404);
    const b = (await book(at('11:30'), 12)).body.code;
    time.set(at('11:05'));
    const late = await t.api<Err>('DELETE', `/api/appointments/${b}`);
    expect([late.status, late.body.error.code, late.body.error.details?.cancelUntil]).toEqual([422, 'APPOINTMENT.CANCEL_DEADLINE', at('11:00')]);
    // Cancelling frees the place.
    expect((await slots()).find((s) => s.start === at('14:00'))?.booked).toBe(0);
  });

  it('late: a no-show once the window closes, then a normal ticket the same day', async () => {
    // The 11:30 booking of ID 12: window until 12:00.
    time.set(at('12:01'));
    const list = await t.api<AppointmentView[]>('GET', '/api/appointments?date=2026-11-26&serviceId=svc-social', undefined, admin);
    const b = list.body.find((x) => x.start === at('11:30'))!;
    expect(b.status).toBe('no-show');
    const r = await checkIn(b.code);
    expect(r.status).toBe(201);
    expect(r.body.priority).toBe('normal');
    expect((await t.api<AppointmentView>('GET', `/api/appointments/${b.code}`)).body.status).toBe('late');
  });

  it('inside the window but while the service issues no tickets (lunch): TOO_EARLY with when it opens', async () => {
    // The 13:30 slot's window opens 13:00; the service's ticket hours break for lunch until 13:30.
    const before = (await t.api<{ id: string; ticketHours: unknown }[]>('GET', '/api/services/all', undefined, admin)).body.find((x) => x.id === 'svc-social')!;
    expect((await t.api('PATCH', '/api/services/svc-social', { ticketHours: WEEKDAY_HOURS }, admin)).status).toBe(200);
    try {
      time.set(at('13:10'));
      const r = await checkIn(afterLunch);
      expect([r.status, r.body.error?.code, r.body.error?.details?.checkInFrom]).toEqual([422, 'APPOINTMENT.TOO_EARLY', at('13:30')]);
      expect((await t.api<AppointmentView>('GET', `/api/appointments/${afterLunch}`)).body.status).toBe('booked');
      time.set(at('13:30'));
      expect((await checkIn(afterLunch)).status).toBe(201);
    } finally {
      await t.api('PATCH', '/api/services/svc-social', { ticketHours: before.ticketHours }, admin);
    }
  });

  it('late with the hall refusing late arrivals: TOO_LATE with the rule', async () => {
    await t.api('PATCH', '/api/hall', { appointments: { lateArrival: 'refuse' } }, admin);
    time.set(at('14:05'));
    const r = await checkIn(code2);
    expect([r.status, r.body.error.code, r.body.error.details?.checkInUntil, r.body.error.details?.lateArrival]).toEqual([422, 'APPOINTMENT.TOO_LATE', at('14:00'), 'refuse']);
    await t.api('PATCH', '/api/hall', { appointments: { lateArrival: 'normal-ticket' } }, admin);
  });

  it('the hall setting merges: other appointment settings keep their values', async () => {
    await t.api('PATCH', '/api/hall', { appointments: { horizonDays: 6 } }, admin);
    await t.api('PATCH', '/api/hall', { appointments: { lateArrival: 'normal-ticket' } }, admin);
    const hall = await t.api<{ appointments: Record<string, unknown> }>('GET', '/api/hall', undefined, admin);
    expect(hall.body.appointments).toMatchObject({ horizonDays: 6, lateArrival: 'normal-ticket', noShowLimit: 3 });
    expect((await t.api('PATCH', '/api/hall', { appointments: { horizonDays: -1 } }, admin)).status).toBe(400);
    await t.api('PATCH', '/api/hall', { appointments: { horizonDays: 7 } }, admin);
  });
});

describe('roles, integration, statistics', () => {
  it('staff and the integration token list; anonymous may not', async () => {
    expect((await t.api('GET', '/api/appointments?date=2026-11-26')).status).toBe(401);
    const clerk = await createStaff(t, 'appt-clerk', 'clerk');
    expect((await t.api<AppointmentView[]>('GET', '/api/appointments?date=2026-11-26', undefined, clerk.token)).status).toBe(200);
    const integ = await t.api<{ token: string }>('POST', '/api/terminals', { kind: 'integration', name: '省政务服务平台' }, admin);
    expect(integ.status).toBe(201);
    const token = integ.body.token;
    const r = await book(at('16:30'), 20, {}, token);
    expect(r.status).toBe(201);
    const list = await t.api<AppointmentView[]>('GET', '/api/appointments?date=2026-11-26&serviceId=svc-social', undefined, token);
    expect(list.body.find((x) => x.code === r.body.code)?.source).toBe('integration');
    // The integration token books; it issues no tickets and checks nobody in.
    expect((await t.api('POST', '/api/tickets', { serviceId: 'svc-social' }, token)).status).toBe(403);
    expect((await checkIn(r.body.code, token)).status).toBe(403);
    expect((await t.api('DELETE', `/api/appointments/${r.body.code}`, undefined, token)).status).toBe(204);
  });

  it('statistics count bookings, check-ins and no-shows (supervisor)', async () => {
    const clerk = await t.login('appt-clerk', 'password-123');
    expect((await t.api('GET', '/api/appointments/stats?from=2026-11-26&to=2026-11-26', undefined, clerk)).status).toBe(403);
    expect((await t.api('GET', '/api/appointments/stats?from=2026-11-27&to=2026-11-26', undefined, admin)).status).toBe(400);
    time.set(at('17:30'));
    const s = await t.api<AppointmentStats>('GET', '/api/appointments/stats?from=2026-11-26&to=2026-11-26', undefined, admin);
    // Today: 10:00 ×2 (no-shows), 11:00 and one 13:30 checked in, 14:00 and 15:00 cancelled, 11:30 late, the other 13:30 no-show, 16:30 cancelled.
    expect(s.body).toMatchObject({ bookings: 9, cancelled: 3, checkedIn: 2, late: 1, noShow: 3, pending: 0 });
    expect(s.body.byService[0]).toMatchObject({ serviceId: 'svc-social', serviceName: expect.any(String), bookings: 9 });
  });

  it('overview: per slot per service', async () => {
    const o = await t.api<{ services: Array<{ serviceId: string; slots: Array<{ start: string; booked: number; checkedIn: number; noShow: number; cancelled: number }> }> }>(
      'GET',
      '/api/appointments/overview?date=2026-11-26',
      undefined,
      admin,
    );
    const social = o.body.services.find((s) => s.serviceId === 'svc-social')!;
    expect(social.slots).toHaveLength(13);
    expect(social.slots.find((s) => s.start === at('10:00'))).toMatchObject({ booked: 2, noShow: 2 });
    expect(social.slots.find((s) => s.start === at('11:00'))).toMatchObject({ booked: 1, checkedIn: 1 });
    // Without a date: the hall's today, whatever the caller's clock says.
    expect((await t.api<{ date: string }>('GET', '/api/appointments/overview', undefined, admin)).body.date).toBe('2026-11-26');
    expect((await t.api('GET', '/api/appointments/overview?date=26.11.2026', undefined, admin)).status).toBe(400);
    expect((await t.api('GET', '/api/appointments/overview')).status).toBe(401);
  });
});

describe('爽约 block and restart', () => {
  it('three no-shows in 90 days block the ID from booking', async () => {
    // ID 4 holds 11-29, 11-30 and 12-01 at 09:00; ID 10's... a fresh ID misses three.
    time.set(at('17:40'));
    for (const d of ['2026-11-29', '2026-11-30', '2026-12-01']) expect((await book(at('10:00', d), 30)).status).toBe(201);
    time.set(at('12:00', '2026-12-01'));
    const r = await book(at('10:00', '2026-12-02'), 30);
    expect([r.status, r.body.error?.code, r.body.error?.details?.until]).toEqual([422, 'APPOINTMENT.BLOCKED', '2026-12-31T10:30:00+08:00']);
    expect((await book(at('10:00', '2026-12-02'), 31)).status).toBe(201);
  });

  it('bookings survive a restart', async () => {
    const before = await slots('2026-12-02');
    const code = (await book(at('11:00', '2026-12-03'), 32)).body.code;
    await t.close(true);
    t = await startTestHall({ dataDir: t.dataDir, clock: time.clock, bookingRatePerMinute: 100_000 });
    expect(await slots('2026-12-02')).toEqual(before);
    expect((await t.api<AppointmentView>('GET', `/api/appointments/${code}`)).body).toMatchObject({ status: 'booked', start: at('11:00', '2026-12-03') });
  });

  it('a backup taken while the hall runs carries the bookings; the restored hall has them', async () => {
    const code = (await book(at('13:30', '2026-12-03'), 33)).body.code;
    const dir = await makeTempDir('hall-appt-backup-');
    try {
      const file = join(dir, 'hall.tar.gz');
      const { manifest } = await createBackup({ dataDir: t.dataDir, file, hallVersion: 'test', now: time.clock() });
      expect(manifest.files.map((f) => f.path)).toContain('appointments.sqlite');
      await restoreBackup({ file, dataDir: join(dir, 'restored') });
      const restored = await startTestHall({ dataDir: join(dir, 'restored'), clock: time.clock });
      try {
        expect((await restored.api<AppointmentView>('GET', `/api/appointments/${code}`)).body).toMatchObject({ status: 'booked', name: '张*三' });
        expect((await restored.api<AppointmentSlot[]>('GET', '/api/appointments/slots?serviceId=svc-social&date=2026-12-02')).body).toEqual(await slots('2026-12-02'));
      } finally {
        await restored.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
