/**
 * Counter screens (窗口屏) in Chromium against a real hall: a bar (1280×400) and a panel
 * (1024×600) show the counter, the clerk (挂牌上岗), the number called and the next ones, and
 * nothing of other counters; paused with its reason; a paired screen of a counter without an
 * evaluator asks for the rating and sends it. Screenshots go to $HALL_SCREENSHOTS (default a
 * temp folder) to look at; axe-core finds no serious violation.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterView, Ticket } from '@hall/protocol';
import { clerkAt, kioskIssuer, seriousViolations, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('counter screen e2e skipped: /usr/bin/chromium is missing (apt-get install chromium)');
const SHOTS = process.env.HALL_SCREENSHOTS ?? join(tmpdir(), 'hall-screenshots');

describe.skipIf(!hasChromium)('counter screen (窗口屏) in Chromium', () => {
  let e: E2eHall;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e = await startE2eHall({ apps: ['display-ui'] });
  }, 180_000);
  afterAll(async () => e?.close(), 60_000);

  it('shows one counter at bar and panel sizes, paused with its reason, and takes a rating', async () => {
    const admin = await e.adminToken();
    const counters = await e.api<CounterView[]>('GET', '/api/counters');
    // Counters 1 and 2 of the demo hall have evaluators; the screen of a later one asks itself.
    const [mine, other] = counters.filter((c) => c.serviceIds.length > 0 && c.number > 2) as [CounterView, CounterView];
    const issue = await kioskIssuer(e);
    const clerk = await clerkAt(e, mine, 'screen-clerk', '王芳', 'C0327');
    const otherClerk = await clerkAt(e, other, 'screen-other', '赵强', 'C0400');
    const otherTicket = await issue(other.serviceIds[0] as string);
    await e.api('POST', `/api/counters/${other.id}/call-next`, undefined, otherClerk);
    const tickets = [];
    for (let i = 0; i < 4; i++) tickets.push(await issue(mine.serviceIds[0] as string));
    const called = (await e.api<{ ticket: Ticket }>('POST', `/api/counters/${mine.id}/call-next`, undefined, clerk)).ticket;
    const display = await e.api<{ token: string }>('POST', '/api/terminals', { kind: 'display', name: `${mine.number}号窗口屏` }, admin);
    // The clerk's photo (挂牌上岗): any small PNG will do; Chromium draws one.
    const painter = await e.open('/display', 200, 200);
    await painter.setContent('<div style="width:80px;height:100px;background:linear-gradient(#3a6,#136)"></div>');
    const photo = await painter.screenshot({ clip: { x: 0, y: 0, width: 80, height: 100 } });
    await painter.context().close();
    const users = await e.api<{ id: string; username: string }[]>('GET', '/api/users', undefined, admin);
    const clerkId = users.find((u) => u.username === 'screen-clerk')?.id;
    const up = await fetch(`${e.url}/api/users/${clerkId}/photo`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/png' }, body: new Uint8Array(photo) });
    expect(up.status).toBe(204);

    for (const [w, h, name] of [
      [1280, 400, 'bar'],
      [1024, 600, 'panel'],
    ] as const) {
      const page = await e.open(`/display/counter/${mine.id}?token=${encodeURIComponent(display.token)}`, w, h);
      await page.waitForSelector(`.cs-number[data-current="${called.number}"]`);
      const text = (await page.textContent('main')) ?? '';
      expect(text).toContain(`${mine.number}号窗口`);
      expect(text).toContain('王芳');
      expect(text).toContain('C0327');
      await page.waitForFunction(() => (document.querySelector('.cs-photo') as HTMLImageElement | null)?.naturalWidth === 80);
      for (const t of tickets.slice(1)) expect(text).toContain(t.number);
      // Nothing of the other counter: not its number, clerk or called ticket.
      expect(text).not.toContain('赵强');
      expect(text).not.toContain(otherTicket.number);
      // It fits: nothing scrolls or spills.
      const fits = await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth);
      expect(fits).toBe(true);
      await page.screenshot({ path: join(SHOTS, `counter-${name}-${w}x${h}.png`) });
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    }

    // Paused with its reason; the rating prompt after a finish, on the paired panel.
    const page = await e.open(`/display/counter/${mine.id}?token=${encodeURIComponent(display.token)}`, 1024, 600);
    await page.waitForSelector('.cs-number');
    await e.api('POST', `/api/counters/${mine.id}/finish`, undefined, clerk);
    await page.waitForSelector('.cs-rate .cs-score[data-score="5"]');
    expect(await page.textContent('.cs-rate h2')).toContain(called.number);
    await page.screenshot({ path: join(SHOTS, 'counter-rate-1024x600.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('.cs-score[data-score="5"]');
    await page.waitForSelector('.cs-thanks');
    const rated = await e.raw('POST', `/api/tickets/${called.id}/rating?token=x`, { score: 1 });
    expect(rated.status).not.toBe(201);

    await e.api('POST', `/api/counters/${mine.id}/pause`, { reason: '系统维护' }, clerk);
    const bar = await e.open(`/display/counter/${mine.id}`, 1280, 400);
    await bar.waitForSelector('.cs-tone-paused .cs-status');
    expect(await bar.textContent('.cs-status')).toContain('暂停服务：系统维护');
    await bar.screenshot({ path: join(SHOTS, 'counter-paused-1280x400.png') });
    expect(await seriousViolations(bar)).toEqual([]);
    expect(e.pageErrors).toEqual([]);
  }, 180_000);
});
