/**
 * The hall's two hot endpoints, `POST /api/tickets` (a kiosk issuing a ticket) and
 * `POST /api/counters/:id/:action` (a clerk calling, starting, finishing…), answered straight on
 * node:http ahead of Express. Measured with 20 kiosks issuing at full speed, Express's router,
 * body-parser, raw-body and helmet took about 45% of the server's CPU per ticket and made most
 * of its garbage (docs/PERFORMANCE.md).
 *
 * The contract does not change: the same route functions (queue-routes.ts), guards, error codes,
 * 64 KiB body limit and headers (the API's, security-headers.ts). Anything unusual (a compressed
 * body, a charset other than UTF-8, an escaped path, another method or spelling of the path) goes
 * on to Express, which keeps these routes and answers it as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hallError, httpStatusOf, type HallError } from '@hall/protocol';
import { resolveToken, type HallContext, type Principal } from '../app/context';
import { bearerToken } from './guards';
import { errorReply, HttpError } from './http-error';
import { counterActionRoute, issueTicketRoute, type RouteReply } from './queue-routes';
import { API_SECURITY_HEADERS } from './security-headers';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type Route = (p: Principal, body: unknown) => Promise<RouteReply>;

/** The same limit as the Express app's JSON parser. */
export const FAST_LANE_BODY_LIMIT = 64 * 1024;
const COUNTER_ACTION_RE = /^\/api\/counters\/([^/%]+)\/([^/%]+)$/;
const CHARSET_RE = /;\s*charset\s*=\s*"?([^";\s]+)/i;

export function withFastLane(ctx: HallContext, next: Listener): Listener {
  // A flat [name, value, …] list: node:http takes it as it is, with no object to build and walk per answer.
  const fixed: string[] = [...API_SECURITY_HEADERS, ['Content-Type', 'application/json; charset=utf-8']].flat();

  const routeOf = (path: string): Route | undefined => {
    if (path === '/api/tickets') return (p, body) => issueTicketRoute(ctx, p, body);
    const m = COUNTER_ACTION_RE.exec(path);
    if (!m) return undefined;
    const [, counterId, action] = m as unknown as [string, string, string];
    return (p, body) => counterActionRoute(ctx, p, counterId, action, body);
  };

  const send = (res: ServerResponse, status: number, body: unknown, retryAfterSeconds?: number): void => {
    if (res.headersSent || res.destroyed) return;
    // As bytes: node:http would otherwise join its (one-byte) header text to the (two-byte,
    // Chinese) JSON text into one string before encoding, a copy twice the answer's size.
    const json = Buffer.from(JSON.stringify(body), 'utf8');
    const headers = [...fixed, 'Content-Length', String(json.length)];
    if (retryAfterSeconds !== undefined) headers.push('Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds))));
    res.writeHead(status, headers);
    res.end(json);
  };
  const sendError = (res: ServerResponse, error: HallError, retryAfterSeconds?: number): void =>
    send(res, httpStatusOf(error.code), { error }, retryAfterSeconds);

  const run = async (req: IncomingMessage, res: ServerResponse, path: string, route: Route, raw: Buffer): Promise<void> => {
    try {
      const body = parseJsonBody(raw);
      const out = await route(resolveToken(ctx, bearerToken(req)), body);
      send(res, out.status, out.body);
    } catch (err) {
      const r = errorReply(err, ctx.log, { method: req.method, path });
      sendError(res, r.error, r.retryAfterSeconds);
    }
  };

  return (req, res) => {
    if (req.method !== 'POST') return next(req, res);
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = routeOf(path);
    if (!route || !plainUtf8(req)) return next(req, res);

    const declared = Number(req.headers['content-length']);
    if (declared > FAST_LANE_BODY_LIMIT) {
      req.resume();
      return sendError(res, hallError('PROTOCOL.PAYLOAD_TOO_LARGE', 'request body too large'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > FAST_LANE_BODY_LIMIT) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.resume();
        sendError(res, hallError('PROTOCOL.PAYLOAD_TOO_LARGE', 'request body too large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      void run(req, res, path, route, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    // A client that goes away mid-body is simply dropped, as Express does.
    req.on('error', () => undefined);
  };
}

/** No content coding and UTF-8 (or no charset): the only bodies this lane decodes itself. */
function plainUtf8(req: IncomingMessage): boolean {
  const coding = req.headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') return false;
  const type = req.headers['content-type'];
  if (type === undefined) return true;
  const charset = CHARSET_RE.exec(type)?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/** As `express.json({ strict: true })`: empty is `{}`; otherwise an object or array, or a 400. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'malformed JSON body'));
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(hallError('PROTOCOL.INVALID_PAYLOAD', 'malformed JSON body'));
  }
}
