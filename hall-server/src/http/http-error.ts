/**
 * The edge where expected failures become HTTP statuses. Handlers return or throw HallErrors;
 * everything unexpected becomes a 500 with a generic message (details only in the log).
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { hallError, httpStatusOf, isHallError, type ErrorCode, type HallError } from '@hall/protocol';
import type { ZodError, ZodType } from 'zod';
import { describeZodError } from '@hall/protocol';

export class HttpError extends Error {
  constructor(readonly error: HallError, readonly retryAfterSeconds?: number) {
    super(error.message);
  }
}

export const httpError = (code: ErrorCode, message: string, details?: Record<string, unknown>): HttpError =>
  new HttpError(hallError(code, message, details));

export function sendError(res: Response, error: HallError, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  res.status(httpStatusOf(error.code)).json({ error });
}

/** Parses with a zod schema or throws a 400 naming the field. */
export function parseBody<T>(schema: ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(r.error as ZodError)));
  return r.data;
}

export const notFoundRoute: RequestHandler = (req, res) => {
  sendError(res, hallError('ROUTE.NOT_FOUND', `no route ${req.method} ${req.path}`));
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

export function errorHandler(log: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) return sendError(res, err.error, err.retryAfterSeconds);
    if (isHallError(err)) return sendError(res, err);
    const e = err as BodyParserError;
    if (e.type === 'entity.parse.failed') return sendError(res, hallError('PROTOCOL.INVALID_PAYLOAD', 'malformed JSON body'));
    if (e.type === 'entity.too.large') return sendError(res, hallError('PROTOCOL.PAYLOAD_TOO_LARGE', 'request body too large'));
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' || e.status === 400 || e.status === 415) {
      return sendError(res, hallError('PROTOCOL.INVALID_PAYLOAD', e.message || 'bad request'));
    }
    log.error({ err: { name: e.name, message: e.message, stack: e.stack }, method: req.method, path: req.path }, 'request failed');
    sendError(res, hallError('SERVER.INTERNAL', 'internal error'));
  };
}
