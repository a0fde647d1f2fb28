/** Per-address limits for login and public endpoints (rate-limiter-flexible). */
import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { hallError } from '@hall/protocol';
import { sendError } from './http-error';

export function rateLimit(pointsPerMinute: number, prefix: string): RequestHandler {
  const limiter = new RateLimiterMemory({ points: pointsPerMinute, duration: 60, keyPrefix: prefix });
  return (req, res, next) => {
    // Staff and terminals are known and accountable; the limit is for anonymous callers.
    if (req.principal && req.principal.kind !== 'anonymous') return next();
    limiter
      .consume(req.ip ?? 'unknown')
      .then(() => next())
      .catch((e: unknown) => {
        if (e instanceof RateLimiterRes) {
          return sendError(res, hallError('RATE.LIMITED', 'too many requests; slow down'), e.msBeforeNext / 1000);
        }
        next(e);
      });
  };
}
