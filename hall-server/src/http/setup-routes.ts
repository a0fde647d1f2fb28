/** Hall set-up (admin): the hall, services and counters. Changes take effect at once. */
import { Router } from 'express';
import {
  Counter,
  CreateCounterRequest,
  CreateServiceRequest,
  PatchCounterRequest,
  PatchHallRequest,
  PatchServiceRequest,
  PutNoticesRequest,
  Service,
  describeZodError,
  hallError,
  isValidTimeZone,
  type CounterServiceLink,
  type HallConfig,
} from '@hall/protocol';
import { newId } from '../app/hall-core';
import type { ConfigPort, CorePort } from '../app/ports';
import { HttpError, httpError, parseBody } from './http-error';
import { requireStaff } from './guards';
import { actorOfStaff, updateConfig } from './auth-routes';

function checkServiceRefs(cfg: HallConfig, links: CounterServiceLink[]): void {
  for (const l of links) {
    if (!cfg.services.some((s) => s.id === l.serviceId)) throw httpError('SERVICE.NOT_FOUND', `no service ${l.serviceId}`);
  }
}

function linksOf(body: { services?: CounterServiceLink[] | undefined; serviceIds?: string[] | undefined }): CounterServiceLink[] | undefined {
  if (body.services) return body.services;
  return body.serviceIds?.map((serviceId) => ({ serviceId, weight: 1 }));
}

/** The next free tens after the last service's sort position. */
export function nextSort(services: readonly { sort: number }[]): number {
  const last = services.reduce((m, s) => Math.max(m, s.sort), -1);
  return Math.min(9999, Math.floor(last / 10) * 10 + 10);
}

export interface SetupPorts {
  config: Pick<ConfigPort, 'data' | 'update'>;
  core: Pick<CorePort, 'record'>;
}

export function setupRoutes(ports: SetupPorts): Router {
  const r = Router();

  r.get('/hall', (req, res) => {
    requireStaff(req);
    const { upstream, ...hall } = ports.config.data.hall;
    res.json({ ...hall, upstream: upstream ? { url: upstream.url, token: '[set]' } : null });
  });

  r.patch('/hall', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(PatchHallRequest, req.body);
    if (body.timezone !== undefined && !isValidTimeZone(body.timezone)) {
      throw httpError('PROTOCOL.INVALID_PAYLOAD', `timezone: unknown zone ${body.timezone}`);
    }
    await updateConfig(ports, (d) => {
      const { policy, voice, supervision, appointments, ...rest } = body;
      Object.assign(d.hall, rest);
      if (policy) Object.assign(d.hall.policy, policy);
      if (voice) Object.assign(d.hall.voice, voice);
      if (supervision) Object.assign(d.hall.supervision, supervision);
      if (appointments) Object.assign(d.hall.appointments, appointments);
    });
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'hall', targetId: ports.config.data.hall.id, action: 'update', fields: Object.keys(body) });
    res.json(ports.config.data.hall);
  });

  r.get('/notices', (req, res) => {
    requireStaff(req);
    res.json(ports.config.data.notices);
  });

  r.put('/notices', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(PutNoticesRequest, req.body);
    const ids = new Set<string>();
    const notices = body.notices.map((n) => {
      const id = n.id ?? `notice-${newId()}`;
      if (ids.has(id)) throw httpError('CONFIG.CONFLICT', `notice id ${id} is given twice`);
      ids.add(id);
      return { id, text: n.text, zone: n.zone ?? null, from: n.from ?? null, to: n.to ?? null };
    });
    await updateConfig(ports, (d) => void (d.notices = notices));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'notice', targetId: 'notices', action: 'update', fields: ['notices'] });
    res.json(ports.config.data.notices);
  });

  r.get('/services/all', (req, res) => {
    requireStaff(req);
    res.json(ports.config.data.services);
  });

  r.post('/services', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(CreateServiceRequest, req.body);
    const cfg = ports.config.data;
    const id = body.id ?? `svc-${newId()}`;
    if (cfg.services.some((s) => s.id === id)) throw httpError('CONFIG.CONFLICT', `service id ${id} exists`);
    if (cfg.services.some((s) => s.prefix === body.prefix)) throw httpError('CONFIG.CONFLICT', `prefix ${body.prefix} is used by another service`);
    // A new service goes after the others (not to the top, sort 0), and takes the hall's hours (ticketHours null).
    const sort = body.sort ?? nextSort(cfg.services);
    const parsed = Service.safeParse({ ...body, id, sort });
    if (!parsed.success) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error)));
    await updateConfig(ports, (d) => void d.services.push(parsed.data));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'service', targetId: id, action: 'create', fields: Object.keys(body) });
    res.status(201).json(parsed.data);
  });

  r.patch('/services/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(PatchServiceRequest, req.body);
    const id = req.params.id as string;
    const cfg = ports.config.data;
    if (!cfg.services.some((s) => s.id === id)) throw httpError('SERVICE.NOT_FOUND', 'no such service');
    if (body.prefix !== undefined && cfg.services.some((s) => s.prefix === body.prefix && s.id !== id)) {
      throw httpError('CONFIG.CONFLICT', `prefix ${body.prefix} is used by another service`);
    }
    await updateConfig(ports, (d) => {
      const s = d.services.find((x) => x.id === id);
      if (s) Object.assign(s, body);
    });
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'service', targetId: id, action: 'update', fields: Object.keys(body) });
    res.json(ports.config.data.services.find((s) => s.id === id));
  });

  // The counters as configured (service weights included), for the admin console's counter form.
  r.get('/counters/all', (req, res) => {
    requireStaff(req);
    res.json(ports.config.data.counters);
  });

  r.post('/counters', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(CreateCounterRequest, req.body);
    const cfg = ports.config.data;
    const id = body.id ?? `ctr-${newId()}`;
    if (cfg.counters.some((c) => c.id === id)) throw httpError('CONFIG.CONFLICT', `counter id ${id} exists`);
    if (cfg.counters.some((c) => c.number === body.number)) throw httpError('CONFIG.CONFLICT', `counter number ${body.number} exists`);
    const services = linksOf(body) ?? [];
    checkServiceRefs(cfg, services);
    const { serviceIds: _ids, ...rest } = body;
    const parsed = Counter.safeParse({ ...rest, services, id });
    if (!parsed.success) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error)));
    await updateConfig(ports, (d) => void d.counters.push(parsed.data));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'counter', targetId: id, action: 'create', fields: Object.keys(body) });
    res.status(201).json({ ...parsed.data, serviceIds: parsed.data.services.map((s) => s.serviceId) });
  });

  r.patch('/counters/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(PatchCounterRequest, req.body);
    const id = req.params.id as string;
    const cfg = ports.config.data;
    if (!cfg.counters.some((c) => c.id === id)) throw httpError('COUNTER.NOT_FOUND', 'no such counter');
    if (body.number !== undefined && cfg.counters.some((c) => c.number === body.number && c.id !== id)) {
      throw httpError('CONFIG.CONFLICT', `counter number ${body.number} exists`);
    }
    const services = linksOf(body);
    if (services) checkServiceRefs(cfg, services);
    await updateConfig(ports, (d) => {
      const c = d.counters.find((x) => x.id === id);
      if (!c) return;
      const { serviceIds: _ids, services: _s, ...rest } = body;
      Object.assign(c, rest);
      if (services) c.services = services;
    });
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'counter', targetId: id, action: 'update', fields: Object.keys(body) });
    const c = ports.config.data.counters.find((x) => x.id === id);
    res.json(c ? { ...c, serviceIds: c.services.map((s) => s.serviceId) } : null);
  });

  return r;
}
