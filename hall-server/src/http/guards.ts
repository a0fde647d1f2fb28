/** Who may call what: the bearer token's principal, resolved by the gateway for every request. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import type { Role } from '@hall/protocol';
import { refusal, type Principal, type StaffPrincipal } from '../app/gateway';
import { HttpError } from './http-error';

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

export function authenticate(access: { resolve(token: string | undefined): Principal }): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    req.principal = access.resolve(bearerToken(req));
    next();
  };
}

export function principal(req: Request): Principal {
  return req.principal ?? { kind: 'anonymous' };
}

/** A staff user with at least `role`. */
export function requireStaff(req: Request, role: Role = 'clerk'): StaffPrincipal {
  const p = principal(req);
  const refused = refusal(p, role);
  if (refused) throw new HttpError(refused);
  return p as StaffPrincipal;
}
