/**
 * 统一事项清单 (API-EXTENSIONS "Service catalogue"): the items an upstream hall defines (admin
 * writes, journalled as set-up changes), the feed its downstream halls fetch with their hall
 * token, adoption of an item into a local service, and statistics compared by catalogue code.
 */
import express, { Router } from 'express';
import {
  AdoptCatalogueItemRequest,
  CatalogueFeedRequest,
  CreateCatalogueItemRequest,
  PatchCatalogueItemRequest,
  Service,
  describeZodError,
  hallError,
  toHallIso,
  type CatalogueFeed,
  type CatalogueView,
} from '@hall/protocol';
import { newId } from '../app/hall-core';
import type { ConfigPort, CorePort } from '../app/ports';
import type { ReadModelPort } from '../read-model/read-model-service';
import { adoptable, adoptedFields, catalogueEntries, createItem, effectiveItems, patchItem } from '../catalogue/catalogue-items';
import type { CatalogueSync } from '../catalogue/catalogue-sync';
import type { HallServiceDirectory } from '../catalogue/hall-service-directory';
import type { HallTokenVerifier } from '../catalogue/hall-token-verifier';
import { compareByCode, type HallFigures } from '../catalogue/catalogue-comparison';
import { parseDateRange } from '../stats/date-range';
import { HttpError, httpError, parseBody } from './http-error';
import { bearerToken, requireStaff } from './guards';
import { actorOfStaff, updateConfig } from './auth-routes';

export interface CataloguePort {
  /** The upstream hall's catalogue as last fetched, and the link's status. */
  upstream: Pick<CatalogueSync, 'items' | 'status' | 'syncNow'>;
  directory: Pick<HallServiceDirectory, 'report' | 'halls'>;
  hallTokens: HallTokenVerifier;
}

export interface CatalogueRoutePorts {
  config: Pick<ConfigPort, 'data' | 'update'>;
  core: Pick<CorePort, 'record' | 'now'>;
  catalogue: CataloguePort;
  readModel: Pick<ReadModelPort, 'summary'>;
  today: () => string;
  tz: () => string;
}

const CODE_PATH = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** A township passing on its villages' reports may send more than the API's usual 64 KiB. */
export const CATALOGUE_FEED_MAX_BYTES = 2 * 1024 * 1024;

const nowIsoOf = (ports: Pick<CatalogueRoutePorts, 'core' | 'tz'>): string => toHallIso(ports.core.now(), ports.tz());
const effectiveOf = (ports: Pick<CatalogueRoutePorts, 'config' | 'catalogue'>) => effectiveItems(ports.config.data.catalogue, ports.catalogue.upstream.items());

/**
 * `POST /api/catalogue/feed`: a downstream hall fetches the catalogue with its hall token and
 * reports its services. Mounted before the API's JSON parser: the token is checked before the
 * body is read, and the body may be larger.
 */
export function catalogueFeedRoutes(ports: CatalogueRoutePorts): Router {
  const r = Router();
  const json = express.json({ limit: CATALOGUE_FEED_MAX_BYTES, strict: true, type: () => true });
  r.post(
    '/catalogue/feed',
    async (req, res, next) => {
      const token = bearerToken(req);
      if (!token) throw httpError('AUTH.REQUIRED', 'a hall token is needed');
      const hall = await ports.catalogue.hallTokens.verify(token);
      if (!hall.ok) throw new HttpError(hall.error);
      res.locals.hallId = hall.value.hallId;
      next();
    },
    json,
    async (req, res) => {
      const hallId = res.locals.hallId as string;
      const body = parseBody(CatalogueFeedRequest, req.body);
      const at = nowIsoOf(ports);
      await ports.catalogue.directory.report(hallId, body.services, at);
      if (body.relayed.length > 0) {
        // A hall reports for another only where it relays that hall's records: no writing under another hall's id.
        const relays = new Set(await (ports.catalogue.hallTokens.relayedBy?.(hallId) ?? Promise.resolve([])));
        for (const x of body.relayed) if (relays.has(x.hallId)) await ports.catalogue.directory.report(x.hallId, x.services, at);
      }
      const feed: CatalogueFeed = { hallId: ports.config.data.hall.id, items: effectiveOf(ports).map(({ origin: _o, ...item }) => item) };
      res.json(feed);
    },
  );
  return r;
}

export function catalogueRoutes(ports: CatalogueRoutePorts): Router {
  const r = Router();
  const nowIso = (): string => nowIsoOf(ports);
  const local = () => ports.config.data.catalogue;
  const upstream = () => ports.catalogue.upstream.items();
  const codeOf = (raw: unknown): string => {
    if (typeof raw !== 'string' || !CODE_PATH.test(raw)) throw httpError('CATALOGUE.NOT_FOUND', 'no such catalogue item');
    return raw;
  };

  r.get('/catalogue', (req, res) => {
    requireStaff(req);
    const view: CatalogueView = { items: catalogueEntries(local(), upstream(), ports.config.data.services), upstream: ports.catalogue.upstream.status() };
    res.json(view);
  });

  r.post('/catalogue', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(CreateCatalogueItemRequest, req.body);
    const made = createItem(local(), upstream(), body, nowIso());
    if (!made.ok) throw new HttpError(made.error);
    await updateConfig(ports, (d) => {
      // Checked again inside the update: two admins creating the same code at once.
      if (d.catalogue.some((i) => i.code === made.value.code)) throw httpError('CONFIG.CONFLICT', `catalogue code ${made.value.code} exists`);
      d.catalogue.push(made.value);
    });
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'catalogue', targetId: made.value.code, action: 'create', fields: Object.keys(body) });
    res.status(201).json(made.value);
  });

  r.post('/catalogue/sync', async (req, res) => {
    requireStaff(req, 'admin');
    if (!ports.catalogue.upstream.status()) throw httpError('CONFIG.CONFLICT', 'this hall has no upstream hall');
    await ports.catalogue.upstream.syncNow();
    res.json(ports.catalogue.upstream.status());
  });

  r.get('/catalogue/compare', async (req, res) => {
    requireStaff(req, 'supervisor');
    const range = parseDateRange(req.query.from, req.query.to, ports.today());
    if (!range.ok) throw new HttpError(range.error);
    const cfg = ports.config.data;
    const halls = new Map(ports.catalogue.directory.halls());
    halls.set(cfg.hall.id, cfg.services.map((s) => ({ id: s.id, name: s.name, catalogueCode: s.catalogueCode })));
    const figures: HallFigures[] = [];
    // One hall at a time: the read model answers other requests in between.
    for (const [hallId, services] of halls) {
      if (!services.some((s) => s.catalogueCode !== null)) continue;
      figures.push({ hallId, services, summary: await ports.readModel.summary({ ...range.value, hallIds: [hallId] }) });
    }
    res.json(compareByCode(effectiveOf(ports), figures));
  });

  r.patch('/catalogue/:code', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const code = codeOf(req.params.code);
    const body = parseBody(PatchCatalogueItemRequest, req.body);
    const item = local().find((i) => i.code === code);
    if (!item) {
      if (upstream().some((i) => i.code === code)) throw httpError('CONFIG.CONFLICT', `catalogue item ${code} is defined by the upstream hall`);
      throw httpError('CATALOGUE.NOT_FOUND', `no catalogue item ${code}`);
    }
    const next = patchItem(item, body, nowIso());
    if (next !== item) {
      await updateConfig(ports, (d) => {
        const i = d.catalogue.findIndex((x) => x.code === code);
        if (i >= 0) d.catalogue[i] = next;
      });
      await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'catalogue', targetId: code, action: 'update', fields: Object.keys(body) });
    }
    res.json(next);
  });

  r.post('/catalogue/:code/adopt', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const code = codeOf(req.params.code);
    const body = parseBody(AdoptCatalogueItemRequest, req.body);
    const cfg = ports.config.data;
    const found = effectiveOf(ports).find((i) => i.code === code);
    if (body.serviceId !== undefined) {
      const id = body.serviceId;
      const service = cfg.services.find((s) => s.id === id);
      if (!service) throw httpError('SERVICE.NOT_FOUND', 'no such service');
      const item = adoptable(found, code, service.catalogueCode);
      if (!item.ok) throw new HttpError(item.error);
      const fields = adoptedFields(item.value);
      await updateConfig(ports, (d) => {
        const s = d.services.find((x) => x.id === id);
        if (s) Object.assign(s, fields);
      });
      await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'service', targetId: id, action: 'update', fields: Object.keys(fields) });
      res.json(ports.config.data.services.find((s) => s.id === id));
      return;
    }
    const item = adoptable(found, code, null);
    if (!item.ok) throw new HttpError(item.error);
    const id = body.id ?? `svc-${newId()}`;
    const twin = cfg.services.find((s) => s.catalogueCode === code);
    // One local service per item keeps the comparison by code one row per hall.
    if (twin) throw httpError('CONFIG.CONFLICT', `catalogue item ${code} is already adopted by service ${twin.id}`);
    if (cfg.services.some((s) => s.id === id)) throw httpError('CONFIG.CONFLICT', `service id ${id} exists`);
    if (cfg.services.some((s) => s.prefix === body.prefix)) throw httpError('CONFIG.CONFLICT', `prefix ${body.prefix} is used by another service`);
    const parsed = Service.safeParse({ id, prefix: body.prefix, sort: cfg.services.length, ...adoptedFields(item.value) });
    if (!parsed.success) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error)));
    await updateConfig(ports, (d) => void d.services.push(parsed.data));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'service', targetId: id, action: 'create', fields: ['catalogueCode', 'prefix'] });
    res.status(201).json(parsed.data);
  });

  return r;
}
