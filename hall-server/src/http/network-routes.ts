/**
 * The three-level network over HTTP (API.md "The three-level network", docs/NETWORK.md).
 *
 * Hall-token routes (before the API's 64 KB JSON parser: a batch may be up to 4 MB):
 * - `POST /api/network/batches` — a downstream hall's journal records → `200` ack, or a code.
 * - `POST /api/network/ping` — "still here" (and the last-seen times of the halls it relays).
 *
 * Staff routes: `POST /api/halls` (admin) → `201 { id, token }`; `GET /api/halls`
 * (supervisor); `POST /api/halls/:id/token` (admin, rotate) → `200 { id, token }`;
 * `DELETE /api/halls/:id` (admin, revoke) → `204`; `GET /api/network/status` (admin): this
 * hall's own link to its upstream.
 */
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  Id,
  NETWORK_BATCH_MAX_BYTES,
  NETWORK_BATCH_MAX_RECORDS,
  NetworkBatch,
  RegisterHallRequest,
  hallError,
  type HallRow,
  type Result,
  type UpstreamStatus,
} from '@hall/protocol';
import type { NetworkHub } from '../network/network-hub';
import type { HallFigures } from '../network/hall-figures';
import type { CorePort } from '../app/ports';
import { HttpError, parseBody } from './http-error';
import { bearerToken, principal, requireStaff } from './guards';
import { actorOfStaff } from './auth-routes';

/** A hall pushes at least every poll (30 s) when its link is up: silent for longer is offline. */
export const ONLINE_WITHIN_MS = 90_000;

/** One collator: `localeCompare(…, 'zh-CN')` builds one per comparison (~2,500 for 300 halls). */
const byName = new Intl.Collator('zh-CN');

export interface NetworkPorts {
  /** This hall or one below it (`hallId=` on statistics and alerts). */
  knownHall: (id: string) => boolean;
  network: {
    hub: Pick<NetworkHub, 'ingest' | 'register' | 'rotate' | 'revoke' | 'halls' | 'authenticate' | 'touch'>;
    figures: Pick<HallFigures, 'row'>;
    /** Red network alerts the hub raised, by hall. */
    networkAlerts: () => ReadonlyMap<string, string>;
    status: () => UpstreamStatus;
    clock: () => number;
    formatTime: (ms: number) => string;
    today: () => string;
  };
  core: Pick<CorePort, 'record'>;
}

function valueOf<T>(r: Result<T>): T {
  if (!r.ok) throw new HttpError(r.error);
  return r.value;
}

const PingRequest = z
  .object({ halls: z.array(z.object({ hallId: Id, lastSeenAt: z.number().int().min(0).nullable() }).strict()).max(5000).default([]) })
  .strict();

/** Routes a downstream hall calls with its hall token; mounted before the API's own JSON parser. */
export function networkIngestRoutes(ports: NetworkPorts): Router {
  const r = Router();
  const json = express.json({ limit: NETWORK_BATCH_MAX_BYTES, strict: true, type: () => true });
  // The token is checked before a byte of the body is read: a stranger cannot make the hub parse 4 MB.
  const hallToken: RequestHandler = (req, _res, next) => {
    ports.network.hub.authenticate(bearerToken(req)).then((r) => next(r.ok ? undefined : new HttpError(r.error)), next);
  };
  r.post('/network/batches', hallToken, json, async (req, res) => {
    const records = (req.body as { records?: unknown } | undefined)?.records;
    if (Array.isArray(records) && records.length > NETWORK_BATCH_MAX_RECORDS) {
      throw new HttpError(hallError('PROTOCOL.PAYLOAD_TOO_LARGE', `at most ${NETWORK_BATCH_MAX_RECORDS} records per batch`));
    }
    const batch = parseBody(NetworkBatch, req.body);
    res.json(valueOf(await ports.network.hub.ingest(bearerToken(req), batch)));
  });
  r.post('/network/ping', hallToken, json, async (req, res) => {
    const body = parseBody(PingRequest, req.body);
    valueOf(await ports.network.hub.touch(bearerToken(req), body.halls));
    res.status(204).end();
  });
  return r;
}

/** The routes that take `hallId=` (statistics and 电子监察 at an upstream hall). */
const HALL_SCOPED = /^\/(?:stats\/|alerts(?:\/|$)|rectifications(?:\/|$)|ratings(?:\/|$))/;

/**
 * `hallId=` naming no hall (neither this one nor one below it) is `404 HALL.NOT_FOUND` on the
 * statistics and alert routes, rather than an answer of zeros. Staff only: others get the
 * route's own 401/403, and learn nothing about which halls exist.
 */
export function hallIdGuard(ports: { knownHall: (id: string) => boolean }): RequestHandler {
  return (req, _res, next) => {
    const id = req.query.hallId;
    if (req.method !== 'GET' || typeof id !== 'string' || !HALL_SCOPED.test(req.path) || principal(req).kind !== 'staff' || ports.knownHall(id)) return next();
    next(new HttpError(hallError('HALL.NOT_FOUND', `no hall ${id} here`)));
  };
}

export function networkRoutes(ports: NetworkPorts): Router {
  const r = Router();
  const n = ports.network;

  r.post('/halls', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(RegisterHallRequest, req.body);
    const out = await n.hub.register(body);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'hall', targetId: out.id, action: 'create', fields: ['downstream', 'name', 'level', 'token'] });
    res.status(201).json(out);
  });

  r.get('/halls', async (req, res) => {
    requireStaff(req, 'supervisor');
    const now = n.clock();
    const today = n.today();
    const networkAlerts = n.networkAlerts();
    const rows: HallRow[] = (await n.hub.halls()).map((h) => {
      const f = n.figures.row(h.id, today);
      const red = f.alerts.red + (networkAlerts.has(h.id) ? 1 : 0);
      return {
        id: h.id,
        name: h.name,
        level: h.level,
        via: h.via,
        online: !h.revoked && h.lastSeenAt !== null && now - h.lastSeenAt <= ONLINE_WITHIN_MS,
        lastSeenAt: h.lastSeenAt === null ? null : n.formatTime(h.lastSeenAt),
        revoked: h.revoked,
        lastSeq: h.lastSeq,
        day: f.day,
        waiting: f.waiting,
        countersOpen: f.countersOpen,
        today: f.today,
        alerts: { yellow: f.alerts.yellow, red },
        satisfaction: f.satisfaction,
      };
    });
    const order = { township: 0, village: 1 };
    rows.sort((a, b) => order[a.level] - order[b.level] || byName.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    res.json(rows);
  });

  r.post('/halls/:id/token', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const out = valueOf(await n.hub.rotate(req.params.id));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'hall', targetId: out.id, action: 'update', fields: ['downstream', 'token'] });
    res.json(out);
  });

  r.delete('/halls/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const h = valueOf(await n.hub.revoke(req.params.id));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'hall', targetId: h.id, action: 'delete', fields: ['downstream', 'revoked'] });
    res.status(204).end();
  });

  r.get('/network/status', (req, res) => {
    requireStaff(req, 'admin');
    res.json(n.status());
  });
  return r;
}
