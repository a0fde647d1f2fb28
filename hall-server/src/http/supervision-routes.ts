/**
 * 好差评 follow-up and 电子监察 routes (API.md): ratings and rectification cases (supervisors
 * all, a clerk only those about themselves: asking for another clerk's is 403), their
 * transitions, the clerk's appeal and callback records; alerts and their acknowledgment
 * (supervisors). Rows name the clerk (挂牌上岗) when the hall knows the user.
 */
import { Router, type Request } from 'express';
import { AlertAckRequest, CaseAppealRequest, CaseCallbackRequest, CaseTransitionRequest, RATING_CHANNELS, addDays, hallError, hallMidnight, type RatingChannel, type Result, type User } from '@hall/protocol';
import type { ReadModelPort } from '../read-model/read-model-service';
import { HttpError, parseBody } from './http-error';
import { requireStaff } from './guards';
import { parseDateRange } from '../stats/date-range';
import { CASE_STATUSES, type CaseStatus } from '../supervision/supervision-events';
import { CLOSED_STATUSES, OPEN_STATUSES } from '../supervision/rectification-workflow';
import type { Asker, SupervisionActions } from '../supervision/supervision-actions';

export interface SupervisionPorts {
  readModel: Pick<ReadModelPort, 'cases' | 'alerts' | 'ratings'>;
  actions: Pick<SupervisionActions, 'transition' | 'appeal' | 'callback' | 'acknowledge'>;
  today: () => string;
  tz: () => string;
  /** The hall's users, to name clerks in rows (optional: rows then carry no names). */
  config?: { readonly data: { readonly users: readonly Pick<User, 'id' | 'name'>[] } };
}

function asker(req: Request, role: 'clerk' | 'supervisor'): Asker {
  const p = requireStaff(req, role);
  return { actor: { kind: 'staff', userId: p.user.id, role: p.user.role } };
}

function valueOf<T>(r: Result<T>): T {
  if (!r.ok) throw new HttpError(r.error);
  return r.value;
}

function hallIdsOf(req: Request): string[] | undefined {
  const v = req.query.hallId;
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'hallId: one hall id'));
  return [v];
}

const badQuery = (what: string): HttpError => new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', what));

/** An optional id-like query parameter: one non-empty string of at most 64 characters. */
function idQuery(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) throw badQuery(`${name}: one id`);
  return v;
}

/** An optional whole number in [min, max]. */
function intQuery(req: Request, name: string, min: number, max: number): number | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d{1,7}$/.test(v) || Number(v) < min || Number(v) > max) throw badQuery(`${name}: a whole number ${min}–${max}`);
  return Number(v);
}

/**
 * Whose rows a request may read: a supervisor anyone's (`clerkId=` narrows), a clerk only their
 * own — naming another clerk is refused rather than silently narrowed, so it is never mistaken
 * for "that clerk has none".
 */
function clerkScope(req: Request, who: Asker): string | undefined {
  const asked = idQuery(req, 'clerkId');
  if (who.actor.role !== 'clerk') return asked;
  if (asked !== undefined && asked !== who.actor.userId) throw new HttpError(hallError('AUTH.FORBIDDEN', "a clerk reads only their own cases and ratings"));
  return who.actor.userId;
}

const idParam = (req: Request): string => {
  const id = req.params.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'id'));
  return id;
};

export function supervisionRoutes(ports: SupervisionPorts): Router {
  const r = Router();

  /** Rows with their clerk's name (one lookup table per answer, not a scan per row). */
  const named = <T extends { clerkId: string | null }>(rows: T[]): Array<T & { clerkName: string | null }> => {
    const names = new Map((ports.config?.data.users ?? []).map((u) => [u.id, u.name] as const));
    return rows.map((x) => ({ ...x, clerkName: x.clerkId === null ? null : (names.get(x.clerkId) ?? null) }));
  };

  /**
   * 好差评 ratings of a date range, newest first: `score=1,2`, `serviceId=`, `counterId=`,
   * `clerkId=`, `channel=` (evaluator, phone, clerk, kiosk), a page of `limit=` (default 200, at
   * most 1000) from `offset=`.
   */
  r.get('/ratings', async (req, res) => {
    const who = asker(req, 'clerk');
    const range = parseDateRange(req.query.from, req.query.to, ports.today());
    if (!range.ok) throw new HttpError(range.error);
    const { score } = req.query;
    let scores: number[] | undefined;
    if (score !== undefined) {
      if (typeof score !== 'string' || !/^[1-5](,[1-5])*$/.test(score)) throw badQuery('score: digits 1-5, comma-separated');
      scores = score.split(',').map(Number);
    }
    const { channel } = req.query;
    if (channel !== undefined && (typeof channel !== 'string' || !(RATING_CHANNELS as readonly string[]).includes(channel))) {
      throw badQuery(`channel: one of ${RATING_CHANNELS.join(', ')}`);
    }
    const clerkId = clerkScope(req, who);
    const rows = await ports.readModel.ratings({
      ...range.value,
      scores,
      channel: channel as RatingChannel | undefined,
      serviceId: idQuery(req, 'serviceId'),
      counterId: idQuery(req, 'counterId'),
      clerkId,
      hallIds: hallIdsOf(req),
      limit: intQuery(req, 'limit', 1, 1000) ?? 200,
      offset: intQuery(req, 'offset', 0, 1_000_000) ?? 0,
    });
    res.json(named(rows));
  });

  /** `status=` one status, or `open` (pending, valid, rectifying) or `closed`; `clerkId=`; `limit=` 1–5000 (default 500), newest first. */
  r.get('/rectifications', async (req, res) => {
    const who = asker(req, 'clerk');
    const status = req.query.status;
    const groups: Record<string, readonly CaseStatus[]> = { open: OPEN_STATUSES, closed: CLOSED_STATUSES };
    if (status !== undefined && status !== '' && (typeof status !== 'string' || !(CASE_STATUSES.includes(status as CaseStatus) || status in groups))) {
      throw badQuery(`status: one of ${CASE_STATUSES.join(', ')}, open or closed`);
    }
    const clerkId = clerkScope(req, who);
    const picked = typeof status === 'string' && status !== '' ? (groups[status] ?? [status as CaseStatus]) : undefined;
    const cases = await ports.readModel.cases({
      ...(picked ? { statuses: picked } : {}),
      ...(clerkId !== undefined ? { clerkId } : {}),
      hallIds: hallIdsOf(req),
      limit: intQuery(req, 'limit', 1, 5000) ?? 500,
    });
    res.json(named(cases));
  });

  r.post('/rectifications/:id/transition', async (req, res) => {
    const who = asker(req, 'supervisor');
    const body = parseBody(CaseTransitionRequest, req.body);
    res.json(named([valueOf(await ports.actions.transition(idParam(req), body.to, body.note, who))])[0]);
  });

  r.post('/rectifications/:id/appeal', async (req, res) => {
    const who = asker(req, 'clerk');
    const body = parseBody(CaseAppealRequest, req.body);
    res.json(named([valueOf(await ports.actions.appeal(idParam(req), body.note, who))])[0]);
  });

  r.post('/rectifications/:id/callback', async (req, res) => {
    const who = asker(req, 'supervisor');
    const body = parseBody(CaseCallbackRequest, req.body);
    res.json(named([valueOf(await ports.actions.callback(idParam(req), body.reached, body.note, who))])[0]);
  });

  r.get('/alerts', async (req, res) => {
    asker(req, 'supervisor');
    const { active, from, to } = req.query;
    if (active !== undefined && active !== 'true' && active !== 'false') throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'active: true or false'));
    let bounds: { sinceFrom?: number; sinceTo?: number } = {};
    if (from !== undefined || to !== undefined) {
      const range = parseDateRange(from, to, ports.today());
      if (!range.ok) throw new HttpError(range.error);
      bounds = { sinceFrom: hallMidnight(range.value.from, ports.tz()), sinceTo: hallMidnight(addDays(range.value.to, 1), ports.tz()) };
    }
    res.json(await ports.readModel.alerts({ ...(active !== undefined ? { active: active === 'true' } : {}), ...bounds, hallIds: hallIdsOf(req) }));
  });

  r.post('/alerts/:id/ack', async (req, res) => {
    const who = asker(req, 'supervisor');
    const body = parseBody(AlertAckRequest, req.body);
    res.json(valueOf(await ports.actions.acknowledge(idParam(req), body.note, who)));
  });

  return r;
}
