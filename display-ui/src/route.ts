/**
 * The display app serves three pages: the hall screen at /display, a counter screen (窗口屏) at
 * /display/counter/:counterId and the phone page at /ticket/:id. `?token=` is a display
 * terminal's token (pairing) or, on the phone page, the ticket's track token.
 */
export type Route =
  | { kind: 'hall'; token: string | null; layout: HallLayout | null }
  | { kind: 'counter'; counterId: string; token: string | null }
  | { kind: 'ticket'; ticketId: string; token: string | null }
  /** 预约办事 (phone booking page); `?code=` opens a booking. */
  | { kind: 'book'; code: string | null };

/** A forced hall screen layout (`?layout=`); null = chosen by the screen's shape and the hall. */
export type HallLayout = 'wide' | 'portrait' | 'single';

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  const token = params.get('token')?.trim() || null;
  if (/^\/book\/?$/.test(pathname)) return { kind: 'book', code: params.get('code')?.trim() || null };
  const ticket = /^\/ticket\/([^/]+)\/?$/.exec(pathname);
  if (ticket?.[1]) return { kind: 'ticket', ticketId: decode(ticket[1]), token };
  const counter = /^\/display\/counter\/([^/]+)\/?$/.exec(pathname);
  if (counter?.[1]) return { kind: 'counter', counterId: decode(counter[1]), token };
  const layout = params.get('layout');
  return { kind: 'hall', token, layout: layout === 'wide' || layout === 'portrait' || layout === 'single' ? layout : null };
}
