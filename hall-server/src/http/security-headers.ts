/**
 * The security headers of every response, in one place: helmet for the Express app, and the same
 * headers as a fixed list for the routes served straight on node:http (fast-lane.ts).
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

export function securityHeadersMiddleware(): ReturnType<typeof helmet> {
  return helmet(OPTIONS);
}

/**
 * What helmet sets, captured once by running it against a recording response: the headers do
 * not depend on the request with these options (no nonces), so they can be written as a list.
 */
export function securityHeaderList(): Array<[string, string]> {
  const headers = new Map<string, string>();
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return res;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
    getHeader(name: string) {
      return headers.get(name);
    },
  };
  let done = false;
  helmet(OPTIONS)({} as IncomingMessage, res as unknown as ServerResponse, () => void (done = true));
  if (!done) throw new Error('helmet did not finish synchronously; the fast lane cannot copy its headers');
  return [...headers];
}
