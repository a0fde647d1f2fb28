/** Shared by the appointment tests: a hall clock the test moves, valid ID numbers, and the set-up of a bookable service. */
import { idCheckChar } from '@hall/protocol';
import type { TestHall } from './harness';

/** A clock the test sets; the hall never sees it go back. */
export function settableClock(start: string): { clock: () => number; set: (iso: string) => void } {
  let now = Date.parse(start);
  return {
    clock: () => now,
    set: (iso: string) => {
      now = Date.parse(iso);
    },
  };
}

/** The `n`-th valid GB 11643 number of a fictional person born 1985-06-15. */
export function idNumber(n: number): string {
  const first17 = `11010519850615${String(n % 1000).padStart(3, '0')}`;
  return first17 + (idCheckChar(first17) as string);
}

export const WEEKDAY_HOURS = { open: { start: '09:00', end: '17:00' }, lunch: { start: '12:00', end: '13:30' }, weekdays: [1, 2, 3, 4, 5], allDay: false };

/** svc-social takes bookings: 30-minute slots of `capacity`, weekdays 09:00–17:00 with lunch. */
export async function makeBookable(t: TestHall, capacity = 2, hall: Record<string, unknown> = {}): Promise<string> {
  const admin = await t.login();
  const s = await t.api('PATCH', '/api/services/svc-social', { appointments: { enabled: true, slotMinutes: 30, capacity, hours: WEEKDAY_HOURS } }, admin);
  if (s.status !== 200) throw new Error(`service: ${s.status} ${JSON.stringify(s.body)}`);
  if (Object.keys(hall).length > 0) {
    const h = await t.api('PATCH', '/api/hall', hall, admin);
    if (h.status !== 200) throw new Error(`hall: ${h.status} ${JSON.stringify(h.body)}`);
  }
  return admin;
}
