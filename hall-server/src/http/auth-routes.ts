import { Router } from 'express';
import { CreateUserRequest, LoginRequest, PatchUserRequest, CreateTerminalRequest, hallError, toHallIso, type LoginResponse, type User } from '@hall/protocol';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { newToken, tokenHash } from '../auth/sessions';
import { newId } from '../app/hall-core';
import type { HallContext } from '../app/context';
import { HttpError, httpError, parseBody } from './http-error';
import { requireStaff } from './guards';
import { rateLimit } from './rate-limit';

// A hash to compare against when the user does not exist, so timing does not reveal usernames.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function publicUser(u: User): Omit<User, 'passwordHash'> {
  const { passwordHash: _omit, ...rest } = u;
  return rest;
}

export function authRoutes(ctx: HallContext): Router {
  const r = Router();

  r.post('/auth/login', rateLimit(ctx.loginRatePerMinute, 'login'), async (req, res) => {
    const body = parseBody(LoginRequest, req.body);
    const now = ctx.core.now();
    const locked = ctx.lockout.lockedFor(body.username, now);
    if (locked > 0) throw new HttpError(hallError('AUTH.LOCKED', 'too many failed logins; try again later'), locked / 1000);
    const user = ctx.config.data.users.find((u) => u.username.toLowerCase() === body.username.toLowerCase());
    const good = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !good || user.disabled) {
      const lockedNow = ctx.lockout.fail(body.username, now);
      if (lockedNow > 0 && user) {
        await ctx.core.record({ type: 'audit.login-locked', actor: { kind: 'system' }, userId: user.id });
      }
      throw httpError('AUTH.BAD_CREDENTIALS', 'wrong username or password');
    }
    ctx.lockout.succeed(body.username);
    const { token, session } = await ctx.sessions.create(user.id, now);
    await ctx.core.record({ type: 'audit.login', actor: { kind: 'staff', userId: user.id, role: user.role }, userId: user.id });
    const out: LoginResponse = {
      token,
      user: { id: user.id, name: user.name, role: user.role, staffNo: user.staffNo, username: user.username },
      expiresAt: toHallIso(session.expiresAt, ctx.core.config.hall.timezone),
    };
    res.status(200).json(out);
  });

  r.post('/auth/logout', async (req, res) => {
    const p = requireStaff(req);
    await ctx.sessions.revoke(p.token);
    await ctx.core.record({ type: 'audit.logout', actor: { kind: 'staff', userId: p.user.id, role: p.user.role }, userId: p.user.id });
    res.status(204).end();
  });

  r.get('/auth/me', (req, res) => {
    const p = requireStaff(req);
    res.json({ user: publicUser(p.user) });
  });

  r.get('/users', (req, res) => {
    requireStaff(req, 'admin');
    res.json(ctx.config.data.users.map(publicUser));
  });

  r.post('/users', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(CreateUserRequest, req.body);
    if (ctx.config.data.users.some((u) => u.username.toLowerCase() === body.username.toLowerCase())) {
      throw httpError('CONFIG.CONFLICT', `username ${body.username} is taken`);
    }
    const user: User = {
      id: `usr-${newId()}`,
      username: body.username,
      name: body.name,
      staffNo: body.staffNo,
      role: body.role,
      passwordHash: await hashPassword(body.password),
      disabled: false,
      createdAt: toHallIso(ctx.core.now(), ctx.core.config.hall.timezone),
    };
    await updateConfig(ctx, (d) => void d.users.push(user));
    await ctx.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: user.id, action: 'create', fields: ['username', 'name', 'staffNo', 'role'] });
    res.status(201).json(publicUser(user));
  });

  r.patch('/users/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(PatchUserRequest, req.body);
    const id = req.params.id as string;
    if (!ctx.config.data.users.some((u) => u.id === id)) throw httpError('USER.NOT_FOUND', 'no such user');
    const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
    await updateConfig(ctx, (d) => {
      const u = d.users.find((x) => x.id === id);
      if (!u) return;
      const { password: _pw, ...rest } = body;
      Object.assign(u, rest);
      if (passwordHash) u.passwordHash = passwordHash;
    });
    if (body.password !== undefined || body.disabled === true || body.role !== undefined) await ctx.sessions.revokeUser(id);
    await ctx.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: id, action: 'update', fields: Object.keys(body) });
    res.json(publicUser(ctx.config.data.users.find((u) => u.id === id) as User));
  });

  r.get('/terminals', (req, res) => {
    requireStaff(req, 'admin');
    res.json(ctx.config.data.terminals.map(({ tokenHash: _h, ...t }) => t));
  });

  r.post('/terminals', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(CreateTerminalRequest, req.body);
    const token = newToken();
    const terminal = {
      id: `${body.kind}-${newId()}`,
      kind: body.kind,
      name: body.name,
      zone: body.zone ?? null,
      tokenHash: tokenHash(token),
      createdAt: toHallIso(ctx.core.now(), ctx.core.config.hall.timezone),
      revoked: false,
    };
    await updateConfig(ctx, (d) => void d.terminals.push(terminal));
    await ctx.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'terminal', targetId: terminal.id, action: 'create', fields: ['kind', 'name', 'zone'] });
    const { tokenHash: _h, ...view } = terminal;
    res.status(201).json({ ...view, token, url: `${ctx.publicUrl()}/${body.kind}?token=${encodeURIComponent(token)}` });
  });

  r.delete('/terminals/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const id = req.params.id as string;
    if (!ctx.config.data.terminals.some((t) => t.id === id)) throw httpError('TERMINAL.NOT_FOUND', 'no such terminal');
    await updateConfig(ctx, (d) => {
      const t = d.terminals.find((x) => x.id === id);
      if (t) t.revoked = true;
    });
    await ctx.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'terminal', targetId: id, action: 'delete', fields: ['revoked'] });
    res.status(204).end();
  });

  return r;
}

export function actorOfStaff(p: { user: User }): { kind: 'staff'; userId: string; role: User['role'] } {
  return { kind: 'staff', userId: p.user.id, role: p.user.role };
}

/** Applies a config change or throws its validation error as a 400. */
export async function updateConfig(ctx: HallContext, mutate: Parameters<HallContext['config']['update']>[0]): Promise<void> {
  const r = await ctx.config.update(mutate);
  if (!r.ok) throw new HttpError(r.error);
}
