/** What the clerk's desk and the kiosk read from the server beyond the Ticket: day figures, print outcomes. */

/** A ticket marked no-show (过号) at the counter and not re-queued since. */
export interface MissedTicket {
  ticketId: string;
  ticketNumber: string;
  serviceId: string;
  /** When it was marked no-show (hall time, ISO). */
  at: string;
}

/**
 * `GET /api/counters/:id/today` (the clerk signed in there, supervisor): the day's work at the
 * counter, whoever was signed in. Rebuilt from the journal at start, so it survives a reload and
 * a restart.
 */
export interface CounterToday {
  counterId: string;
  /** The hall date, `YYYY-MM-DD`. */
  day: string;
  served: number;
  noShow: number;
  transferred: number;
  /** Newest first; what 过号重排 can still put back. */
  missed: MissedTicket[];
}

/**
 * A print job's outcome as the kiosk that asked for it learns it (`print-result` on `/kiosk`):
 * `ok` once the printer took the slip and, where it reports status, cut it with paper left;
 * otherwise the code says why (`PRINTER.PAPER_OUT`, `PRINTER.OFFLINE`…).
 */
export interface KioskPrintResult {
  ticketId: string;
  ok: boolean;
  code: string | null;
}

/** `POST /api/tickets/:id/reprint` (the kiosk terminal that issued it): the new job's outcome, as in `POST /api/tickets`. */
export interface ReprintResponse {
  ticketId: string;
  print: 'sent' | 'failed' | 'none';
}
