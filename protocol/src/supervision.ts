/**
 * Statistics, 好差评 rectification and 电子监察 (API.md "Statistics", "好差评 follow-up",
 * "电子监察 alerts"): request schemas, response shapes, and the journal's supervision events
 * (audit events: staff or system actions outside the queue).
 */
import { z } from 'zod';
import type { Actor } from './queue';

// ---- Statistics -------------------------------------------------------------------------

export interface TimeFigures {
  mean: number | null;
  median: number | null;
  p90: number | null;
  max: number | null;
  /** Share of tickets within the service's limit (wait or service minutes), 0..1. */
  withinLimit: number | null;
}

export interface StatsFigures {
  issued: number;
  served: number;
  noShow: number;
  transferred: number;
  cancelled: number;
  expired: number;
  waitMinutes: TimeFigures;
  serviceMinutes: TimeFigures;
  /** `satisfaction`: share of ratings 4–5 (0..1); null without ratings. */
  ratings: { count: number; satisfaction: number | null };
}

/** `GET /api/stats/summary`. Minutes to one decimal. */
export interface StatsSummary extends StatsFigures {
  from: string;
  to: string;
  byDay: Array<{ day: string } & StatsFigures>;
  /** `catalogueCode`: the 统一事项清单 item the service was adopted from (null: the hall's own service), so halls compare by it. */
  byService: Array<{ serviceId: string; name: string; catalogueCode?: string | null } & StatsFigures>;
  byCounter: Array<{ counterId: string; number: number | null; name: string } & StatsFigures>;
  byClerk: Array<{ clerkId: string; name: string; staffNo: string } & StatsFigures>;
  /** Tickets issued and served per hour of the day (hall time), summed over the range. */
  hourly: Array<{ hour: number; arrivals: number; served: number }>;
}

export const StatsExportFormat = z.enum(['csv', 'xlsx']);
export type StatsExportFormat = z.infer<typeof StatsExportFormat>;

// ---- 好差评 rectification ------------------------------------------------------------------

export const CASE_STATUSES = ['pending', 'valid', 'invalid', 'rectifying', 'rectified', 'unrectifiable'] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;

export interface CaseHistoryEntry {
  /** `transition`, `appeal` (the clerk's 申诉) or `callback` (回访). */
  kind: 'transition' | 'appeal' | 'callback';
  from: CaseStatus | null;
  to: CaseStatus | null;
  by: string | null;
  at: string;
  note: string;
  /** A callback: whether the citizen was reached. */
  reached?: boolean;
}

/** A rating (好差评) as rows name it: the ticket, where and by whom it was served, what was said. */
export interface RatedService {
  /** A rating's event id (a case's id is the id of the rating that opened it). */
  id: string;
  hallId: string;
  ticketId: string;
  ticketNumber: string;
  serviceId: string;
  counterId: string | null;
  clerkId: string | null;
  /** The clerk's name (挂牌上岗), when the hall knows the user. */
  clerkName?: string | null;
  score: number;
  /** The reasons ticked with the rating. */
  reasons: string[];
  comment: string | null;
}

/** `GET /api/rectifications` rows. */
export interface RectificationCase extends RatedService {
  status: CaseStatus;
  openedAt: string;
  /** Last working day (YYYY-MM-DD). */
  deadline: string;
  overdue: boolean;
  closedAt: string | null;
  history: CaseHistoryEntry[];
}

/**
 * How a rating reached the hall (好差评 channels): the counter's evaluator (评价器), the citizen's
 * phone (the ticket page), a clerk entering it on the citizen's behalf, a kiosk terminal; null for
 * rows projected before the channel was kept.
 */
export const RATING_CHANNELS = ['evaluator', 'phone', 'clerk', 'kiosk'] as const;
export type RatingChannel = (typeof RATING_CHANNELS)[number];

/** `GET /api/ratings` rows, newest first. */
export interface RatingRow extends RatedService {
  day: string;
  at: string;
  channel: RatingChannel | null;
}

const Note = z.string().trim().max(500);
export const CaseTransitionRequest = z.object({ to: CaseStatus, note: Note.default('') }).strict();
export type CaseTransitionRequest = z.infer<typeof CaseTransitionRequest>;
export const CaseAppealRequest = z.object({ note: Note.min(1) }).strict();
export type CaseAppealRequest = z.infer<typeof CaseAppealRequest>;
export const CaseCallbackRequest = z.object({ reached: z.boolean(), note: Note.default('') }).strict();
export type CaseCallbackRequest = z.infer<typeof CaseCallbackRequest>;

// ---- 电子监察 alerts -------------------------------------------------------------------------

export type AlertLevel = 'yellow' | 'red';
/** `network-refused`: an upstream refused a downstream hall's records (gap, fork, broken chain: docs/NETWORK.md). */
export type AlertRule = 'ticket-wait' | 'service-time' | 'counter-paused' | 'counter-unattended' | 'case-overdue' | 'device-down' | 'network-refused';
export type AlertSubjectKind = 'ticket' | 'counter' | 'case' | 'device' | 'hall';

export interface AlertSubject {
  kind: AlertSubjectKind;
  id: string;
  /** What a supervisor reads: `A012`, `3号窗口`, a device name. No personal data. */
  label: string;
}

/** `GET /api/alerts` rows; also pushed as `alert` to supervisors' /counter sockets. */
export interface Alert {
  id: string;
  hallId: string;
  rule: AlertRule;
  level: AlertLevel;
  subject: AlertSubject;
  since: string;
  clearedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  note: string | null;
}

export const AlertAckRequest = z.object({ note: Note.default('') }).strict();
export type AlertAckRequest = z.infer<typeof AlertAckRequest>;

// ---- Journal events ----------------------------------------------------------------------

interface SupervisionAuditBase {
  id: string;
  at: string;
  actor: Actor;
}

export interface AlertRaisedEvent extends SupervisionAuditBase {
  type: 'audit.alert-raised';
  alertId: string;
  rule: AlertRule;
  level: AlertLevel;
  subject: AlertSubject;
}

export interface AlertClearedEvent extends SupervisionAuditBase {
  type: 'audit.alert-cleared';
  alertId: string;
}

export interface AlertAcknowledgedEvent extends SupervisionAuditBase {
  type: 'audit.alert-acknowledged';
  alertId: string;
  note: string;
}

export interface CaseTransitionedEvent extends SupervisionAuditBase {
  type: 'audit.case-transitioned';
  caseId: string;
  from: CaseStatus;
  to: CaseStatus;
  note: string;
}

/** The clerk's appeal (申诉) against a bad rating, for the supervisor's ruling. */
export interface CaseAppealedEvent extends SupervisionAuditBase {
  type: 'audit.case-appealed';
  caseId: string;
  note: string;
}

/** A callback (回访) to the citizen: whether they were reached and what was said. */
export interface CaseCallbackEvent extends SupervisionAuditBase {
  type: 'audit.case-callback';
  caseId: string;
  reached: boolean;
  note: string;
}

export type SupervisionEvent = AlertRaisedEvent | AlertClearedEvent | AlertAcknowledgedEvent | CaseTransitionedEvent | CaseAppealedEvent | CaseCallbackEvent;
