/**
 * 预约服务 in Chromium against a real hall (issue 16), on a hall clock the test moves (Thursday
 * 2026-11-26): a citizen books on the phone page (/book: service, day, slot, the form checked on
 * the page) and gets a code and a QR code; at the kiosk, typing the code too early says when to
 * come back; inside the window the QR code's link, scanned, gives an appointment ticket, and a
 * second scan gives none; a swiped ID card that booked is offered its booking; the phone page
 * then shows the booking checked in. The admin makes another service bookable and changes a
 * booking rule in the console. axe-core finds no serious or critical violation.
 * Screenshots go to $KIOSK_SHOTS (if set).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { idCheckChar, type BookedAppointment, type BookingOptions } from '@hall/protocol';
import { ADMIN_PASSWORD, logIn, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

const SHOTS = process.env.KIOSK_SHOTS;
let now = Date.parse('2026-11-26T08:00:00+08:00');
const setClock = (iso: string): void => void (now = Date.parse(iso));
const withCheck = (first17: string): string => first17 + (idCheckChar(first17) as string);

describe('appointments: phone booking and kiosk check-in (issue 16)', () => {
  let h: E2eHall;
  let kioskToken: string;
  let readerId: string;
  let scannerId: string;
  let code = '';

  beforeAll(async () => {
    h = await startE2eHall({ clock: () => now });
    const admin = await h.adminToken();
    const kiosk = await h.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: 'E2E 签到机' }, admin);
    kioskToken = kiosk.token;
    const attachedTo = { terminalId: kiosk.id };
    const device = async (kind: string, name: string) => (await h.api<{ id: string }>('POST', '/api/devices', { kind, name, transport: { type: 'simulated' }, attachedTo }, admin)).id;
    readerId = await device('id-reader', 'E2E 读卡器');
    scannerId = await device('scanner', 'E2E 扫码器');
    await device('printer', 'E2E 打印机');
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const simulate = async (deviceId: string, action: Record<string, unknown>) => h.api('POST', `/api/devices/${deviceId}/simulate`, action, await h.adminToken());
  /** Polls the hall until `ok` (a saved form reaches the server a moment after the click); else fails with what the form says. */
  const until = async (ok: () => Promise<boolean>, form: () => Promise<string | null>): Promise<void> => {
    for (let i = 0; i < 150; i++) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the hall never showed the change; the form says: ${await form()}`);
  };
  const shot = async (page: Page, name: string): Promise<void> => {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  it('books on the phone page: service, day, slot with places left, the form checked, then the code and its QR code', async () => {
    const page = await h.open('/book', 390, 844, { isMobile: true, hasTouch: true });
    await page.waitForSelector('.bk-choice[data-service-id="svc-social"]');
    expect(await page.textContent('.bk-rules')).toContain('爽约');
    await shot(page, 'book-1-services');
    await page.click('.bk-choice[data-service-id="svc-social"]');
    await page.waitForSelector('.bk-choice[data-date="2026-11-26"]');
    expect(await page.textContent('.bk-choice[data-date="2026-11-26"]')).toContain('今天');
    // 2026-11-28 is a Saturday: not bookable.
    expect(await page.isDisabled('.bk-choice[data-date="2026-11-28"]')).toBe(true);
    await page.click('.bk-choice[data-date="2026-11-26"]');
    const slot = '.bk-slot[data-slot="2026-11-26T09:00:00+08:00"]';
    await page.waitForSelector(slot);
    expect(await page.textContent(slot)).toContain('余 4 个');
    // Lunch has no slots; the slot at 08:30 is past its cut-off at 08:00.
    expect(await page.$('.bk-slot[data-slot="2026-11-26T12:00:00+08:00"]')).toBeNull();
    expect(await page.isDisabled('.bk-slot[data-slot="2026-11-26T08:30:00+08:00"]')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'book-2-slots');
    await page.click(slot);
    await page.waitForSelector('.bk-form');
    await page.fill('#name', '李小明');
    await page.fill('#idNumber', '110105199001010011');
    await page.click('[data-submit]');
    expect(await page.textContent('.bk-problem')).toContain('身份证号码有误');
    await page.fill('#idNumber', '110105199001010010');
    await page.fill('#phone', '13812345678');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-submit]');
    await page.waitForSelector('.bk-done');
    code = (await page.getAttribute('.bk-done', 'data-booked-code')) ?? '';
    expect(code).toMatch(/^\d{10}$/);
    const text = (await page.textContent('.bk-done')) ?? '';
    expect(text).toContain('预约成功');
    expect(text).toContain('李*明');
    expect(text).not.toContain('110105199001010010');
    const qr = await page.locator('.bk-qr svg').boundingBox();
    expect(qr?.width ?? 0).toBeGreaterThanOrEqual(200);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'book-3-done');
    await page.context().close();
  }, 90_000);

  it('at the kiosk: the code typed too early says when to come back; the QR code scanned in the window gives an appointment ticket, once', async () => {
    const page = await h.open(`/kiosk?token=${encodeURIComponent(kioskToken)}`, 1080, 1920);
    await page.waitForSelector('[data-checkin-entry]');
    await page.click('[data-checkin-entry]');
    await page.waitForSelector('[data-code-entry]');
    for (const d of code) await page.click(`.key[data-key="${d}"]`);
    expect(await page.getAttribute('.code-display', 'data-code')).toBe(code);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'kiosk-1-code');
    await page.click('[data-submit-code]');
    await page.waitForSelector('.error[data-error-code="APPOINTMENT.TOO_EARLY"]');
    expect(await page.textContent('.error .error-text')).toContain('11月26日 08:30 后再来签到');
    await shot(page, 'kiosk-2-too-early');
    await page.click('.error button.primary');

    setClock('2026-11-26T08:40:00+08:00');
    await simulate(scannerId, { action: 'scan', text: `${h.url}/book?code=${code}` });
    await page.waitForSelector('.result .ticket-number');
    expect(await page.textContent('.result .badge-elderly')).toContain('预约');
    const number = (await page.textContent('.result .ticket-number'))?.trim() ?? '';
    await shot(page, 'kiosk-3-ticket');
    await page.click('.result .done');

    await simulate(scannerId, { action: 'scan', text: `${h.url}/book?code=${code}` });
    await page.waitForSelector('.error[data-error-code="APPOINTMENT.USED"]');
    expect(await page.textContent('.error .error-text')).toContain(number);
    await page.click('.error button.primary');
    await page.context().close();
  }, 90_000);

  it('a swiped ID card that booked is offered its booking, and checks in with a tap', async () => {
    const adult = withCheck('32010219880721003');
    const booked = await h.api<BookedAppointment>('POST', '/api/appointments', { serviceId: 'svc-social', start: '2026-11-26T09:30:00+08:00', name: '张伟', idNumber: adult });
    // Inside its window (from 09:00).
    setClock('2026-11-26T09:05:00+08:00');
    const page = await h.open(`/kiosk?token=${encodeURIComponent(kioskToken)}`, 1920, 1080);
    await page.waitForSelector('.tile');
    await simulate(readerId, { action: 'insert-card', person: 'adult' });
    await page.waitForSelector(`[data-card-appointments] [data-booking-code="${booked.code}"]`);
    expect(await page.textContent('[data-card-appointments]')).toContain('09:30–10:00');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'kiosk-4-card');
    await page.click(`[data-booking-code="${booked.code}"]`);
    await page.waitForSelector('.result .ticket-number');
    expect(await page.textContent('.result .badge-elderly')).toContain('预约');
    await simulate(readerId, { action: 'remove-card' });
    await page.context().close();
  }, 90_000);

  it('the admin console: a service made bookable (slots of 20 minutes, 3 places), a booking rule changed', async () => {
    const page = await h.open('/counter/admin', 1440, 1100);
    await logIn(page, { username: 'admin', password: ADMIN_PASSWORD });
    await page.click('.admin [data-tab="services"]');
    // No service chosen: the hall's booking rules.
    await page.waitForSelector('[data-booking-rules]');
    await page.fill('[data-booking-rules] input[name=horizonDays]', '14');
    await page.click('[data-booking-rules] button[type=submit]');
    await until(async () => (await h.api<BookingOptions>('GET', '/api/appointments/services')).rules.horizonDays === 14, () => page.textContent('[data-booking-rules]'));
    await page.click('tr[data-service="C"]');
    await page.waitForSelector('[data-appointments-editor]');
    await page.check('[data-appointments-editor] input[name=bookable]');
    await page.fill('[data-appointments-editor] input[name=slot-minutes]', '20');
    await page.fill('[data-appointments-editor] input[name=capacity]', '3');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'admin-appointments');
    await page.click('[data-appointments-editor] button[type=submit]');
    await until(async () => (await h.api<BookingOptions>('GET', '/api/appointments/services')).services.some((x) => x.id === 'svc-agri' && x.slotMinutes === 20), () => page.textContent('[data-appointments-editor]'));
    const slots = await h.api<Array<{ capacity: number }>>('GET', '/api/appointments/slots?serviceId=svc-agri&date=2026-11-30');
    expect(slots[0]?.capacity).toBe(3);
    await page.context().close();
  }, 90_000);

  it('the phone page shows the booking checked in, by its link', async () => {
    const page = await h.open(`/book?code=${code}`, 390, 844);
    await page.waitForSelector('[data-found-status="checked-in"]');
    expect(await page.textContent('[data-found-status]')).toContain('已签到');
    expect(await page.$('[data-cancel]')).toBeNull();
    expect(h.pageErrors).toEqual([]);
    await page.context().close();
  }, 60_000);
});
