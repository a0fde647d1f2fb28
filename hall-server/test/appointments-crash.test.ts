/**
 * Acknowledged bookings survive kill -9: a real server process (the CLI from the sources) takes
 * parallel bookings and is killed with SIGKILL while some are still in flight; after a restart
 * every booking that got its 201 is there, and the slot holds no more than it took.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppointmentSlot, BookingDay } from '@hall/protocol';
import { idNumber } from './appointments-support';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PASSWORD = 'appt-crash-admin';
const children: ChildProcess[] = [];
let dataDir = '';

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Starts `hall-server start` on a free port; resolves with its URL once it says it is ready. */
function startCli(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'hall-server/src/cli.ts'), 'start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HALL_HOST: '127.0.0.1', HALL_DATA_DIR: dataDir, HALL_ADMIN_PASSWORD: PASSWORD, HALL_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no start: ${seen}`)), 40_000);
    const onData = (d: Buffer): void => {
      seen += d.toString();
      const url = /ready at (http:\/\/\S+)/.exec(seen)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
}

async function json<T>(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}

describe('bookings and kill -9', () => {
  it('every acknowledged booking is there after SIGKILL mid-burst; the slot never holds more than it took', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hall-appt-crash-'));
    let { child, url } = await startCli();
    const admin = (await json<{ token: string }>(url, 'POST', '/api/auth/login', { username: 'admin', password: PASSWORD })).body.token;
    expect((await json(url, 'PATCH', '/api/services/svc-social', { appointments: { enabled: true, slotMinutes: 30, capacity: 30, hours: { open: { start: '00:00', end: '24:00' }, lunch: null, weekdays: [0, 1, 2, 3, 4, 5, 6], allDay: true } } }, admin)).status).toBe(200);
    // Tomorrow (hall time), whatever the wall clock: every slot is open.
    const days = (await json<BookingDay[]>(url, 'GET', '/api/appointments/days?serviceId=svc-social')).body;
    const date = days[1]!.date;
    const slot = (await json<AppointmentSlot[]>(url, 'GET', `/api/appointments/slots?serviceId=svc-social&date=${date}`)).body[20]!;

    const acked: string[] = [];
    let killed = false;
    const burst = Array.from({ length: 40 }, (_, i) =>
      json<{ code: string }>(url, 'POST', '/api/appointments', { serviceId: 'svc-social', start: slot.start, name: '陈明', idNumber: idNumber(400 + i) }, admin)
        .then((r) => {
          if (r.status === 201) acked.push(r.body.code);
          if (acked.length >= 8 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        })
        .catch(() => undefined),
    );
    await Promise.all(burst);
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    expect(killed).toBe(true);
    expect(acked.length).toBeGreaterThanOrEqual(8);

    ({ child, url } = await startCli());
    for (const code of acked) expect((await json<{ status: string }>(url, 'GET', `/api/appointments/${code}`)).body.status).toBe('booked');
    const after = (await json<AppointmentSlot[]>(url, 'GET', `/api/appointments/slots?serviceId=svc-social&date=${date}`)).body.find((s) => s.start === slot.start)!;
    expect(after.booked).toBeGreaterThanOrEqual(acked.length);
    expect(after.booked).toBeLessThanOrEqual(30);
    child.kill('SIGTERM');
  }, 120_000);
});
