/**
 * Reads of rectification cases and alerts from the read model, in the shapes of API.md
 * ("好差评 follow-up", "电子监察 alerts"). Times go out as hall-offset ISO strings.
 */
import { RATING_CHANNELS, hallDate, toHallIso, type Alert, type CaseHistoryEntry, type RatingChannel, type RatingRow, type RectificationCase } from '@hall/protocol';
import type { ReadModelDb } from '../read-model/database';
import type { AlertsTable, CasesTable } from '../read-model/schema';
import { isOverdue } from './rectification-workflow';
import type { AlertLevel, AlertRule, AlertSubjectKind, CaseStatus } from './supervision-events';

/** API.md's shapes, from the contract package. */
export type { CaseHistoryEntry, RectificationCase } from '@hall/protocol';
export type AlertView = Alert;

export interface CaseFilter {
  status?: CaseStatus | undefined;
  /** Any of these statuses (e.g. the open ones: a board must never lose an old open case to newer closed ones). */
  statuses?: readonly CaseStatus[] | undefined;
  /** Only cases about this clerk (a clerk reading their own). */
  clerkId?: string | undefined;
  hallIds?: string[] | undefined;
  caseId?: string | undefined;
  limit?: number | undefined;
}

export interface AlertFilter {
  /** true: not cleared; false: cleared; undefined: both. */
  active?: boolean | undefined;
  /** Raised on or after / before the end of these hall dates (epoch ms bounds). */
  sinceFrom?: number | undefined;
  sinceTo?: number | undefined;
  hallIds?: string[] | undefined;
  alertId?: string | undefined;
  limit?: number | undefined;
}

const iso = (ms: number | null, tz: string): string | null => (ms === null ? null : toHallIso(Number(ms), tz));

export async function listCases(db: ReadModelDb, f: CaseFilter, today: string, tz: string): Promise<RectificationCase[]> {
  let q = db.selectFrom('cases').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.statuses) q = q.where('status', 'in', f.statuses.length > 0 ? [...f.statuses] : ['\u0000']);
  if (f.clerkId !== undefined) q = q.where('clerk_id', '=', f.clerkId);
  if (f.hallIds) q = q.where('hall_id', 'in', f.hallIds.length > 0 ? f.hallIds : ['\u0000']);
  if (f.caseId !== undefined) q = q.where('case_id', '=', f.caseId);
  const rows = await q.orderBy('opened_at', 'desc').limit(f.limit ?? 500).execute();
  if (rows.length === 0) return [];
  const reasons = await caseReasons(db, rows, tz);
  const history = await db
    .selectFrom('case_history')
    .selectAll()
    .where('case_id', 'in', rows.map((r) => r.case_id))
    .orderBy('at')
    .orderBy('event_id')
    .execute();
  const byCase = new Map<string, CaseHistoryEntry[]>();
  for (const h of history) {
    const list = byCase.get(`${h.hall_id}\u0000${h.case_id}`) ?? [];
    const entry: CaseHistoryEntry = { kind: h.kind as CaseHistoryEntry['kind'], from: h.from_status as CaseStatus | null, to: h.to_status as CaseStatus | null, by: h.by_user, at: iso(h.at, tz)!, note: h.note };
    list.push(entry.kind === 'callback' ? { ...entry, ...callbackNote(h.note) } : entry);
    byCase.set(`${h.hall_id}\u0000${h.case_id}`, list);
  }
  return rows.map((r) => caseView(r, byCase.get(`${r.hall_id}\u0000${r.case_id}`) ?? [], reasons.get(`${r.hall_id}\u0000${r.case_id}`) ?? [], today, tz));
}

/**
 * The reasons the citizen ticked, from the rating that opened each case (a case's id is its
 * rating's event id; the rating's day is the hall date it was opened, so the key is the index's).
 */
async function caseReasons(db: ReadModelDb, rows: CasesTable[], tz: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const ratings = await db
    .selectFrom('ratings')
    .select(['hall_id', 'event_id', 'reasons'])
    .where('hall_id', 'in', [...new Set(rows.map((r) => r.hall_id))])
    .where('day', 'in', [...new Set(rows.map((r) => hallDate(Number(r.opened_at), tz)))])
    .where('event_id', 'in', rows.map((r) => r.case_id))
    .execute();
  for (const r of ratings) out.set(`${r.hall_id}\u0000${r.event_id}`, parseReasons(r.reasons));
  return out;
}

/** The projector keeps a callback's outcome as a prefix of its note (one history table for all kinds). */
export function callbackNote(stored: string): { reached?: boolean; note: string } {
  for (const [prefix, reached] of [['[reached] ', true], ['[not reached] ', false]] as const) {
    if (stored.startsWith(prefix)) return { reached, note: stored.slice(prefix.length) };
  }
  return { note: stored };
}

function parseReasons(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function caseView(r: CasesTable, history: CaseHistoryEntry[], reasons: string[], today: string, tz: string): RectificationCase {
  const status = r.status as CaseStatus;
  return {
    id: r.case_id,
    hallId: r.hall_id,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    serviceId: r.service_id,
    counterId: r.counter_id,
    clerkId: r.clerk_id,
    score: Number(r.score),
    reasons,
    comment: r.comment,
    status,
    openedAt: iso(r.opened_at, tz)!,
    deadline: r.deadline,
    overdue: isOverdue(status, r.deadline, today),
    closedAt: iso(r.closed_at, tz),
    history,
  };
}

export async function listAlerts(db: ReadModelDb, f: AlertFilter, tz: string): Promise<AlertView[]> {
  let q = db.selectFrom('alerts').selectAll();
  if (f.active === true) q = q.where('cleared_at', 'is', null);
  if (f.active === false) q = q.where('cleared_at', 'is not', null);
  if (f.sinceFrom !== undefined) q = q.where('since', '>=', f.sinceFrom);
  if (f.sinceTo !== undefined) q = q.where('since', '<', f.sinceTo);
  if (f.hallIds) q = q.where('hall_id', 'in', f.hallIds.length > 0 ? f.hallIds : ['\u0000']);
  if (f.alertId !== undefined) q = q.where('alert_id', '=', f.alertId);
  const rows = await q.orderBy('since', 'desc').limit(f.limit ?? 1000).execute();
  return rows.map((r) => alertView(r, tz));
}

export function alertView(r: AlertsTable, tz: string): AlertView {
  return {
    id: r.alert_id,
    hallId: r.hall_id,
    rule: r.rule as AlertRule,
    level: r.level as AlertLevel,
    subject: { kind: r.subject_kind as AlertSubjectKind, id: r.subject_id, label: r.subject_label },
    since: iso(r.since, tz)!,
    clearedAt: iso(r.cleared_at, tz),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: iso(r.acknowledged_at, tz),
    note: r.note,
  };
}

export type RatingView = RatingRow;

export interface RatingFilter {
  from: string;
  to: string;
  /** Only these scores (e.g. [1, 2] for the bad ones). */
  scores?: number[] | undefined;
  clerkId?: string | undefined;
  serviceId?: string | undefined;
  counterId?: string | undefined;
  channel?: RatingChannel | undefined;
  hallIds?: string[] | undefined;
  limit?: number | undefined;
  /** Rows to skip (the next page). */
  offset?: number | undefined;
}

/** The ratings (好差评) of a date range, newest first. */
export async function listRatings(db: ReadModelDb, f: RatingFilter, tz: string): Promise<RatingView[]> {
  let q = db.selectFrom('ratings').selectAll().where('day', '>=', f.from).where('day', '<=', f.to);
  if (f.scores && f.scores.length > 0) q = q.where('score', 'in', f.scores);
  if (f.clerkId !== undefined) q = q.where('clerk_id', '=', f.clerkId);
  if (f.serviceId !== undefined) q = q.where('service_id', '=', f.serviceId);
  if (f.counterId !== undefined) q = q.where('counter_id', '=', f.counterId);
  if (f.channel !== undefined) q = q.where('channel', '=', f.channel);
  if (f.hallIds) q = q.where('hall_id', 'in', f.hallIds.length > 0 ? f.hallIds : ['\u0000']);
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('event_id', 'desc')
    .limit(f.limit ?? 1000)
    .offset(f.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: r.event_id,
    hallId: r.hall_id,
    day: r.day,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    serviceId: r.service_id,
    counterId: r.counter_id,
    clerkId: r.clerk_id,
    score: Number(r.score),
    reasons: parseReasons(r.reasons),
    comment: r.comment,
    at: iso(r.at, tz)!,
    channel: (RATING_CHANNELS as readonly string[]).includes(r.channel ?? '') ? (r.channel as RatingChannel) : null,
  }));
}
