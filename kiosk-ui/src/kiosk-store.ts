/**
 * The kiosk's state as signals, and the socket that feeds it. Components read the signals and
 * call the actions; nothing else talks to the server. The socket, the timers and the HTTP call
 * are injected (`KioskDeps`), so the citizen journey is tested without a DOM or a wall clock.
 */
import { batch, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { io } from 'socket.io-client';
import {
  NAMESPACES,
  type AckResult,
  type CardAppointment,
  type IssueTicketRequest,
  type IssueTicketResponse,
  type KioskIdCard,
  type KioskPrintResult,
  type KioskSnapshot,
  type PrintOutcome,
  type ReprintResponse,
  type ServiceSummary,
  type Ticket,
} from '@hall/protocol';
import { apiRequest, toUiError, type UiError } from '@hall/protocol';
import { issueTicket } from './issue-ticket';
import type { Lang } from './lang';
import { parseScan } from './scan-code';

export type Connection = 'connecting' | 'online' | 'offline' | 'unauthorized';

export interface IssuedTicket {
  ticket: Ticket;
  trackUrl: string | null;
  materials: string[];
  serviceName: string;
  serviceNameEn: string;
}

/**
 * What became of the slip: `printing` until the printer confirms (`print-result`), `printed`
 * then; `failed` when it did not come out, `unconfirmed` when no answer came in time, `none`
 * when this kiosk has no printer.
 */
export type PrintState = 'printing' | 'printed' | 'failed' | 'unconfirmed' | 'none';

export type Screen =
  | { kind: 'home' }
  | { kind: 'busy'; what: 'issue' | 'check-in' }
  | { kind: 'need-id'; service: ServiceSummary }
  | { kind: 'result'; issued: IssuedTicket }
  /** Typing a booking code on the kiosk's keypad. */
  | { kind: 'code-entry'; digits: string }
  /** The swiped card has bookings today: check one in, or take a ticket as usual. */
  | { kind: 'card-appointments'; bookings: CardAppointment[] }
  | { kind: 'error'; error: UiError };

/**
 * How long each transient screen stays before the kiosk returns to the start (seconds). A
 * ticket without a slip stays long enough to photograph the number or scan the QR code.
 */
export const SCREEN_SECONDS = { result: 15, resultNoSlip: 45, error: 10, 'need-id': 30, card: 30, printConfirm: 10, 'code-entry': 60, 'card-appointments': 30 } as const;
/** Booking codes are 10 digits (protocol AppointmentCode). */
export const APPOINTMENT_CODE_LENGTH = 10;
const ISSUE_ACK_TIMEOUT_MS = 8000;
const CARD_ERROR_MS = 6000;
/** Print results kept for tickets whose issue answer has not arrived yet (socket before HTTP). */
const EARLY_RESULTS_KEPT = 20;

type Handler = (...args: never[]) => void;
/** What the store uses of a socket.io client on /kiosk. */
export interface KioskSocketLike {
  readonly connected: boolean;
  on(event: string, fn: Handler): unknown;
  timeout(ms: number): { emitWithAck(event: 'issue', req: IssueTicketRequest): Promise<unknown> };
  connect(): unknown;
  close(): unknown;
}
export interface KioskTimers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number | undefined): void;
  setInterval(fn: () => void, ms: number): number;
  clearInterval(id: number | undefined): void;
}
export interface KioskDeps {
  socket: KioskSocketLike;
  timers: KioskTimers;
  request<T>(method: string, path: string, opts: { token: string; body?: unknown }): Promise<T>;
}

const browserTimers: KioskTimers = {
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (id) => window.clearTimeout(id),
  setInterval: (fn, ms) => window.setInterval(fn, ms),
  clearInterval: (id) => window.clearInterval(id),
};

export function createKioskStore(token: string, injected: Partial<KioskDeps> = {}) {
  const deps: KioskDeps = {
    socket: injected.socket ?? (io(NAMESPACES.kiosk, { auth: { token }, reconnectionDelayMax: 5000 }) as unknown as KioskSocketLike),
    timers: injected.timers ?? browserTimers,
    request: injected.request ?? ((method, path, opts) => apiRequest(method, path, opts)),
  };
  const { socket, timers } = deps;
  const connection = signal<Connection>('connecting');
  const hall = signal<KioskSnapshot['hall'] | null>(null);
  const terminal = signal<KioskSnapshot['terminal'] | null>(null);
  const services = signal<ServiceSummary[]>([]);
  const idCard = signal<KioskIdCard | null>(null);
  const idCardError = signal<UiError | null>(null);
  const printer = signal<{ status: 'online' | 'offline' | 'error'; detail: string | null } | null>(null);
  const screen = signal<Screen>({ kind: 'home' });
  const secondsLeft = signal(0);
  const elderly = signal(false);
  const lang = signal<Lang>('zh');
  const page = signal(0);
  const print = signal<PrintState>('none');
  /** Reprints asked for the ticket on screen, and whether one is under way. */
  const reprints = signal(0);
  const reprinting = signal(false);

  let countdown: number | undefined;
  let cardTimer: number | undefined;
  let cardErrorTimer: number | undefined;
  let confirmTimer: number | undefined;
  /** Large text switched on by the card (not by the citizen): it goes with the card. */
  let elderlyByCard = false;
  const earlyResults = new Map<string, KioskPrintResult>();

  socket.on('connect', () => (connection.value = 'online'));
  socket.on('disconnect', () => (connection.value = 'offline'));
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    const code = err.data?.code ?? err.message;
    if (/^AUTH\./.test(code)) {
      connection.value = 'unauthorized';
      // The server refused the token in its middleware: socket.io does not retry that by itself.
      timers.setTimeout(() => socket.connect(), 30_000);
    } else {
      connection.value = 'offline';
    }
  });
  socket.on('snapshot', (snap: KioskSnapshot) =>
    batch(() => {
      connection.value = 'online';
      hall.value = snap.hall;
      terminal.value = snap.terminal;
      services.value = snap.services;
    }),
  );
  socket.on('services', (list: ServiceSummary[]) => (services.value = list));
  socket.on('printer-status', (status: { status: 'online' | 'offline' | 'error'; detail: string | null }) => (printer.value = status));
  socket.on('print-result', (r: KioskPrintResult) => takePrintResult(r));
  socket.on('id-card', (card: KioskIdCard) => {
    batch(() => {
      idCard.value = card;
      idCardError.value = null;
      if (card.elderly && !elderly.value) {
        elderly.value = true;
        elderlyByCard = true;
      }
    });
    timers.clearTimeout(cardTimer);
    cardTimer = timers.setTimeout(() => dropCard(), SCREEN_SECONDS.card * 1000);
    const s = screen.value;
    if (s.kind === 'need-id') void issue(s.service);
    else if (s.kind === 'home') void offerBookings(card.cardToken);
  });
  // The card is the citizen's: once lifted, the next person must not inherit its name, per-ID
  // limit or elderly priority (issue 13 item 1).
  socket.on('id-card-removed', () => dropCard());
  socket.on('id-card-error', (error: UiError) => {
    idCardError.value = error;
    timers.clearTimeout(cardErrorTimer);
    cardErrorTimer = timers.setTimeout(() => (idCardError.value = null), CARD_ERROR_MS);
  });
  socket.on('scan', ({ text }: { text: string }) => handleScan(text));

  function dropCard(): void {
    timers.clearTimeout(cardTimer);
    if (!idCard.value) return;
    batch(() => {
      idCard.value = null;
      const s = screen.value.kind;
      if (elderlyByCard && (s === 'home' || s === 'need-id')) {
        elderly.value = false;
        elderlyByCard = false;
        page.value = 0;
      }
    });
  }

  function startCountdown(seconds: number): void {
    timers.clearInterval(countdown);
    secondsLeft.value = seconds;
    if (seconds <= 0) return;
    countdown = timers.setInterval(() => {
      secondsLeft.value -= 1;
      if (secondsLeft.value <= 0) reset();
    }, 1000);
  }

  function show(next: Screen): void {
    timers.clearTimeout(confirmTimer);
    screen.value = next;
    if (next.kind === 'home' || next.kind === 'busy') startCountdown(0);
    else if (next.kind === 'result') startCountdown(print.value === 'printing' || print.value === 'printed' ? SCREEN_SECONDS.result : SCREEN_SECONDS.resultNoSlip);
    else startCountdown(SCREEN_SECONDS[next.kind]);
  }

  /** Back to the start for the next citizen: large text and language as they were before. */
  function reset(): void {
    batch(() => {
      show({ kind: 'home' });
      page.value = 0;
      elderlyByCard = idCard.value?.elderly ?? false;
      elderly.value = elderlyByCard;
      lang.value = 'zh';
      print.value = 'none';
      reprints.value = 0;
    });
  }

  function currentTicketId(): string | null {
    const s = screen.value;
    return s.kind === 'result' ? s.issued.ticket.id : null;
  }

  function setPrint(state: PrintState): void {
    timers.clearTimeout(confirmTimer);
    print.value = state;
    if (state === 'printing') confirmTimer = timers.setTimeout(() => setPrint('unconfirmed'), SCREEN_SECONDS.printConfirm * 1000);
    // No slip: the number and the QR code stay long enough to be kept.
    if ((state === 'failed' || state === 'unconfirmed') && secondsLeft.value < SCREEN_SECONDS.resultNoSlip) startCountdown(SCREEN_SECONDS.resultNoSlip);
  }

  function takePrintResult(r: KioskPrintResult): void {
    if (r.ticketId !== currentTicketId()) {
      earlyResults.set(r.ticketId, r);
      if (earlyResults.size > EARLY_RESULTS_KEPT) earlyResults.delete(earlyResults.keys().next().value as string);
      return;
    }
    if (print.value === 'printing' || print.value === 'unconfirmed') setPrint(r.ok ? 'printed' : 'failed');
  }

  function serviceOf(id: string): ServiceSummary | undefined {
    return services.value.find((s) => s.id === id);
  }

  function showResult(ticket: Ticket, outcome: PrintOutcome | undefined, trackUrl: string | undefined): void {
    const service = serviceOf(ticket.serviceId);
    const early = earlyResults.get(ticket.id);
    earlyResults.delete(ticket.id);
    batch(() => {
      reprints.value = 0;
      const state: PrintState = outcome === 'sent' ? (early ? (early.ok ? 'printed' : 'failed') : 'printing') : outcome === 'failed' ? 'failed' : 'none';
      print.value = state;
      show({
        kind: 'result',
        issued: {
          ticket,
          trackUrl: trackUrl ?? null,
          materials: service?.materials ?? [],
          serviceName: ticket.serviceName || service?.name || '',
          serviceNameEn: service?.nameEn ?? '',
        },
      });
      if (state === 'printing') setPrint('printing');
    });
  }

  async function issue(service: ServiceSummary): Promise<void> {
    const card = idCard.value;
    // One key per tap: the HTTP fallback after a lost ack gets the same ticket, not a second one.
    const requestId = newRequestId();
    const req: IssueTicketRequest = card ? { serviceId: service.id, idCardToken: card.cardToken, requestId } : { serviceId: service.id, requestId };
    show({ kind: 'busy', what: 'issue' });
    const result = await issueTicket(req, {
      socketIssue: socket.connected ? (r) => socket.timeout(ISSUE_ACK_TIMEOUT_MS).emitWithAck('issue', r) as Promise<AckResult<IssueTicketResponse>> : null,
      httpIssue: (r) => deps.request<IssueTicketResponse>('POST', '/api/tickets', { token, body: r }),
    });
    if (card) {
      // A card token is good for one ticket.
      timers.clearTimeout(cardTimer);
      idCard.value = null;
    }
    if (result.ok) showResult(result.value, result.value.print, result.value.trackUrl);
    else show({ kind: 'error', error: closedWhy(result.error, service) });
  }

  /** A closed tile says why (quota, hours…): the refusal says the same, not a generic "closed". */
  function closedWhy(error: UiError, service: ServiceSummary): UiError {
    if (error.code !== 'QUEUE.SERVICE_CLOSED' || !service.closedReason) return error;
    return { ...error, details: { ...error.details, reason: service.closedReason } };
  }

  function tapService(service: ServiceSummary): void {
    if (screen.value.kind !== 'home') return;
    if (!service.open) {
      const code = service.closedReason === 'quota' ? 'QUEUE.QUOTA_REACHED' : 'QUEUE.SERVICE_CLOSED';
      return show({ kind: 'error', error: closedWhy({ code, message: 'closed' }, service) });
    }
    if (service.idRequired && !idCard.value) return show({ kind: 'need-id', service });
    void issue(service);
  }

  async function checkIn(code: string): Promise<void> {
    show({ kind: 'busy', what: 'check-in' });
    try {
      const t = await deps.request<Ticket & { print?: PrintOutcome; trackUrl?: string }>('POST', `/api/appointments/${encodeURIComponent(code)}/check-in`, { token, body: {} });
      showResult(t, t.print, t.trackUrl);
    } catch (err) {
      show({ kind: 'error', error: toUiError(err) });
    }
  }

  /** A card swiped at the start: its bookings today, if any, are offered for check-in. */
  async function offerBookings(cardToken: string): Promise<void> {
    let bookings: CardAppointment[];
    try {
      bookings = await deps.request<CardAppointment[]>('GET', `/api/appointments/by-card?cardToken=${encodeURIComponent(cardToken)}`, { token });
    } catch {
      return; // No bookings shown: the citizen takes a ticket as usual.
    }
    if (!Array.isArray(bookings) || bookings.length === 0) return;
    if (screen.value.kind === 'home' && idCard.value?.cardToken === cardToken) show({ kind: 'card-appointments', bookings });
  }

  /** Checks a booking of the swiped card in; the card goes with it (its token is not needed). */
  function checkInBooking(code: string): void {
    if (screen.value.kind !== 'card-appointments') return;
    void checkIn(code);
  }

  function openCodeEntry(): void {
    if (screen.value.kind === 'home') show({ kind: 'code-entry', digits: '' });
  }

  /** A key of the code keypad: a digit, `back` or `clear`. */
  function typeCode(key: string): void {
    const s = screen.value;
    if (s.kind !== 'code-entry') return;
    const digits = key === 'back' ? s.digits.slice(0, -1) : key === 'clear' ? '' : /^\d$/.test(key) && s.digits.length < APPOINTMENT_CODE_LENGTH ? s.digits + key : s.digits;
    // Each key keeps the screen up for the whole time again.
    show({ kind: 'code-entry', digits });
  }

  function submitCode(): void {
    const s = screen.value;
    if (s.kind === 'code-entry' && s.digits.length === APPOINTMENT_CODE_LENGTH) void checkIn(s.digits);
  }

  function handleScan(text: string): void {
    if (screen.value.kind === 'busy') return;
    const meaning = parseScan(text);
    if (meaning.kind === 'appointment') void checkIn(meaning.code);
    else if (meaning.kind === 'ticket') show({ kind: 'error', error: { code: 'SCAN.TICKET', message: 'ticket code' } });
    else show({ kind: 'error', error: { code: 'SCAN.UNKNOWN', message: 'unknown code' } });
  }

  /** Prints the ticket on screen again (after paper was refilled). */
  async function reprint(): Promise<void> {
    const ticketId = currentTicketId();
    if (!ticketId || reprinting.value) return;
    reprinting.value = true;
    reprints.value += 1;
    // Printing before the answer: the printer's print-result can arrive ahead of the HTTP reply.
    setPrint('printing');
    try {
      const r = await deps.request<ReprintResponse>('POST', `/api/tickets/${encodeURIComponent(ticketId)}/reprint`, { token });
      if (currentTicketId() !== ticketId) return;
      if (r.print !== 'sent') setPrint(r.print === 'failed' ? 'failed' : 'none');
    } catch {
      if (currentTicketId() === ticketId) setPrint('failed');
    } finally {
      reprinting.value = false;
    }
  }

  return {
    token,
    connection,
    hall,
    terminal,
    services,
    idCard,
    idCardError,
    printer,
    screen,
    secondsLeft,
    elderly,
    lang,
    page,
    print,
    reprints,
    reprinting,
    tapService,
    handleScan,
    openCodeEntry,
    typeCode,
    submitCode,
    checkInBooking,
    reset,
    reprint,
    /** The citizen switched large text themselves: it stays until the next citizen. */
    setElderly(on: boolean): void {
      batch(() => {
        elderly.value = on;
        elderlyByCard = false;
        page.value = 0;
      });
    },
    clearCard(): void {
      dropCard();
    },
    close(): void {
      timers.clearInterval(countdown);
      timers.clearTimeout(cardTimer);
      timers.clearTimeout(cardErrorTimer);
      timers.clearTimeout(confirmTimer);
      socket.close();
    },
  };
}

export type KioskStore = ReturnType<typeof createKioskStore>;

export const KioskContext = createContext<KioskStore | null>(null);

export function useKiosk(): KioskStore {
  const store = useContext(KioskContext);
  if (!store) throw new Error('KioskContext missing');
  return store;
}

/** getRandomValues works on plain-HTTP LAN pages, where crypto.randomUUID does not exist. */
function newRequestId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
