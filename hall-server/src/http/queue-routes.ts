/** Public reads, tickets, counter actions and ratings. */
import { Router } from 'express';
import {
  IssueTicketRequest,
  PauseRequest,
  RatingRequest,
  TicketNumberRequest,
  TransferRequest,
  hallError,
  type CounterAction,
  type HealthResponse,
  toHallIso,
} from '@hall/protocol';
import { counterViews, queueSnapshot, serviceSummaries, ticketTrackToken, ticketView } from '../queue';
import { actorOf, type HallContext } from '../app/context';
import { issueTicket } from '../app/issue-ticket';
import { COUNTER_ACTIONS, runCounterAction, type CounterActionName } from '../app/counter-actions';
import { timingSafeEqualStr } from '../auth/compare';
import { HttpError, httpError, parseBody } from './http-error';
import { principal, requireKioskOrStaff, requireStaff } from './guards';
import { rateLimit } from './rate-limit';

export function queueRoutes(ctx: HallContext): Router {
  const r = Router();
  const publicLimit = rateLimit(ctx.publicRatePerMinute, 'public');

  r.get('/health', (_req, res) => {
    const { hall } = ctx.config.data;
    const now = ctx.core.now();
    const body: HealthResponse = {
      status: 'ok',
      hall: { id: hall.id, name: hall.name, level: hall.level },
      day: ctx.core.day,
      time: toHallIso(now, hall.timezone),
      version: ctx.version,
    };
    res.json(body);
  });

  r.get('/services', publicLimit, (_req, res) => {
    res.json(serviceSummaries(ctx.core.state, ctx.core.viewContext()));
  });

  r.get('/counters', publicLimit, (_req, res) => {
    res.json(counterViews(ctx.core.state, ctx.core.viewContext()));
  });

  r.get('/queue', publicLimit, (_req, res) => {
    res.json(queueSnapshot(ctx.core.state, ctx.core.viewContext()));
  });

  r.get('/tickets/:id', publicLimit, (req, res) => {
    const id = req.params.id as string;
    const p = principal(req);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const expected = ticketTrackToken(ctx.core.state, id);
    const tokenOk = expected !== undefined && token !== undefined && timingSafeEqualStr(token, expected);
    if (!tokenOk && p.kind !== 'staff') throw httpError('QUEUE.NOT_FOUND', 'no such ticket');
    const ticket = ticketView(ctx.core.state, id, ctx.core.viewContext());
    if (!ticket) throw httpError('QUEUE.NOT_FOUND', 'no such ticket');
    res.json(tokenOk ? { ...ticket, trackToken: expected } : ticket);
  });

  r.post('/tickets', async (req, res) => {
    const p = requireKioskOrStaff(req);
    const body = parseBody(IssueTicketRequest, req.body);
    const out = await issueTicket(ctx, body, actorOf(p));
    if (!out.ok) throw new HttpError(out.error, out.retryAfterSeconds);
    res.status(201).json(out.value);
  });

  r.post('/tickets/:id/cancel', async (req, res) => {
    const p = requireStaff(req);
    const id = req.params.id as string;
    const out = await ctx.core.execute({ type: 'ticket.cancel', ticketId: id }, actorOf(p));
    if (!out.ok) throw new HttpError(out.error);
    res.json(ticketView(ctx.core.state, id, ctx.core.viewContext()));
  });

  r.post('/tickets/:id/rating', publicLimit, async (req, res) => {
    const id = req.params.id as string;
    const p = principal(req);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const expected = ticketTrackToken(ctx.core.state, id);
    const tokenOk = expected !== undefined && token !== undefined && timingSafeEqualStr(token, expected);
    // Staff may record a rating on the citizen's behalf (an evaluator device, a paper form).
    if (!tokenOk && p.kind !== 'staff') throw httpError('QUEUE.NOT_FOUND', 'no such ticket');
    const body = parseBody(RatingRequest, req.body);
    const out = await ctx.core.execute(
      { type: 'ticket.rate', ticketId: id, score: body.score, reasons: body.reasons ?? [], comment: body.comment ?? null },
      tokenOk ? { kind: 'public' } : actorOf(p),
    );
    if (!out.ok) throw new HttpError(out.error);
    res.status(201).json({ ticketId: id, score: body.score });
  });

  r.post('/counters/:id/:action', async (req, res) => {
    const name = req.params.action as string;
    if (!(COUNTER_ACTIONS as readonly string[]).includes(name)) {
      throw new HttpError(hallError('ROUTE.NOT_FOUND', `no counter action ${name}`));
    }
    const p = requireStaff(req);
    const counterId = req.params.id as string;
    const action = counterActionOf(name as CounterActionName, counterId, req.body);
    const out = await runCounterAction(ctx.core, action, actorOf(p));
    if (!out.ok) throw new HttpError(out.error);
    res.json(out.value);
  });

  return r;
}

function counterActionOf(name: CounterActionName, counterId: string, body: unknown): CounterAction {
  switch (name) {
    case 'call':
    case 'requeue':
      return { action: name, counterId, ticketNumber: parseBody(TicketNumberRequest, body).ticketNumber };
    case 'transfer':
      return { action: name, counterId, serviceId: parseBody(TransferRequest, body).serviceId };
    case 'pause':
      return { action: name, counterId, reason: parseBody(PauseRequest, body).reason };
    default:
      return { action: name, counterId };
  }
}
