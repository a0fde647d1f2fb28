/**
 * Issue 12 in Chromium against real halls on loopback: a county hub with a registered township
 * and a village whose own hall server pushes its journal up. The county page lists both from
 * `GET /api/halls` (online and offline, today's figures), filters by level and drills into a
 * hall; the county defines a catalogue item on its catalogue page, and the village fetches it,
 * adopts it into a service and applies the county's update from its own catalogue page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CatalogueView, Service, ServiceSummary } from '@hall/protocol';
import { ADMIN_PASSWORD, ROOT, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

interface Village {
  url: string;
  close(): Promise<void>;
}
type StartHall = (opts: Record<string, unknown>) => Promise<Village>;

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function login(page: Page): Promise<void> {
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
}

const ITEM = { code: '320830-MZ-007', name: '低保申请', category: '民政' };

describe('county supervision and catalogue (issue 12)', () => {
  let county: E2eHall;
  let village: Village;
  let villageDir: string;
  const ids: Record<'township' | 'village', string> = { township: '', village: '' };

  async function villageApi<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(village.url + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  beforeAll(async () => {
    county = await startE2eHall({ apps: ['counter-ui'] });
    const admin = await county.adminToken();
    const town = await county.api<{ id: string; token: string }>('POST', '/api/halls', { name: '马坝镇便民服务中心', level: 'township' }, admin);
    const vil = await county.api<{ id: string; token: string }>('POST', '/api/halls', { name: '洪山村便民服务室', level: 'village' }, admin);
    ids.township = town.id;
    ids.village = vil.id;
    villageDir = mkdtempSync(join(tmpdir(), 'hall-e2e-village-'));
    const { startHall } = (await import(/* @vite-ignore */ join(ROOT, 'hall-server/src/main.ts'))) as { startHall: StartHall };
    const { pino } = await import('pino');
    village = await startHall({
      dataDir: villageDir,
      port: 0,
      host: '127.0.0.1',
      adminPassword: ADMIN_PASSWORD,
      announce: () => undefined,
      log: pino({ level: 'silent' }),
      upstream: { url: county.url, token: vil.token },
    });
  }, 180_000);

  afterAll(async () => {
    await village?.close();
    await county?.close();
    if (villageDir) rmSync(villageDir, { recursive: true, force: true });
  }, 60_000);

  it('lists every hall with its state and figures, filters by level and drills into one', async () => {
    const villageAdmin = (await villageApi<{ token: string }>('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).token;
    const svc = (await villageApi<ServiceSummary[]>('GET', '/api/services')).find((s) => s.open) as ServiceSummary;
    for (let i = 0; i < 2; i++) await villageApi('POST', '/api/tickets', { serviceId: svc.id }, villageAdmin);
    // The village's pushes reach the county: its row is online with today's tickets.
    const countyAdmin = await county.adminToken();
    const rows = await until(
      () => county.api<Array<{ id: string; online: boolean; today: { issued: number } }>>('GET', '/api/halls', undefined, countyAdmin),
      (r) => r.some((x) => x.id === ids.village && x.online && x.today.issued >= 2),
    );
    expect(rows.find((x) => x.id === ids.village)).toMatchObject({ online: true, today: { issued: 2 } });

    const page = await county.open('/counter/county', 1440, 1000);
    await login(page);
    await page.waitForSelector(`.hall-row[data-hall="${ids.village}"]`);
    expect(await page.$$eval('.hall-row', (els) => els.length)).toBe(2);
    const villageRow = page.locator(`.hall-row[data-hall="${ids.village}"]`);
    await expect.poll(() => villageRow.textContent()).toContain('在线');
    expect(await villageRow.textContent()).toContain('2 / 0');
    const townRow = page.locator(`.hall-row[data-hall="${ids.township}"]`);
    expect(await townRow.textContent()).toContain('从未上报');
    expect(await townRow.locator('.badge').first().textContent()).toBe('离线');
    // The worst first: the offline township above the village that is fine.
    expect(await page.$$eval('.hall-row', (els) => els.map((e) => e.getAttribute('data-hall')))).toEqual([ids.township, ids.village]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('.county-filters button:has-text("乡镇")');
    await expect.poll(() => page.$$eval('.hall-row', (els) => els.map((e) => e.getAttribute('data-hall')))).toEqual([ids.township]);
    await page.click('.county-filters button:has-text("全部层级")');
    await page.click('.county-filters button:has-text("在线")');
    await expect.poll(() => page.$$eval('.hall-row', (els) => els.map((e) => e.getAttribute('data-hall')))).toEqual([ids.village]);

    await villageRow.locator('.hall-name').click();
    const detail = page.locator(`.hall-detail[data-detail="${ids.village}"]`);
    await detail.waitFor();
    expect(await detail.textContent()).toContain('洪山村便民服务室');
    expect(await detail.textContent()).toContain('当前告警');
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);

  it('the county defines an item; the village adopts it and applies its update', async () => {
    const page = await county.open('/counter/catalogue', 1440, 1000);
    await login(page);
    await page.click('button:has-text("新增事项")');
    await page.fill('.catalogue-form input[name=code]', ITEM.code);
    await page.fill('.catalogue-form input[name=name]', ITEM.name);
    await page.fill('.catalogue-form input[name=category]', ITEM.category);
    await page.fill('.catalogue-form input[name=completionWorkingDays]', '10');
    await page.fill('.catalogue-form textarea[name=materials]', '1. 居民身份证\n2. 户口簿\n\n3. 家庭收入证明');
    await page.click('.catalogue-form button[type=submit]');
    const row = page.locator(`tr[data-code="${ITEM.code}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('10 个工作日');
    expect(await row.locator('.catalogue-materials li').allTextContents()).toEqual(['居民身份证', '户口簿', '家庭收入证明']);
    expect(await seriousViolations(page)).toEqual([]);

    // The village's own console, in the same browser (axe needs the CSP bypassed).
    const vpage = await (await county.browser.newContext({ viewport: { width: 1440, height: 1000 }, bypassCSP: true })).newPage();
    vpage.on('pageerror', (e) => county.pageErrors.push(`village: ${e.message}`));
    await vpage.goto(`${village.url}/counter/catalogue`);
    await login(vpage);
    await vpage.click('button:has-text("立即同步")');
    const vrow = vpage.locator(`tr[data-code="${ITEM.code}"]`);
    await vrow.waitFor();
    expect(await vrow.locator('[data-state]').getAttribute('data-state')).toBe('not-adopted');
    await vrow.locator('button:has-text("采用")').first().click();
    await vrow.locator('.adopt-form button:has-text("确认采用")').click();
    await expect.poll(() => vrow.locator('[data-state]').getAttribute('data-state')).toBe('adopted');
    const adopted = (await villageApi<Service[]>('GET', '/api/services/all', undefined, (await villageApi<{ token: string }>('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).token)).find(
      (s) => s.catalogueCode === ITEM.code,
    );
    expect(adopted).toMatchObject({ name: ITEM.name, materials: ['居民身份证', '户口簿', '家庭收入证明'], completionWorkingDays: 10, catalogueVersion: 1 });

    // The county changes the materials; the village sees 有更新 after a sync and applies it.
    await county.api('PATCH', `/api/catalogue/${ITEM.code}`, { materials: ['居民身份证', '家庭收入证明'] }, await county.adminToken());
    await vpage.click('button:has-text("立即同步")');
    await expect.poll(() => vrow.locator('[data-state]').getAttribute('data-state')).toBe('outdated');
    await vrow.locator('button:has-text("更新业务")').click();
    await expect.poll(() => vrow.locator('[data-state]').getAttribute('data-state')).toBe('adopted');
    const view = await villageApi<CatalogueView>('GET', '/api/catalogue', undefined, (await villageApi<{ token: string }>('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).token);
    expect(view.items.find((i) => i.code === ITEM.code)?.adoptedBy).toEqual([{ serviceId: adopted?.id, name: ITEM.name, version: 2, outdated: false }]);
    expect(await seriousViolations(vpage)).toEqual([]);

    // The village reported its adoption with that sync: the county compares it by code.
    const board = await county.open('/counter/county', 1440, 1000);
    await login(board);
    const compared = board.locator(`.catalogue-compare tr[data-compare="${ITEM.code}"]`);
    await compared.first().waitFor();
    expect(await compared.allTextContents()).toEqual([expect.stringContaining('洪山村便民服务室')]);
    expect(await seriousViolations(board)).toEqual([]);
    expect(county.pageErrors).toEqual([]);
  }, 90_000);
});
