import { describe, expect, it } from 'vitest';
import { CatalogueSync, feedUrl, nextDelay, type UpstreamCopy } from './catalogue-sync';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const quiet = { warn: () => undefined, info: () => undefined };

function harness(responses: Array<() => Response | Promise<Response>>) {
  let now = T0;
  const written: UpstreamCopy[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const sync = new CatalogueSync({
    upstream: () => ({ url: 'http://county.example/base/', token: 'tok' }),
    file: {
      read: () => Promise.resolve(null),
      write: (d) => {
        written.push(d);
        return Promise.resolve();
      },
    },
    services: () => [{ id: 's1', name: '养老', catalogueCode: 'X1' }],
    clock: () => now,
    tz: 'Asia/Shanghai',
    fetch: (url, init) => {
      calls.push({ url: String(url), init: init ?? {} });
      const next = responses.shift();
      return next ? Promise.resolve(next()) : Promise.reject(new Error('fetch failed'));
    },
    timers: { setTimeout: (fn, ms) => timers.push({ fn, ms }), clearTimeout: () => undefined },
    // The top of each jittered range: the delays read as plain doubling.
    random: () => 1,
    intervalMs: 300_000,
    minBackoffMs: 5_000,
    maxBackoffMs: 60_000,
    log: quiet,
  });
  return { sync, written, timers, calls, advance: (ms: number) => void (now += ms) };
}

const feed = (items: unknown[]) => () => new Response(JSON.stringify({ hallId: 'county', items }), { status: 200 });
const ITEM = { code: 'X1', name: '养老', category: '社保', version: 1, updatedAt: '2026-11-26T09:00:00+08:00' };

describe('catalogue sync', () => {
  it('backs off by doubling up to the ceiling with jitter, and returns to the interval after a success', () => {
    const o = { intervalMs: 300_000, minBackoffMs: 5_000, maxBackoffMs: 60_000 };
    expect([0, 1, 2, 3, 4, 5, 40].map((f) => nextDelay(f, o, () => 1))).toEqual([300_000, 5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
    // Half of each delay is fixed, half random: never less than half the ceiling.
    expect([1, 2, 5].map((f) => nextDelay(f, o, () => 0))).toEqual([2_500, 5_000, 30_000]);
    expect(feedUrl('http://h:1/base/')).toBe('http://h:1/base/api/catalogue/feed');
  });

  it('posts its services with the hall token, keeps the copy, and schedules the next fetch', async () => {
    const h = harness([feed([ITEM])]);
    await h.sync.syncNow();
    expect(h.calls[0]?.url).toBe('http://county.example/base/api/catalogue/feed');
    expect((h.calls[0]?.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(JSON.parse(String(h.calls[0]?.init.body))).toEqual({ services: [{ id: 's1', name: '养老', catalogueCode: 'X1' }], relayed: [] });
    expect(h.written).toHaveLength(1);
    expect(h.sync.items().map((i) => i.code)).toEqual(['X1']);
    expect(h.sync.status()).toMatchObject({ hallId: 'county', error: null, fetchedAt: '2026-11-26T10:00:00+08:00', nextAttemptAt: '2026-11-26T10:05:00+08:00' });
    expect(h.timers.at(-1)?.ms).toBe(300_000);
  });

  it('keeps the last copy through failures, refused answers and malformed feeds, backing off', async () => {
    const h = harness([
      feed([ITEM]),
      () => new Response(JSON.stringify({ error: { code: 'NETWORK.TOKEN_REVOKED', message: 'x' } }), { status: 401 }),
      () => new Response('<html>proxy</html>', { status: 502 }),
      feed([{ ...ITEM, code: 'bad code' }]),
    ]);
    await h.sync.syncNow();
    const errors: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      await h.sync.syncNow();
      errors.push(h.sync.status()?.error ?? null);
    }
    expect(errors[0]).toBe('HTTP 401 NETWORK.TOKEN_REVOKED');
    expect(errors[1]).toBe('HTTP 502: not JSON');
    expect(errors[2]).toMatch(/^bad feed: items\[0\]\.code/);
    expect(errors[3]).toBe('fetch failed');
    expect(h.timers.slice(-4).map((t) => t.ms)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(h.sync.items().map((i) => i.code)).toEqual(['X1']);
    expect(h.written).toHaveLength(1);
  });

  it('runs one fetch at a time, and the timer it set fetches again', async () => {
    let release: (r: Response) => void = () => undefined;
    const h = harness([() => new Promise<Response>((r) => (release = r)), feed([ITEM, { ...ITEM, code: 'X2' }])]);
    const a = h.sync.syncNow();
    const b = h.sync.syncNow();
    expect(a).toBe(b);
    await Promise.resolve();
    release(feed([ITEM])());
    await a;
    expect(h.calls).toHaveLength(1);
    h.timers.at(-1)?.fn();
    await h.sync.syncNow();
    expect(h.sync.items().map((i) => i.code)).toEqual(['X1', 'X2']);
  });

  it('ignores a damaged copy file and starts empty', async () => {
    const sync = new CatalogueSync({
      upstream: () => null,
      file: { read: () => Promise.resolve({ url: 1 }), write: () => Promise.resolve() },
      services: () => [],
      clock: () => T0,
      tz: 'Asia/Shanghai',
      log: quiet,
    });
    await sync.load();
    expect(sync.items()).toEqual([]);
    expect(sync.status()).toBeNull();
  });
});
