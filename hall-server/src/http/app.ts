/** The Express app: security headers, JSON parsing, the API routers and the built UIs. */
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logging';
import type { Principal } from '../app/gateway';
import { authenticate } from './guards';
import { securityHeadersMiddleware } from './security-headers';
import { errorHandler, notFoundRoute } from './http-error';
import { authRoutes, type AuthPorts } from './auth-routes';
import { setupRoutes, type SetupPorts } from './setup-routes';
import { queueRoutes, type QueuePorts } from './queue-routes';
import { deviceRoutes, type DeviceRoutePorts } from './device-routes';
import { voiceRoutes, type VoiceRoutePorts } from './voice-routes';
import { staffPhotoRoutes, type StaffPhotoRoutePorts } from './staff-photo-routes';
import { statsRoutes, type StatsPorts } from './stats-routes';
import { supervisionRoutes, type SupervisionPorts } from './supervision-routes';
import { hallIdGuard, networkIngestRoutes, networkRoutes, type NetworkPorts } from './network-routes';
import { doctorRoutes, type DoctorRoutePorts } from './doctor-routes';
import { appointmentRoutes, type AppointmentPorts } from './appointment-routes';
import { catalogueFeedRoutes, catalogueRoutes, type CatalogueRoutePorts } from './catalogue-routes';

export interface UiRoots {
  kiosk: string;
  display: string;
  counter: string;
}

/** What the HTTP edge uses: each router's own ports, the gateway that resolves every request's token, the log. */
export type HttpPorts = AuthPorts &
  SetupPorts &
  QueuePorts &
  DeviceRoutePorts &
  VoiceRoutePorts &
  StaffPhotoRoutePorts &
  StatsPorts &
  SupervisionPorts &
  NetworkPorts &
  DoctorRoutePorts &
  AppointmentPorts &
  CatalogueRoutePorts & {
    gateway: AuthPorts['gateway'] & QueuePorts['gateway'] & { resolve(token: string | undefined): Principal };
    log: Logger;
  };

export function createHttpApp(ports: HttpPorts, ui: UiRoots): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeadersMiddleware());

  const api = express.Router();
  // Staff photo uploads are raw images: before the JSON body parser.
  api.use(staffPhotoRoutes(ports));
  // Downstream halls' journal batches (up to 4 MB, hall tokens): before the 64 KB JSON parser.
  api.use(networkIngestRoutes(ports));
  api.use(catalogueFeedRoutes(ports));
  api.use(express.json({ limit: '64kb', strict: true, type: () => true }));
  // Call audio is public like the hall screen: no credential needed or looked at.
  api.use(voiceRoutes(ports));
  api.use(authenticate(ports.gateway));
  api.use(authRoutes(ports));
  api.use(setupRoutes(ports));
  api.use(deviceRoutes(ports));
  api.use(queueRoutes(ports));
  api.use(hallIdGuard(ports));
  api.use(statsRoutes(ports));
  api.use(supervisionRoutes(ports));
  api.use(networkRoutes(ports));
  api.use(doctorRoutes(ports));
  api.use(appointmentRoutes(ports));
  api.use(catalogueRoutes(ports));
  api.use(notFoundRoute);
  api.use(errorHandler(ports.log));
  app.use('/api', api);

  const serveApp = (mount: string | string[], root: string): void => {
    const index = join(root, 'index.html');
    app.use(typeof mount === 'string' ? mount : mount[0] as string, express.static(root, { index: 'index.html', maxAge: '1h' }));
    app.get(mount, (_req, res) => {
      if (!existsSync(index)) {
        res.status(503).type('text/plain').send('UI not built: run `npm run build`');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  };
  serveApp(['/kiosk', '/kiosk/{*rest}'], ui.kiosk);
  serveApp(['/display', '/display/{*rest}', '/ticket/:id', '/book'], ui.display);
  serveApp(['/counter', '/counter/{*rest}'], ui.counter);
  app.get('/', (_req, res) => res.redirect(302, '/counter'));
  app.use(notFoundRoute);
  app.use(errorHandler(ports.log));
  return app;
}
