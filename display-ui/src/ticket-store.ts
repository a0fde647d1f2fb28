/** The phone page's state: one tracked ticket, the hall's latest calls, and the rating. */
import { batch, signal } from '@preact/signals';
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
import { shouldAlert } from './ticket-view';

const ELDERLY_KEY = 'hall.phone.elderly';
const TRACK_TIMEOUT_MS = 8000;

export type RatingState = { kind: 'idle' } | { kind: 'sending' } | { kind: 'done'; score: number | null } | { kind: 'error'; error: UiError };

export function createTicketStore(ticketId: string, token: string | null) {
  const connection = signal<'connecting' | 'online' | 'offline'>('connecting');
  const ticket = signal<PublicTicket | null>(null);
  const error = signal<UiError | null>(token ? null : { code: 'QUEUE.NOT_FOUND', message: 'no token' });
  const hall = signal<QueueSnapshot['hall'] | null>(null);
  const calls = signal<RecentCall[]>([]);
  const rating = signal<RatingState>({ kind: 'idle' });
  const elderly = signal(localStorage.getItem(ELDERLY_KEY) === '1');
  const alerted = signal(0);

  function take(next: PublicTicket): void {
    if (next.id !== ticketId) return;
    const prev = ticket.value;
    batch(() => {
      ticket.value = next;
      error.value = null;
      if (shouldAlert(prev, next)) {
        alerted.value++;
        try {
          navigator.vibrate?.([400, 150, 400, 150, 400]);
        } catch {
          // Vibration is a courtesy.
        }
      }
    });
  }

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
        calls.value = snap.recentCalls.slice(0, 5);
      }),
    );
    s.on('call', (call) => (calls.value = [call, ...calls.value.filter((c) => c.ticketId !== call.ticketId)].slice(0, 5)));
  }

  return {
    ticketId,
    connection,
    ticket,
    error,
    hall,
    calls,
    rating,
    elderly,
    alerted,
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
