/**
 * Frame profiles and the port picker over HTTP (API.md "Devices", README.md of this folder):
 * - `GET /api/frame-profiles` (supervisor) → built-in and hall-defined profiles
 * - `PUT /api/frame-profiles/:id` (admin) a `FrameProfileDefinition` → `200`; a bad one → `400`
 *   naming the field, a built-in id → `409`; nothing changes on failure
 * - `GET /api/device-ports` (admin) → what is plugged into the hall server, with guesses
 * Mounted on the devices' own app in front of the main one (`device-http.ts`).
 */
import type { Express, RequestHandler } from 'express';
import { probeDevices } from '@hall/drivers';
import { hallError } from '@hall/protocol';
import type { DeviceHallPort } from '../app/ports';
import { actorOfStaff } from '../http/auth-routes';
import { authenticate, requireStaff } from '../http/guards';
import { HttpError } from '../http/http-error';
import { apiSecurityHeaders } from '../http/security-headers';
import { checkFrameProfileDefinition, listFrameProfiles } from './frame-profiles';

/** The paths these routes answer; everything else goes on to the main app. */
export const FRAME_PROFILE_PATHS = /^\/api\/(?:frame-profiles(?:\/[^/?#]+)?|device-ports)\/?(?:[?#]|$)/;

export function addFrameProfileRoutes(app: Express, ctx: DeviceHallPort, json: RequestHandler): void {
  app.get('/api/frame-profiles', apiSecurityHeaders, authenticate(ctx), (req, res) => {
    requireStaff(req, 'supervisor');
    res.json(listFrameProfiles(ctx.config.data.frameProfiles));
  });

  app.put('/api/frame-profiles/:id', apiSecurityHeaders, json, authenticate(ctx), async (req, res) => {
    const p = requireStaff(req, 'admin');
    const id = req.params.id as string;
    const definition: unknown = req.body;
    const check = checkFrameProfileDefinition(id, definition);
    if (!check.ok) throw new HttpError(hallError(check.code, check.message, { field: check.field }));
    const existed = Object.hasOwn(ctx.config.data.frameProfiles ?? {}, id);
    const r = await ctx.config.update((draft) => {
      draft.frameProfiles = { ...(draft.frameProfiles ?? {}), [id]: definition as NonNullable<typeof draft.frameProfiles>[string] };
    });
    if (!r.ok) throw new HttpError(r.error);
    await ctx.core.record({
      type: 'audit.config-changed',
      actor: actorOfStaff(p),
      area: 'device',
      targetId: `frame-profile:${id}`,
      action: existed ? 'update' : 'create',
      fields: Object.keys(definition as object),
    });
    res.json({ id, builtIn: false, definition: r.value.frameProfiles?.[id] });
  });

  app.get('/api/device-ports', apiSecurityHeaders, authenticate(ctx), async (req, res) => {
    requireStaff(req, 'admin');
    res.json(await probeDevices());
  });
}
