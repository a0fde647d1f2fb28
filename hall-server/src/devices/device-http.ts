/**
 * Simulator controls over HTTP, for the admin console and tests (see API additions in
 * README.md of this folder):
 * - `POST /api/devices/:id/simulate` (admin) `{ action, … }` → `200 { …simulator state }`
 * - `GET /api/devices/:id/simulator` (supervisor) → `200 { …simulator state }`
 * They sit in front of the main app and hand every other request to it unchanged.
 */
import express, { type Express } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeviceHallPort } from '../app/ports';
import { authenticate, requireStaff } from '../http/guards';
import { errorHandler, HttpError, parseBody } from '../http/http-error';
import { apiSecurityHeaders } from '../http/security-headers';
import type { DeviceManager } from './device-manager';
import { addFrameProfileRoutes, FRAME_PROFILE_PATHS } from './frame-profile-http';
import { SimulateAction } from './simulators';

export function deviceSimulatorApp(ctx: DeviceHallPort, manager: DeviceManager): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const json = express.json({ limit: '16kb', strict: true, type: () => true });
  app.post('/api/devices/:id/simulate', apiSecurityHeaders, json, authenticate(ctx), async (req, res) => {
    requireStaff(req, 'admin');
    const action = parseBody(SimulateAction, req.body);
    const out = await manager.simulate(req.params.id as string, action);
    if (!out.ok) throw new HttpError(out.error);
    res.json(out.value);
  });
  app.get('/api/devices/:id/simulator', apiSecurityHeaders, authenticate(ctx), (req, res) => {
    requireStaff(req, 'supervisor');
    const out = manager.simulatorState(req.params.id as string);
    if (!out.ok) throw new HttpError(out.error);
    res.json(out.value);
  });
  addFrameProfileRoutes(app, ctx, json);
  app.use(errorHandler(ctx.log));
  return app;
}

/** A request listener: the simulator routes first, then the hall's app. */
export function withDeviceSimulatorRoutes(
  main: (req: IncomingMessage, res: ServerResponse) => void,
  sim: Express,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Only the simulator and frame-profile paths enter the extra app; everything else goes straight through.
    const url = req.url ?? '';
    if (!/^\/api\/devices\/[^/?#]+\/simulat(?:e|or)(?:[?#]|$)/.test(url) && !FRAME_PROFILE_PATHS.test(url)) return main(req, res);
    (sim as unknown as (q: IncomingMessage, s: ServerResponse, next: () => void) => void)(req, res, () => main(req, res));
  };
}
