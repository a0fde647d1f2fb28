/**
 * Staff state: the login, the /counter socket and the snapshot it keeps current, and the
 * counter actions (REST, one at a time). Pages read the signals and call the actions.
 */
import { batch, computed, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import {
  NAMESPACES,
  type CounterAction,
  type Alert,
  type CounterActionResponse,
  type CounterClientEvents,
  type CounterServerEvents,
  type CounterToday,
  type LoginResponse,
  type StaffSnapshot,
  type Ticket,
} from '@hall/protocol';
import { apiRequest, toUiError, type UiError } from '@hall/protocol';
import { describeError } from './error-messages';
import { loadSession, saveSession, SESSION_KEY, type Session } from './session';
import { applyCall, applyCounter, applyServices, applyTicket, myCounter, touchesToday } from './staff-state';

export type Connection = 'connecting' | 'online' | 'offline';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export function createStaffStore() {
  const session = signal<Session | null>(loadSession(sessionStorage, Date.now()));
  const connection = signal<Connection>('connecting');
  const snapshot = signal<StaffSnapshot | null>(null);
  const busy = signal<string | null>(null);
  const toasts = signal<Toast[]>([]);
  /** The desk's day figures from the server (never kept in the tab), for the counter signed in at. */
  const today = signal<CounterToday | null>(null);
  const devices = signal<Record<string, { status: string; detail: string | null }>>({});
  /** The last 电子监察 alert pushed to this supervisor (raised, acknowledged or cleared); panels merge it. */
  const alertPush = signal<Alert | null>(null);
  const mine = computed(() => (snapshot.value ? myCounter(snapshot.value) : null));

  let socket: Socket<CounterServerEvents, CounterClientEvents> | null = null;
  let toastId = 0;

  function toast(kind: Toast['kind'], text: string): void {
    const t = { id: ++toastId, kind, text };
    toasts.value = [...toasts.value.slice(-3), t];
    setTimeout(() => (toasts.value = toasts.value.filter((x) => x.id !== t.id)), kind === 'error' ? 8000 : 4000);
  }

  function fail(error: UiError): void {
    if (error.code === 'AUTH.REQUIRED') {
      endSession();
      toast('error', '登录已失效，请重新登录 (AUTH.REQUIRED)');
      return;
    }
    toast('error', describeError(error));
  }

  let todayTimer: ReturnType<typeof setTimeout> | undefined;
  let todaySeq = 0;
  /** Asks the server for the desk's figures soon; bursts of events make one request. */
  function refreshToday(delayMs = 150): void {
    clearTimeout(todayTimer);
    todayTimer = setTimeout(() => void loadToday(), delayMs);
  }
  async function loadToday(): Promise<void> {
    const counterId = mine.value?.id;
    const seq = ++todaySeq;
    if (!counterId) {
      today.value = null;
      return;
    }
    const r = await call<CounterToday>('GET', `/api/counters/${encodeURIComponent(counterId)}/today`, undefined, true);
    // A later request (or a change of counter) wins over an answer that arrives late.
    if (seq !== todaySeq) return;
    if (r.ok) today.value = r.value;
  }

  function takeTicket(t: Ticket): void {
    if (snapshot.value) snapshot.value = applyTicket(snapshot.value, t);
    const counterId = mine.value?.id;
    if (counterId && touchesToday(counterId, today.value, t)) refreshToday();
  }

  function connect(token: string): void {
    socket?.close();
    connection.value = 'connecting';
    const s: Socket<CounterServerEvents, CounterClientEvents> = io(NAMESPACES.counter, { auth: { token }, reconnectionDelayMax: 5000 });
    socket = s;
    s.on('connect', () => (connection.value = 'online'));
    s.on('disconnect', () => (connection.value = 'offline'));
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code ?? err.message;
      if (/^AUTH\./.test(code)) fail({ code: 'AUTH.REQUIRED', message: err.message });
      else connection.value = 'offline';
    });
    s.on('snapshot', (snap) => {
      snapshot.value = { ...snap, counters: [...snap.counters].sort((a, b) => a.number - b.number) };
      // Every (re)connect, a new day or a server restart included, reads the figures again.
      refreshToday(0);
    });
    s.on('ticket', takeTicket);
    s.on('counter', (c) => {
      if (!snapshot.value) return;
      const before = mine.value?.id;
      snapshot.value = applyCounter(snapshot.value, c);
      if (mine.value?.id !== before) refreshToday(0);
    });
    s.on('services', (list) => {
      if (snapshot.value) snapshot.value = applyServices(snapshot.value, list);
    });
    s.on('call', (call) => {
      if (snapshot.value) snapshot.value = applyCall(snapshot.value, call);
    });
    s.on('device', (d) => (devices.value = { ...devices.value, [d.id]: { status: d.status, detail: d.detail } }));
    s.on('alert', (a) => (alertPush.value = a));
  }

  function endSession(): void {
    socket?.close();
    socket = null;
    sessionStorage.removeItem(SESSION_KEY);
    clearTimeout(todayTimer);
    batch(() => {
      session.value = null;
      snapshot.value = null;
      today.value = null;
      connection.value = 'connecting';
    });
  }

  if (session.value) connect(session.value.token);

  /** An authenticated REST call; errors come back as values and are also shown. */
  async function call<T>(method: string, path: string, body?: unknown, quiet = false): Promise<{ ok: true; value: T } | { ok: false; error: UiError }> {
    try {
      const value = await apiRequest<T>(method, path, { token: session.value?.token ?? null, body });
      return { ok: true, value };
    } catch (err) {
      const error = toUiError(err);
      if (!quiet || error.code === 'AUTH.REQUIRED') fail(error);
      return { ok: false, error };
    }
  }

  const fetching = new Set<string>();
  /**
   * Makes sure an active ticket's details are known (the snapshot may list only numbers):
   * staff may read any ticket over REST.
   */
  function ensureTicket(id: string): void {
    const snap = snapshot.value;
    if (!snap || fetching.has(id) || snap.tickets.some((t) => t.id === id)) return;
    fetching.add(id);
    void call<Ticket>('GET', `/api/tickets/${encodeURIComponent(id)}`, undefined, true).then((r) => {
      fetching.delete(id);
      if (r.ok && r.value?.id === id) takeTicket(r.value);
    });
  }

  return {
    session,
    connection,
    ensureTicket,
    snapshot,
    mine,
    busy,
    toasts,
    today,
    devices,
    alertPush,
    toast,
    call,
    async login(username: string, password: string): Promise<UiError | null> {
      try {
        const res = await apiRequest<LoginResponse>('POST', '/api/auth/login', { body: { username, password } });
        session.value = saveSession(sessionStorage, res);
        connect(res.token);
        return null;
      } catch (err) {
        return toUiError(err);
      }
    },
    async logout(): Promise<void> {
      const token = session.value?.token;
      endSession();
      if (token) await apiRequest('POST', '/api/auth/logout', { token }).catch(() => undefined);
    },
    /** Runs one counter action over REST; returns the response, or null after showing the error. */
    async act(req: CounterAction): Promise<CounterActionResponse | null> {
      if (busy.value) return null;
      busy.value = req.action;
      try {
        const { action, counterId, ...body } = req;
        const r = await call<CounterActionResponse>('POST', `/api/counters/${encodeURIComponent(counterId)}/${action}`, body);
        if (!r.ok) return null;
        batch(() => {
          if (snapshot.value) snapshot.value = applyCounter(snapshot.value, r.value.counter);
          if (r.value.ticket) takeTicket(r.value.ticket);
        });
        refreshToday(0);
        return r.value;
      } finally {
        busy.value = null;
      }
    },
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;
export const StaffContext = createContext<StaffStore | null>(null);
export function useStaff(): StaffStore {
  const s = useContext(StaffContext);
  if (!s) throw new Error('StaffContext missing');
  return s;
}
