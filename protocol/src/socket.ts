/**
 * Typed socket.io event maps, one pair per namespace, shared by the server and every UI.
 * Every (re)connect receives `snapshot` first, then changes. Requests that need an answer use
 * acks (`emitWithAck` with a timeout on the client); an ack is `AckResult<T>`.
 */
import type { CounterActionResponse, IssueTicketRequest, IssueTicketResponse } from './api';
import type { CounterView, QueueSnapshot, RecentCall, ServiceSummary, Ticket } from './domain';
import type { HallError } from './errors';

export type AckResult<T> = { ok: true; value: T } | { ok: false; error: HallError };

export const NAMESPACES = { display: '/display', counter: '/counter', kiosk: '/kiosk' } as const;

/** A ticket as the public may see it (phone page): no holder, no token. */
export type PublicTicket = Omit<Ticket, 'holderName' | 'trackToken'>;

// ---------- /display: hall screens and the phone page (public, read-only) ----------
export interface DisplayServerEvents {
  snapshot: (snapshot: QueueSnapshot) => void;
  call: (call: RecentCall) => void;
  services: (services: ServiceSummary[]) => void;
  counter: (counter: CounterView) => void;
  /** The tracked ticket changed (only to sockets tracking it). */
  ticket: (ticket: PublicTicket) => void;
}
export interface DisplayClientEvents {
  /** The phone page follows one ticket; the token is the ticket's trackToken. */
  track: (req: { ticketId: string; token: string }, ack: (res: AckResult<PublicTicket>) => void) => void;
}
/** `auth` of a /display socket. */
export interface DisplayAuth {
  /** Display terminal token: picks the screen's zone. */
  token?: string;
  /** Phone page: ticket to follow from the start. */
  ticketId?: string;
  trackToken?: string;
}

// ---------- /counter: clerks, supervisors, admins (staff token) ----------
export type CounterAction =
  | { action: 'sign-in' | 'sign-out' | 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'resume'; counterId: string }
  | { action: 'call' | 'requeue'; counterId: string; ticketNumber: string }
  | { action: 'transfer'; counterId: string; serviceId: string }
  | { action: 'pause'; counterId: string; reason: string };

export interface StaffSnapshot extends QueueSnapshot {
  /** Waiting and called tickets (staff may see masked holder names). */
  tickets: Ticket[];
  me: { id: string; name: string; role: 'admin' | 'supervisor' | 'clerk'; counterId: string | null };
}
export interface CounterServerEvents {
  snapshot: (snapshot: StaffSnapshot) => void;
  call: (call: RecentCall) => void;
  services: (services: ServiceSummary[]) => void;
  counter: (counter: CounterView) => void;
  ticket: (ticket: Ticket) => void;
  /** Device health changed (supervisors, admins). */
  device: (device: { id: string; status: 'online' | 'offline' | 'error'; detail: string | null }) => void;
}
export interface CounterClientEvents {
  action: (req: CounterAction, ack: (res: AckResult<CounterActionResponse>) => void) => void;
}
export interface CounterAuth {
  token: string;
}

// ---------- /kiosk: ticket dispensers (terminal token) and kiosk agents ----------
export interface KioskSnapshot {
  hall: { id: string; name: string; level: string };
  terminal: { id: string; name: string };
  services: ServiceSummary[];
  elderlyAge: number;
  at: string;
}
/** A card swiped on this kiosk's reader, as the kiosk may see it. */
export interface KioskIdCard {
  /** One-time reference to send back as `idCardToken`; the number stays on the server. */
  cardToken: string;
  maskedName: string;
  elderly: boolean;
  validUntil: string | null;
}
export interface KioskServerEvents {
  snapshot: (snapshot: KioskSnapshot) => void;
  services: (services: ServiceSummary[]) => void;
  'id-card': (card: KioskIdCard) => void;
  'id-card-removed': () => void;
  'id-card-error': (error: HallError) => void;
  /** A code read by a scanner attached to this kiosk. */
  scan: (scan: { text: string }) => void;
  'printer-status': (status: { status: 'online' | 'offline' | 'error'; detail: string | null }) => void;
}
export interface KioskClientEvents {
  issue: (req: IssueTicketRequest, ack: (res: AckResult<IssueTicketResponse>) => void) => void;
}
export interface KioskAuth {
  token: string;
}
