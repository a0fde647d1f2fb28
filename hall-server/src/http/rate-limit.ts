/** Per-address limits for public endpoints, and per-address and per-username limits for logins (rate-limiter-flexible). */
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { hallError } from '@hall/protocol';
import { sendError } from './http-error';

function limited(res: Response, e: RateLimiterRes): void {
  sendError(res, hallError('RATE.LIMITED', 'too many requests; slow down'), e.msBeforeNext / 1000);
}

export function rateLimit(pointsPerMinute: number, prefix: string): RequestHandler {
  const limiter = new RateLimiterMemory({ points: pointsPerMinute, duration: 60, keyPrefix: prefix });
  return (req, res, next) => {
    // Staff and terminals reading the hall are known and accountable; the limit is for anonymous callers.
    if (req.principal && req.principal.kind !== 'anonymous') return next();
    limiter
      .consume(req.ip ?? 'unknown')
      .then(() => next())
      .catch((e: unknown) => (e instanceof RateLimiterRes ? limited(res, e) : next(e)));
  };
}

/**
 * Login attempts per client address and per username, whatever Authorization header they carry
 * (a token proves nothing about who is guessing a password). The per-user lockout (lockout.ts)
 * counts failures; this bounds attempts of any outcome.
 *
 * A refused attempt is answered after `holdMs` (a tarpit): a script that retries as soon as it
 * is answered then costs the hall one timer a second per connection instead of a full core of
 * instant 429s, which would otherwise starve the kiosks' tickets of CPU. At most `maxHeld`
 * answers wait at once; beyond that they go out at once, so memory stays bounded.
 */
export function loginLimit(perAddressPerMinute: number, perUserPerMinute: number, { holdMs = 1000, maxHeld = 256 } = {}): RequestHandler {
  const byAddress = new RateLimiterMemory({ points: perAddressPerMinute, duration: 60, keyPrefix: 'login-ip' });
  const byUser = new RateLimiterMemory({ points: perUserPerMinute, duration: 60, keyPrefix: 'login-user' });
  let held = 0;
  const refuse = (res: Response, e: RateLimiterRes): void => {
    if (held >= maxHeld || holdMs <= 0) return limited(res, e);
    held++;
    setTimeout(() => {
      held--;
      if (!res.destroyed) limited(res, e);
    }, Math.min(holdMs, e.msBeforeNext)).unref();
  };
  return (req: Request, res, next) => {
    const username = (req.body as { username?: unknown } | undefined)?.username;
    byAddress
      .consume(req.ip ?? 'unknown')
      .then(() => (typeof username === 'string' ? byUser.consume(username.toLowerCase()) : undefined))
      .then(() => next())
      .catch((e: unknown) => (e instanceof RateLimiterRes ? refuse(res, e) : next(e)));
  };
}
