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

/** How a thrown error is answered: its HallError (a 500 for anything unexpected) and Retry-After. */
export function errorReply(
  err: unknown,
  log: { error: (obj: object, msg: string) => void },
  where: { method: string | undefined; path: string },
): { error: HallError; retryAfterSeconds?: number } {
  if (err instanceof HttpError) return err.retryAfterSeconds === undefined ? { error: err.error } : { error: err.error, retryAfterSeconds: err.retryAfterSeconds };
  if (isHallError(err)) return { error: err };
  const e = err as BodyParserError;
  if (e.type === 'entity.parse.failed') return { error: hallError('PROTOCOL.INVALID_PAYLOAD', 'malformed JSON body') };
  if (e.type === 'entity.too.large') return { error: hallError('PROTOCOL.PAYLOAD_TOO_LARGE', 'request body too large') };
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' || e.status === 400 || e.status === 415) {
    return { error: hallError('PROTOCOL.INVALID_PAYLOAD', e.message || 'bad request') };
  }
  log.error({ err: { name: e.name, message: e.message, stack: e.stack }, method: where.method, path: where.path }, 'request failed');
  return { error: hallError('SERVER.INTERNAL', 'internal error') };
}

export function errorHandler(log: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    const r = errorReply(err, log, { method: req.method, path: req.path });
    sendError(res, r.error, r.retryAfterSeconds);
  };
}
