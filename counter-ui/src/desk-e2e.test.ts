/**
 * The clerk's desk journeys of issue 13 (items 7–9), in Chromium against a real hall: the day's
 * served count and the 过号 list come from the server and survive a reload and a restart;
 * call-next closes the called ticket as served; transfer offers only services some open counter
 * serves, and a ticket can go to a counter. axe-core finds no serious or critical violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CounterView, ServiceSummary, Ticket } from '@hall/protocol';
import { builtJsGzipBytes, createClerk, seriousViolations, signInAtCounter, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

describe('clerk desk (issue 13, items 7–9)', () => {
  let h: E2eHall;

  beforeAll(async () => {
    h = await startE2eHall();
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  async function missed(page: Page): Promise<string[]> {
    return page.$$eval('[data-missed] .chip-miss', (els) => els.map((e) => e.getAttribute('data-number') ?? ''));
  }

  it('serves at most 80 KB of gzipped JavaScript', async () => {
    // What the desk loads: the chunks index.html names. Chunks imported on demand (ECharts, only
    // on the supervision page) are not the desk's.
    const { readFileSync } = await import('node:fs');
    const index = readFileSync(new URL('../dist/index.html', import.meta.url), 'utf8');
    const all = await builtJsGzipBytes('counter-ui');
    const sizes = Object.fromEntries(Object.entries(all).filter(([file]) => index.includes(`/assets/${file}`)));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(sizes)).toBeLessThanOrEqual(80 * 1024);
  });

  it('served count and missed list come from the server and survive reload and restart', async () => {
    const admin = await h.adminToken();
    const counters = await h.api<CounterView[]>('GET', '/api/counters');
    const counter = counters.find((c) => c.serviceIds.length > 0) as CounterView;
    const serviceId = counter.serviceIds[0] as string;
    const issued: Ticket[] = [];
    for (let i = 0; i < 3; i++) issued.push(await h.api<Ticket>('POST', '/api/tickets', { serviceId }, admin));
    const clerk = await createClerk(h, 'desk7', '李娜');

    const desk = await h.open('/counter', 1280, 900);
    await desk.waitForSelector('input[name=username]');
    expect(await seriousViolations(desk)).toEqual([]);
    await signInAtCounter(desk, clerk, counter.id);
    expect(await seriousViolations(desk)).toEqual([]);
    await desk.keyboard.press('F1');
    await desk.waitForSelector(`.ticket[data-current="${issued[0]?.number}"]`);
    await desk.keyboard.press('F1');
    await desk.waitForSelector(`.ticket[data-current="${issued[1]?.number}"]`);
    // The first was called and never started: call-next closed it as served, not missed.
    expect((await h.api<Ticket>('GET', `/api/tickets/${issued[0]?.id}`, undefined, admin)).status).toBe('done');
    await desk.waitForFunction(() => document.querySelector('[data-served]')?.textContent?.trim() === '1');
    await desk.click('[data-cmd="no-show"]');
    await desk.waitForSelector(`[data-missed] .chip-miss[data-number="${issued[1]?.number}"]`);
    expect(await seriousViolations(desk)).toEqual([]);

    await desk.reload();
    await desk.waitForSelector(`[data-missed] .chip-miss[data-number="${issued[1]?.number}"]`);
    expect(await desk.textContent('[data-served]')).toBe('1');
    expect(await missed(desk)).toEqual([issued[1]?.number]);

    await h.restart();
    await desk.reload();
    await desk.waitForSelector(`[data-missed] .chip-miss[data-number="${issued[1]?.number}"]`);
    expect(await desk.textContent('[data-served]')).toBe('1');

    // Re-queue from the list: it leaves the list, the count of the day stays.
    await desk.click(`[data-missed] .chip-miss[data-number="${issued[1]?.number}"]`);
    await desk.click('.dialog button[type=submit]');
    await desk.waitForFunction(() => document.querySelectorAll('[data-missed] .chip-miss').length === 0);
    await desk.context().close();
  }, 120_000);


  it('transfers to a service some open counter serves, or to a counter', async () => {
    const admin = await h.adminToken();
    const counters = await h.api<CounterView[]>('GET', '/api/counters');
    const services = await h.api<ServiceSummary[]>('GET', '/api/services');
    const open = counters.filter((c) => c.state === 'open');
    for (const c of open) await h.api('POST', `/api/counters/${c.id}/sign-out`, undefined, admin);
    const here = counters.find((c) => c.serviceIds.length > 0) as CounterView;
    // Another counter with a service this one does not serve.
    const there = counters.find((c) => c.id !== here.id && c.serviceIds.some((s) => !here.serviceIds.includes(s))) as CounterView;
    const thereService = there.serviceIds.find((s) => !here.serviceIds.includes(s)) as string;
    const servedByOpen = new Set([...here.serviceIds, ...there.serviceIds]);
    const ticket = await h.api<Ticket>('POST', '/api/tickets', { serviceId: here.serviceIds[0] }, admin);

    const a = await createClerk(h, 'desk9a', '张伟');
    const b = await createClerk(h, 'desk9b', '刘洋');
    const deskB = await h.open('/counter', 1280, 900);
    await signInAtCounter(deskB, b, there.id);
    const desk = await h.open('/counter', 1280, 900);
    await signInAtCounter(desk, a, here.id);
    await desk.click(`.chip:has-text("${ticket.number}")`);
    await desk.click('.dialog button[type=submit]');
    await desk.waitForSelector(`.ticket[data-current="${ticket.number}"]`);

    await desk.click('[data-cmd="transfer"]');
    await desk.waitForSelector('.dialog [data-transfer-service]');
    const offered = await desk.$$eval('.dialog [data-transfer-service]', (els) => els.map((e) => e.getAttribute('data-transfer-service')));
    const expected = services.filter((s) => servedByOpen.has(s.id) && s.id !== ticket.serviceId).map((s) => s.id);
    expect(offered.sort()).toEqual(expected.sort());
    expect(await desk.$$eval('.dialog [data-transfer-counter]', (els) => els.map((e) => e.getAttribute('data-transfer-counter')))).toEqual([there.id]);
    expect(await seriousViolations(desk)).toEqual([]);

    await desk.click(`.dialog [data-transfer-counter="${there.id}"]`);
    await desk.waitForSelector('.current-empty');
    // The other counter calls it next, though its own service's queue is empty of it.
    expect(thereService).toBeTruthy();
    await deskB.keyboard.press('F1');
    await deskB.waitForSelector(`.ticket[data-current="${ticket.number}"]`);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);
});
