/**
 * Typed socket.io event maps, one pair per namespace, shared by the server and every UI.
 * Every (re)connect receives `snapshot` first, then changes. Requests that need an answer use
 * acks (`emitWithAck` with a timeout on the client); an ack is `AckResult<T>`.
 */
import type { IssueTicketRequest, IssueTicketResponse, JournalHealth } from './api';
import type { Device } from './config';
import type { KioskPrintResult } from './desk';
import type { CounterView, QueueSnapshot, RecentCall, ServiceSummary, Ticket } from './domain';
import type { HallError } from './errors';
import type { Alert } from './supervision';

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
  /** How this screen speaks calls: after every snapshot (hall screens and counter screens). */
  voice: (voice: DisplayVoice) => void;
  /**
   * Counter screens (`auth.counterId`) of a counter without an evaluator device: a ticket was
   * finished there, the screen asks its holder to rate (`token` is what the rating needs).
   */
  'rate-prompt': (prompt: RatePrompt | null) => void;
}
/** The hall's voice settings as a screen needs them, and the screen's own zone. */
export interface DisplayVoice {
  playback: 'auto' | 'server';
  muted: boolean;
  /** Spans of hall time (`HH:MM`, end exclusive) in which the screen stays silent. */
  quietHours: { start: string; end: string }[];
  repeat: number;
  /** The zone of this screen's display terminal; null = none. */
  zone: string | null;
  unzonedScreens: 'all' | 'unzoned';
  /** The hall server can make call audio (a voice pack or espeak-ng is there). */
  serverAudio: boolean;
}
export interface RatePrompt {
  ticketId: string;
  ticketNumber: string;
  /** The ticket's track token: `POST /api/tickets/:id/rating?token=`. */
  token: string;
  /** Until when the prompt stays (hall time, ISO). */
  until: string;
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
  /** Counter screen (窗口屏): the counter whose screen this is; only its data is sent. */
  counterId?: string;
}

// ---------- /counter: clerks, supervisors, admins (staff token) ----------
export interface StaffSnapshot extends QueueSnapshot {
  /** Waiting and called tickets (staff may see masked holder names). */
  tickets: Ticket[];
  me: { id: string; name: string; role: 'admin' | 'supervisor' | 'clerk'; counterId: string | null };
  /** A failed journal refuses every write until it recovers: the consoles say so. */
  journal: JournalHealth;
}
export interface CounterServerEvents {
  snapshot: (snapshot: StaffSnapshot) => void;
  call: (call: RecentCall) => void;
  services: (services: ServiceSummary[]) => void;
  counter: (counter: CounterView) => void;
  ticket: (ticket: Ticket) => void;
  /** Device health changed (supervisors, admins). */
  device: (device: { id: string; status: 'online' | 'offline' | 'error'; detail: string | null }) => void;
  /** An 电子监察 alert was raised, cleared or acknowledged (supervisors, admins). */
  alert: (alert: Alert) => void;
}
/** Staff act over REST (`POST /api/counters/:id/<action>`); the socket only listens. */
export type CounterClientEvents = Record<string, never>;
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
  /** Whether the slip of a ticket this kiosk issued (or reprinted) came out of its printer. */
  'print-result': (result: KioskPrintResult) => void;
}
export interface KioskClientEvents {
  issue: (req: IssueTicketRequest, ack: (res: AckResult<IssueTicketResponse>) => void) => void;
}
export interface KioskAuth {
  token: string;
}

// ---------- /kiosk with `auth.agent: true`: the kiosk PC's `hall-server agent` ----------
// The agent drives the devices attached to its terminal (printer, ID reader, scanner) and relays
// them to the hall server, which still owns every device: the config, the print jobs, the card
// tokens. Agent sockets join the `agent` room, never the kiosk's own room.

/** `auth` of an agent socket: the kiosk terminal's token plus the flag. */
export interface AgentAuth extends KioskAuth {
  agent: true;
}

/** One ticket for the agent's printer; everything display-ready, no ID number (drivers' TicketPrintJob). */
export interface AgentPrintJob {
  hallName: string;
  serviceName: string;
  ticketNumber: string;
  priorityLabel: string | null;
  waitingAhead: number;
  estimatedWaitMinutes: number | null;
  issuedAt: string;
  trackUrl: string;
  materials: string[];
  maskedHolderName: string | null;
  footerLines: string[];
}

/**
 * A card read by the agent's reader. RAW personal data: it crosses the hall LAN once, agent →
 * hall server, because only the hall server holds the keyed-hash key; the server hashes the
 * number and masks the name at once and never stores, logs or forwards these fields.
 */
export interface AgentIdCard {
  name: string;
  idNumber: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** `YYYY-MM-DD`; null = valid long-term (长期). */
  validTo: string | null;
}

export interface AgentDeviceHealth {
  deviceId: string;
  status: 'online' | 'offline' | 'error';
  detail: string | null;
}

export interface AgentServerEvents {
  /** The devices attached to the agent's terminal (on connect and after every change). */
  devices: (devices: Device[]) => void;
  /** Print one ticket on that printer; the ack says whether it reached the printer. */
  print: (req: { deviceId: string; job: AgentPrintJob }, ack: (res: AckResult<null>) => void) => void;
  /** Simulator controls for a `{ type: 'simulated' }` device the agent runs (admin console, tests). */
  simulate: (req: { deviceId: string; action: Record<string, unknown> }, ack: (res: AckResult<Record<string, unknown>>) => void) => void;
}
export interface AgentClientEvents {
  'device-health': (health: AgentDeviceHealth) => void;
  'id-card': (swipe: { deviceId: string; card: AgentIdCard }) => void;
  'id-card-removed': (ev: { deviceId: string }) => void;
  'id-card-error': (ev: { deviceId: string; code: string; message: string }) => void;
  scan: (scan: { deviceId: string; text: string }) => void;
}
