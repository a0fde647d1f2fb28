/**
 * The supervision console's journeys (issue 11 pages, issue 13 item 13), in Chromium against a
 * real hall: a bad rating shows in the 好差评 list, opens a case on the board, a supervisor moves
 * it with a note, the clerk sees only their own cases and appeals one; an 电子监察 alert arrives
 * live on the supervision page and is acknowledged with a note; paused and idle counters and the
 * device panel (a device unplugged shows offline live) are on the supervision page; the day
 * report opens for printing. axe-core finds no serious or critical violation on these pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Alert, CounterView, LoginResponse, RectificationCase, Service, Ticket } from '@hall/protocol';
import { clerkAt, logIn, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

describe('supervision console (issue 11 pages, issue 13 item 13)', () => {
  let h: E2eHall;
  /** The hall's clock runs with the PC's, plus what a test adds (a wait past its limit). */
  let offsetMs = 0;
  let counter: CounterView;
  let clerkToken = '';
  let supToken = '';
  const sup = { username: 'sup11', password: 'sup11-password-1' };
  const clerk = { username: 'clerk11', password: 'clerk11-password-1' };

  beforeAll(async () => {
    h = await startE2eHall({ clock: () => Date.now() + offsetMs });
    const admin = await h.adminToken();
    const counters = await h.api<CounterView[]>('GET', '/api/counters');
    counter = counters.find((c) => c.serviceIds.length > 0) as CounterView;
    await h.api('POST', '/api/users', { username: sup.username, name: '钱监督', staffNo: 'S011', role: 'supervisor', password: sup.password }, admin);
    supToken = (await h.api<LoginResponse>('POST', '/api/auth/login', sup)).token;
    // clerkAt makes the user with the password the e2e helpers use (`<username>-password-1`).
    clerkToken = await clerkAt(h, counter, clerk.username, '赵敏', 'C011');
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  /** Serves one ticket at the clerk's counter and rates it on the citizen's behalf. */
  async function servedAndRated(score: number, reasons: string[], comment: string): Promise<Ticket> {
    const t = await h.api<Ticket>('POST', '/api/tickets', { serviceId: counter.serviceIds[0] }, await h.adminToken());
    await h.api('POST', `/api/counters/${counter.id}/call-next`, undefined, clerkToken);
    await h.api('POST', `/api/counters/${counter.id}/finish`, undefined, clerkToken);
    await h.api('POST', `/api/tickets/${t.id}/rating`, { score, reasons, comment }, clerkToken);
    return t;
  }

  async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; ; i++) {
      const v = await f();
      if (ok(v) || i > 100) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const card = (page: Page, number: string, column?: string) => page.locator(`${column ? `.case-col[data-column=${column}] ` : ''}[data-case]`, { hasText: number });

  it('a bad rating → listed with its reasons → a case on the board → moved with a note → the clerk sees own cases and appeals', async () => {
    const a = await servedAndRated(1, ['态度不好', '等候太久'], '办事太慢');
    const b = await servedAndRated(2, ['材料告知不清'], '跑了两趟');
    await servedAndRated(5, [], '很好');
    const cases = await until(
      () => h.api<RectificationCase[]>('GET', '/api/rectifications', undefined, supToken),
      (c) => c.length === 2,
    );
    expect(cases.map((c) => c.ticketNumber).sort()).toEqual([a.number, b.number].sort());

    const page = await h.open('/counter', 1440, 1000);
    await logIn(page, sup);
    await page.click('a.navlink[href="/counter/ratings"]');
    await page.waitForSelector(`tr[data-rating="${a.number}"]`);
    const rowA = page.locator(`tr[data-rating="${a.number}"]`);
    expect(await rowA.textContent()).toContain('态度不好');
    expect(await rowA.textContent()).toContain('办事太慢');
    expect(await rowA.textContent()).toContain('赵敏');
    expect(await page.locator('.ratings-table tbody tr[data-rating]').count()).toBe(3);
    // Entered by the clerk on the citizen's behalf: the channel says so and filters.
    expect(await rowA.locator('td[data-channel]').getAttribute('data-channel')).toBe('clerk');
    await page.selectOption('select[name=channel]', 'phone');
    await page.waitForFunction(() => document.querySelectorAll('.ratings-table tbody tr[data-rating]').length === 0);
    await page.selectOption('select[name=channel]', 'clerk');
    await page.waitForFunction(() => document.querySelectorAll('.ratings-table tbody tr[data-rating]').length === 3);
    await page.selectOption('select[name=score]', '1,2');
    await page.waitForFunction(() => document.querySelectorAll('.ratings-table tbody tr[data-rating]').length === 2);
    await page.selectOption('select[name=score]', '1');
    await page.waitForFunction(() => document.querySelectorAll('.ratings-table tbody tr[data-rating]').length === 1);
    await page.selectOption('select[name=clerkId]', { label: '赵敏 · C011' });
    await page.waitForSelector(`tr[data-rating="${a.number}"]`);
    // A range the server refuses is said before asking.
    await page.fill('input[name=from]', '2099-12-31');
    await page.waitForSelector('.ratings-page .form-error');
    expect(await seriousViolations(page)).toEqual([]);

    await page.click('a.navlink[href="/counter/cases"]');
    await card(page, a.number, 'pending').waitFor();
    await card(page, b.number, 'pending').waitFor();
    expect(await card(page, a.number).textContent()).toContain('态度不好');
    expect(await card(page, a.number).textContent()).toMatch(/剩 \d+ 天/);
    expect(await seriousViolations(page)).toEqual([]);
    await card(page, a.number).locator('[data-move=valid]').click();
    await card(page, a.number).locator('textarea[name=case-note]').fill('经核实属实，已批评教育');
    await card(page, a.number).locator('button[type=submit]').click();
    await card(page, a.number, 'valid').waitFor();
    expect(await card(page, a.number).locator('.case-history').textContent()).toContain('待核实 → 属实：经核实属实，已批评教育');
    await card(page, a.number).locator('[data-callback]').click();
    await card(page, a.number).locator('textarea[name=case-note]').fill('已电话致歉');
    await card(page, a.number).locator('button[type=submit]').click();
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-case]')].some((e) => e.textContent?.includes(n) && e.textContent.includes('回访（已联系上）：已电话致歉')), a.number);

    // The clerk: from the desk to their own page; only their cases; the pending one takes an appeal.
    const desk = await h.open('/counter', 1280, 900);
    await logIn(desk, clerk);
    await desk.click('[data-my-cases]');
    await card(desk, b.number).waitFor();
    expect(await desk.locator('.my-cases [data-case]').count()).toBe(2);
    expect(await card(desk, a.number).textContent()).toContain('不再受理申诉');
    expect(await card(desk, a.number).locator('[data-appeal]').count()).toBe(0);
    await desk.waitForFunction(() => document.querySelector('[data-my-figures] .kpi-value')?.textContent === '3');
    expect(await desk.locator('a.navlink[href="/counter/cases"]').count()).toBe(0);
    await card(desk, b.number).locator('[data-appeal]').click();
    await card(desk, b.number).locator('textarea[name=case-note]').fill('群众材料不全，已一次性告知');
    await card(desk, b.number).locator('button[type=submit]').click();
    await card(desk, b.number).locator('.h-appeal', { hasText: '群众材料不全，已一次性告知' }).waitFor();
    expect(await seriousViolations(desk)).toEqual([]);
    // The board is a supervisor's page: a clerk going there by address is refused.
    await desk.goto(`${h.url}/counter/cases`);
    await desk.waitForSelector('text=AUTH.FORBIDDEN');

    const after = await h.api<RectificationCase[]>('GET', '/api/rectifications', undefined, supToken);
    expect(after.find((c) => c.ticketNumber === b.number)?.history.at(-1)).toMatchObject({ kind: 'appeal', note: '群众材料不全，已一次性告知' });
    await page.click('.cases-page button:has-text("刷新")');
    await card(page, b.number).locator('.h-appeal').waitFor();
    await desk.context().close();
    await page.context().close();
  }, 120_000);

  it('the supervision page: paused and idle counters, the device panel live, the day report, and an alert arriving live acknowledged with a note', async () => {
    const page = await h.open('/counter', 1440, 1000);
    await logIn(page, sup);
    await page.click('a.navlink[href="/counter/supervise"]');
    await page.waitForSelector('[data-attention]');

    // Idle (open, no ticket) and paused counters, from the live hall state.
    await page.waitForSelector(`[data-attention] li[data-counter="${counter.number}"][data-kind=idle]`);
    await h.api('POST', `/api/counters/${counter.id}/pause`, { reason: '午间休息' }, clerkToken);
    await page.waitForSelector(`[data-attention] li[data-counter="${counter.number}"][data-kind=paused]:has-text("午间休息")`);
    await h.api('POST', `/api/counters/${counter.id}/resume`, undefined, clerkToken);
    await page.waitForSelector(`[data-attention] li[data-counter="${counter.number}"][data-kind=idle]`);

    // Every device by name and place; one unplugged shows offline without a reload.
    const devices = await h.api<Array<{ id: string; name: string; kind: string; attachedTo: { counterId?: string } | null }>>('GET', '/api/devices', undefined, supToken);
    expect(devices.length).toBeGreaterThan(0);
    for (const d of devices) await page.waitForSelector(`[data-devices] li[data-device="${d.name}"]`);
    const keypad = devices.find((d) => d.kind === 'keypad' && d.attachedTo?.counterId) as (typeof devices)[number];
    const counters = await h.api<CounterView[]>('GET', '/api/counters');
    const place = `${counters.find((c) => c.id === keypad.attachedTo?.counterId)?.number}号窗口`;
    expect(await page.locator(`[data-devices] li[data-device="${keypad.name}"]`).textContent()).toContain(place);
    await h.api('POST', `/api/devices/${keypad.id}/simulate`, { action: 'unplug' }, await h.adminToken());
    await page.waitForSelector(`[data-devices] li[data-device="${keypad.name}"][data-status=offline]`);
    expect(await page.locator(`[data-devices] li[data-device="${keypad.name}"] .dev-status`).textContent()).toMatch(/^离线 · 自 \d\d:\d\d$/);
    await h.api('POST', `/api/devices/${keypad.id}/simulate`, { action: 'replug' }, await h.adminToken());
    await page.waitForSelector(`[data-devices] li[data-device="${keypad.name}"][data-status=online]`);

    // The one-day report opens in a new tab, ready to print (Chinese headers, per-table figures).
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-print-day]')]);
    await report.waitForFunction(() => document.body?.textContent?.includes('窗口服务统计报表'));
    const text = (await report.textContent('body')) ?? '';
    for (const header of ['按业务', '按窗口', '按人员', '满意率', '平均等候(分钟)', '平均办理(分钟)']) expect(text).toContain(header);
    expect(await report.evaluate(() => [...document.styleSheets].some((s) => [...s.cssRules].some((r) => r.cssText.startsWith('@media print'))))).toBe(true);
    await report.close();
    expect(await seriousViolations(page)).toEqual([]);

    // 电子监察: a ticket waits past its service's limit; the alert is pushed to this page.
    const services = await h.api<Service[]>('GET', '/api/services/all', undefined, supToken);
    const other = services.find((s) => !counter.serviceIds.includes(s.id) && s.enabled) ?? services[0]!;
    const waiting = await h.api<Ticket>('POST', '/api/tickets', { serviceId: other.id }, await h.adminToken());
    offsetMs += (other.waitLimitMinutes + 1) * 60_000;
    // Any queue event makes the engine look again a second later (its own 15 s tick is the other way).
    await h.api('POST', '/api/tickets', { serviceId: other.id }, await h.adminToken());
    const item = page.locator(`[data-alerts] li[data-rule=ticket-wait]`, { hasText: waiting.number });
    await item.waitFor({ timeout: 15_000 });
    // Marked new: only the socket's push marks an alert so (the poll never does).
    expect(await item.getAttribute('class')).toContain('fresh');
    await item.locator('[data-ack]').click();
    await item.locator('input[name=ack-note]').fill('已安排加开窗口');
    await item.locator('button[type=submit]').click();
    await item.locator('[data-acked]', { hasText: '已安排加开窗口' }).waitFor();
    const active = await h.api<Alert[]>('GET', '/api/alerts?active=true', undefined, supToken);
    expect(active.find((x) => x.subject.label === waiting.number)).toMatchObject({ note: '已安排加开窗口', acknowledgedBy: expect.any(String) });
    // The history finds it by its subject, with the note.
    await page.click('[data-alerts] h2 button');
    await page.fill('input[name=alert-subject]', waiting.number.toLowerCase());
    await page.locator('.alert-history tbody tr', { hasText: '已安排加开窗口' }).waitFor();
    expect(await page.locator('.alert-history tbody tr').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect(h.pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
