/**
 * 预约服务 (API.md "Appointments"): request schemas and response shapes shared by the hall
 * server, the phone booking page, the kiosk's check-in and the supervision panel.
 */
import { z } from 'zod';
import { DateString, Id } from './config';

/** A booking code: what the QR code holds and what a citizen types at the kiosk (10 digits). */
export const AppointmentCode = z.string().regex(/^\d{10}$/, '10 digits');

/** An instant on the wire: ISO 8601 with an offset (the hall's, as the slots list gives it). */
const Instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 time with offset, as the slots list gives it');

export const BookAppointmentRequest = z
  .object({
    serviceId: Id,
    /** A slot's `start` as `GET /api/appointments/slots` lists it. */
    start: Instant,
    name: z.string().trim().min(1).max(60),
    // Any text: a wrong number is PROTOCOL.INVALID_ID_NUMBER (the checksum), not a shape error.
    idNumber: z.string().trim().min(1).max(40),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'digits, spaces, - and an optional leading +')
      .optional(),
  })
  .strict();
export type BookAppointmentRequest = z.infer<typeof BookAppointmentRequest>;

export const SlotsQuery = z.object({ serviceId: Id, date: DateString });
export const DaysQuery = z.object({ serviceId: Id });
/** Without `date`: the hall's today (a browser's clock may say another day). */
export const OverviewQuery = z.object({ date: DateString.optional() });
export const AppointmentListQuery = z.object({ date: DateString, serviceId: Id.optional() });
export const AppointmentStatsQuery = z.object({ from: DateString, to: DateString });
export const CardLookupQuery = z.object({ cardToken: z.string().min(1).max(100) });

export type AppointmentStatus = 'booked' | 'checked-in' | 'late' | 'cancelled' | 'no-show';
export type AppointmentSource = 'public' | 'integration' | 'staff';

export interface AppointmentSlot {
  start: string;
  end: string;
  capacity: number;
  booked: number;
  /** Still takes bookings now (not past its cut-off). */
  open: boolean;
}

/** `POST /api/appointments` → 201. */
export interface BookedAppointment {
  id: string;
  code: string;
  serviceId: string;
  serviceName: string;
  start: string;
  end: string;
  /** Masked (张*三). */
  name: string;
  /** When check-in opens and closes at the kiosk. */
  checkInFrom: string;
  checkInUntil: string;
  /** Until when it may be cancelled. */
  cancelUntil: string;
}

/** One booking as staff, the integration and (by code) its holder see it. */
export interface AppointmentView extends BookedAppointment {
  date: string;
  status: AppointmentStatus;
  source: AppointmentSource;
  /** Masked (138****1234), when given. */
  phone: string | null;
  bookedAt: string;
  ticketId: string | null;
  ticketNumber: string | null;
}

/** A bookable service, for the phone page. */
export interface BookableService {
  id: string;
  name: string;
  nameEn: string;
  category: string;
  slotMinutes: number;
  materials: string[];
}

/** `GET /api/appointments/services` → the phone page's start: services, days and the rules. */
export interface BookingOptions {
  hallName: string;
  today: string;
  services: BookableService[];
  /** Days in the horizon, today first. */
  days: string[];
  rules: {
    horizonDays: number;
    cutoffMinutes: number;
    cancelMinutes: number;
    checkInEarlyMinutes: number;
    checkInLateMinutes: number;
    lateArrival: 'normal-ticket' | 'refuse';
    perIdPerDay: number;
    noShowLimit: number;
    noShowWindowDays: number;
    blockDays: number;
  };
}

/** `GET /api/appointments/days?serviceId=` → one row per day in the horizon. */
export interface BookingDay {
  date: string;
  /** The service takes bookings that day (a working day for it, with slots). */
  open: boolean;
  capacity: number;
  booked: number;
  /** Places still bookable now (slots past their cut-off excluded). */
  free: number;
}

/** `GET /api/appointments/overview?date=` (staff): bookings per slot per service. */
export interface AppointmentOverview {
  date: string;
  services: Array<{
    serviceId: string;
    serviceName: string;
    slots: Array<{ start: string; end: string; capacity: number; booked: number; checkedIn: number; noShow: number; cancelled: number }>;
  }>;
}

/** `GET /api/appointments/stats?from&to` (supervisor): counted by slot date. */
export interface AppointmentStats {
  from: string;
  to: string;
  /** Bookings made for slots in the range, cancelled ones included. */
  bookings: number;
  cancelled: number;
  /** Checked in inside the window. */
  checkedIn: number;
  /** Came after the window and took a normal ticket. */
  late: number;
  noShow: number;
  /** Still to come. */
  pending: number;
  byService: Array<{ serviceId: string; serviceName: string; bookings: number; cancelled: number; checkedIn: number; late: number; noShow: number; pending: number }>;
}

/** `GET /api/appointments/by-card?cardToken=` (kiosk): today's bookings of the swiped card. */
export interface CardAppointment {
  code: string;
  serviceId: string;
  serviceName: string;
  start: string;
  end: string;
  status: AppointmentStatus;
}
