/**
 * The admin console (issue 13 item 12) walked through in Chromium against a real hall: a
 * service's own ticket hours and lunch break, a holiday range, a notice that reaches the hall
 * screen, a clerk created then disabled (their login refused), a terminal revoked (its token
 * refused), a simulated printer added and test-printed, and the admin's own password changed
 * (the old one refused, other sessions ended). Every change is live, without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Hall, Service } from '@hall/protocol';
import { ADMIN_PASSWORD, logIn, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

describe('admin console journeys (issue 13, item 12)', () => {
  let e: E2eHall;
  let page: Page;

  beforeAll(async () => {
    e = await startE2eHall({ apps: ['counter-ui', 'display-ui'] });
    page = await e.open('/counter/admin', 1440, 1000);
    page.on('dialog', (d) => void d.accept());
    await logIn(page, { username: 'admin', password: ADMIN_PASSWORD });
    await page.waitForSelector('.admin [role=tab]');
  }, 180_000);
  afterAll(async () => e?.close(), 60_000);

  const tab = (name: string) => page.click(`.admin [data-tab="${name}"]`);
  const token = () => e.adminToken();

  it("sets a service's own ticket hours and lunch break", async () => {
    await tab('services');
    const first = (await e.api<Service[]>('GET', '/api/services/all', undefined, await token())).sort((a, b) => a.sort - b.sort)[0] as Service;
    await page.click(`tr[data-service="${first.prefix}"]`);
    await page.check('.service-editor input[name=own-hours]');
    await page.fill('.service-editor input[name=open-start]', '08:30');
    await page.fill('.service-editor input[name=open-end]', '17:30');
    await page.fill('.service-editor input[name=lunch-start]', '12:00');
    await page.fill('.service-editor input[name=lunch-end]', '13:30');
    await page.uncheck('.service-editor input[name=all-day]');
    await page.click('.service-editor button[type=submit]');
    await page.waitForSelector(`tr[data-service="${first.prefix}"] >> text=08:30–17:30（午休 12:00–13:30）`);
    const saved = (await e.api<Service[]>('GET', '/api/services/all', undefined, await token())).find((s) => s.id === first.id);
    expect(saved?.ticketHours).toMatchObject({ open: { start: '08:30', end: '17:30' }, lunch: { start: '12:00', end: '13:30' } });

    // A lunch break outside the day is refused in the form, in Chinese, and nothing is sent.
    await page.click(`tr[data-service="${first.prefix}"]`);
    await page.fill('.service-editor input[name=lunch-end]', '18:00');
    await page.click('.service-editor button[type=submit]');
    await page.waitForSelector('.service-editor .form-error >> text=午休须在办公时间之内');
  }, 60_000);

  it("weights a counter's services (ordering rule 4)", async () => {
    type Row = { id: string; number: number; services: { serviceId: string; weight: number }[] };
    await tab('counters');
    const counter = (await e.api<Row[]>('GET', '/api/counters/all', undefined, await token())).filter((c) => c.services.length > 0).sort((a, b) => a.number - b.number)[0] as Row;
    await page.click(`tr[data-counter="${counter.number}"]`);
    await page.fill('.counter-editor .service-weight input[type=number] >> nth=0', '3.5');
    await page.click('.counter-editor button[type=submit]');
    await page.waitForSelector('.counter-editor', { state: 'detached' });
    const saved = (await e.api<Row[]>('GET', '/api/counters/all', undefined, await token())).find((c) => c.id === counter.id) as Row;
    // One weight changed; the counter's other services keep theirs.
    expect(saved.services.filter((l) => l.weight === 3.5)).toHaveLength(1);
    expect(saved.services.filter((l) => l.weight !== 3.5)).toEqual(counter.services.filter((l) => saved.services.some((x) => x.serviceId === l.serviceId && x.weight !== 3.5)));
  }, 60_000);

  it('adds a holiday range and a make-up workday to the calendar', async () => {
    await tab('calendar');
    const before = (await e.api<Hall>('GET', '/api/hall', undefined, await token())).calendar;
    await page.fill('input[name=holidays-from]', '2027-05-01');
    await page.fill('input[name=holidays-to]', '2027-05-03');
    await page.click('[data-cmd=add-holidays]');
    await page.fill('input[name=workdays-from]', '2027-04-25');
    await page.click('[data-cmd=add-workdays]');
    await page.waitForSelector('.date-list-holidays [data-date="2027-05-02"]');
    await page.click('.calendar button[type=submit]');
    await expect
      .poll(async () => (await e.api<Hall>('GET', '/api/hall', undefined, await token())).calendar, { timeout: 5000 })
      .toEqual({ holidays: [...before.holidays, '2027-05-01', '2027-05-02', '2027-05-03'], workdays: [...before.workdays, '2027-04-25'] });
  }, 60_000);

  it('puts a notice on the hall screens at once', async () => {
    const screen = await e.open('/display', 1920, 1080);
    await screen.waitForSelector('.ticker');
    await tab('notices');
    await page.waitForSelector('[data-cmd=add-notice]');
    const rows = await page.locator('.notice-row').count();
    await page.click('[data-cmd=add-notice]');
    await page.fill(`textarea[name=notice-${rows}]`, '本中心周六上午正常办公');
    await page.click('.notices button[type=submit]');
    await screen.waitForSelector('.ticker >> text=本中心周六上午正常办公', { state: 'attached' });
    await screen.close();
  }, 60_000);

  it('creates a clerk, then disables them: their login is refused', async () => {
    await tab('users');
    await page.fill('input[name=new-username]', 'e2e-clerk');
    await page.fill('input[name=new-name]', '赵敏');
    await page.fill('input[name=new-staffno]', 'C0777');
    await page.fill('input[name=new-password]', 'e2e-clerk-password');
    await page.click('.new-user button[type=submit]');
    await page.waitForSelector('.user-editor[data-editing="e2e-clerk"]');
    expect((await e.raw('POST', '/api/auth/login', { username: 'e2e-clerk', password: 'e2e-clerk-password' })).status).toBe(200);

    await page.click('[data-cmd=disable-user]');
    await page.waitForSelector('tr[data-user="e2e-clerk"] >> text=已停用');
    const refused = await e.raw<{ error: { code: string } }>('POST', '/api/auth/login', { username: 'e2e-clerk', password: 'e2e-clerk-password' });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'AUTH.BAD_CREDENTIALS']);
  }, 60_000);

  it('revokes a terminal: its token is refused', async () => {
    const kiosk = await e.api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: 'E2E待吊销取号机' }, await token());
    const service = (await e.api<Service[]>('GET', '/api/services/all', undefined, await token())).find((s) => s.enabled && s.ticketHours?.allDay) as Service;
    expect((await e.raw('POST', '/api/tickets', { serviceId: service.id }, kiosk.token)).status).toBe(201);
    await tab('terminals');
    await page.click('tr[data-terminal="E2E待吊销取号机"] [data-cmd=revoke-terminal]');
    await page.waitForSelector('tr[data-terminal="E2E待吊销取号机"]', { state: 'detached' });
    expect((await e.raw('POST', '/api/tickets', { serviceId: service.id }, kiosk.token)).status).toBe(401);
  }, 60_000);

  it('adds a simulated printer, sees it online by name and test-prints', async () => {
    await tab('devices');
    await page.click('[data-cmd=new-device]');
    await page.selectOption('select[name=device-kind]', 'printer');
    await page.fill('input[name=device-name]', 'E2E测试打印机');
    await page.selectOption('select[name=device-transport]', 'simulated');
    await page.click('.device-editor button[type=submit]');
    await page.waitForSelector('tr[data-device="E2E测试打印机"] [data-status=online]', { timeout: 10_000 });
    await page.click('tr[data-device="E2E测试打印机"] [data-cmd=test-print]');
    await page.waitForSelector('[data-device-result] >> text=测试页已打印');
    const devices = await e.api<{ id: string; name: string }[]>('GET', '/api/devices', undefined, await token());
    const printer = devices.find((d) => d.name === 'E2E测试打印机') as { id: string };
    const sim = await e.api<{ tickets: number }>('GET', `/api/devices/${printer.id}/simulator`, undefined, await token());
    expect(sim.tickets).toBe(1);

    // A bad serial setting is refused with the server's code, in Chinese.
    await page.click('tr[data-device="E2E测试打印机"] [data-cmd=edit-device]');
    await page.selectOption('select[name=device-transport]', 'serial');
    await page.fill('input[name=device-path]', '/dev/ttyS9');
    await page.fill('input[name=device-baud]', '12');
    await page.click('.device-editor button[type=submit]');
    await page.waitForSelector('.device-editor .form-error >> text=波特率');
  }, 60_000);

  it('shows no serious or critical accessibility violation on the device and user tabs', async () => {
    await tab('devices');
    await page.waitForSelector('tr[data-device]');
    expect(await seriousViolations(page)).toEqual([]);
    await tab('users');
    await page.waitForSelector('tr[data-user]');
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it("opens the hall's health check (hall-server doctor) from the hall tab", async () => {
    await tab('hall');
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('button[name=doctor-report]')]);
    await report.waitForFunction(() => document.body?.textContent?.includes('系统体检'));
    expect((await report.textContent('body')) ?? '').toMatch(/日志|journal/i);
    await report.close();
  }, 60_000);

  it('a clerk changes their own password at /counter/account', async () => {
    await e.api('POST', '/api/users', { username: 'e2e-own', name: '钱多', staffNo: 'C0888', role: 'clerk', password: 'e2e-own-password' }, await token());
    const clerk = await e.open('/counter/account', 1280, 900);
    await logIn(clerk, { username: 'e2e-own', password: 'e2e-own-password' });
    await clerk.fill('input[name=current-password]', 'wrong-password');
    await clerk.fill('input[name=new-own-password]', 'e2e-own-new-password');
    await clerk.fill('input[name=confirm-own-password]', 'e2e-own-new-password');
    await clerk.click('.own-password button[type=submit]');
    await clerk.waitForSelector('.own-password .form-error >> text=当前密码不正确');
    await clerk.fill('input[name=current-password]', 'e2e-own-password');
    await clerk.click('.own-password button[type=submit]');
    await clerk.waitForSelector('.toast >> text=密码已修改');
    expect((await e.raw('POST', '/api/auth/login', { username: 'e2e-own', password: 'e2e-own-new-password' })).status).toBe(200);
    await clerk.close();
  }, 60_000);

  it('changes its own password: the old one and other sessions end, this page stays signed in', async () => {
    const other = await token();
    await tab('account');
    await page.fill('input[name=current-password]', ADMIN_PASSWORD);
    await page.fill('input[name=new-own-password]', 'e2e-admin-new-password');
    await page.fill('input[name=confirm-own-password]', 'e2e-admin-new-password');
    await page.click('.own-password button[type=submit]');
    await page.waitForSelector('.toast >> text=密码已修改');
    expect((await e.raw('GET', '/api/auth/me', undefined, other)).status).toBe(401);
    expect((await e.raw('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).status).toBe(401);
    expect((await e.raw('POST', '/api/auth/login', { username: 'admin', password: 'e2e-admin-new-password' })).status).toBe(200);
    // This page still works: its session was kept.
    await tab('users');
    await page.waitForSelector('tr[data-user="e2e-clerk"]');
    expect(e.pageErrors).toEqual([]);
  }, 60_000);
});
