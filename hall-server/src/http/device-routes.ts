/** Devices (admin; supervisor may read). The device manager behind `DevicePort` does the work. */
import { Router } from 'express';
import { CreateDeviceRequest, PatchDeviceRequest, toHallIso } from '@hall/protocol';
import type { DevicePort } from '../app/device-port';
import type { CorePort } from '../app/ports';
import { HttpError, httpError, parseBody } from './http-error';
import { requireStaff } from './guards';
import { actorOfStaff } from './auth-routes';

export interface DeviceRoutePorts {
  core: Pick<CorePort, 'record' | 'now' | 'viewContext'>;
  /** Set once the device manager runs. */
  devices?: DevicePort;
}

export function deviceRoutes(ports: DeviceRoutePorts): Router {
  const r = Router();
  const manager = () => {
    if (!ports.devices) throw httpError('SERVER.UNAVAILABLE', 'the device manager is not running');
    return ports.devices;
  };

  r.get('/devices', (req, res) => {
    requireStaff(req, 'supervisor');
    res.json(manager().list());
  });

  r.post('/devices', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(CreateDeviceRequest, req.body);
    const out = await manager().create(body);
    if (!out.ok) throw new HttpError(out.error);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'device', targetId: out.value.id, action: 'create', fields: Object.keys(body) });
    res.status(201).json(out.value);
  });

  r.patch('/devices/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(PatchDeviceRequest, req.body);
    const id = req.params.id as string;
    const out = await manager().update(id, body);
    if (!out.ok) throw new HttpError(out.error);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'device', targetId: id, action: 'update', fields: Object.keys(body) });
    res.json(out.value);
  });

  // A test slip: 200 whether or not it came out (`printed`, and the printer's code when not), so the
  // console can say "paper out" rather than a generic failure; not a printer → 409.
  r.post('/devices/:id/test-print', async (req, res) => {
    requireStaff(req, 'admin');
    const at = toHallIso(ports.core.now(), ports.core.viewContext().tz);
    const out = await manager().testPrint(req.params.id as string, at);
    if (!out.ok) throw new HttpError(out.error);
    res.json(out.value);
  });

  r.delete('/devices/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const id = req.params.id as string;
    const out = await manager().remove(id);
    if (!out.ok) throw new HttpError(out.error);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'device', targetId: id, action: 'delete', fields: [] });
    res.status(204).end();
  });

  return r;
}
