/**
 * axe-core on the staff consoles (issue #13, quality): the clerk's desk with a ticket called, the
 * supervision page, every tab of the admin console and the other console pages (ratings, cases,
 * catalogue, county, account), in Chromium against a real hall with some traffic, show no serious or critical
 * violation (WCAG 2.1 AA: contrast, labels, names of buttons, lang="zh-CN"). Screenshots go to
 * $HALL_SCREENSHOTS (default a temp folder).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterView } from '@hall/protocol';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, clerkAt, createClerk, kioskIssuer, logIn, seriousViolations, signInAtCounter, startE2eHall, type AxeViolation, type E2eHall } from '../../scripts/e2e-hall';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('console a11y e2e skipped: /usr/bin/chromium is missing (apt-get install chromium)');
const SHOTS = process.env.HALL_SCREENSHOTS ?? join(tmpdir(), 'hall-screenshots');
const ADMIN = { username: 'admin', password: ADMIN_PASSWORD };

/** The page's violations, each named with where it was found, for one readable failure. */
async function violationsOf(page: Page, where: string): Promise<(AxeViolation & { where: string })[]> {
  await page.screenshot({ path: join(SHOTS, `console-${where}.png`), fullPage: true });
  return (await seriousViolations(page)).map((v) => ({ where, ...v }));
}

describe.skipIf(!hasChromium)('staff consoles pass axe-core (Chromium)', () => {
  let e: E2eHall;
  let desk: CounterView;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e = await startE2eHall({ apps: ['counter-ui'] });
    // A morning: tickets waiting, one counter calling, one paused, so every panel has rows.
    const counters = (await e.api<CounterView[]>('GET', '/api/counters')).filter((c) => c.serviceIds.length > 0);
    const [busy, paused, third] = counters as [CounterView, CounterView, CounterView];
    desk = third;
    const issue = await kioskIssuer(e);
    for (let i = 0; i < 3; i++) await issue(busy.serviceIds[0] as string);
    for (let i = 0; i < 2; i++) await issue(desk.serviceIds[0] as string);
    const clerk = await clerkAt(e, busy, 'a11y-clerk', '周敏', 'C0701');
    await e.api('POST', `/api/counters/${busy.id}/call-next`, undefined, clerk);
    const other = await clerkAt(e, paused, 'a11y-other', '吴刚', 'C0702');
    await e.api('POST', `/api/counters/${paused.id}/pause`, { reason: '午休' }, other);
  }, 180_000);
  afterAll(async () => e?.close(), 60_000);

  it("the clerk's desk with a ticket called", async () => {
    const page = await e.open('/counter', 1440, 900);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await violationsOf(page, 'login')).toEqual([]);
    await signInAtCounter(page, await createClerk(e, 'a11y-desk', '郑洁'), desk.id);
    await page.click('.desk [data-cmd="call-next"]');
    await page.waitForSelector('.desk [data-cmd="recall"]:not([disabled])');
    await page.waitForLoadState('networkidle');
    expect(await violationsOf(page, 'desk')).toEqual([]);
    expect(e.pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('the supervision page', async () => {
    const page = await e.open('/counter/supervise', 1440, 900);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await logIn(page, ADMIN);
    await page.waitForSelector('.supervise .kpis');
    await page.waitForLoadState('networkidle');
    expect(await violationsOf(page, 'supervise')).toEqual([]);
    expect(e.pageErrors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('every tab of the admin console', async () => {
    const page = await e.open('/counter/admin', 1440, 900);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await logIn(page, ADMIN);
    await page.waitForSelector('.admin [role=tab]');
    const tabs = await page.$$eval('.admin [role=tab]', (l) => l.map((t) => t.textContent?.trim() ?? ''));
    expect(tabs.length).toBeGreaterThan(3);
    const found: (AxeViolation & { where: string })[] = [];
    for (const [i, name] of tabs.entries()) {
      await page.click(`.admin [role=tab] >> nth=${i}`);
      await page.waitForSelector(`.admin [role=tab][aria-selected="true"] >> nth=0`);
      await page.waitForLoadState('networkidle');
      found.push(...(await violationsOf(page, `admin-${i}-${name.split(/\s/)[0]}`)));
    }
    expect(found).toEqual([]);
    expect(e.pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('the other console pages', async () => {
    const page = await e.open('/counter/ratings', 1440, 900);
    const found: (AxeViolation & { where: string })[] = [];
    for (const name of ['ratings', 'cases', 'my-cases', 'catalogue', 'county', 'account']) {
      await page.goto(`${e.url}/counter/${name}`);
      // The session may or may not outlive a page load: log in again when asked.
      await page.waitForSelector('main.page, input[name=username]');
      if (await page.$('input[name=username]')) await logIn(page, ADMIN);
      await page.waitForSelector('main.page');
      await page.waitForLoadState('networkidle');
      found.push(...(await violationsOf(page, name)));
    }
    expect(found).toEqual([]);
    expect(e.pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
