/**
 * The kiosk journeys of issue 13 (items 1–5), walked in Chromium against a real hall with a
 * simulated ID card reader and printer attached to the kiosk terminal: a removed card clears at
 * once; a used-up quota says so; "take your ticket" only when the slip came out, else the QR
 * code on screen and a reprint once paper is back; every mode laid out at 1080×1920 and
 * 1920×1080 with nothing hidden; a 中文/English toggle that resets after each citizen.
 * axe-core finds no serious or critical violation. Screenshots go to $KIOSK_SHOTS (if set).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ServiceSummary } from '@hall/protocol';
import { builtJsGzipBytes, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

const SHOTS = process.env.KIOSK_SHOTS;

describe('kiosk journeys (issue 13, items 1–5)', () => {
  let h: E2eHall;
  let kioskToken: string;
  let readerId: string;
  let printerId: string;
  let plain: ServiceSummary;

  beforeAll(async () => {
    h = await startE2eHall();
    const admin = await h.adminToken();
    const kiosk = await h.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: 'E2E 取号机' }, admin);
    kioskToken = kiosk.token;
    const attachedTo = { terminalId: kiosk.id };
    readerId = (await h.api<{ id: string }>('POST', '/api/devices', { kind: 'id-reader', name: 'E2E 读卡器', transport: { type: 'simulated' }, attachedTo }, admin)).id;
    printerId = (await h.api<{ id: string }>('POST', '/api/devices', { kind: 'printer', name: 'E2E 打印机', transport: { type: 'simulated' }, attachedTo }, admin)).id;
    const services = await h.api<ServiceSummary[]>('GET', '/api/services');
    plain = services.find((s) => s.open && !s.idRequired) as ServiceSummary;
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const simulate = async (deviceId: string, action: Record<string, unknown>) => h.api('POST', `/api/devices/${deviceId}/simulate`, action, await h.adminToken());
  const paperOut = (on: boolean) => simulate(printerId, { action: 'paper-out', on });

  async function openKiosk(width = 1080, height = 1920): Promise<Page> {
    const page = await h.open(`/kiosk?token=${encodeURIComponent(kioskToken)}`, width, height);
    await page.waitForSelector('.tile');
    return page;
  }

  async function take(page: Page, serviceId = plain.id): Promise<string> {
    await page.click(`.tile[data-service-id="${serviceId}"]`);
    await page.waitForSelector('.result .ticket-number');
    return (await page.textContent('.result .ticket-number'))?.trim() ?? '';
  }

  async function shot(page: Page, name: string): Promise<void> {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  it('serves at most 60 KB of gzipped JavaScript', async () => {
    const sizes = await builtJsGzipBytes('kiosk-ui');
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(sizes)).toBeLessThanOrEqual(60 * 1024);
  });

  it('item 1: a removed ID card clears at once, with the elderly mode it brought', async () => {
    const page = await openKiosk();
    await simulate(readerId, { action: 'insert-card', person: 'elderly' });
    await page.waitForSelector('.banner-card .card-name');
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
    await simulate(readerId, { action: 'remove-card' });
    await page.waitForFunction(() => !document.querySelector('.banner-card') && !document.documentElement.classList.contains('elderly'), undefined, { timeout: 5000 });
    // The next citizen's ticket carries no name and no elderly priority.
    await take(page);
    expect(await page.$('.result .badge-elderly')).toBeNull();
    expect(await page.textContent('.result')).not.toContain('*');
    await page.click('.result .done');

    // A service that needs the card: the card screen waits for it, and the ticket carries it.
    const services = await h.api<ServiceSummary[]>('GET', '/api/services');
    const needsId = services.filter((s) => s.open && s.id !== plain.id).at(-1) as ServiceSummary;
    await h.api('PATCH', `/api/services/${needsId.id}`, { idRequired: true }, await h.adminToken());
    await page.waitForSelector(`.tile[data-service-id="${needsId.id}"] .badge, .pager`);
    if (!(await page.$(`.tile[data-service-id="${needsId.id}"]`))) await page.click('.pager button:last-child');
    await page.click(`.tile[data-service-id="${needsId.id}"]`);
    await page.waitForSelector('.need-id');
    expect(await seriousViolations(page)).toEqual([]);
    await simulate(readerId, { action: 'insert-card', person: 'elderly' });
    await page.waitForSelector('.result .badge-elderly');
    await simulate(readerId, { action: 'remove-card' });
    await page.context().close();
  }, 60_000);

  it('item 2: a used-up daily quota says so on the tile and when tapped', async () => {
    const admin = await h.adminToken();
    const services = await h.api<ServiceSummary[]>('GET', '/api/services');
    const quota = services.find((s) => s.open && !s.idRequired && s.id !== plain.id) as ServiceSummary;
    await h.api('PATCH', `/api/services/${quota.id}`, { dailyQuota: 1 }, admin);
    await h.api('POST', '/api/tickets', { serviceId: quota.id }, admin);
    const page = await openKiosk();
    const tile = `.tile[data-service-id="${quota.id}"]`;
    await page.waitForSelector(`${tile}[data-closed-reason="quota"]`);
    expect(await page.textContent(`${tile} .tile-closed`)).toContain('今日号已取完');
    // A citizen taps the greyed tile anyway.
    await page.click(tile, { force: true });
    await page.waitForSelector('.error[data-error-code="QUEUE.QUOTA_REACHED"]');
    const text = (await page.textContent('.error .error-text')) ?? '';
    expect(text).toContain('今日号源已取完');
    expect(text).toContain('明天');
    expect(text).toContain('预约');
    expect(text).toMatch(/used up.*tomorrow.*appointment/);
    expect(text).not.toContain('当前不在取号时间');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('item 3: says "take your ticket" only for a printed slip; otherwise the QR code, longer, and a reprint once paper is back', async () => {
    const page = await openKiosk();
    await take(page);
    await page.waitForSelector('.result[data-print="printed"]');
    expect(await page.textContent('.print-status')).toContain('请取走您的号票');
    await page.click('.result .done');

    await paperOut(true);
    await take(page);
    await page.waitForSelector('.result[data-print="failed"], .result[data-print="unconfirmed"]');
    expect(await page.textContent('.print-status')).not.toContain('请取走您的号票');
    expect(await page.textContent('.print-status')).toContain('未能打印');
    // The phone page's QR code, large, not the URL as text.
    const box = await page.locator('svg.qr').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(300);
    expect(await page.textContent('.result')).not.toMatch(/https?:\/\//);
    // Longer than the 15 s of a printed ticket.
    const left = Number(/\d+/.exec((await page.textContent('.result .done')) ?? '')?.[0]);
    expect(left).toBeGreaterThan(15);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'paper-out-1080x1920');

    await paperOut(false);
    await page.click('[data-reprint]');
    await page.waitForSelector('.result[data-print="printed"]');
    expect(await page.textContent('.print-status')).toContain('请取走您的号票');
    await page.context().close();
  }, 60_000);

  const VIEWPORTS = [
    { width: 1080, height: 1920 },
    { width: 1920, height: 1080 },
  ];

  /** Whatever the kiosk shows is on screen: no scrolling, no tile or button under the footer or off the edge. */
  async function nothingHidden(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const problems: string[] = [];
      const vw = window.innerWidth;
      const vh = window.innerHeight;
      const doc = document.scrollingElement as HTMLElement;
      if (doc.scrollHeight > vh + 1 || doc.scrollWidth > vw + 1) problems.push(`page scrolls ${doc.scrollWidth}×${doc.scrollHeight}`);
      const screen = document.querySelector('.screen') as HTMLElement;
      if (screen.scrollHeight > screen.clientHeight + 1) problems.push(`screen scrolls ${screen.scrollHeight} > ${screen.clientHeight}`);
      const footer = (document.querySelector('footer.bottom') as HTMLElement).getBoundingClientRect();
      const header = (document.querySelector('header.top') as HTMLElement).getBoundingClientRect();
      for (const el of document.querySelectorAll<HTMLElement>('.screen button, .screen .ticket-number, .screen svg.qr, .screen .materials li, .tile-name, .tile-foot, header button')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const name = `${el.tagName.toLowerCase()}.${el.className || ''} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
        if (r.left < -1 || r.right > vw + 1) problems.push(`${name} off the side`);
        if (!el.closest('header') && (r.top < header.bottom - 1 || r.bottom > footer.top + 1)) problems.push(`${name} outside the screen area (${Math.round(r.top)}–${Math.round(r.bottom)})`);
      }
      // A box too small for its words: its content spills out (tiles, the ticket card, the QR panel).
      for (const box of document.querySelectorAll<HTMLElement>('.tile, .ticket-card, .qr-panel, .materials, .print-status')) {
        const outer = box.getBoundingClientRect();
        for (const child of box.querySelectorAll<HTMLElement>('*')) {
          const r = child.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          if (r.bottom > outer.bottom + 1 || r.right > outer.right + 1 || r.left < outer.left - 1) {
            problems.push(`${box.className} "${(box.textContent ?? '').trim().slice(0, 12)}": "${(child.textContent ?? '').trim().slice(0, 12)}" spills out`);
            break;
          }
        }
        if (box.scrollHeight > box.clientHeight + 1 && getComputedStyle(box).overflowY !== 'visible') problems.push(`${box.className} scrolls inside`);
      }
      return problems;
    });
  }

  const MODES = VIEWPORTS.flatMap((vp) => [false, true].flatMap((elderly) => (['zh', 'en'] as const).map((lang) => ({ vp, elderly, lang }))));
  for (const { vp, elderly, lang } of MODES) {
    {
      const mode = `${vp.width}x${vp.height}-${elderly ? 'elderly' : 'normal'}-${lang}`;
      it(`item 4: ${mode}: start screen and a ticket without a slip, nothing hidden`, async () => {
        const page = await openKiosk(vp.width, vp.height);
        if (lang === 'en') {
          await page.click('[data-toggle="lang"]');
          await page.waitForFunction(() => document.documentElement.lang === 'en');
        }
        if (elderly) {
          await page.click('[data-toggle="elderly"]');
          await page.waitForFunction(() => document.documentElement.classList.contains('elderly'));
        }
        // The ID card banner takes room too: lay out with it showing.
        await simulate(readerId, { action: 'insert-card', person: elderly ? 'elderly' : 'adult' });
        await page.waitForSelector('.banner-card');
        await shot(page, `home-${mode}`);
        expect(await nothingHidden(page)).toEqual([]);
        // Every page of services: each tile reachable without scrolling.
        const pages = Number((await (await page.$('.page-no'))?.textContent())?.split('/')[1] ?? 1);
        for (let p = 1; p < pages; p++) {
          await page.click('.pager button:last-child');
          expect(await nothingHidden(page), `page ${p + 1}`).toEqual([]);
        }
        expect(await seriousViolations(page)).toEqual([]);
        await simulate(readerId, { action: 'remove-card' });
        await page.waitForFunction(() => !document.querySelector('.banner-card'));
        if (elderly && !(await page.evaluate(() => document.documentElement.classList.contains('elderly')))) await page.click('[data-toggle="elderly"]');
        if (lang === 'en' && (await page.evaluate(() => document.documentElement.lang)) !== 'en') await page.click('[data-toggle="lang"]');

        await paperOut(true);
        try {
          if (await page.$('.pager')) await page.click('.pager button:first-child');
          await page.click(`.tile[data-service-id="${plain.id}"]`);
          await page.waitForSelector('.result[data-print="failed"], .result[data-print="unconfirmed"]');
          await shot(page, `no-slip-${mode}`);
          expect(await nothingHidden(page)).toEqual([]);
          expect(await seriousViolations(page)).toEqual([]);
        } finally {
          await paperOut(false);
        }
        await page.context().close();
      }, 60_000);
    }
  }

  it('item 5: a 中文/English toggle that resets after each citizen', async () => {
    const page = await openKiosk(1920, 1080);
    expect(await page.textContent('.prompt')).toMatch(/^请选择办理业务/);
    await page.click('[data-toggle="lang"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('.prompt')).toMatch(/^Please choose a service/);
    expect(await page.textContent(`.tile[data-service-id="${plain.id}"] .tile-name`)).toBe(plain.nameEn || plain.name);
    await take(page);
    // The printer may still be waking from the paper-out tests: any print state, in English first.
    expect(await page.textContent('.print-status')).toMatch(/^(Please take your ticket|Printing|Your ticket did not print|Printing not confirmed)/);
    await shot(page, 'english-result-1920x1080');
    await page.click('.result .done');
    await page.waitForSelector('.prompt');
    expect(await page.textContent('.prompt')).toMatch(/^请选择办理业务/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(h.pageErrors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
