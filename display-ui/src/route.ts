/** The display app serves two pages: the hall screen at /display and the phone page at /ticket/:id. */
export type Route = { kind: 'hall'; token: string | null } | { kind: 'ticket'; ticketId: string; token: string | null };

export function parseRoute(pathname: string, search: string): Route {
  const token = new URLSearchParams(search).get('token')?.trim() || null;
  const m = /^\/ticket\/([^/]+)\/?$/.exec(pathname);
  if (m?.[1]) {
    let ticketId: string;
    try {
      ticketId = decodeURIComponent(m[1]);
    } catch {
      ticketId = m[1];
    }
    return { kind: 'ticket', ticketId, token };
  }
  return { kind: 'hall', token };
}
