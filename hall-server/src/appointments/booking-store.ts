/**
 * Bookings on disk: `data/appointments.sqlite` (better-sqlite3; why not the journal:
 * docs/DECISIONS.md). Every write is one SQLite transaction committed with `synchronous = FULL`
 * before it returns, so a booking that was answered survives kill -9 and a power cut. The calls
 * are synchronous and the hall server has one writer thread: the capacity check and the insert
 * of a booking run with nothing in between, however many requests race for the last place
 * (`BEGIN IMMEDIATE` also keeps a second process, such as a backup, from writing in between).
 *
 * Holds no ID number: only its keyed hash; the name is stored masked.
 */
import Database from 'better-sqlite3';
import type { AppointmentSource, AppointmentStats, AppointmentStatus } from '@hall/protocol';

export interface BookingRow {
  id: string;
  code: string;
  serviceId: string;
  /** Hall date of the slot. */
  date: string;
  slotStart: number;
  slotEnd: number;
  idHash: string;
  maskedName: string;
  phone: string | null;
  status: AppointmentStatus;
  source: AppointmentSource;
  bookedAt: number;
  cancelledAt: number | null;
  checkedInAt: number | null;
  ticketId: string | null;
  ticketNumber: string | null;
  noShowAt: number | null;
}

export type NewBooking = Pick<BookingRow, 'id' | 'code' | 'serviceId' | 'date' | 'slotStart' | 'slotEnd' | 'idHash' | 'maskedName' | 'phone' | 'source' | 'bookedAt'>;

/** Why a booking was not stored: the slot is full, or the ID holds its bookings (per day or open). */
export type BookRefusal = { reason: 'slot-full'; booked: number } | { reason: 'per-day'; held: number } | { reason: 'open'; held: number } | { reason: 'code-taken' };

/** Statuses that hold a place in their slot. */
const HOLDS_PLACE = `status IN ('booked', 'checked-in', 'late', 'no-show')`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bookings (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  service_id TEXT NOT NULL,
  date TEXT NOT NULL,
  slot_start INTEGER NOT NULL,
  slot_end INTEGER NOT NULL,
  id_hash TEXT NOT NULL,
  masked_name TEXT NOT NULL,
  phone TEXT,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  booked_at INTEGER NOT NULL,
  cancelled_at INTEGER,
  checked_in_at INTEGER,
  ticket_id TEXT,
  ticket_number TEXT,
  no_show_at INTEGER
);
CREATE INDEX IF NOT EXISTS bookings_slot ON bookings (service_id, slot_start);
CREATE INDEX IF NOT EXISTS bookings_id_hash ON bookings (id_hash, slot_start);
CREATE INDEX IF NOT EXISTS bookings_date ON bookings (date);
CREATE INDEX IF NOT EXISTS bookings_status_end ON bookings (status, slot_end);
`;

interface Raw {
  id: string;
  code: string;
  service_id: string;
  date: string;
  slot_start: number;
  slot_end: number;
  id_hash: string;
  masked_name: string;
  phone: string | null;
  status: AppointmentStatus;
  source: AppointmentSource;
  booked_at: number;
  cancelled_at: number | null;
  checked_in_at: number | null;
  ticket_id: string | null;
  ticket_number: string | null;
  no_show_at: number | null;
}

const toRow = (r: Raw): BookingRow => ({
  id: r.id,
  code: r.code,
  serviceId: r.service_id,
  date: r.date,
  slotStart: r.slot_start,
  slotEnd: r.slot_end,
  idHash: r.id_hash,
  maskedName: r.masked_name,
  phone: r.phone,
  status: r.status,
  source: r.source,
  bookedAt: r.booked_at,
  cancelledAt: r.cancelled_at,
  checkedInAt: r.checked_in_at,
  ticketId: r.ticket_id,
  ticketNumber: r.ticket_number,
  noShowAt: r.no_show_at,
});

/** One service's counts by status (the statistics row without its name). */
export type StatusCounts = Omit<AppointmentStats['byService'][number], 'serviceName'>;

/** The bookings file's name in the data folder. */
export const BOOKINGS_FILE = 'appointments.sqlite';

/**
 * A consistent copy of a bookings file while the hall may be writing it (a backup): one read
 * transaction serialized to bytes, committed WAL frames included. Null when there is none.
 */
export function snapshotBookingFile(file: string): Buffer | null {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CANTOPEN') return null;
    throw e;
  }
  try {
    db.pragma('busy_timeout = 5000');
    return db.serialize();
  } finally {
    db.close();
  }
}

export class BookingStore {
  private constructor(private readonly db: Database.Database) {}

  static open(file: string): BookingStore {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // Acknowledged = on disk: every commit is fsync'd (WAL mode), a power cut included.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    return new BookingStore(db);
  }

  /**
   * Stores a booking unless its slot holds `capacity` places or the ID holds its bookings; the
   * checks and the insert are one immediate transaction.
   */
  book(b: NewBooking, limits: { capacity: number; perIdPerDay: number; perIdOpen: number; now: number }): { ok: true; row: BookingRow } | { ok: false; refusal: BookRefusal } {
    const run = this.db.transaction((): { ok: true; row: BookingRow } | { ok: false; refusal: BookRefusal } => {
      const booked = (this.db.prepare(`SELECT COUNT(*) AS n FROM bookings WHERE service_id = ? AND slot_start = ? AND ${HOLDS_PLACE}`).get(b.serviceId, b.slotStart) as { n: number }).n;
      if (booked >= limits.capacity) return { ok: false, refusal: { reason: 'slot-full', booked } };
      const sameDay = (this.db.prepare(`SELECT COUNT(*) AS n FROM bookings WHERE id_hash = ? AND date = ? AND status IN ('booked', 'checked-in', 'late')`).get(b.idHash, b.date) as { n: number }).n;
      if (sameDay >= limits.perIdPerDay) return { ok: false, refusal: { reason: 'per-day', held: sameDay } };
      const open = (this.db.prepare(`SELECT COUNT(*) AS n FROM bookings WHERE id_hash = ? AND status = 'booked' AND slot_end > ?`).get(b.idHash, limits.now) as { n: number }).n;
      if (open >= limits.perIdOpen) return { ok: false, refusal: { reason: 'open', held: open } };
      if (this.db.prepare('SELECT 1 FROM bookings WHERE code = ?').get(b.code)) return { ok: false, refusal: { reason: 'code-taken' } };
      this.db
        .prepare(
          `INSERT INTO bookings (id, code, service_id, date, slot_start, slot_end, id_hash, masked_name, phone, status, source, booked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?)`,
        )
        .run(b.id, b.code, b.serviceId, b.date, b.slotStart, b.slotEnd, b.idHash, b.maskedName, b.phone, b.source, b.bookedAt);
      return { ok: true, row: { ...b, status: 'booked', cancelledAt: null, checkedInAt: null, ticketId: null, ticketNumber: null, noShowAt: null } };
    });
    return run.immediate();
  }

  byCode(code: string): BookingRow | undefined {
    const r = this.db.prepare('SELECT * FROM bookings WHERE code = ?').get(code) as Raw | undefined;
    return r && toRow(r);
  }

  /** Places held per slot start of a service between two instants. */
  bookedPerSlot(serviceId: string, from: number, to: number): Map<number, number> {
    const rows = this.db
      .prepare(`SELECT slot_start AS s, COUNT(*) AS n FROM bookings WHERE service_id = ? AND slot_start >= ? AND slot_start < ? AND ${HOLDS_PLACE} GROUP BY slot_start`)
      .all(serviceId, from, to) as Array<{ s: number; n: number }>;
    return new Map(rows.map((r) => [r.s, r.n]));
  }

  /** Cancels a booking still `booked`; false when it was not. */
  cancel(id: string, now: number): boolean {
    return this.db.prepare(`UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'`).run(now, id).changes === 1;
  }

  /** Records the ticket a check-in gave: `checked-in` inside the window, `late` after it. */
  checkIn(id: string, status: 'checked-in' | 'late', ticket: { id: string; number: string }, now: number): boolean {
    return (
      this.db
        .prepare(`UPDATE bookings SET status = ?, checked_in_at = ?, ticket_id = ?, ticket_number = ?, no_show_at = NULL WHERE id = ? AND status IN ('booked', 'no-show')`)
        .run(status, now, ticket.id, ticket.number, id).changes === 1
    );
  }

  /** Bookings still `booked` whose check-in window closed (slot end + `lateMs`) by `now` become no-shows; how many. */
  sweepNoShows(now: number, lateMs: number): number {
    return this.db.prepare(`UPDATE bookings SET status = 'no-show', no_show_at = slot_end + ? WHERE status = 'booked' AND slot_end + ? <= ?`).run(lateMs, lateMs, now).changes;
  }

  /** When the ID's no-shows happened (their windows closed), since `since`. */
  noShowsOf(idHash: string, since: number): number[] {
    const rows = this.db.prepare(`SELECT no_show_at AS t FROM bookings WHERE id_hash = ? AND status = 'no-show' AND no_show_at >= ?`).all(idHash, since) as Array<{ t: number }>;
    return rows.map((r) => r.t);
  }

  /** A day's bookings (all statuses), by slot then booking time. */
  ofDate(date: string, serviceId?: string): BookingRow[] {
    const rows = (
      serviceId === undefined
        ? this.db.prepare('SELECT * FROM bookings WHERE date = ? ORDER BY slot_start, booked_at').all(date)
        : this.db.prepare('SELECT * FROM bookings WHERE date = ? AND service_id = ? ORDER BY slot_start, booked_at').all(date, serviceId)
    ) as Raw[];
    return rows.map(toRow);
  }

  /** An ID's bookings on a day. */
  ofHolder(idHash: string, date: string): BookingRow[] {
    return (this.db.prepare('SELECT * FROM bookings WHERE id_hash = ? AND date = ? ORDER BY slot_start').all(idHash, date) as Raw[]).map(toRow);
  }

  /** Counts by status per service for slot dates in [from, to]. */
  countsByService(from: string, to: string): StatusCounts[] {
    return this.db
      .prepare(
        `SELECT service_id AS serviceId, COUNT(*) AS bookings,
           SUM(status = 'cancelled') AS cancelled, SUM(status = 'checked-in') AS checkedIn, SUM(status = 'late') AS late,
           SUM(status = 'no-show') AS noShow, SUM(status = 'booked') AS pending
         FROM bookings WHERE date >= ? AND date <= ? GROUP BY service_id ORDER BY service_id`,
      )
      .all(from, to) as StatusCounts[];
  }

  close(): void {
    this.db.close();
  }
}
