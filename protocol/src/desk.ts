/** What the clerk's desk reads from the server, so nothing of the day lives only in a browser tab. */

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
