/**
 * The read model's tables, as Kysely sees them. Every row carries `hall_id`, so a county hub
 * holds every downstream hall's rows in the same tables (issue 12). Times are epoch
 * milliseconds (BIGINT on PostgreSQL), days are hall-local `YYYY-MM-DD`. No personal data:
 * no names, no ID hashes; `comment` is the citizen's own rating text.
 *
 * `stats_day` is the per-day cube the summaries read: one row per (day, service, counter,
 * clerk), so a year's summary reads a few tens of thousands of rows instead of every ticket;
 * `stats_hist` holds the minute histograms of waits and service times for the percentiles.
 */
export interface TicketsTable {
  hall_id: string;
  ticket_id: string;
  day: string;
  number: string;
  /** Service at issue; `service_id` is the last one (after transfers). */
  first_service_id: string;
  service_id: string;
  priority: string;
  source: string;
  status: string;
  issued_at: number;
  first_called_at: number | null;
  last_called_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  counter_id: string | null;
  clerk_id: string | null;
  recalls: number;
  transfers: number;
  wait_s: number | null;
  service_s: number | null;
}

export interface CallsTable {
  hall_id: string;
  event_id: string;
  day: string;
  ticket_id: string;
  counter_id: string;
  clerk_id: string | null;
  at: number;
  /** `call` or `recall`. */
  kind: string;
  rule: string | null;
}

export interface CounterSessionsTable {
  hall_id: string;
  /** The sign-in event's id. */
  session_id: string;
  day: string;
  counter_id: string;
  clerk_id: string;
  started_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

export interface CounterPausesTable {
  hall_id: string;
  /** The pause event's id. */
  pause_id: string;
  day: string;
  counter_id: string;
  reason: string;
  started_at: number;
  ended_at: number | null;
}

export interface RatingsTable {
  hall_id: string;
  event_id: string;
  day: string;
  ticket_id: string;
  ticket_number: string;
  service_id: string;
  counter_id: string | null;
  clerk_id: string | null;
  score: number;
  reasons: string;
  comment: string | null;
  at: number;
  /** RatingChannel (evaluator, phone, clerk, kiosk), from the event's actor; null before migration 002. */
  channel: string | null;
}

export interface StatsDayTable {
  hall_id: string;
  day: string;
  service_id: string;
  /** '' = none (issued, never called). */
  counter_id: string;
  clerk_id: string;
  issued: number;
  served: number;
  no_show: number;
  transferred: number;
  cancelled: number;
  expired: number;
  wait_n: number;
  wait_sum_s: number;
  wait_max_s: number;
  wait_within: number;
  service_n: number;
  service_sum_s: number;
  service_max_s: number;
  service_within: number;
  ratings: number;
  satisfied: number;
}

/**
 * Minute histograms per day and dimension (`all` with id '', `service`, `counter`, `clerk`):
 * the summary's percentiles merge one row per day and row of the answer.
 */
export interface StatsHistTable {
  hall_id: string;
  day: string;
  dim: string;
  dim_id: string;
  /** JSON `[count of minute 0, count of minute 1, …]` of the waits / service times. */
  wait_hist: string;
  service_hist: string;
}

export interface StatsHourlyTable {
  hall_id: string;
  day: string;
  service_id: string;
  hour: number;
  arrivals: number;
  served: number;
}

export interface CasesTable {
  hall_id: string;
  /** The rating event's id: one case per bad rating. */
  case_id: string;
  ticket_id: string;
  ticket_number: string;
  service_id: string;
  counter_id: string | null;
  clerk_id: string | null;
  score: number;
  comment: string | null;
  status: string;
  opened_at: number;
  /** Last working day to close the case, `YYYY-MM-DD`. */
  deadline: string;
  closed_at: number | null;
}

export interface CaseHistoryTable {
  hall_id: string;
  event_id: string;
  case_id: string;
  /** `transition`, `appeal` or `callback`. */
  kind: string;
  from_status: string | null;
  to_status: string | null;
  by_user: string | null;
  at: number;
  note: string;
}

export interface AlertsTable {
  hall_id: string;
  alert_id: string;
  rule: string;
  level: string;
  subject_kind: string;
  subject_id: string;
  subject_label: string;
  since: number;
  cleared_at: number | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  note: string | null;
}

/** What the projector has applied per journal day: a day whose event count matches is not read again. */
export interface ProjectedDaysTable {
  hall_id: string;
  day: string;
  events: number;
  last_event_id: string | null;
  /** 1 once the day's close was projected: catch-up does not read that day again. */
  closed: number;
}

export interface ReadModelSchema {
  tickets: TicketsTable;
  calls: CallsTable;
  counter_sessions: CounterSessionsTable;
  counter_pauses: CounterPausesTable;
  ratings: RatingsTable;
  stats_day: StatsDayTable;
  stats_hourly: StatsHourlyTable;
  stats_hist: StatsHistTable;
  cases: CasesTable;
  case_history: CaseHistoryTable;
  alerts: AlertsTable;
  projected_days: ProjectedDaysTable;
}

/** Tables that one journal day's events fill entirely; re-projecting a day replaces them. */
export const DAY_TABLES = ['tickets', 'calls', 'counter_sessions', 'counter_pauses', 'ratings', 'stats_day', 'stats_hourly', 'stats_hist'] as const;
export type DayTable = (typeof DAY_TABLES)[number];
