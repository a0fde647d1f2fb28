/**
 * The security headers of every response, in one place. Pages and files (the UIs) get helmet's
 * set, tuned for a LAN hall. The JSON API (`/api/…`) gets
 * the short set OWASP's REST cheat sheet names for APIs: a JSON answer is never a document, so
 * the document-only headers (a CSP for scripts and styles, DNS prefetch, IE download and Flash
 * policies, the XSS auditor switch) do nothing there but make every answer ~450 bytes longer,
 * which costs the server and every kiosk a little on each of thousands of tickets a day. Should
 * an API answer ever be opened as a page, its CSP lets it load nothing and be framed nowhere.
 */
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type HelmetOptions = NonNullable<Parameters<typeof helmet>[0]>;

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      // Halls run on plain HTTP on the LAN: never ask browsers to upgrade to HTTPS.
      upgradeInsecureRequests: null,
      'script-src': ["'self'"],
      'connect-src': ["'self'", 'ws:', 'wss:'],
      'img-src': ["'self'", 'data:', 'blob:'],
      'media-src': ["'self'", 'data:', 'blob:'],
    },
  },
  strictTransportSecurity: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
};

/** The headers of every `/api` answer, whoever answers it (the API router, the device simulator routes). */
export const API_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Cache-Control', 'no-store'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/** `/api` and below, spelled as Express matches it (case-insensitive). */
const API_PATH_RE = /^\/api(?:\/|$)/i;

type Middleware = (req: IncomingMessage & { path: string }, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Express middleware setting the API's headers. */
export const apiSecurityHeaders: Middleware = (_req, res, next) => {
  for (const [name, value] of API_SECURITY_HEADERS) res.setHeader(name, value);
  next();
};

/** Express middleware: the API's short set under `/api`, helmet's set everywhere else. */
export function securityHeadersMiddleware(): Middleware {
  const pages = helmet(OPTIONS);
  return (req, res, next) => (API_PATH_RE.test(req.path) ? apiSecurityHeaders : pages)(req, res, next);
}
