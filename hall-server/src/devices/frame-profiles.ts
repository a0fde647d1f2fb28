/**
 * Frame profiles a hall defines as data (`config.json` → `frameProfiles`, API.md
 * `PUT /api/frame-profiles/:id`), beside the built-in ones: a new vendor's board, keypad or
 * evaluator needs no code. Definitions are checked and compiled by the drivers'
 * `compileFrameProfile`; a compiled profile is cached per definition object (the config is
 * replaced, never changed in place, so a redefinition is a new object).
 */
import { BUILT_IN_FRAME_PROFILES, compileFrameProfile, getFrameProfile, type FrameProfile } from '@hall/drivers';

/** `config.frameProfiles`: id → definition as the admin sent it. */
export type DefinedFrameProfiles = Readonly<Record<string, unknown>> | undefined;

/** Ids devices name in `profile`: like the built-ins, lower-case words with dashes. */
export const FRAME_PROFILE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

const compiled = new WeakMap<object, FrameProfile | null>();

export function isBuiltInFrameProfile(id: string): boolean {
  return Object.hasOwn(BUILT_IN_FRAME_PROFILES, id);
}

/** The profile a device's `profile` names: built-in (null = `hall-default`) or defined; undefined when neither. */
export function resolveFrameProfile(name: string | null | undefined, defined: DefinedFrameProfiles): FrameProfile | undefined {
  const builtIn = getFrameProfile(name);
  if (builtIn || name == null || name === '') return builtIn;
  const def = defined && Object.hasOwn(defined, name) ? defined[name] : undefined;
  if (typeof def !== 'object' || def === null) return undefined;
  let profile = compiled.get(def);
  if (profile === undefined) {
    const c = compileFrameProfile(def, name);
    profile = c.ok ? c.profile : null;
    compiled.set(def, profile);
  }
  return profile ?? undefined;
}

export type FrameProfileView =
  | { id: string; builtIn: true; description: string | null }
  | { id: string; builtIn: false; definition: unknown };

/** `GET /api/frame-profiles`: the built-in ones, then the hall's own. */
export function listFrameProfiles(defined: DefinedFrameProfiles): FrameProfileView[] {
  return [
    ...Object.values(BUILT_IN_FRAME_PROFILES).map((p): FrameProfileView => ({ id: p.name, builtIn: true, description: p.description ?? null })),
    ...Object.entries(defined ?? {}).map(([id, definition]): FrameProfileView => ({ id, builtIn: false, definition })),
  ];
}

export type DefinitionCheck =
  | { ok: true; profile: FrameProfile }
  | { ok: false; code: 'PROTOCOL.INVALID_PAYLOAD' | 'CONFIG.CONFLICT'; message: string; field: string };

/** Whether `body` may be stored as profile `id`. Problems name the field (`length.bytes: must be 1 or 2`). */
export function checkFrameProfileDefinition(id: string, body: unknown): DefinitionCheck {
  if (!FRAME_PROFILE_ID.test(id)) return { ok: false, code: 'PROTOCOL.INVALID_PAYLOAD', field: 'id', message: 'id: 1..40 lower-case letters, digits and dashes' };
  if (isBuiltInFrameProfile(id)) return { ok: false, code: 'CONFIG.CONFLICT', field: 'id', message: `id: "${id}" is a built-in profile; define yours under another id` };
  const c = compileFrameProfile(body, id);
  if (c.ok) return { ok: true, profile: c.profile };
  const first = c.problems[0] ?? 'profile: invalid';
  return { ok: false, code: 'PROTOCOL.INVALID_PAYLOAD', field: first.slice(0, first.indexOf(':')), message: c.problems.slice(0, 5).join('; ') };
}
