/** Who may call what: one place that turns a bearer token into a principal and checks it. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import type { Role } from '@hall/protocol';
import { hasRole } from '../auth/roles';
import { resolveToken, type HallContext, type Principal } from '../app/context';
import { httpError } from './http-error';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function bearerToken(req: { headers: IncomingHttpHeaders }): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

export function authenticate(ctx: HallContext): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    req.principal = resolveToken(ctx, bearerToken(req));
    next();
  };
}

export function principal(req: Request): Principal {
  return req.principal ?? { kind: 'anonymous' };
}

/** Guards take an Express request or, on the node:http fast lane, the principal itself. */
function principalOf(from: Request | Principal): Principal {
  return 'kind' in from && typeof from.kind === 'string' ? (from as Principal) : principal(from as Request);
}

/** A staff user with at least `role`. */
export function requireStaff(from: Request | Principal, role: Role = 'clerk'): Extract<Principal, { kind: 'staff' }> {
  const p = principalOf(from);
  if (p.kind === 'anonymous') throw httpError('AUTH.REQUIRED', 'sign in first');
  if (p.kind !== 'staff' || !hasRole(p.user.role, role)) throw httpError('AUTH.FORBIDDEN', `needs the ${role} role`);
  return p;
}

/** A kiosk terminal or any staff user. */
export function requireKioskOrStaff(from: Request | Principal): Principal {
  const p = principalOf(from);
  if (p.kind === 'anonymous') throw httpError('AUTH.REQUIRED', 'a kiosk terminal token or staff login is required');
  if (p.kind === 'terminal' && p.terminal.kind !== 'kiosk') throw httpError('AUTH.FORBIDDEN', 'display terminals cannot issue tickets');
  return p;
}
