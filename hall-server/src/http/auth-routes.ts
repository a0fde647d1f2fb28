import { Router } from 'express';
import {
  ChangePasswordRequest,
  CreateTerminalRequest,
  CreateUserRequest,
  LoginRequest,
  PatchUserRequest,
  hallError,
  toHallIso,
  type HallConfig,
  type LoginResponse,
  type User,
  type UserView,
} from '@hall/protocol';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { newToken, tokenHash, type SessionStore } from '../auth/sessions';
import type { LoginLockout } from '../auth/lockout';
import type { HashingGate } from '../auth/hashing-gate';
import { newId } from '../app/hall-core';
import type { CommandGateway } from '../app/gateway';
import type { ConfigPort, CorePort } from '../app/ports';
import { HttpError, httpError, parseBody } from './http-error';
import { requireStaff } from './guards';
import { loginLimit } from './rate-limit';

// A hash to compare against when the user does not exist, so timing does not reveal usernames.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function publicUser(u: User): Omit<User, 'passwordHash'> {
  const { passwordHash: _omit, ...rest } = u;
  return rest;
}

export interface AuthPorts {
  config: Pick<ConfigPort, 'data' | 'update'>;
  core: Pick<CorePort, 'now' | 'record' | 'viewContext'>;
  sessions: Pick<SessionStore, 'create'>;
  gateway: Pick<CommandGateway, 'logout' | 'revokeUser' | 'revokeTerminal'>;
  lockout: LoginLockout;
  /** Every password hash goes through it: scrypt shares libuv's threads with the journal. */
  hashing: HashingGate;
  publicUrl: () => string;
  loginRatePerMinute: number;
  loginRatePerUserPerMinute: number;
}

/** Would the hall keep an enabled admin if user `id` became `after`? (Else nobody could administer it.) */
function keepsAnAdmin(cfg: HallConfig, id: string, after: { role?: User['role'] | undefined; disabled?: boolean | undefined }): boolean {
  return cfg.users.some((u) => {
    const role = u.id === id ? (after.role ?? u.role) : u.role;
    const disabled = u.id === id ? (after.disabled ?? u.disabled) : u.disabled;
    return role === 'admin' && !disabled;
  });
}

/** Hashes through the gate, or answers 429 when its line is full. */
function gated<T>(ports: AuthPorts, work: () => Promise<T>): Promise<T> {
  const running = ports.hashing.tryRun(work);
  if (!running) throw new HttpError(hallError('RATE.LIMITED', 'the server is busy checking passwords; try again'), 1);
  return running;
}

export function authRoutes(ports: AuthPorts): Router {
  const tz = (): string => ports.core.viewContext().tz;
  const r = Router();

  r.post('/auth/login', loginLimit(ports.loginRatePerMinute, ports.loginRatePerUserPerMinute), async (req, res) => {
    const body = parseBody(LoginRequest, req.body);
    const now = ports.core.now();
    const locked = ports.lockout.lockedFor(body.username, now);
    if (locked > 0) throw new HttpError(hallError('AUTH.LOCKED', 'too many failed logins; try again later'), locked / 1000);
    const user = ports.config.data.users.find((u) => u.username.toLowerCase() === body.username.toLowerCase());
    const good = await gated(ports, () => verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH));
    if (!user || !good || user.disabled) {
      const lockedNow = ports.lockout.fail(body.username, now);
      if (lockedNow > 0 && user) {
        await ports.core.record({ type: 'audit.login-locked', actor: { kind: 'system' }, userId: user.id });
      }
      throw httpError('AUTH.BAD_CREDENTIALS', 'wrong username or password');
    }
    ports.lockout.succeed(body.username);
    const { token, session } = await ports.sessions.create(user.id, now);
    await ports.core.record({ type: 'audit.login', actor: { kind: 'staff', userId: user.id, role: user.role }, userId: user.id });
    const out: LoginResponse = {
      token,
      user: { id: user.id, name: user.name, role: user.role, staffNo: user.staffNo, username: user.username },
      expiresAt: toHallIso(session.expiresAt, tz()),
    };
    res.status(200).json(out);
  });

  r.post('/auth/logout', async (req, res) => {
    const p = requireStaff(req);
    await ports.gateway.logout(p.token);
    await ports.core.record({ type: 'audit.logout', actor: { kind: 'staff', userId: p.user.id, role: p.user.role }, userId: p.user.id });
    res.status(204).end();
  });

  r.get('/auth/me', (req, res) => {
    const p = requireStaff(req);
    res.json({ user: publicUser(p.user) });
  });

  r.post('/auth/password', async (req, res) => {
    const p = requireStaff(req);
    const body = parseBody(ChangePasswordRequest, req.body);
    const now = ports.core.now();
    // A session left open on a shared PC must not become a way to guess the password.
    const locked = ports.lockout.lockedFor(p.user.username, now);
    if (locked > 0) throw new HttpError(hallError('AUTH.LOCKED', 'too many wrong passwords; try again later'), locked / 1000);
    if (!(await gated(ports, () => verifyPassword(body.currentPassword, p.user.passwordHash)))) {
      if (ports.lockout.fail(p.user.username, now) > 0) await ports.core.record({ type: 'audit.login-locked', actor: { kind: 'system' }, userId: p.user.id });
      throw httpError('AUTH.BAD_CREDENTIALS', 'the current password is wrong');
    }
    if (body.newPassword === body.currentPassword) throw httpError('PROTOCOL.INVALID_PAYLOAD', 'newPassword: must differ from the current password');
    const passwordHash = await gated(ports, () => hashPassword(body.newPassword));
    await updateConfig(ports, (d) => {
      const u = d.users.find((x) => x.id === p.user.id);
      if (u) u.passwordHash = passwordHash;
    });
    // Every other session of this user ends (API.md: a password change revokes); this one stays.
    await ports.gateway.revokeUser(p.user.id, p.token);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: p.user.id, action: 'update', fields: ['password'] });
    res.status(204).end();
  });

  const userView = (u: User, now: number): UserView => {
    const locked = ports.lockout.lockedFor(u.username, now);
    return { ...publicUser(u), lockedUntil: locked > 0 ? toHallIso(now + locked, tz()) : null };
  };

  r.get('/users', (req, res) => {
    requireStaff(req, 'admin');
    const now = ports.core.now();
    res.json(ports.config.data.users.map((u) => userView(u, now)));
  });

  r.post('/users/:id/unlock', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const user = ports.config.data.users.find((u) => u.id === req.params.id);
    if (!user) throw httpError('USER.NOT_FOUND', 'no such user');
    ports.lockout.succeed(user.username);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: user.id, action: 'update', fields: ['unlock'] });
    res.json(userView(user, ports.core.now()));
  });

  r.post('/users', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(CreateUserRequest, req.body);
    if (ports.config.data.users.some((u) => u.username.toLowerCase() === body.username.toLowerCase())) {
      throw httpError('CONFIG.CONFLICT', `username ${body.username} is taken`);
    }
    const user: User = {
      id: `usr-${newId()}`,
      username: body.username,
      name: body.name,
      staffNo: body.staffNo,
      role: body.role,
      passwordHash: await gated(ports, () => hashPassword(body.password)),
      disabled: false,
      createdAt: toHallIso(ports.core.now(), tz()),
    };
    await updateConfig(ports, (d) => void d.users.push(user));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: user.id, action: 'create', fields: ['username', 'name', 'staffNo', 'role'] });
    res.status(201).json(publicUser(user));
  });

  r.patch('/users/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const body = parseBody(PatchUserRequest, req.body);
    const id = req.params.id as string;
    const before = ports.config.data.users.find((u) => u.id === id);
    if (!before) throw httpError('USER.NOT_FOUND', 'no such user');
    if (!keepsAnAdmin(ports.config.data, id, body)) throw httpError('CONFIG.CONFLICT', 'the hall must keep at least one enabled admin');
    const roleBefore = before.role;
    const password = body.password;
    const passwordHash = password !== undefined ? await gated(ports, () => hashPassword(password)) : undefined;
    await updateConfig(ports, (d) => {
      const u = d.users.find((x) => x.id === id);
      if (!u) return;
      const { password: _pw, ...rest } = body;
      Object.assign(u, rest);
      if (passwordHash) u.passwordHash = passwordHash;
    });
    if (body.password !== undefined || body.disabled === true || (body.role !== undefined && body.role !== roleBefore)) await ports.gateway.revokeUser(id);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'user', targetId: id, action: 'update', fields: Object.keys(body) });
    res.json(userView(ports.config.data.users.find((u) => u.id === id) as User, ports.core.now()));
  });

  r.get('/terminals', (req, res) => {
    requireStaff(req, 'admin');
    res.json(ports.config.data.terminals.map(({ tokenHash: _h, ...t }) => t));
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
      createdAt: toHallIso(ports.core.now(), tz()),
      revoked: false,
    };
    await updateConfig(ports, (d) => void d.terminals.push(terminal));
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'terminal', targetId: terminal.id, action: 'create', fields: ['kind', 'name', 'zone'] });
    const { tokenHash: _h, ...view } = terminal;
    res.status(201).json({ ...view, token, url: `${ports.publicUrl()}/${body.kind}?token=${encodeURIComponent(token)}` });
  });

  r.delete('/terminals/:id', async (req, res) => {
    const p = requireStaff(req, 'admin');
    const id = req.params.id as string;
    const out = await ports.gateway.revokeTerminal(id);
    if (!out.ok) throw new HttpError(out.error);
    await ports.core.record({ type: 'audit.config-changed', actor: actorOfStaff(p), area: 'terminal', targetId: id, action: 'delete', fields: ['revoked'] });
    res.status(204).end();
  });

  return r;
}

export function actorOfStaff(p: { user: User }): { kind: 'staff'; userId: string; role: User['role'] } {
  return { kind: 'staff', userId: p.user.id, role: p.user.role };
}

/** Applies a config change or throws its validation error as a 400. */
export async function updateConfig(ports: { config: Pick<ConfigPort, 'update'> }, mutate: Parameters<ConfigPort['update']>[0]): Promise<void> {
  const r = await ports.config.update(mutate);
  if (!r.ok) throw new HttpError(r.error);
}
