/** The phone page's state: one tracked ticket, the hall's day and latest calls, the call alert, and the rating. */
import { batch, effect, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import {
  NAMESPACES,
  type DisplayClientEvents,
  type DisplayServerEvents,
  type PublicTicket,
  type QueueSnapshot,
  type RecentCall,
} from '@hall/protocol';
import { apiRequest, toUiError, type UiError } from '@hall/protocol';
import { createAlertBeep } from './alert-beep';
import { oneCallPerTicket } from './hall-state';
import { effectiveStatus, isFinal, shouldAlert } from './ticket-view';
import { createScreenKeeper } from './wake-lock';

const ELDERLY_KEY = 'hall.phone.elderly';
const TRACK_TIMEOUT_MS = 8000;

/** `off`: not yet unlocked by a touch; `on`: sound (and vibration where there is one) will come; `unavailable`: neither exists here. */
export type AlertsState = 'off' | 'on' | 'unavailable';

export type RatingState = { kind: 'idle' } | { kind: 'sending' } | { kind: 'done'; score: number | null } | { kind: 'error'; error: UiError };

export function createTicketStore(ticketId: string, token: string | null) {
  const connection = signal<'connecting' | 'online' | 'offline'>('connecting');
  const ticket = signal<PublicTicket | null>(null);
  const error = signal<UiError | null>(token ? null : { code: 'QUEUE.NOT_FOUND', message: 'no token' });
  const hall = signal<QueueSnapshot['hall'] | null>(null);
  /** The hall's day and service names (snapshot): a closed day expires the ticket, a transfer names its origin. */
  const today = signal<string | null>(null);
  const serviceNames = signal<Record<string, string>>({});
  const calls = signal<RecentCall[]>([]);
  const rating = signal<RatingState>({ kind: 'idle' });
  const elderly = signal(localStorage.getItem(ELDERLY_KEY) === '1');
  const alerted = signal(0);
  const beep = createAlertBeep();
  const alerts = signal<AlertsState>('off');

  const screen = createScreenKeeper();

  /** Called from a touch: sound needs it, and so does vibration in Chrome; the screen stays on so the page can beep. */
  async function enableAlerts(): Promise<void> {
    const t = ticket.value;
    if (!t || !isFinal(effectiveStatus(t, { today: today.value }))) void screen.keep();
    const sound = await beep.unlock();
    const canVibrate = typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function';
    alerts.value = sound || canVibrate ? 'on' : 'unavailable';
  }
  // Any touch of the page unlocks the alert too (the button is for those who read it). These are
  // the events browsers count as a gesture for audio (a touch's pointerdown is not); asked again
  // on each until sound plays.
  if (typeof document !== 'undefined') {
    const GESTURES = ['pointerup', 'touchend', 'click', 'keydown'] as const;
    const touch = (): void => {
      if (beep.unlocked) {
        for (const ev of GESTURES) document.removeEventListener(ev, touch, true);
        return;
      }
      void enableAlerts();
    };
    for (const ev of GESTURES) document.addEventListener(ev, touch, true);
  }

  function take(next: PublicTicket): void {
    if (next.id !== ticketId) return;
    const prev = ticket.value;
    batch(() => {
      ticket.value = next;
      error.value = null;
      if (shouldAlert(prev, next)) {
        alerted.value++;
        beep.alert();
      }
    });
  }

  // Once the ticket is over, the phone may sleep again.
  effect(() => {
    const t = ticket.value;
    if (t && isFinal(effectiveStatus(t, { today: today.value }))) screen.release();
  });

  let socket: Socket<DisplayServerEvents, DisplayClientEvents> | null = null;
  if (token) {
    // The first read over HTTP shows the ticket even before the socket is up.
    apiRequest<PublicTicket>('GET', `/api/tickets/${encodeURIComponent(ticketId)}?token=${encodeURIComponent(token)}`)
      .then((t) => {
        if (!ticket.value) take(t);
      })
      .catch((err: unknown) => {
        if (!ticket.value) error.value = toUiError(err);
      });

    const s: Socket<DisplayServerEvents, DisplayClientEvents> = io(NAMESPACES.display, {
      auth: { ticketId, trackToken: token },
      reconnectionDelayMax: 5000,
    });
    socket = s;
    s.on('connect', () => {
      connection.value = 'online';
      // Also ask explicitly: the ack says clearly when the ticket is unknown.
      s.timeout(TRACK_TIMEOUT_MS)
        .emitWithAck('track', { ticketId, token })
        .then((res) => {
          if (res.ok) take(res.value);
          else if (!ticket.value) error.value = res.error;
        })
        .catch(() => undefined);
    });
    s.on('disconnect', () => (connection.value = 'offline'));
    s.on('connect_error', () => (connection.value = 'offline'));
    s.on('ticket', take);
    s.on('snapshot', (snap) =>
      batch(() => {
        hall.value = snap.hall;
        today.value = snap.day;
        serviceNames.value = Object.fromEntries(snap.services.map((x) => [x.id, x.name]));
        calls.value = oneCallPerTicket(snap.recentCalls).slice(0, 5);
      }),
    );
    s.on('call', (call) => (calls.value = oneCallPerTicket([call, ...calls.value]).slice(0, 5)));
  }

  return {
    ticketId,
    connection,
    ticket,
    error,
    hall,
    today,
    serviceNames,
    calls,
    rating,
    elderly,
    alerted,
    alerts,
    enableAlerts,
    toggleElderly(): void {
      elderly.value = !elderly.value;
      localStorage.setItem(ELDERLY_KEY, elderly.value ? '1' : '0');
    },
    async rate(score: number, comment: string): Promise<void> {
      if (!token || rating.value.kind === 'sending') return;
      rating.value = { kind: 'sending' };
      try {
        await apiRequest('POST', `/api/tickets/${encodeURIComponent(ticketId)}/rating?token=${encodeURIComponent(token)}`, {
          body: comment.trim() ? { score, comment: comment.trim() } : { score },
        });
        rating.value = { kind: 'done', score };
      } catch (err) {
        const e = toUiError(err);
        rating.value = e.code === 'RATING.DUPLICATE' ? { kind: 'done', score: null } : { kind: 'error', error: e };
      }
    },
    close(): void {
      socket?.close();
    },
  };
}

export type TicketStore = ReturnType<typeof createTicketStore>;
export const TicketContext = createContext<TicketStore | null>(null);
export function useTicket(): TicketStore {
  const s = useContext(TicketContext);
  if (!s) throw new Error('TicketContext missing');
  return s;
}
