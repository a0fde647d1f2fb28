/**
 * 好差评 follow-up and 电子监察 routes (API.md): rectification cases (supervisors all, a clerk
 * the cases about themselves), their transitions, the clerk's appeal and callback records;
 * alerts and their acknowledgment (supervisors).
 */
import { Router, type Request } from 'express';
import { AlertAckRequest, CaseAppealRequest, CaseCallbackRequest, CaseTransitionRequest, addDays, hallError, hallMidnight, type Result } from '@hall/protocol';
import type { ReadModelPort } from '../read-model/read-model-service';
import { HttpError, parseBody } from './http-error';
import { requireStaff } from './guards';
import { parseDateRange } from '../stats/date-range';
import { CASE_STATUSES } from '../supervision/supervision-events';
import type { Asker, SupervisionActions } from '../supervision/supervision-actions';

export interface SupervisionPorts {
  readModel: Pick<ReadModelPort, 'cases' | 'alerts' | 'ratings'>;
  actions: Pick<SupervisionActions, 'transition' | 'appeal' | 'callback' | 'acknowledge'>;
  today: () => string;
  tz: () => string;
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

const idParam = (req: Request): string => {
  const id = req.params.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'id'));
  return id;
};

export function supervisionRoutes(ports: SupervisionPorts): Router {
  const r = Router();

  /** 好差评 ratings of a date range: `score=1,2`, `serviceId=`; a clerk gets the ratings of their own service. */
  r.get('/ratings', async (req, res) => {
    const who = asker(req, 'clerk');
    const range = parseDateRange(req.query.from, req.query.to, ports.today());
    if (!range.ok) throw new HttpError(range.error);
    const { score, serviceId } = req.query;
    let scores: number[] | undefined;
    if (score !== undefined) {
      if (typeof score !== 'string' || !/^[1-5](,[1-5])*$/.test(score)) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'score: digits 1-5, comma-separated'));
      scores = score.split(',').map(Number);
    }
    if (serviceId !== undefined && (typeof serviceId !== 'string' || serviceId.length === 0 || serviceId.length > 64)) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'serviceId'));
    res.json(
      await ports.readModel.ratings({
        ...range.value,
        scores,
        serviceId: serviceId as string | undefined,
        hallIds: hallIdsOf(req),
        ...(who.actor.role === 'clerk' ? { clerkId: who.actor.userId } : {}),
      }),
    );
  });

  r.get('/rectifications', async (req, res) => {
    const who = asker(req, 'clerk');
    const status = req.query.status;
    if (status !== undefined && status !== '' && !CASE_STATUSES.includes(status as never)) {
      throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', `status: one of ${CASE_STATUSES.join(', ')}`));
    }
    const cases = await ports.readModel.cases({
      ...(status ? { status: status as (typeof CASE_STATUSES)[number] } : {}),
      ...(who.actor.role === 'clerk' ? { clerkId: who.actor.userId } : {}),
      hallIds: hallIdsOf(req),
    });
    res.json(cases);
  });

  r.post('/rectifications/:id/transition', async (req, res) => {
    const who = asker(req, 'supervisor');
    const body = parseBody(CaseTransitionRequest, req.body);
    res.json(valueOf(await ports.actions.transition(idParam(req), body.to, body.note, who)));
  });

  r.post('/rectifications/:id/appeal', async (req, res) => {
    const who = asker(req, 'clerk');
    const body = parseBody(CaseAppealRequest, req.body);
    res.json(valueOf(await ports.actions.appeal(idParam(req), body.note, who)));
  });

  r.post('/rectifications/:id/callback', async (req, res) => {
    const who = asker(req, 'supervisor');
    const body = parseBody(CaseCallbackRequest, req.body);
    res.json(valueOf(await ports.actions.callback(idParam(req), body.reached, body.note, who)));
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
