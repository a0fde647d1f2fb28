/** The Express app: security headers, JSON parsing, the API routers and the built UIs. */
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HallContext } from '../app/context';
import { authenticate } from './guards';
import { securityHeadersMiddleware } from './security-headers';
import { errorHandler, notFoundRoute } from './http-error';
import { authRoutes } from './auth-routes';
import { setupRoutes } from './setup-routes';
import { queueRoutes } from './queue-routes';
import { deviceRoutes } from './device-routes';

export interface UiRoots {
  kiosk: string;
  display: string;
  counter: string;
}

export function createHttpApp(ctx: HallContext, ui: UiRoots): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeadersMiddleware());

  const api = express.Router();
  api.use(express.json({ limit: '64kb', strict: true, type: () => true }));
  api.use(authenticate(ctx));
  api.use(authRoutes(ctx));
  api.use(setupRoutes(ctx));
  api.use(deviceRoutes(ctx));
  api.use(queueRoutes(ctx));
  api.use(notFoundRoute);
  api.use(errorHandler(ctx.log));
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
  serveApp(['/display', '/display/{*rest}', '/ticket/:id'], ui.display);
  serveApp(['/counter', '/counter/{*rest}'], ui.counter);
  app.get('/', (_req, res) => res.redirect(302, '/counter'));
  app.use(notFoundRoute);
  app.use(errorHandler(ctx.log));
  return app;
}
