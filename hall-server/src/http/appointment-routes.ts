/**
 * 预约服务 over HTTP (API.md "Appointments", docs/API-EXTENSIONS.md). Booking is public (the
 * phone page), limited per address; a provincial platform books with an `integration` terminal
 * token, staff at the 导服台 with their own. A booking code is the capability to read, cancel
 * and check in; a malformed code is a 404 like an unknown one.
 */
import { Router, type ErrorRequestHandler, type Request } from 'express';
import {
  AppointmentCode,
  AppointmentListQuery,
  AppointmentStatsQuery,
  BookAppointmentRequest,
  CardLookupQuery,
  DaysQuery,
  OverviewQuery,
  SlotsQuery,
  hallError,
  type AppointmentSource,
  type Result,
} from '@hall/protocol';
import type { ZodType } from 'zod';
import type { AppointmentService } from '../appointments/appointment-service';
import { actorOf, refusal } from '../app/gateway';
import { HttpError, httpError, parseBody } from './http-error';
import { principal, requireStaff } from './guards';
import { rateLimit } from './rate-limit';

export interface AppointmentPorts {
  appointments: AppointmentService;
  /** Public reads: requests per minute per client address. */
  publicRatePerMinute: number;
  /** Public bookings per minute per client address (a 导服台 PC books for many: at least 20). */
  bookingRatePerMinute: number;
}

function valueOf<T>(r: Result<T>): T {
  if (!r.ok) throw new HttpError(r.error);
  return r.value;
}

/** Query strings parse like bodies: a missing or malformed field is a 400 naming it. */
const query = <T>(schema: ZodType<T>, req: Request): T => parseBody(schema, req.query);

function codeOf(req: Request): string {
  const code = req.params.code as string;
  if (!AppointmentCode.safeParse(code).success) throw httpError('APPOINTMENT.NOT_FOUND', 'no booking with this code');
  return code;
}

/** Staff of any role, or the provincial platform's integration token. */
function requireStaffOrIntegration(req: Request): void {
  const p = principal(req);
  if (p.kind === 'terminal' && p.terminal.kind === 'integration') return;
  requireStaff(req);
}

/** A kiosk terminal (or staff checking a citizen in at the desk). */
function requireKioskOrStaff(req: Request): void {
  const p = principal(req);
  const refused = refusal(p, 'kiosk-or-staff');
  if (refused) throw new HttpError(refused);
  if (p.kind === 'terminal' && p.terminal.kind !== 'kiosk') throw new HttpError(hallError('AUTH.FORBIDDEN', 'only a kiosk terminal or staff checks in'));
}

export function appointmentRoutes(ports: AppointmentPorts): Router {
  const r = Router();
  const appts = ports.appointments;
  const publicLimit = rateLimit(ports.publicRatePerMinute, 'public');
  // Never below 20 a minute per address: one 导服台 PC books for a queue of citizens.
  const bookingLimit = rateLimit(Math.max(20, ports.bookingRatePerMinute), 'booking');
  // A code is the key to a booking: reading or cancelling by code is limited like booking (twice
  // the rate, for a page that reads back what it booked), so codes cannot be guessed at speed.
  const codeLimit = rateLimit(2 * Math.max(20, ports.bookingRatePerMinute), 'appointment-code');

  r.get('/appointments/services', publicLimit, (_req, res) => {
    res.json(appts.options());
  });

  r.get('/appointments/days', publicLimit, (req, res) => {
    const q = query(DaysQuery, req);
    res.json(valueOf(appts.days(q.serviceId)));
  });

  r.get('/appointments/slots', publicLimit, (req, res) => {
    const q = query(SlotsQuery, req);
    res.json(valueOf(appts.slots(q.serviceId, q.date)));
  });

  r.post('/appointments', bookingLimit, (req, res) => {
    const p = principal(req);
    const source: AppointmentSource = p.kind === 'staff' ? 'staff' : p.kind === 'terminal' && p.terminal.kind === 'integration' ? 'integration' : 'public';
    const body = parseBody(BookAppointmentRequest, req.body);
    res.status(201).json(valueOf(appts.book(body, source)));
  });

  r.get('/appointments', (req, res) => {
    requireStaffOrIntegration(req);
    const q = query(AppointmentListQuery, req);
    res.json(appts.list(q.date, q.serviceId));
  });

  r.get('/appointments/overview', (req, res) => {
    requireStaff(req);
    const q = query(OverviewQuery, req);
    res.json(appts.overview(q.date));
  });

  r.get('/appointments/stats', (req, res) => {
    requireStaff(req, 'supervisor');
    const q = query(AppointmentStatsQuery, req);
    if (q.from > q.to) throw httpError('PROTOCOL.INVALID_PAYLOAD', 'from must not be after to');
    res.json(appts.stats(q.from, q.to));
  });

  r.get('/appointments/by-card', (req, res) => {
    const p = principal(req);
    if (p.kind !== 'terminal' || p.terminal.kind !== 'kiosk') {
      throw new HttpError(p.kind === 'anonymous' ? hallError('AUTH.REQUIRED', 'a kiosk terminal token is needed') : hallError('AUTH.FORBIDDEN', 'only the kiosk where the card was swiped'));
    }
    const q = query(CardLookupQuery, req);
    res.json(valueOf(appts.byCard(q.cardToken, p.terminal.id)));
  });

  r.get('/appointments/:code', codeLimit, (req, res) => {
    res.json(valueOf(appts.get(codeOf(req))));
  });

  r.delete('/appointments/:code', codeLimit, (req, res) => {
    valueOf(appts.cancel(codeOf(req)));
    res.status(204).end();
  });

  r.post('/appointments/:code/check-in', async (req, res) => {
    requireKioskOrStaff(req);
    res.status(201).json(valueOf(await appts.checkIn(codeOf(req), actorOf(principal(req)))));
  });

  // The bookings file failing (full disk, I/O error) is an outage the caller may retry, not a bug.
  r.use('/appointments', ((err, _req, _res, next) => {
    const e = err as Error | undefined;
    if (e?.name === 'SqliteError' || /database connection is not open/.test(e?.message ?? '')) {
      return next(new HttpError(hallError('SERVER.UNAVAILABLE', 'bookings cannot be read or written just now; try again shortly')));
    }
    next(err);
  }) as ErrorRequestHandler);
  return r;
}
