/**
 * Opens the booking store in the data folder and starts the no-show sweep: every `tickSeconds`
 * on the hall's clock and at each day close (reads also sweep first, so nothing depends on the
 * timer's timing).
 */
import { join } from 'node:path';
import type { HallConfig } from '@hall/protocol';
import type { Logger } from '../logging';
import type { IssueDeps } from '../app/issue-ticket';
import type { CardTokens } from '../app/card-tokens';
import { BOOKINGS_FILE, BookingStore } from './booking-store';
import { AppointmentService } from './appointment-service';

export interface StartAppointmentsOptions {
  dataDir: string;
  config: () => HallConfig;
  tz: string;
  idKey: Buffer;
  issue: IssueDeps;
  cardTokens: CardTokens;
  newId: () => string;
  /** The core: its clock, and its day event for the sweep at day close. */
  core: IssueDeps['core'] & { on(event: 'day', fn: (day: string) => void): unknown };
  log: Logger;
  /** Seconds between no-show sweeps (default 60). */
  tickSeconds?: number;
}

export interface RunningAppointments {
  service: AppointmentService;
  close(): void;
}

export function startAppointments(o: StartAppointmentsOptions): RunningAppointments {
  const store = BookingStore.open(join(o.dataDir, BOOKINGS_FILE));
  const service = new AppointmentService({ store, config: o.config, tz: o.tz, now: () => o.core.now(), idKey: o.idKey, issue: o.issue, cardTokens: o.cardTokens, newId: o.newId });
  const sweep = (): void => {
    try {
      const n = service.sweep();
      if (n > 0) o.log.info({ noShows: n }, 'appointments: missed bookings recorded as no-shows');
    } catch (err) {
      o.log.error({ err: { message: (err as Error).message } }, 'appointments: no-show sweep failed');
    }
  };
  sweep();
  const timer = setInterval(sweep, (o.tickSeconds ?? 60) * 1000);
  timer.unref();
  o.core.on('day', sweep);
  return {
    service,
    close: () => {
      clearInterval(timer);
      store.close();
    },
  };
}
