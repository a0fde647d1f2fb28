/**
 * The last places of a slot: many bookings in parallel get exactly `capacity` 201s, the rest
 * 409 APPOINTMENT.SLOT_FULL, and a restart finds exactly the acknowledged bookings. Public
 * booking is limited per address, never below 20 a minute.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { AppointmentSlot, AppointmentView, BookedAppointment } from '@hall/protocol';
import { startTestHall, type TestHall } from './harness';
import { idNumber, makeBookable, settableClock } from './appointments-support';

const halls: TestHall[] = [];
afterAll(async () => {
  for (const h of halls) await h.close().catch(() => undefined);
});

const START = '2026-11-27T10:00:00+08:00';
const time = settableClock('2026-11-26T08:00:00+08:00');

describe('the race for the last place', () => {
  it('60 parallel bookings for 5 places: exactly 5 booked, before and after a restart', async () => {
    let t = await startTestHall({ clock: time.clock, bookingRatePerMinute: 100_000 });
    halls.push(t);
    await makeBookable(t, 5);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.api<BookedAppointment & { error?: { code: string } }>('POST', '/api/appointments', { serviceId: 'svc-social', start: START, name: '李四', idNumber: idNumber(100 + i) }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(5);
    expect(results.filter((r) => r.status === 409 && r.body.error?.code === 'APPOINTMENT.SLOT_FULL')).toHaveLength(55);
    expect(new Set(ok.map((r) => r.body.code)).size).toBe(5);
    const slotOf = async (h: TestHall): Promise<AppointmentSlot | undefined> =>
      (await h.api<AppointmentSlot[]>('GET', '/api/appointments/slots?serviceId=svc-social&date=2026-11-27')).body.find((s) => s.start === START);
    expect(await slotOf(t)).toMatchObject({ capacity: 5, booked: 5 });

    await t.close(true);
    t = await startTestHall({ dataDir: t.dataDir, clock: time.clock, bookingRatePerMinute: 100_000 });
    halls.push(t);
    expect(await slotOf(t)).toMatchObject({ capacity: 5, booked: 5 });
    const admin = await t.login();
    const listed = await t.api<AppointmentView[]>('GET', '/api/appointments?date=2026-11-27', undefined, admin);
    expect(listed.body.map((b) => b.code).sort()).toEqual(ok.map((r) => r.body.code).sort());
    // Still full after the restart.
    const late = await t.api<{ error: { code: string } }>('POST', '/api/appointments', { serviceId: 'svc-social', start: START, name: '王五', idNumber: idNumber(999) });
    expect([late.status, late.body.error.code]).toEqual([409, 'APPOINTMENT.SLOT_FULL']);
  }, 60_000);
});

describe('rate limit', () => {
  it('public bookings: 20 a minute per address pass (a 导服台 PC), then 429; staff are not limited', async () => {
    // A configured limit below 20 is raised to 20.
    const t = await startTestHall({ clock: time.clock, bookingRatePerMinute: 5 });
    halls.push(t);
    const admin = await makeBookable(t, 50);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const r = await t.api('POST', '/api/appointments', { serviceId: 'svc-social', start: START, name: '赵六', idNumber: idNumber(200 + i) });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
    const staff = await t.api('POST', '/api/appointments', { serviceId: 'svc-social', start: START, name: '赵六', idNumber: idNumber(300) }, admin);
    expect(staff.status).toBe(201);
    // Codes cannot be tried at speed: reading or cancelling by code is limited too (40 a minute here).
    const tries: number[] = [];
    for (let i = 0; i < 41; i++) tries.push((await t.api('GET', `/api/appointments/${String(1_000_000_000 + i)}`)).status);
    expect(tries.slice(0, 40).every((s) => s === 404)).toBe(true);
    expect(tries[40]).toBe(429);
    // The bookings file gone (a failed disk, here: closed): 503 SERVER.UNAVAILABLE, never a 500.
    t.hall.appointments.close();
    const down = await t.api<{ error: { code: string } }>('POST', '/api/appointments', { serviceId: 'svc-social', start: START, name: '赵六', idNumber: idNumber(301) }, admin);
    expect([down.status, down.body.error.code]).toEqual([503, 'SERVER.UNAVAILABLE']);
    expect((await t.api('GET', '/api/appointments/slots?serviceId=svc-social&date=2026-11-27')).status).toBe(503);
  }, 60_000);
});
