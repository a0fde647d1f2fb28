/**
 * Staff photos (挂牌上岗): the admin uploads a user's photo as the raw image body; a counter
 * screen shows the photo of the clerk signed in at its counter, and only while they are.
 *
 * - `PUT /api/users/:id/photo` (admin) body `image/jpeg` or `image/png`, at most 300 KB → `204`
 * - `DELETE /api/users/:id/photo` (admin) → `204`
 * - `GET /api/counters/:id/clerk-photo` (public) → the image, or `404` when nobody with a photo
 *   is signed in there
 *
 * Mounted before the API's JSON body parser: the upload is not JSON.
 */
import express, { Router } from 'express';
import type { Principal } from '../app/gateway';
import type { ConfigPort, CorePort } from '../app/ports';
import { counterView } from '../queue';
import { actorOfStaff } from './auth-routes';
import { authenticate, requireStaff } from './guards';
import { httpError } from './http-error';

export interface StaffPhotoPort {
  put(userId: string, bytes: Uint8Array): Promise<'image/jpeg' | 'image/png' | null>;
  get(userId: string): Promise<{ type: string; bytes: Buffer } | null>;
  remove(userId: string): Promise<boolean>;
}

export interface StaffPhotoRoutePorts {
  photos?: StaffPhotoPort;
  core: Pick<CorePort, 'state' | 'viewContext' | 'record'>;
  config: Pick<ConfigPort, 'data'>;
  gateway: { resolve(token: string | undefined): Principal };
}

export function staffPhotoRoutes(ports: StaffPhotoRoutePorts): Router {
  const r = Router();
  const photos = (): StaffPhotoPort => {
    if (!ports.photos) throw httpError('SERVER.UNAVAILABLE', 'staff photos are not enabled on this hall server');
    return ports.photos;
  };
  const user = (id: string) => {
    const u = ports.config.data.users.find((x) => x.id === id);
    if (!u) throw httpError('USER.NOT_FOUND', 'no such user');
    return u;
  };
  const auth = authenticate(ports.gateway);

  r.put('/users/:id/photo', auth, express.raw({ type: () => true, limit: '300kb' }), async (req, res) => {
    const p = requireStaff(req, 'admin');
    const u = user(String(req.params.id));
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const type = await photos().put(u.id, body);
    if (!type) throw httpError('PROTOCOL.INVALID_PAYLOAD', 'photo: a JPEG or PNG image of at most 300 KB');
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: u.id, action: 'update', fields: ['photo'] });
    res.status(204).end();
  });

  r.delete('/users/:id/photo', auth, async (req, res) => {
    const p = requireStaff(req, 'admin');
    const u = user(String(req.params.id));
    if (await photos().remove(u.id)) {
      await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: u.id, action: 'delete', fields: ['photo'] });
    }
    res.status(204).end();
  });

  r.get('/counters/:id/clerk-photo', async (req, res) => {
    const view = counterView(ports.core.state, String(req.params.id), ports.core.viewContext());
    if (!view) throw httpError('COUNTER.NOT_FOUND', 'no such counter');
    const photo = view.clerk ? await photos().get(view.clerk.id) : null;
    if (!photo) throw httpError('USER.NOT_FOUND', 'no clerk photo at this counter');
    // Who is signed in changes: the screen asks again with the clerk's id in the query.
    res.setHeader('Cache-Control', 'no-cache');
    res.type(photo.type).send(photo.bytes);
  });
  return r;
}
