/**
 * The admin console mutes the hall screens at once, and sets how calls are said; a hall screen
 * open meanwhile says it is muted. Chromium against a real hall (scripts/e2e-hall.ts).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hall } from '@hall/protocol';
import { ADMIN_PASSWORD, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('voice admin e2e skipped: /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(!hasChromium)('voice settings in the admin console', () => {
  let e: E2eHall;
  beforeAll(async () => {
    e = await startE2eHall();
  }, 180_000);
  afterAll(async () => e?.close(), 60_000);

  it('mutes every hall screen from the console and saves the voice settings', async () => {
    const screen = await e.open('/display', 1920, 1080);
    await screen.waitForSelector('.board');

    const admin = await e.open('/counter/admin', 1280, 1024);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    await admin.waitForSelector('[data-cmd="voice-mute"]');
    await admin.click('[data-cmd="voice-mute"]');
    await admin.waitForSelector('[data-cmd="voice-mute"][aria-pressed="true"]');
    const adminToken = await e.adminToken();
    expect((await e.api<Hall>('GET', '/api/hall', undefined, adminToken)).voice.muted).toBe(true);
    await screen.waitForSelector('.voice-note:has-text("管理员已关闭语音")');

    await admin.selectOption('.voice-settings select >> nth=1', 'number');
    await admin.fill('.voice-settings textarea', '12:00-13:30');
    await admin.click('.voice-settings button[type=submit]');
    await admin.waitForFunction(() => document.querySelector('.voice-settings textarea') !== null);
    await expect
      .poll(async () => (await e.api<Hall>('GET', '/api/hall', undefined, adminToken)).voice, { timeout: 5000 })
      .toMatchObject({ muted: true, numberReading: 'number', quietHours: [{ start: '12:00', end: '13:30' }] });

    await admin.click('[data-cmd="voice-mute"]');
    await screen.waitForSelector('.voice-note:has-text("管理员已关闭语音")', { state: 'detached' });
    expect(e.pageErrors).toEqual([]);
  }, 120_000);

  it("uploads a clerk's photo from the users tab; the counter serves it while they are signed in", async () => {
    const adminToken = await e.adminToken();
    const clerk = await e.api<{ id: string }>('POST', '/api/users', { username: 'photo-e2e', name: '孙丽', staffNo: 'C0555', role: 'clerk', password: 'photo-e2e-password' }, adminToken);
    const admin = await e.open('/counter/admin', 1280, 1024);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    await admin.click('.tab >> text=人员');
    const input = admin.locator(`input[data-photo-for="${clerk.id}"]`);
    const png = await admin.screenshot({ clip: { x: 0, y: 0, width: 60, height: 80 } });
    await input.setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
    await admin.waitForSelector('text=已更新 孙丽 的照片');

    const counter = (await e.api<{ id: string }[]>('GET', '/api/counters'))[0] as { id: string };
    const token = (await e.api<{ token: string }>('POST', '/api/auth/login', { username: 'photo-e2e', password: 'photo-e2e-password' })).token;
    await e.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, token);
    const res = await fetch(`${e.url}/api/counters/${counter.id}/clerk-photo`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
    expect(e.pageErrors).toEqual([]);
  }, 120_000);
});
