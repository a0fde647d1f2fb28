/**
 * A call as the citizen meets it, in Chromium against a real hall (issue #13 items 6 and 10):
 * the phone page (/ticket/:id, what the slip's QR opens) through called (banner, beep and
 * vibration after the "开启提醒" touch), served, done, missed (过号), re-queued, cancelled,
 * transferred and expired at day close; the hall screen says 请到 vs 办理中 and keeps one line
 * per ticket through recalls and a reload. axe-core finds no serious violation in any state.
 * Screenshots go to $HALL_SCREENSHOTS (default a temp folder).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, hallDate, hallMidnight, type CounterView, type IssueTicketResponse, type PublicTicket, type ServiceSummary } from '@hall/protocol';
import type { Page } from 'playwright-core';
import { clerkAt, jsLoadedBy, kioskIssuer, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('call e2e skipped: /usr/bin/chromium is missing (apt-get install chromium)');
const SHOTS = process.env.HALL_SCREENSHOTS ?? join(tmpdir(), 'hall-screenshots');

/** Records what the page asks of the phone: vibrations and beep tones (oscillators started). */
function watchAlerts(): void {
  const w = window as unknown as { __vibrations: unknown[]; __tones: number };
  w.__vibrations = [];
  w.__tones = 0;
  Object.defineProperty(Navigator.prototype, 'vibrate', {
    configurable: true,
    value: (pattern: unknown) => {
      w.__vibrations.push(pattern);
      return true;
    },
  });
  // Headless Chromium has no screen to keep on: a stand-in records the wake lock.
  const lock = { taken: 0, released: false };
  (window as unknown as { __lock: typeof lock }).__lock = lock;
  Object.defineProperty(Navigator.prototype, 'wakeLock', {
    configurable: true,
    get: () => ({
      request: async () => {
        lock.taken++;
        lock.released = false;
        return {
          released: false,
          release: async () => void (lock.released = true),
        };
      },
    }),
  });
  const create = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function (this: AudioContext) {
    const osc = create.call(this);
    const start = osc.start.bind(osc);
    osc.start = (when?: number) => {
      w.__tones++;
      start(when);
    };
    return osc;
  };
}

const alertsOf = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __vibrations: unknown[]; __tones: number };
    return { vibrations: w.__vibrations.length, tones: w.__tones };
  });

describe.skipIf(!hasChromium)('a call on the phone page and the hall screen (Chromium)', () => {
  let e: E2eHall;
  /** Hall time runs this far ahead of the PC: the day-close test moves it past midnight. */
  let shift = 0;
  let counter: CounterView;
  let clerk: string;
  let issue: (serviceId: string) => Promise<IssueTicketResponse>;
  let serviceId: string;
  const act = (action: string, body?: unknown) => e.api<{ ticket: PublicTicket | null }>('POST', `/api/counters/${counter.id}/${action}`, body, clerk);

  async function phone(t: IssueTicketResponse): Promise<Page> {
    const page = await e.open(`/ticket/${t.id}?token=${encodeURIComponent(t.trackToken)}`, 390, 844, { isMobile: true, hasTouch: true });
    await page.addInitScript(watchAlerts);
    await page.reload();
    await page.waitForSelector('.ph-card[data-status]');
    return page;
  }
  async function expectAccessible(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `phone-${name}.png`), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e = await startE2eHall({ clock: () => Date.now() + shift, apps: ['display-ui'] });
    const counters = await e.api<CounterView[]>('GET', '/api/counters');
    counter = counters.find((c) => c.serviceIds.length > 1) ?? (counters.find((c) => c.serviceIds.length > 0) as CounterView);
    serviceId = counter.serviceIds[0] as string;
    issue = await kioskIssuer(e);
    clerk = await clerkAt(e, counter, 'call-clerk', '陈静', 'C031');
  }, 180_000);
  afterAll(async () => e?.close(), 60_000);

  it('each display page (phone ticket, booking, hall screen, counter screen) loads at most 60 KB of gzipped JavaScript', async () => {
    const t = await issue(serviceId);
    for (const path of [`/ticket/${t.id}?token=${encodeURIComponent(t.trackToken)}`, '/book', '/display', `/display/counter/${counter.id}`]) {
      const sizes = await jsLoadedBy(e, path);
      const total = Object.values(sizes).reduce((a, b) => a + b, 0);
      expect(total, `${path}: ${JSON.stringify(sizes)}`).toBeGreaterThan(0);
      expect(total, `${path}: ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(60 * 1024);
    }
    await e.api('POST', `/api/tickets/${t.id}/cancel`, undefined, clerk);
  }, 60_000);

  it('phone: waiting, then called with a banner, beep and vibration, then served and done', async () => {
    const t = await issue(serviceId);
    const page = await phone(t);
    expect(await page.getAttribute('.ph-card', 'data-status')).toBe('waiting');
    expect(await page.textContent('.ph-headline')).toMatch(/您是下一位|前面还有/);
    await expectAccessible(page, 'waiting');

    // Browsers allow sound only after a touch: the page asks for one.
    await page.tap('.ph-alerts-on');
    await page.waitForSelector('.ph-alerts.on');
    expect(await page.textContent('.ph-alerts.on')).toContain('请保持本页面打开');
    const wakeLock = () => page.evaluate(() => (window as unknown as { __lock: { taken: number; released: boolean } }).__lock);
    expect(await wakeLock()).toEqual({ taken: 1, released: false });

    await act('call', { ticketNumber: t.number });
    await page.waitForSelector(`.ph-banner[data-counter="${counter.number}"]`);
    expect(await page.textContent('.ph-banner-main')).toBe(`请到${counter.number}号窗口`);
    expect(await page.getAttribute('.ph-card', 'data-status')).toBe('called');
    expect(await page.title()).toBe(`请到${counter.number}号窗口 · ${t.number}`);
    await page.waitForFunction(() => (window as unknown as { __tones: number }).__tones > 0);
    expect(await alertsOf(page)).toEqual({ vibrations: 1, tones: 6 });
    await expectAccessible(page, 'called');
    // Large-text mode (elderly): the banner still reads on one line and nothing spills sideways.
    await page.tap('.ph-toggle');
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    expect(await page.$eval('.ph-banner-main', (el) => el.getClientRects().length === 1 && el.scrollHeight < 2 * parseFloat(getComputedStyle(el).lineHeight))).toBe(true);
    await expectAccessible(page, 'called-large-text');
    await page.tap('.ph-toggle');

    // A recall buzzes again and says to hurry.
    await act('recall');
    await page.waitForSelector('.ph-line >> text=已重呼 1 次');
    expect((await alertsOf(page)).vibrations).toBe(2);

    await act('start');
    await page.waitForSelector('.ph-card[data-status="serving"]');
    expect(await page.textContent('.ph-headline')).toContain(`正在${counter.number}号窗口办理`);
    expect(await page.$('.ph-banner')).toBeNull();

    await act('finish');
    await page.waitForSelector('.ph-card[data-status="done"]');
    expect(await page.textContent('.ph-headline')).toContain('业务已办结');
    // Final: no alert switch, no hall calls; the rating (unless an evaluator already took it).
    expect(await page.$('.ph-alerts-on, .ph-alerts')).toBeNull();
    expect(await page.$('.ph-calls')).toBeNull();
    await expectAccessible(page, 'done');
    expect((await alertsOf(page)).vibrations).toBe(2);
    // Over: the phone may sleep again.
    expect(await wakeLock()).toEqual({ taken: 1, released: true });
    await page.context().close();
  }, 90_000);

  it('phone: missed (过号) says what to do, and a re-queue brings it back to waiting', async () => {
    const t = await issue(serviceId);
    const page = await phone(t);
    // Any touch of the page unlocks the alert, not only the button.
    await page.tap('.ph-number');
    await page.waitForSelector('.ph-alerts.on');
    await act('call', { ticketNumber: t.number });
    await page.waitForSelector('.ph-card[data-status="called"]');
    await page.waitForFunction(() => (window as unknown as { __tones: number }).__tones > 0);
    await act('no-show');
    await page.waitForSelector('.ph-card[data-status="no-show"]');
    const text = (await page.textContent('.ph-card')) ?? '';
    expect(text).toContain('您已过号');
    expect(text).toContain('请持号票到服务台（咨询台）说明情况');
    expect(text).toContain('Take this ticket to the front desk');
    expect(await page.$('.ph-banner')).toBeNull();
    await expectAccessible(page, 'no-show');

    await act('requeue', { ticketNumber: t.number });
    await page.waitForSelector('.ph-card[data-status="waiting"]');
    expect(await page.textContent('.ph-card')).toContain('过号后已重新排队');
    await page.context().close();
  }, 90_000);

  it('phone: cancelled, and transferred to another service with where it came from', async () => {
    const services = await e.api<ServiceSummary[]>('GET', '/api/services');
    const cancelled = await issue(serviceId);
    const page = await phone(cancelled);
    await e.api('POST', `/api/tickets/${cancelled.id}/cancel`, undefined, clerk);
    await page.waitForSelector('.ph-card[data-status="cancelled"]');
    expect(await page.textContent('.ph-card')).toContain('如仍需办理，请重新取号');
    await expectAccessible(page, 'cancelled');
    await page.context().close();

    const moved = await issue(serviceId);
    const target = services.find((s) => s.id !== serviceId && counter.serviceIds.includes(s.id)) ?? (services.find((s) => s.id !== serviceId) as ServiceSummary);
    const from = services.find((s) => s.id === serviceId)?.name;
    const p2 = await phone(moved);
    await act('call', { ticketNumber: moved.number });
    await p2.waitForSelector('.ph-card[data-status="called"]');
    await act('transfer', { serviceId: target.id });
    await p2.waitForSelector('.ph-card[data-status="waiting"]');
    expect(await p2.textContent('.ph-status')).toContain('已转办');
    expect(await p2.textContent('.ph-card')).toContain(`已从「${from}」转至「${target.name}」，无需重新取号`);
    expect(await p2.textContent('.ph-service')).toBe(target.name);
    await expectAccessible(p2, 'transferred');
    await p2.context().close();
  }, 90_000);

  it('hall screen: 请到 while called, 办理中 once served, one line per ticket through recalls and a reload', async () => {
    const [a, b] = [await issue(serviceId), await issue(serviceId)];
    const screen = await e.open('/display', 1920, 1080);
    await screen.waitForSelector('.board');
    const row = `.crow[data-counter="${counter.number}"] .c-state`;

    await act('call', { ticketNumber: a.number });
    await screen.waitForSelector(`.now-call[data-call="${a.number}"] .now-arrow[data-state="calling"]`);
    expect(await screen.textContent('.now-arrow')).toContain(`请到${counter.number}号窗口`);
    expect(await screen.textContent(row)).toBe('请到');
    await act('recall');
    await act('recall');
    await act('start');
    await screen.waitForSelector(`.now-arrow[data-state="serving"]`);
    expect(await screen.textContent('.now-arrow')).toContain(`正在${counter.number}号窗口办理`);
    expect(await screen.textContent(row)).toBe('办理中');

    // The next call: the recalled ticket is one line of the recent calls, its counter moved on.
    await act('call', { ticketNumber: b.number });
    await screen.waitForSelector(`.now-call[data-call="${b.number}"] .now-arrow[data-state="calling"]`);
    expect(await screen.$$eval(`.recent li[data-ticket="${a.number}"]`, (l) => l.length)).toBe(1);
    expect(await screen.getAttribute(`.recent li[data-ticket="${a.number}"]`, 'data-state')).toBe('past');
    // A reload takes the server's list, which keeps every call and recall: still one line.
    await screen.reload();
    await screen.waitForSelector(`.now-call[data-call="${b.number}"]`);
    const numbers = await screen.$$eval('.recent li', (l) => l.map((x) => x.getAttribute('data-ticket')));
    expect(numbers.filter((n) => n === a.number)).toHaveLength(1);
    expect(new Set(numbers).size).toBe(numbers.length);
    await screen.screenshot({ path: join(SHOTS, 'hall-calls-1920x1080.png') });
    expect(await seriousViolations(screen)).toEqual([]);
    await screen.context().close();
  }, 90_000);

  it("hall screen: the hall's notices scroll, a zone's notice only on that zone's screens", async () => {
    const admin = await e.adminToken();
    const notices = [
      { text: '全厅公告：中午照常办理', zone: null },
      { text: '二楼公告：不动产窗口在二楼', zone: '二楼' },
      { text: '三楼公告：三楼今日检修', zone: '三楼' },
    ];
    await e.api('PUT', '/api/notices', { notices }, admin);
    const second = await e.api<{ token: string }>('POST', '/api/terminals', { kind: 'display', name: '二楼通屏', zone: '二楼' }, admin);
    const zoned = await e.open(`/display?token=${encodeURIComponent(second.token)}`, 1920, 1080);
    await zoned.waitForSelector('.ticker-text:has-text("二楼公告")');
    const text = (await zoned.textContent('.ticker-text')) ?? '';
    expect(text).toContain('全厅公告：中午照常办理');
    expect(text).not.toContain('三楼公告');
    expect(await zoned.evaluate(() => getComputedStyle(document.querySelector('.ticker-text') as Element).animationName)).toBe('ticker');
    const hall = await e.open('/display', 1920, 1080);
    await hall.waitForSelector('.ticker-text:has-text("三楼公告")');
    // A change shows at once on open screens.
    await e.api('PUT', '/api/notices', { notices: [{ text: '新公告：系统升级完成', zone: null }] }, admin);
    await zoned.waitForSelector('.ticker-text:has-text("新公告：系统升级完成")');
    expect(await zoned.textContent('.ticker-text')).not.toContain('二楼公告');
    await zoned.context().close();
    await hall.context().close();
  }, 60_000);

  it('phone: a ticket still waiting at day close shows expired, pushed by the hall (not 前面还有1人)', async () => {
    const t = await issue(serviceId);
    const page = await phone(t);
    // A phone that keeps its socket: the hall must push the expiry itself.
    const pushed: PublicTicket[] = [];
    const socket = io(`${e.url}/display`, { auth: { ticketId: t.id, trackToken: t.trackToken }, transports: ['websocket'] });
    socket.on('ticket', (x: PublicTicket) => pushed.push(x));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));

    const now = Date.now() + shift;
    shift += hallMidnight(addDays(hallDate(now), 1)) + 10_000 - now;
    // Any command after midnight closes the day first (the midnight timer may be minutes away);
    // a kiosk's, since staff sessions lapse over the night.
    await issue(serviceId).catch(() => undefined);
    await page.waitForSelector('.ph-card[data-status="expired"]');
    expect(await page.textContent('.ph-card')).toContain('今日办理已结束，该号已失效');
    expect(await page.textContent('.ph-card')).not.toContain('前面还有');
    await expectAccessible(page, 'expired');
    const deadline = Date.now() + 5000;
    while (!pushed.some((x) => x.status === 'expired') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(pushed.map((x) => x.status)).toContain('expired');
    socket.close();

    // Opened again the next day (the slip's QR): the ticket is gone, and the page says why.
    await page.reload();
    await page.waitForSelector('.ph-card.tone-ended[role=alert]');
    expect(await page.textContent('.ph-card')).toContain('号票仅当日有效');
    expect(e.pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
