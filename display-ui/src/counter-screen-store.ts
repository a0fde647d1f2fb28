/** A counter screen's state: its counter's cut-down snapshot from /display, and the rating prompt. */
import { batch, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import { apiRequest, NAMESPACES, toUiError, type DisplayClientEvents, type DisplayServerEvents, type QueueSnapshot, type RatePrompt } from '@hall/protocol';
import { clockSkewMs, offsetMinutesOf } from './clock';
import { applyCall, applyCounter } from './hall-state';
import type { Connection } from './hall-store';

export type RateState = { kind: 'idle' } | { kind: 'sending' } | { kind: 'thanks' } | { kind: 'error'; code: string };

/** How long the thanks stay after a rating (ms). */
const THANKS_MS = 8000;

export function createCounterScreenStore(counterId: string, token: string | null) {
  const connection = signal<Connection | 'no-counter'>('connecting');
  const snapshot = signal<QueueSnapshot | null>(null);
  const prompt = signal<RatePrompt | null>(null);
  const rate = signal<RateState>({ kind: 'idle' });
  const skewMs = signal(0);
  const offsetMinutes = signal<number>(-new Date().getTimezoneOffset());

  const socket: Socket<DisplayServerEvents, DisplayClientEvents> = io(NAMESPACES.display, {
    auth: token ? { counterId, token } : { counterId },
    reconnectionDelayMax: 5000,
  });
  socket.on('connect', () => (connection.value = 'online'));
  socket.on('disconnect', () => (connection.value = 'offline'));
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    const code = err.data?.code ?? err.message;
    if (code === 'COUNTER.NOT_FOUND') connection.value = 'no-counter';
    else if (/^AUTH\./.test(code)) connection.value = 'unauthorized';
    else connection.value = 'offline';
    // socket.io does not retry a refused handshake by itself.
    if (connection.value !== 'offline') setTimeout(() => socket.connect(), 30_000);
  });
  socket.on('snapshot', (snap) =>
    batch(() => {
      snapshot.value = snap;
      skewMs.value = clockSkewMs(snap.at, Date.now());
      const off = offsetMinutesOf(snap.at);
      if (off !== null) offsetMinutes.value = off;
    }),
  );
  socket.on('counter', (c) => {
    if (snapshot.value && c.id === counterId) snapshot.value = applyCounter(snapshot.value, c);
  });
  socket.on('call', (call) => {
    if (snapshot.value) snapshot.value = applyCall(snapshot.value, call);
  });
  socket.on('rate-prompt', (p) =>
    batch(() => {
      prompt.value = p;
      if (p) rate.value = { kind: 'idle' };
    }),
  );

  let thanksTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    counterId,
    connection,
    snapshot,
    prompt,
    rate,
    skewMs,
    offsetMinutes,
    async submit(score: number): Promise<void> {
      const p = prompt.value;
      if (!p || rate.value.kind === 'sending') return;
      rate.value = { kind: 'sending' };
      try {
        await apiRequest('POST', `/api/tickets/${encodeURIComponent(p.ticketId)}/rating?token=${encodeURIComponent(p.token)}`, { body: { score } });
        rate.value = { kind: 'thanks' };
      } catch (err) {
        const e = toUiError(err);
        // Rated meanwhile (on the phone): thank them all the same.
        rate.value = e.code === 'RATING.DUPLICATE' ? { kind: 'thanks' } : { kind: 'error', code: e.code };
      }
      if (rate.value.kind === 'thanks') {
        clearTimeout(thanksTimer);
        thanksTimer = setTimeout(() => {
          if (prompt.value?.ticketId === p.ticketId) prompt.value = null;
          rate.value = { kind: 'idle' };
        }, THANKS_MS);
      }
    },
    close(): void {
      clearTimeout(thanksTimer);
      socket.close();
    },
  };
}

export type CounterScreenStore = ReturnType<typeof createCounterScreenStore>;
export const CounterScreenContext = createContext<CounterScreenStore | null>(null);
export function useCounterScreen(): CounterScreenStore {
  const s = useContext(CounterScreenContext);
  if (!s) throw new Error('CounterScreenContext missing');
  return s;
}
