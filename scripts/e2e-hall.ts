/**
 * What the UI journey tests share: the built UIs served by a real hall server on a free port,
 * Chromium through playwright-core, small API helpers, and an axe-core check of a page.
 *
 * Needs Chromium at /usr/bin/chromium (Debian package `chromium`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { CounterView, IssueTicketResponse, LoginResponse } from '@hall/protocol';
import type { startHall as startHallType } from '../hall-server/src/main';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'hall-server/src/main.ts');
export const ADMIN_PASSWORD = 'e2e-admin-password';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Types only: the hall is imported at run time, after the UIs are built.
type StartHall = typeof startHallType;

export interface E2eHallOptions {
  /** The hall's clock (epoch ms); a test moves it to cross day close. Default: the PC's. */
  clock?: () => number;
  /** The UIs the test opens: only their build failing stops it (default: all three). */
  apps?: readonly UiApp[];
}

export interface E2eHall {
  readonly url: string;
  browser: Browser;
  /** Page errors of every page opened, to assert none at the end. */
  pageErrors: string[];
  api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  /** The HTTP status and body, for refusals. */
  raw<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  adminToken(): Promise<string>;
  open(path: string, width: number, height: number, options?: BrowserContextOptions): Promise<Page>;
  /** Stops the server and starts it again on the same port and data folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export type UiApp = 'kiosk-ui' | 'display-ui' | 'counter-ui';

/**
 * Builds what changed of the UIs as `npm start` would. Vitest sets NODE_ENV=test, under which Vite
 * builds a development bundle (Preact's debug hooks and all): the build gets production.
 * Only a failure of an app in `needed` throws: a test of the screens is not stopped by the
 * clerk's console failing to build (that app's own tests say so), and serves its last build.
 */
export function buildUis(needed: readonly UiApp[] = ['kiosk-ui', 'display-ui', 'counter-ui']): void {
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-uis.mjs')], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    const failedApps = [...stderr.matchAll(/build-uis: (\S+) FAILED/g)].map((m) => m[1]);
    if (failedApps.length === 0 || failedApps.some((a) => needed.includes(a as UiApp))) throw err;
    console.warn(`e2e: ${failedApps.join(', ')} did not build; serving the last build`);
  }
}

/** Builds what changed of the UIs, starts a hall on a temp data folder and launches Chromium. */
export async function startE2eHall(options: E2eHallOptions = {}): Promise<E2eHall> {
  buildUis(options.apps);
  const dataDir = mkdtempSync(join(tmpdir(), 'hall-e2e-'));
  const { startHall } = (await import(/* @vite-ignore */ MAIN)) as { startHall: StartHall };
  const { pino } = await import('pino');
  const silentLog = pino({ level: 'silent' });
  const start = (port: number) =>
    startHall({ dataDir, port, host: '127.0.0.1', adminPassword: ADMIN_PASSWORD, announce: () => undefined, log: silentLog, clock: options.clock });
  let hall = await start(0);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const pageErrors: string[] = [];
  let admin: string | undefined;

  async function raw<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const res = await fetch(hall.url + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const r = await raw<T>(method, path, body, token);
    if (r.status >= 400) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  return {
    get url() {
      return hall.url;
    },
    browser,
    pageErrors,
    raw,
    api,
    async adminToken(): Promise<string> {
      admin ??= (await api<{ token: string }>('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).token;
      return admin;
    },
    async open(path, width, height, options = {}) {
      // bypassCSP: the axe check injects its script into the page.
      const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true, ...options });
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
      await page.goto(hall.url + path);
      return page;
    },
    async restart() {
      const port = hall.port;
      await hall.close();
      hall = await start(port);
    },
    async close() {
      await browser.close();
      await hall.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Serious and critical axe-core violations of the page as it is now (WCAG 2.1 AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
}

/** A clerk user; returns the credentials to type into the login form. */
export async function createClerk(h: E2eHall, username: string, name: string, staffNo = username.toUpperCase()): Promise<{ username: string; password: string }> {
  const password = `${username}-password-1`;
  await h.api('POST', '/api/users', { username, name, staffNo, role: 'clerk', password }, await h.adminToken());
  return { username, password };
}

/** A clerk (name and staff number shown on screens) signed in at `counter` over the API; the clerk's token. */
export async function clerkAt(h: E2eHall, counter: Pick<CounterView, 'id'>, username: string, name: string, staffNo: string): Promise<string> {
  const who = await createClerk(h, username, name, staffNo);
  const token = (await h.api<LoginResponse>('POST', '/api/auth/login', who)).token;
  await h.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, token);
  return token;
}

/** Issues tickets as a kiosk terminal would (a new kiosk terminal). */
export async function kioskIssuer(h: E2eHall): Promise<(serviceId: string) => Promise<IssueTicketResponse>> {
  const kiosk = await h.api<{ token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: 'E2E 取号机' }, await h.adminToken());
  return (serviceId) => h.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId }, kiosk.token);
}

/** Fills and sends the staff console's login form (any page below /counter). */
export async function logIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.fill('input[name=username]', who.username);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
}

/** Logs in on the counter page and signs in at the counter. */
export async function signInAtCounter(page: Page, who: { username: string; password: string }, counterId: string): Promise<void> {
  await logIn(page, who);
  await page.waitForSelector(`.pick[data-counter-id="${counterId}"]`);
  await page.click(`.pick[data-counter-id="${counterId}"]`);
  await page.waitForSelector('.desk [data-cmd="call-next"]:not([disabled])');
}


/** Gzipped bytes of each JavaScript file a built UI serves (`<app>/dist/assets/*.js`). */
export async function builtJsGzipBytes(app: 'kiosk-ui' | 'display-ui' | 'counter-ui'): Promise<Record<string, number>> {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const dir = join(ROOT, app, 'dist/assets');
  const out: Record<string, number> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.js')) out[f] = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  return out;
}

/**
 * Gzipped bytes of each JavaScript file a page of the running hall loads (on-demand chunks
 * included), by file name: what a phone on the hall's Wi-Fi downloads for that page.
 */
export async function jsLoadedBy(h: E2eHall, path: string, width = 390, height = 844): Promise<Record<string, number>> {
  const { gzipSync } = await import('node:zlib');
  const context = await h.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const bodies: Promise<[string, number]>[] = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.endsWith('.js')) bodies.push(res.body().then((b) => [url.pathname.split('/').pop() ?? url.pathname, gzipSync(b, { level: 9 }).length]));
  });
  await page.goto(h.url + path);
  await page.waitForLoadState('networkidle');
  const out = Object.fromEntries(await Promise.all(bodies));
  await context.close();
  return out;
}
