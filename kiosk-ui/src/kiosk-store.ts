/**
 * The kiosk's state as signals, and the socket that feeds it. Components read the signals and
 * call the actions; nothing else talks to the server.
 */
import { batch, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import {
  NAMESPACES,
  type IssueTicketRequest,
  type IssueTicketResponse,
  type KioskClientEvents,
  type KioskIdCard,
  type KioskServerEvents,
  type KioskSnapshot,
  type PrintOutcome,
  type ServiceSummary,
  type Ticket,
} from '@hall/protocol';
import { apiRequest, toUiError, type UiError } from '@hall/protocol';
import { issueTicket } from './issue-ticket';
import { parseScan } from './scan-code';

type KioskSocket = Socket<KioskServerEvents, KioskClientEvents>;

export type Connection = 'connecting' | 'online' | 'offline' | 'unauthorized';

export interface IssuedTicket {
  ticket: Ticket;
  print: PrintOutcome;
  trackUrl: string | null;
  materials: string[];
  serviceName: string;
  serviceNameEn: string;
}

export type Screen =
  | { kind: 'home' }
  | { kind: 'busy'; what: 'issue' | 'check-in' }
  | { kind: 'need-id'; service: ServiceSummary }
  | { kind: 'result'; issued: IssuedTicket }
  | { kind: 'error'; error: UiError };

/** How long each transient screen stays before the kiosk returns to the start. */
export const SCREEN_SECONDS = { result: 15, error: 8, 'need-id': 30 } as const;
const ISSUE_ACK_TIMEOUT_MS = 8000;
const ID_CARD_KEEP_MS = 60_000;

export function createKioskStore(token: string) {
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
  const page = signal(0);

  let countdown: ReturnType<typeof setInterval> | undefined;
  let cardTimer: ReturnType<typeof setTimeout> | undefined;
  let cardErrorTimer: ReturnType<typeof setTimeout> | undefined;

  const socket: KioskSocket = io(NAMESPACES.kiosk, { auth: { token }, reconnectionDelayMax: 5000 });

  socket.on('connect', () => (connection.value = 'online'));
  socket.on('disconnect', () => (connection.value = 'offline'));
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    const code = err.data?.code ?? err.message;
    if (/^AUTH\./.test(code)) {
      connection.value = 'unauthorized';
      // The server refused the token in its middleware: socket.io does not retry that by itself.
      setTimeout(() => socket.connect(), 30_000);
    } else {
      connection.value = 'offline';
    }
  });
  socket.on('snapshot', (snap) =>
    batch(() => {
      hall.value = snap.hall;
      terminal.value = snap.terminal;
      services.value = snap.services;
    }),
  );
  socket.on('services', (list) => (services.value = list));
  socket.on('printer-status', (status) => (printer.value = status));
  socket.on('id-card', (card) => {
    idCard.value = card;
    idCardError.value = null;
    if (card.elderly) elderly.value = true;
    clearTimeout(cardTimer);
    cardTimer = setTimeout(() => (idCard.value = null), ID_CARD_KEEP_MS);
    const s = screen.value;
    if (s.kind === 'need-id') void issue(s.service);
  });
  // People lift the card before they tap a service: the card stays until it is used or times out.
  socket.on('id-card-removed', () => undefined);
  socket.on('id-card-error', (error) => {
    idCardError.value = error;
    clearTimeout(cardErrorTimer);
    cardErrorTimer = setTimeout(() => (idCardError.value = null), 6000);
  });
  socket.on('scan', ({ text }) => handleScan(text));

  function show(next: Screen): void {
    clearInterval(countdown);
    screen.value = next;
    const seconds = next.kind === 'home' || next.kind === 'busy' ? 0 : SCREEN_SECONDS[next.kind];
    secondsLeft.value = seconds;
    if (seconds > 0) {
      countdown = setInterval(() => {
        secondsLeft.value -= 1;
        if (secondsLeft.value <= 0) reset();
      }, 1000);
    }
  }

  function reset(): void {
    batch(() => {
      show({ kind: 'home' });
      page.value = 0;
      elderly.value = idCard.value?.elderly ?? false;
    });
  }

  function serviceOf(id: string): ServiceSummary | undefined {
    return services.value.find((s) => s.id === id);
  }

  function issued(ticket: Ticket, print: PrintOutcome | undefined, trackUrl: string | undefined): IssuedTicket {
    const service = serviceOf(ticket.serviceId);
    return {
      ticket,
      print: print ?? 'none',
      trackUrl: trackUrl ?? null,
      materials: service?.materials ?? [],
      serviceName: ticket.serviceName || service?.name || '',
      serviceNameEn: service?.nameEn ?? '',
    };
  }

  async function issue(service: ServiceSummary): Promise<void> {
    const card = idCard.value;
    // One key per tap: the HTTP fallback after a lost ack gets the same ticket, not a second one.
    const requestId = newRequestId();
    const req: IssueTicketRequest = card ? { serviceId: service.id, idCardToken: card.cardToken, requestId } : { serviceId: service.id, requestId };
    show({ kind: 'busy', what: 'issue' });
    const result = await issueTicket(req, {
      socketIssue: socket.connected ? (r) => socket.timeout(ISSUE_ACK_TIMEOUT_MS).emitWithAck('issue', r) : null,
      httpIssue: (r) => apiRequest<IssueTicketResponse>('POST', '/api/tickets', { token, body: r }),
    });
    if (card) {
      // A card token is good for one ticket.
      clearTimeout(cardTimer);
      idCard.value = null;
    }
    if (result.ok) show({ kind: 'result', issued: issued(result.value, result.value.print, result.value.trackUrl) });
    else show({ kind: 'error', error: result.error });
  }

  function tapService(service: ServiceSummary): void {
    if (screen.value.kind !== 'home') return;
    if (!service.open) return show({ kind: 'error', error: { code: 'QUEUE.SERVICE_CLOSED', message: 'closed' } });
    if (service.idRequired && !idCard.value) return show({ kind: 'need-id', service });
    void issue(service);
  }

  async function checkIn(code: string): Promise<void> {
    show({ kind: 'busy', what: 'check-in' });
    try {
      const t = await apiRequest<Ticket & { print?: PrintOutcome; trackUrl?: string }>(
        'POST',
        `/api/appointments/${encodeURIComponent(code)}/check-in`,
        { token, body: {} },
      );
      show({ kind: 'result', issued: issued(t, t.print, t.trackUrl) });
    } catch (err) {
      show({ kind: 'error', error: toUiError(err) });
    }
  }

  function handleScan(text: string): void {
    if (screen.value.kind === 'busy') return;
    const meaning = parseScan(text);
    if (meaning.kind === 'appointment') void checkIn(meaning.code);
    else if (meaning.kind === 'ticket') show({ kind: 'error', error: { code: 'SCAN.TICKET', message: 'ticket code' } });
    else show({ kind: 'error', error: { code: 'SCAN.UNKNOWN', message: 'unknown code' } });
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
    page,
    tapService,
    handleScan,
    reset,
    clearCard(): void {
      clearTimeout(cardTimer);
      idCard.value = null;
    },
    close(): void {
      clearInterval(countdown);
      clearTimeout(cardTimer);
      clearTimeout(cardErrorTimer);
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
