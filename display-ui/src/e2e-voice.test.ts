/**
 * The hall screen plays the server's audio of each call when its browser has no Chinese voice:
 * in call order, one at a time, a recall again. Chromium plays into its fake audio sink; the
 * page's audio element is observed (play, ended) through an init script.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { CounterView, RecentCall } from '@hall/protocol';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, clerkAt, kioskIssuer, startE2eHall, type E2eHall } from '../../scripts/e2e-hall';

interface PlayEvent {
  ev: 'play' | 'ended';
  src: string;
  t: number;
}

const hasChromium = existsSync('/usr/bin/chromium');
if (!hasChromium) console.warn('display voice e2e skipped: /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(!hasChromium)('hall screen voice (server audio in Chromium)', () => {
  let e: E2eHall;
  let browser: Browser;

  beforeAll(async () => {
    e = await startE2eHall({ apps: ['display-ui'] });
    // A screen PC's Chromium runs with autoplay allowed (kiosk mode): no click before the first call.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await e?.close();
  }, 60_000);

  it('plays queued calls in call order, never two at once, and a recall again', async () => {
    // Short calls keep the test short: no chime, said once.
    await e.api('PATCH', '/api/hall', { voice: { playback: 'server', repeat: 1, chime: false } }, await e.adminToken());
    const counters = await e.api<CounterView[]>('GET', '/api/counters');
    const counter = counters.find((c) => c.serviceIds.length > 0) as CounterView;
    const serviceId = counter.serviceIds[0] as string;
    const issue = await kioskIssuer(e);
    const tickets = [await issue(serviceId), await issue(serviceId), await issue(serviceId)];
    const clerk = await clerkAt(e, counter, 'voice-clerk', '李明', 'C021');

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addInitScript(() => {
      const w = window as unknown as { __plays: { ev: string; src: string; t: number }[] };
      w.__plays = [];
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement & { __watched?: boolean }) {
        w.__plays.push({ ev: 'play', src: new URL(this.src).pathname, t: performance.now() });
        if (!this.__watched) {
          this.__watched = true;
          this.addEventListener('ended', () => w.__plays.push({ ev: 'ended', src: new URL(this.src).pathname, t: performance.now() }));
        }
        return play.call(this);
      };
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => e.pageErrors.push(err.message));
    await page.goto(`${e.url}/display`);
    await page.waitForSelector('.board');
    await page.waitForSelector('.voice-note:has-text("服务器语音")');

    // What the hall sent: each call's number and audio URL, in order.
    const sent: RecentCall[] = [];
    const listener = io(`${e.url}/display`, { transports: ['websocket'], forceNew: true });
    listener.on('call', (c: RecentCall) => sent.push(c));
    await new Promise<void>((r) => listener.once('snapshot', () => r()));

    // Three calls in quick succession, then recalls of the last.
    for (let i = 0; i < tickets.length; i++) {
      await e.api('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk);
      await page.waitForSelector(`.now-call[data-call="${tickets[i]?.number}"]`);
    }
    const played = (n: number) =>
      page.waitForFunction((k) => (window as unknown as { __plays: PlayEvent[] }).__plays.filter((p) => p.ev === 'play').length >= k, n, { timeout: 60_000 });
    // A recall while its call still waits is the same call, said once; once it is being said, again.
    await e.api('POST', `/api/counters/${counter.id}/recall`, undefined, clerk);
    await played(3);
    await e.api('POST', `/api/counters/${counter.id}/recall`, undefined, clerk);
    await page.waitForFunction(() => (window as unknown as { __plays: PlayEvent[] }).__plays.filter((p) => p.ev === 'ended').length >= 4, undefined, { timeout: 90_000 });
    const plays = await page.evaluate(() => (window as unknown as { __plays: PlayEvent[] }).__plays);

    // The URLs the screen played, mapped back to the numbers the hall called: call order.
    listener.close();
    const urlOf = (n: string | undefined) => sent.find((c) => c.ticketNumber === n)?.audioUrl;
    const started = plays.filter((p) => p.ev === 'play').map((p) => p.src);
    expect(sent.map((c) => c.ticketNumber)).toEqual([...tickets.map((t) => t.number), tickets[2]?.number, tickets[2]?.number]);
    expect(started).toEqual([urlOf(tickets[0]?.number), urlOf(tickets[1]?.number), urlOf(tickets[2]?.number), urlOf(tickets[2]?.number)]);
    expect(new Set(started).size).toBe(3);
    // Each starts after the one before it ended: never two voices at once.
    for (let i = 1; i < plays.length; i++) {
      const [a, b] = [plays[i - 1] as PlayEvent, plays[i] as PlayEvent];
      expect(a.ev).not.toBe(b.ev);
      if (b.ev === 'play') expect(b.t).toBeGreaterThanOrEqual(a.t);
    }
    // Each is the hall's WAV.
    const phrases = await Promise.all(
      started.slice(0, 3).map(async (src) => {
        const res = await fetch(e.url + src);
        return { status: res.status, type: res.headers.get('content-type') };
      }),
    );
    expect(phrases.every((p) => p.status === 200 && p.type?.startsWith('audio/wav'))).toBe(true);
    expect(e.pageErrors).toEqual([]);
    await context.close();
  }, 180_000);
});
