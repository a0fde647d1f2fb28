/**
 * 预约服务: booking, cancelling, listing and checking in, over the booking store and the hall
 * core. Rules come from the hall config at each call (an admin's change applies at once); time
 * from the core's clock. Every refusal is a HallError value with a stable code.
 *
 * Check-in issues the ticket through the core with the request key `appointment:<id>`: the
 * engine journals the key with the ticket, so a check-in retried after a crash between the
 * ticket and the booking's update gets the same ticket, never a second one. A later check-in of
 * a used booking answers APPOINTMENT.USED with the ticket's number.
 */
import { randomInt } from 'node:crypto';
import {
  hallDate,
  hallError,
  hallMidnight,
  addDays,
  isValidIdNumber,
  maskName,
  toHallIso,
  type Actor,
  type AppointmentOverview,
  type AppointmentSlot,
  type AppointmentSource,
  type AppointmentStats,
  type AppointmentView,
  type BookAppointmentRequest,
  type BookedAppointment,
  type BookingDay,
  type BookingOptions,
  type CardAppointment,
  type HallConfig,
  type HallError,
  type IssueTicketResponse,
  type Result,
  type Service,
} from '@hall/protocol';
import { idNumberHash } from '../privacy/id-hash';
import { answer, type IssueDeps } from '../app/issue-ticket';
import type { CardTokens } from '../app/card-tokens';
import type { BookingRow, BookingStore } from './booking-store';
import { blockedUntil, bookingHours, cancelDeadline, checkInWindow, findSlot, horizonDaysFrom, issuingFrom, noShowLookbackMs, slotsOfDay, unbookableReason, type Slot } from './slots';

const MINUTE = 60_000;

export interface AppointmentDeps {
  store: BookingStore;
  config: () => HallConfig;
  tz: string;
  /** The hall's clock (the core's: never backwards). */
  now: () => number;
  idKey: Buffer;
  issue: IssueDeps;
  cardTokens: CardTokens;
  newId: () => string;
}

const fail = <T>(code: HallError['code'], message: string, details?: Record<string, unknown>): Result<T> => ({ ok: false, error: hallError(code, message, details) });

/** 138****1234: enough for staff to recognise a number the citizen reads out. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9+]/g, '');
  return digits.length <= 7 ? `${digits.slice(0, 2)}***` : `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Ten digits, the first never 0 (a code keeps its length wherever it is typed or read back). */
const newCode = (): string => `${randomInt(1, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;

export class AppointmentService {
  constructor(private readonly deps: AppointmentDeps) {}

  private get settings() {
    return this.deps.config().hall.appointments;
  }

  private iso(ms: number): string {
    return toHallIso(ms, this.deps.tz);
  }

  /** Bookings whose window closed become no-shows (爽约); run before every read and on the clock tick. */
  sweep(now = this.deps.now()): number {
    return this.deps.store.sweepNoShows(now, this.settings.checkInLateMinutes * MINUTE);
  }

  private bookable(serviceId: string): Result<Service> {
    const service = this.deps.config().services.find((s) => s.id === serviceId);
    if (!service) return fail('SERVICE.NOT_FOUND', 'no such service', { serviceId });
    if (!bookingHours(service, this.deps.config().hall)) return fail('APPOINTMENT.SLOT_UNAVAILABLE', 'this service takes no bookings', { serviceId, reason: 'not-bookable' });
    return { ok: true, value: service };
  }

  options(): BookingOptions {
    const cfg = this.deps.config();
    const s = this.settings;
    const today = hallDate(this.deps.now(), this.deps.tz);
    return {
      hallName: cfg.hall.name,
      today,
      services: cfg.services
        .filter((svc) => bookingHours(svc, cfg.hall) !== null)
        .sort((a, b) => a.sort - b.sort)
        .map((svc) => ({ id: svc.id, name: svc.name, nameEn: svc.nameEn, category: svc.category, slotMinutes: svc.appointments?.slotMinutes ?? 0, materials: svc.materials })),
      days: horizonDaysFrom(today, s),
      rules: {
        horizonDays: s.horizonDays,
        cutoffMinutes: s.cutoffMinutes,
        cancelMinutes: s.cancelMinutes,
        checkInEarlyMinutes: s.checkInEarlyMinutes,
        checkInLateMinutes: s.checkInLateMinutes,
        lateArrival: s.lateArrival,
        perIdPerDay: s.perIdPerDay,
        noShowLimit: s.noShowLimit,
        noShowWindowDays: s.noShowWindowDays,
        blockDays: s.blockDays,
      },
    };
  }

  private slotRows(service: Service, date: string, now: number): AppointmentSlot[] {
    const cfg = this.deps.config();
    const slots = slotsOfDay(date, service, cfg.hall, this.deps.tz);
    if (slots.length === 0) return [];
    const midnight = hallMidnight(date, this.deps.tz);
    const booked = this.deps.store.bookedPerSlot(service.id, midnight, hallMidnight(addDays(date, 1), this.deps.tz));
    const capacity = service.appointments?.capacity ?? 0;
    return slots.map((slot) => ({
      start: this.iso(slot.start),
      end: this.iso(slot.end),
      capacity,
      booked: booked.get(slot.start) ?? 0,
      open: unbookableReason(slot, now, this.settings, this.deps.tz) === null,
    }));
  }

  /** `GET /api/appointments/slots`: a closed day or a day outside the horizon lists its slots as not open (or none). */
  slots(serviceId: string, date: string): Result<AppointmentSlot[]> {
    const service = this.bookable(serviceId);
    if (!service.ok) return service;
    return { ok: true, value: this.slotRows(service.value, date, this.deps.now()) };
  }

  /** `GET /api/appointments/days`: the horizon's days with their places. */
  days(serviceId: string): Result<BookingDay[]> {
    const service = this.bookable(serviceId);
    if (!service.ok) return service;
    const now = this.deps.now();
    const value = horizonDaysFrom(hallDate(now, this.deps.tz), this.settings).map((date) => {
      const rows = this.slotRows(service.value, date, now);
      return {
        date,
        open: rows.length > 0,
        capacity: rows.reduce((n, r) => n + r.capacity, 0),
        booked: rows.reduce((n, r) => n + r.booked, 0),
        free: rows.reduce((n, r) => n + (r.open ? Math.max(0, r.capacity - r.booked) : 0), 0),
      };
    });
    return { ok: true, value };
  }

  /** `POST /api/appointments`. */
  book(req: BookAppointmentRequest, source: AppointmentSource): Result<BookedAppointment> {
    const idNumber = req.idNumber.trim().toUpperCase();
    if (!isValidIdNumber(idNumber)) return fail('PROTOCOL.INVALID_ID_NUMBER', 'the ID number fails the GB 11643 checksum');
    const start = Date.parse(req.start);
    if (!Number.isFinite(start)) return fail('PROTOCOL.INVALID_PAYLOAD', 'start: not a time');
    const service = this.bookable(req.serviceId);
    if (!service.ok) return service;
    const cfg = this.deps.config();
    const { tz } = this.deps;
    const slot = findSlot(start, service.value, cfg.hall, tz);
    if (!slot) return fail('APPOINTMENT.SLOT_UNAVAILABLE', 'no slot starts then (a closed day, lunch, or off the slot grid)', { reason: 'not-a-slot' });
    const now = this.deps.now();
    const why = unbookableReason(slot, now, this.settings, tz);
    if (why) return fail('APPOINTMENT.SLOT_UNAVAILABLE', `the slot cannot be booked now (${why})`, { reason: why });
    this.sweep(now);
    const idHash = idNumberHash(this.deps.idKey, idNumber);
    const until = blockedUntil(this.deps.store.noShowsOf(idHash, now - noShowLookbackMs(this.settings)), this.settings);
    if (until > now) {
      return fail('APPOINTMENT.BLOCKED', `too many missed appointments (爽约); booking is possible again from ${this.iso(until)}`, { until: this.iso(until), rule: this.blockRule() });
    }
    const base = {
      id: this.deps.newId(),
      serviceId: service.value.id,
      date: hallDate(slot.start, tz),
      slotStart: slot.start,
      slotEnd: slot.end,
      idHash,
      maskedName: maskName(req.name),
      phone: req.phone ?? null,
      source,
      bookedAt: now,
    };
    const limits = { capacity: service.value.appointments?.capacity ?? 0, perIdPerDay: this.settings.perIdPerDay, perIdOpen: this.settings.perIdOpen, now };
    // A code already taken (1 in 10^9 per live booking) is drawn again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = this.deps.store.book({ ...base, code: newCode() }, limits);
      if (r.ok) return { ok: true, value: this.booked(r.row, service.value) };
      const refusal = r.refusal;
      if (refusal.reason === 'slot-full') return fail('APPOINTMENT.SLOT_FULL', 'this slot is fully booked', { capacity: limits.capacity });
      if (refusal.reason === 'per-day') return fail('APPOINTMENT.ID_LIMIT_REACHED', `this ID already holds ${refusal.held} booking(s) that day`, { limit: limits.perIdPerDay, per: 'day' });
      if (refusal.reason === 'open') return fail('APPOINTMENT.ID_LIMIT_REACHED', `this ID already holds ${refusal.held} open booking(s)`, { limit: limits.perIdOpen, per: 'open' });
    }
    return fail('SERVER.UNAVAILABLE', 'no free booking code; try again');
  }

  private blockRule(): string {
    const s = this.settings;
    return `${s.noShowLimit} no-shows within ${s.noShowWindowDays} days block booking for ${s.blockDays} days`;
  }

  private slotOf(row: BookingRow): Slot {
    return { start: row.slotStart, end: row.slotEnd };
  }

  /**
   * Inside the window while the service issues no tickets yet (a 13:30 slot checked in at 13:10
   * during the lunch break): early, with the minute it opens, rather than "service closed".
   */
  private closedUntil(refused: { ok: false; error: HallError }, row: BookingRow, now: number): Result<IssueTicketResponse> | null {
    if (refused.error.code !== 'QUEUE.SERVICE_CLOSED' || now >= row.slotStart) return null;
    const config = this.deps.config();
    const service = config.services.find((s) => s.id === row.serviceId);
    const opens = service ? issuingFrom(service, config.hall, now, row.slotStart, this.deps.tz) : null;
    if (opens === null || opens <= now) return null;
    return fail('APPOINTMENT.TOO_EARLY', 'the service issues no tickets yet', { checkInFrom: this.iso(opens), start: this.iso(row.slotStart), earlyMinutes: this.settings.checkInEarlyMinutes });
  }

  private serviceName(serviceId: string): string {
    return this.deps.config().services.find((s) => s.id === serviceId)?.name ?? serviceId;
  }

  private booked(row: BookingRow, service?: Service): BookedAppointment {
    const w = checkInWindow(this.slotOf(row), this.settings);
    return {
      id: row.id,
      code: row.code,
      serviceId: row.serviceId,
      serviceName: service?.name ?? this.serviceName(row.serviceId),
      start: this.iso(row.slotStart),
      end: this.iso(row.slotEnd),
      name: row.maskedName,
      checkInFrom: this.iso(w.from),
      checkInUntil: this.iso(w.until),
      cancelUntil: this.iso(cancelDeadline(this.slotOf(row), this.settings)),
    };
  }

  private view(row: BookingRow): AppointmentView {
    return {
      ...this.booked(row),
      date: row.date,
      status: row.status,
      source: row.source,
      phone: row.phone === null ? null : maskPhone(row.phone),
      bookedAt: this.iso(row.bookedAt),
      ticketId: row.ticketId,
      ticketNumber: row.ticketNumber,
    };
  }

  private find(code: string): Result<BookingRow> {
    this.sweep();
    const row = this.deps.store.byCode(code);
    return row ? { ok: true, value: row } : fail('APPOINTMENT.NOT_FOUND', 'no booking with this code');
  }

  /** `GET /api/appointments/:code`: the booking its code stands for. */
  get(code: string): Result<AppointmentView> {
    const row = this.find(code);
    return row.ok ? { ok: true, value: this.view(row.value) } : row;
  }

  /** `DELETE /api/appointments/:code`: until the cancellation deadline. */
  cancel(code: string): Result<null> {
    const found = this.find(code);
    if (!found.ok) return found;
    const row = found.value;
    if (row.status === 'cancelled') return fail('APPOINTMENT.CANCELLED', 'the booking is already cancelled');
    if (row.status !== 'booked') return fail('APPOINTMENT.USED', `the booking is ${row.status}`, { status: row.status });
    const deadline = cancelDeadline(this.slotOf(row), this.settings);
    if (this.deps.now() >= deadline) {
      return fail('APPOINTMENT.CANCEL_DEADLINE', `a booking can be cancelled until ${this.settings.cancelMinutes} minutes before its slot`, { cancelUntil: this.iso(deadline) });
    }
    // Lost to a concurrent check-in or cancel: say what it became.
    if (!this.deps.store.cancel(row.id, this.deps.now())) return fail('APPOINTMENT.USED', 'the booking changed meanwhile');
    return { ok: true, value: null };
  }

  /** Staff and integration list: a day's bookings. */
  list(date: string, serviceId?: string): AppointmentView[] {
    this.sweep();
    return this.deps.store.ofDate(date, serviceId).map((r) => this.view(r));
  }

  /** The supervision panel: every bookable service's slots of a day, with their counts. */
  overview(day?: string): AppointmentOverview {
    this.sweep();
    const date = day ?? hallDate(this.deps.now(), this.deps.tz);
    const cfg = this.deps.config();
    const rows = this.deps.store.ofDate(date);
    const services = cfg.services
      .filter((s) => bookingHours(s, cfg.hall) !== null || rows.some((r) => r.serviceId === s.id))
      .sort((a, b) => a.sort - b.sort)
      .map((s) => {
        const mine = rows.filter((r) => r.serviceId === s.id);
        const grid = slotsOfDay(date, s, cfg.hall, this.deps.tz);
        // Slots of bookings made before the grid changed still show.
        const starts = new Map<number, number>(grid.map((g) => [g.start, g.end]));
        for (const r of mine) if (!starts.has(r.slotStart)) starts.set(r.slotStart, r.slotEnd);
        const slots = [...starts.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([start, end]) => {
            const at = mine.filter((r) => r.slotStart === start);
            const n = (st: string): number => at.filter((r) => r.status === st).length;
            return {
              start: this.iso(start),
              end: this.iso(end),
              capacity: s.appointments?.capacity ?? 0,
              booked: at.length - n('cancelled'),
              checkedIn: n('checked-in') + n('late'),
              noShow: n('no-show'),
              cancelled: n('cancelled'),
            };
          });
        return { serviceId: s.id, serviceName: s.name, slots };
      })
      .filter((s) => s.slots.length > 0);
    return { date, services };
  }

  /** Statistics of bookings by slot date. */
  stats(from: string, to: string): AppointmentStats {
    this.sweep();
    const byService = this.deps.store.countsByService(from, to).map((c) => ({ ...c, serviceName: this.serviceName(c.serviceId) }));
    const sum = (k: 'bookings' | 'cancelled' | 'checkedIn' | 'late' | 'noShow' | 'pending'): number => byService.reduce((n, c) => n + c[k], 0);
    return { from, to, bookings: sum('bookings'), cancelled: sum('cancelled'), checkedIn: sum('checkedIn'), late: sum('late'), noShow: sum('noShow'), pending: sum('pending'), byService };
  }

  /** The kiosk asks after a card swipe: that card's bookings today (the card token stays usable). */
  byCard(cardToken: string, terminalId: string): Result<CardAppointment[]> {
    this.sweep();
    const holder = this.deps.cardTokens.peek(cardToken, terminalId, this.deps.now());
    if (!holder) return fail('QUEUE.ID_REQUIRED', 'the swiped card has expired; please swipe it again');
    const today = hallDate(this.deps.now(), this.deps.tz);
    const value = this.deps.store
      .ofHolder(holder.idHash, today)
      .filter((r) => r.status === 'booked' || r.status === 'no-show')
      .map((r) => ({ code: r.code, serviceId: r.serviceId, serviceName: this.serviceName(r.serviceId), start: this.iso(r.slotStart), end: this.iso(r.slotEnd), status: r.status }));
    return { ok: true, value };
  }

  /** `POST /api/appointments/:code/check-in`: a ticket inside the window; early, late, used or cancelled say so. */
  async checkIn(code: string, actor: Actor): Promise<Result<IssueTicketResponse>> {
    const found = this.find(code);
    if (!found.ok) return found;
    const row = found.value;
    const s = this.settings;
    if (row.status === 'cancelled') return fail('APPOINTMENT.CANCELLED', 'the booking was cancelled');
    if (row.status === 'checked-in' || row.status === 'late') {
      return fail('APPOINTMENT.USED', 'this booking was already checked in', { ticketNumber: row.ticketNumber });
    }
    const now = this.deps.now();
    const today = hallDate(now, this.deps.tz);
    const w = checkInWindow(this.slotOf(row), s);
    if (now < w.from) {
      return fail('APPOINTMENT.TOO_EARLY', `check-in opens ${s.checkInEarlyMinutes} minutes before the slot`, {
        checkInFrom: this.iso(w.from),
        start: this.iso(row.slotStart),
        earlyMinutes: s.checkInEarlyMinutes,
      });
    }
    const late = now >= w.until;
    if (late && (s.lateArrival === 'refuse' || row.date !== today)) {
      return fail('APPOINTMENT.TOO_LATE', `check-in closed ${s.checkInLateMinutes} minutes after the slot ended`, {
        checkInUntil: this.iso(w.until),
        lateArrival: s.lateArrival,
      });
    }
    const terminalId = actor.kind === 'terminal' ? actor.terminalId : null;
    const res = await this.deps.issue.core.execute(
      {
        type: 'ticket.issue',
        serviceId: row.serviceId,
        source: 'appointment',
        ...(terminalId !== null ? { terminalId } : {}),
        holder: { maskedName: row.maskedName, idHash: row.idHash, birthDate: null },
        // Late: a normal ticket, queued from now like any other.
        ...(late ? {} : { appointment: { id: row.id, slotStart: row.slotStart } }),
        requestKey: `appointment:${row.id}`,
      },
      actor,
    );
    if (!res.ok) return this.closedUntil(res, row, now) ?? res;
    const ticketId = res.ticketId as string;
    const number = this.deps.issue.core.state.tickets.get(ticketId)?.number ?? '';
    this.deps.store.checkIn(row.id, late ? 'late' : 'checked-in', { id: ticketId, number }, now);
    const out = answer(this.deps.issue, ticketId, res.events.length > 0 ? terminalId : null);
    return out.ok ? { ok: true, value: out.value } : out;
  }
}
