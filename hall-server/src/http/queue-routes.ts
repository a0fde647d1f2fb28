/** Public reads, tickets, counter actions and ratings. */
import { Router } from 'express';
import { COUNTER_ACTIONS, RatingRequest, toHallIso, type HealthResponse } from '@hall/protocol';
import { counterToday, counterViews, queueSnapshot, serviceSummaries, ticketTrackToken, ticketView } from '../queue';
import { actorOf, type CommandGateway, type CommandOutcome } from '../app/gateway';
import type { ConfigPort, CorePort } from '../app/ports';
import { timingSafeEqualStr } from '../auth/compare';
import { HttpError, httpError, parseBody } from './http-error';
import { bearerToken, principal, requireStaff } from './guards';
import { rateLimit } from './rate-limit';

export interface QueuePorts {
  core: Pick<CorePort, 'execute' | 'state' | 'now' | 'viewContext' | 'health'>;
  config: Pick<ConfigPort, 'data'>;
  gateway: Pick<CommandGateway, 'issueTicket' | 'counterAction' | 'reprintTicket'>;
  version: string;
  /** Public endpoints: requests per minute per client address. */
  publicRatePerMinute: number;
}

/** A command's value, or its refusal thrown for the error handler. */
function valueOf<T>(out: CommandOutcome<T>): T {
  if (!out.ok) throw new HttpError(out.error, out.retryAfterSeconds);
  return out.value;
}

export function queueRoutes(ports: QueuePorts): Router {
  const r = Router();
  const publicLimit = rateLimit(ports.publicRatePerMinute, 'public');

  r.get('/health', (_req, res) => {
    const { hall } = ports.config.data;
    const now = ports.core.now();
    const journal = ports.core.health;
    const body: HealthResponse = {
      // Still 200: reads and screens are served; monitoring reads `status` and `journal`.
      status: journal.journal === 'ok' ? 'ok' : 'degraded',
      journal,
      hall: { id: hall.id, name: hall.name, level: hall.level },
      day: ports.core.state.day,
      time: toHallIso(now, hall.timezone),
      version: ports.version,
    };
    res.json(body);
  });

  r.get('/services', publicLimit, (_req, res) => {
    res.json(serviceSummaries(ports.core.state, ports.core.viewContext()));
  });

  r.get('/counters', publicLimit, (_req, res) => {
    res.json(counterViews(ports.core.state, ports.core.viewContext()));
  });

  r.get('/queue', publicLimit, (_req, res) => {
    res.json(queueSnapshot(ports.core.state, ports.core.viewContext()));
  });

  r.get('/tickets/:id', publicLimit, (req, res) => {
    const id = req.params.id as string;
    const p = principal(req);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const expected = ticketTrackToken(ports.core.state, id);
    const tokenOk = expected !== undefined && token !== undefined && timingSafeEqualStr(token, expected);
    if (!tokenOk && p.kind !== 'staff') throw httpError('QUEUE.NOT_FOUND', 'no such ticket');
    const ticket = ticketView(ports.core.state, id, ports.core.viewContext());
    if (!ticket) throw httpError('QUEUE.NOT_FOUND', 'no such ticket');
    res.json(tokenOk ? { ...ticket, trackToken: expected } : ticket);
  });

  r.post('/tickets', async (req, res) => {
    res.status(201).json(valueOf(await ports.gateway.issueTicket(bearerToken(req), req.body)));
  });
  r.post('/tickets/:id/reprint', async (req, res) => {
    res.json(valueOf(await ports.gateway.reprintTicket(bearerToken(req), req.params.id as string)));
  });
  r.post('/tickets/:id/cancel', async (req, res) => {
    const p = requireStaff(req);
    const id = req.params.id as string;
    const out = await ports.core.execute({ type: 'ticket.cancel', ticketId: id }, actorOf(p));
    if (!out.ok) throw new HttpError(out.error);
    res.json(ticketView(ports.core.state, id, ports.core.viewContext()));
  });

  r.post('/tickets/:id/rating', publicLimit, async (req, res) => {
    const id = req.params.id as string;
    const p = principal(req);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const expected = ticketTrackToken(ports.core.state, id);
    const tokenOk = expected !== undefined && token !== undefined && timingSafeEqualStr(token, expected);
    // Staff may record a rating on the citizen's behalf (an evaluator device, a paper form).
    if (!tokenOk && p.kind !== 'staff') throw httpError('QUEUE.NOT_FOUND', 'no such ticket');
    const body = parseBody(RatingRequest, req.body);
    const out = await ports.core.execute(
      { type: 'ticket.rate', ticketId: id, score: body.score, reasons: body.reasons ?? [], comment: body.comment ?? null },
      tokenOk ? { kind: 'public' } : actorOf(p),
    );
    if (!out.ok) throw new HttpError(out.error);
    res.status(201).json({ ticketId: id, score: body.score });
  });

  // The clerk's desk figures: the clerk signed in at that counter, or a supervisor.
  r.get('/counters/:id/today', (req, res) => {
    const p = requireStaff(req);
    const id = req.params.id as string;
    if (!ports.config.data.counters.some((c) => c.id === id)) throw httpError('COUNTER.NOT_FOUND', 'no such counter');
    const signedIn = ports.core.state.counters.get(id)?.userId === p.user.id;
    if (!signedIn && p.user.role === 'clerk') throw httpError('AUTH.FORBIDDEN', 'only the clerk signed in at this counter, or a supervisor');
    res.json(counterToday(ports.core.state, id));
  });

  r.post('/counters/:id/:action', async (req, res) => {
    const action = req.params.action as string;
    if (!(COUNTER_ACTIONS as readonly string[]).includes(action)) throw httpError('ROUTE.NOT_FOUND', `no counter action ${action}`);
    res.json(valueOf(await ports.gateway.counterAction(bearerToken(req), req.params.id as string, action, req.body)));
  });
  return r;
}
