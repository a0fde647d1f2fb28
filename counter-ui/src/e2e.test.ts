/**
 * End to end through the built UIs and a real hall server: an admin creates a kiosk terminal,
 * a citizen taps a service on the kiosk, a clerk signs in at a counter and calls the next
 * number with F1, the hall screen and the phone page show the call.
 *
 * Needs Chromium at /usr/bin/chromium (Debian package `chromium`). Skipped only while the
 * hall server's composition root does not exist.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CounterView, LoginResponse, ServiceSummary } from '@hall/protocol';
import { buildUis, CHROMIUM_ARGS } from '../../scripts/e2e-hall';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'hall-server/src/main.ts');
const ADMIN_PASSWORD = 'e2e-admin-password';

interface RunningHall {
  url: string;
  close(): Promise<void>;
}
type StartHall = (opts: { dataDir: string; port: number; host?: string; adminPassword?: string; announce?: (line: string) => void }) => Promise<RunningHall>;

if (!existsSync(MAIN)) console.warn(`e2e skipped: ${MAIN} does not exist yet`);

describe.skipIf(!existsSync(MAIN))('hall end to end (kiosk → counter → hall screen)', () => {
  let hall: RunningHall;
  let browser: Browser;
  let dataDir: string;
  const pageErrors: string[] = [];

  async function api<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(hall.url + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  async function open(path: string, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
    await page.goto(hall.url + path);
    return page;
  }

  beforeAll(async () => {
    // The hall serves the built UIs; this builds only what changed since the last build.
    buildUis();
    dataDir = mkdtempSync(join(tmpdir(), 'hall-e2e-'));
    const { startHall } = (await import(/* @vite-ignore */ MAIN)) as { startHall: StartHall };
    hall = await startHall({ dataDir, port: 0, host: '127.0.0.1', adminPassword: ADMIN_PASSWORD, announce: () => undefined });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hall?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('issues at the kiosk, calls at the counter and shows the call on the hall screen', async () => {
    const admin = await api<LoginResponse>('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const kiosk = await api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: 'E2E 取号机' }, admin.token);
    await api('POST', '/api/users', { username: 'clerk1', name: '王芳', staffNo: 'C001', role: 'clerk', password: 'clerk-password-1' }, admin.token);

    const display = await open('/display', 1920, 1080);
    await display.waitForSelector('.board');

    // Kiosk: tap the first open service.
    const kioskPage = await open(`/kiosk?token=${encodeURIComponent(kiosk.token)}`, 1280, 1024);
    await kioskPage.waitForSelector('.tile:not(.closed)');
    expect(await kioskPage.evaluate(() => localStorage.getItem('hall.kiosk.token'))).toBe(kiosk.token);
    const serviceId = await kioskPage.getAttribute('.tile:not(.closed) >> nth=0', 'data-service-id');
    expect(serviceId).toBeTruthy();
    await kioskPage.click('.tile:not(.closed) >> nth=0');
    await kioskPage.waitForSelector('.result .ticket-number');
    const number = (await kioskPage.textContent('.result .ticket-number'))?.trim() ?? '';
    expect(number).toMatch(/^[A-Z]{1,2}\d{3,4}$/);
    const services = await api<ServiceSummary[]>('GET', '/api/services');
    expect(services.find((s) => s.id === serviceId)?.waiting).toBe(1);
    // A new terminal has no printer: the kiosk draws the phone page's QR code on screen.
    expect(await kioskPage.textContent('.print-status')).toContain('本机不打印号票');
    const trackUrl = new URL((await kioskPage.getAttribute('[data-qr]', 'data-track-url')) ?? '');

    // Counter: the clerk logs in, signs in at a counter serving that service, presses F1.
    const counters = await api<CounterView[]>('GET', '/api/counters');
    const counter = counters.find((c) => c.serviceIds.includes(serviceId as string));
    expect(counter).toBeDefined();
    const desk = await open('/counter', 1280, 1024);
    await desk.fill('input[name=username]', 'clerk1');
    await desk.fill('input[name=password]', 'clerk-password-1');
    await desk.click('button[type=submit]');
    await desk.waitForSelector(`.pick[data-counter-id="${counter?.id}"]`);
    await desk.click(`.pick[data-counter-id="${counter?.id}"]`);
    await desk.waitForSelector('.desk [data-cmd="call-next"]:not([disabled])');
    await desk.keyboard.press('F1');
    await desk.waitForSelector(`.ticket[data-current="${number}"]`);

    // Hall screen: the big call and the counter's row.
    await display.waitForSelector(`.now-call[data-call="${number}"]`, { timeout: 10_000 });
    expect(await display.textContent('.now-call .now-arrow')).toContain(`请到${counter?.number}号窗口`);
    await display.waitForFunction(
      ([n, c]) => document.querySelector(`.crow[data-counter="${c}"] .c-ticket`)?.textContent?.trim() === n,
      [number, String(counter?.number)] as const,
    );

    // Phone page: the tracked ticket says where to go.
    const phone = await open(trackUrl.pathname + trackUrl.search, 390, 844);
    await phone.waitForSelector('.ph-card[data-status="called"]');
    expect(await phone.textContent('.ph-headline')).toContain(`请到${counter?.number}号窗口`);

    expect(pageErrors).toEqual([]);
  }, 180_000);
});
