/**
 * Hall screen layouts in Chromium against a real hall: the 1920×1080 hall screen, a portrait
 * screen (1080×1920), and a village room's single TV (one big call and the waiting count),
 * chosen by the hall's level or forced with ?layout=. Notices scroll, the clock shows hall time
 * (Asia/Shanghai, whatever the PC's zone). Screenshots go to $HALL_SCREENSHOTS (default a temp
 * folder); axe-core finds no serious violation.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterView, ServiceSummary } from '@hall/protocol';
import type { Page } from 'playwright-core';
import { clerkAt, kioskIssuer, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('hall layout e2e skipped: /usr/bin/chromium is missing (apt-get install chromium)');
const SHOTS = process.env.HALL_SCREENSHOTS ?? join(tmpdir(), 'hall-screenshots');

/** The hall's HH:MM a minute either side of now (the page's clock ticks once a second and may cross a minute while the test reads). */
function hallMinutes(): string[] {
  const fmt = (t: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(t);
  return [fmt(Date.now() - 60_000), fmt(Date.now()), fmt(Date.now() + 60_000)];
}

async function fits(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth);
}

describe.skipIf(!hasChromium)('hall screen layouts in Chromium', () => {
  let e: E2eHall;
  let lastCall = '';
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e = await startE2eHall({ apps: ['display-ui'] });
    // A morning's traffic: tickets in every service, calls at four counters.
    const issue = await kioskIssuer(e);
    const services = await e.api<ServiceSummary[]>('GET', '/api/services');
    for (const s of services.filter((x) => x.open)) for (let i = 0; i < 3; i++) await issue(s.id);
    const counters = (await e.api<CounterView[]>('GET', '/api/counters')).filter((c) => c.serviceIds.length > 0).slice(0, 4);
    for (const [i, c] of counters.entries()) {
      const clerk = await clerkAt(e, c, `layout-${i}`, `员工${i}`, `C10${i}`);
      const r = await e.api<{ ticket: { number: string } | null }>('POST', `/api/counters/${c.id}/call-next`, undefined, clerk);
      if (r.ticket) lastCall = r.ticket.number;
    }
  }, 180_000);
  afterAll(async () => e?.close(), 60_000);

  it.each([
    ['wide', '/display', 1920, 1080],
    ['portrait', '/display', 1080, 1920],
    ['single', '/display?layout=single', 1920, 1080],
  ] as const)('%s layout at %s %i×%i', async (layout, path, w, h) => {
    const page = await e.open(path, w, h);
    await page.waitForSelector(`.layout-${layout} .now-call[data-call="${lastCall}"]`);
    expect(await page.evaluate(() => document.documentElement.dataset.layout)).toBe(layout);
    expect(hallMinutes()).toContain((await page.textContent('.hs-time'))?.slice(0, 5));
    // Notices scroll: the ticker holds the hall's notices and moves.
    expect(await page.textContent('.ticker-text')).toContain('一次性告知');
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.ticker-text') as Element).animationName)).toBe('ticker');
    expect(await fits(page)).toBe(true);
    await page.screenshot({ path: join(SHOTS, `hall-${layout}-${w}x${h}.png`) });
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("a village hall's screen is the single TV by itself, with the waiting count", async () => {
    await e.api('PATCH', '/api/hall', { level: 'village' }, await e.adminToken());
    const page = await e.open('/display', 1366, 768);
    await page.waitForSelector('.layout-single .single-waiting');
    const waiting = (await e.api<ServiceSummary[]>('GET', '/api/services')).reduce((n, s) => n + s.waiting, 0);
    expect(await page.getAttribute('.single-waiting', 'data-waiting')).toBe(String(waiting));
    expect(await page.textContent('.single-number')).toBe(lastCall);
    expect(await fits(page)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'hall-village-1366x768.png') });
    expect(await seriousViolations(page)).toEqual([]);
    expect(e.pageErrors).toEqual([]);
  }, 60_000);
});
