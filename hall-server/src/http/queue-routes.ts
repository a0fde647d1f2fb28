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
  type Ticket,
  toHallIso,
} from '@hall/protocol';
import { counterViews, queueSnapshot, serviceSummaries, ticketTrackToken, ticketView } from '../queue';
import { actorOf, type HallContext, type Principal } from '../app/context';
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
    // Extended in place, not spread (see issue-ticket.ts): phones poll this page.
    if (tokenOk) (ticket as Ticket & { trackToken: string }).trackToken = expected;
    res.json(ticket);
  });

  // Also served by the node:http fast lane (fast-lane.ts); Express gets the unusual requests.
  r.post('/tickets', async (req, res) => {
    const out = await issueTicketRoute(ctx, principal(req), req.body);
    res.status(out.status).json(out.body);
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
    const out = await counterActionRoute(ctx, principal(req), req.params.id as string, req.params.action as string, req.body);
    res.status(out.status).json(out.body);
  });

  return r;
}

/** A route's answer, for Express and the fast lane alike; failures are thrown as HttpError. */
export interface RouteReply {
  status: number;
  body: unknown;
}

/** `POST /api/tickets`. */
export async function issueTicketRoute(ctx: HallContext, p: Principal, rawBody: unknown): Promise<RouteReply> {
  requireKioskOrStaff(p);
  const body = parseBody(IssueTicketRequest, rawBody);
  const out = await issueTicket(ctx, body, actorOf(p));
  if (!out.ok) throw new HttpError(out.error, out.retryAfterSeconds);
  return { status: 201, body: out.value };
}

/** `POST /api/counters/:id/:action`. */
export async function counterActionRoute(ctx: HallContext, p: Principal, counterId: string, name: string, rawBody: unknown): Promise<RouteReply> {
  if (!(COUNTER_ACTIONS as readonly string[]).includes(name)) {
    throw new HttpError(hallError('ROUTE.NOT_FOUND', `no counter action ${name}`));
  }
  requireStaff(p);
  const action = counterActionOf(name as CounterActionName, counterId, rawBody);
  const out = await runCounterAction(ctx.core, action, actorOf(p));
  if (!out.ok) throw new HttpError(out.error);
  return { status: 200, body: out.value };
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
