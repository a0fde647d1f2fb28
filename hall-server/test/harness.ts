/**
 * Integration harness: a real hall server on port 0 with a temp data folder, driven over HTTP
 * and real socket.io clients. Never the wall clock for behaviour: demo services issue at every
 * hour, and tests that need a time pass a clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { startHall, type HallOptions, type RunningHall } from '../src/main';

export const ADMIN_PASSWORD = 'admin-pass-123';

export interface TestHall {
  hall: RunningHall;
  url: string;
  dataDir: string;
  api: <T = unknown>(method: string, path: string, body?: unknown, token?: string, raw?: string) => Promise<{ status: number; body: T; headers: Headers }>;
  login: (username?: string, password?: string) => Promise<string>;
  kioskToken: () => Promise<string>;
  close: (keepData?: boolean) => Promise<void>;
}

export async function makeTempDir(prefix = 'hall-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/**
 * A clock that starts at a fixed weekday morning and runs at real speed: tests behave the same
 * at 3 a.m. and at noon, and never straddle the hall's midnight.
 */
export function morningClock(start = '2026-11-26T10:00:00+08:00'): () => number {
  const t0 = Date.parse(start);
  const p0 = performance.now();
  return () => t0 + Math.floor(performance.now() - p0);
}

export async function startTestHall(extra: Partial<HallOptions> = {}): Promise<TestHall> {
  const dataDir = extra.dataDir ?? (await makeTempDir());
  const hall = await startHall({
    clock: morningClock(),
    dataDir,
    port: 0,
    host: '127.0.0.1',
    adminPassword: ADMIN_PASSWORD,
    log: pino({ level: 'silent' }),
    announce: () => undefined,
    publicRatePerMinute: 100_000,
    loginRatePerMinute: 100_000,
    loginRatePerUserPerMinute: 100_000,
    ...extra,
  });
  const url = hall.url;
  const api: TestHall['api'] = async (method, path, body, token, raw) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as never, headers: res.headers };
  };
  const login = async (username = 'admin', password = ADMIN_PASSWORD): Promise<string> => {
    const r = await api<{ token: string }>('POST', '/api/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  };
  let kiosk: string | undefined;
  const kioskToken = async (): Promise<string> => {
    if (kiosk) return kiosk;
    const admin = await login();
    const r = await api<{ token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '测试取号机' }, admin);
    if (r.status !== 201) throw new Error(`terminal: ${r.status}`);
    kiosk = r.body.token;
    return kiosk;
  };
  return {
    hall,
    url,
    dataDir,
    api,
    login,
    kioskToken,
    close: async (keepData = false) => {
      await hall.close();
      if (!keepData && !extra.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a user through the API and returns their token. */
export async function createStaff(t: TestHall, username: string, role: 'admin' | 'supervisor' | 'clerk'): Promise<{ id: string; token: string }> {
  const admin = await t.login();
  const r = await t.api<{ id: string }>('POST', '/api/users', { username, name: `员工${username}`, staffNo: `S-${username}`, role, password: 'password-123' }, admin);
  if (r.status !== 201) throw new Error(`create user: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body.id, token: await t.login(username, 'password-123') };
}

/** Valid GB 11643 numbers for tests (fictional people). */
export const ID = {
  /** born 1950-03-07: elderly */
  elderly: '110105195003070019',
  /** born 1990-01-01 */
  young: '110105199001010010',
};

/** A real socket.io client on one namespace; no reconnection, so a refused handshake stays refused. */
export function connectSocket(url: string, ns: string, auth: Record<string, unknown> = {}): Socket {
  return io(`${url}${ns}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

/** The next `event` whose payload satisfies `pred`. */
export function nextEvent<T>(socket: Socket, event: string, pred: (v: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const on = (v: T): void => {
      if (!pred(v)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(v);
    };
    socket.on(event, on);
  });
}
