/**
 * The pusher against an upstream made of the real hub (in memory of a temp folder) behind a
 * transport the test controls: outages, lost replies, a restart from the cursor file, a
 * restored upstream that lacks acknowledged records. Timers are manual: no wall-clock waits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NetworkBatch } from '@hall/protocol';
import type { NetworkHub } from './network-hub';
import { chainLines, quiet, testHub } from './network-test-support';
import { SELF, UpstreamCursor } from './upstream-cursor';
import { UpstreamPusher, type PushSource, type UpstreamReply } from './upstream-pusher';
import { seqOfLine } from './journal-tail';


class ManualTimers {
  now = 0;
  pending: Array<{ at: number; fn: () => void; id: number }> = [];
  #id = 0;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.#id;
    this.pending.push({ at: this.now + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.pending = this.pending.filter((p) => p.id !== h);
  };
  /** The next delay scheduled from now. */
  next(): number | null {
    const p = [...this.pending].sort((a, b) => a.at - b.at)[0];
    return p ? p.at - this.now : null;
  }
  /** Runs the earliest timer. */
  fire(): void {
    const p = [...this.pending].sort((a, b) => a.at - b.at)[0];
    if (!p) throw new Error('no timer');
    this.pending = this.pending.filter((x) => x !== p);
    this.now = p.at;
    p.fn();
  }
}

let dir = '';
let hub: NetworkHub;
let token = '';
let hallId = '';
const lines = chainLines(1200);

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pusher-'));
  hub = testHub(dir);
  ({ id: hallId, token } = await hub.register({ name: '村', level: 'village' }));
});
afterEach(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

function source(upTo: () => number): PushSource {
  return {
    key: SELF,
    lastSeq: upTo,
    read: async (after, max) => lines.slice(after, Math.min(upTo(), after + max)).map((line) => ({ seq: seqOfLine(line)!, line })),
  };
}

interface Link {
  down: boolean;
  /** Drop the reply of the next N batches after the upstream stored them. */
  loseReplies: number;
  sent: number;
}

function makePusher(timers: ManualTimers, link: Link, upTo: () => number, cursorFile = path.join(dir, 'cursor.json')): UpstreamPusher {
  const send = async (_url: string, tok: string, batch: NetworkBatch): Promise<UpstreamReply> => {
    if (link.down) throw new Error('connect ECONNREFUSED');
    link.sent++;
    const r = await hub.ingest(tok, batch);
    if (link.loseReplies > 0) {
      link.loseReplies--;
      throw new Error('socket hang up');
    }
    return r.ok ? { status: 200, body: r.value } : { status: r.error.code === 'NETWORK.GAP' || r.error.code === 'NETWORK.FORK' ? 409 : 400, body: { error: r.error } };
  };
  return new UpstreamPusher({
    upstream: () => ({ url: 'http://county.test', token }),
    cursor: new UpstreamCursor(cursorFile),
    sources: async () => [source(upTo)],
    send,
    ping: async () => (link.down ? Promise.reject(new Error('connect ECONNREFUSED')) : { status: 204, body: null }),
    clock: () => timers.now,
    timers,
    random: () => 0.5,
    formatTime: (ms) => new Date(ms).toISOString(),
    log: quiet,
    batchRecords: 250,
    backoff: { baseMs: 1000, capMs: 60_000 },
    pollMs: 30_000,
  });
}

/** Fires timers until the pusher is idle (only the poll left) or `max` fired. */
async function settle(timers: ManualTimers, pusher: UpstreamPusher, max = 50): Promise<void> {
  for (let i = 0; i < max; i++) {
    await pusher.flush();
    if (pusher.status().state === 'idle') return;
    timers.fire();
  }
}

describe('upstream pusher', () => {
  it('sends a day in batches from the cursor, waits out an outage with growing delays, and resumes after a restart', async () => {
    const timers = new ManualTimers();
    const link: Link = { down: true, loseReplies: 0, sent: 0 };
    let durable = 1000;
    const pusher = makePusher(timers, link, () => durable);
    pusher.start();
    // Outage: each attempt fails and waits longer, up to the cap.
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      timers.fire();
      await pusher.flush();
      delays.push(timers.next()!);
    }
    expect(pusher.status()).toMatchObject({ state: 'waiting-retry', pending: 1000, lastError: { code: 'NETWORK.UNREACHABLE' } });
    expect(delays).toEqual([750, 1500, 3000, 6000, 12000, 24000, 45000, 45000, 45000]);
    expect(link.sent).toBe(0);
    // New records do not hurry a pending retry.
    pusher.poke();
    expect(timers.next()).toBe(45000);

    // The link comes back; a reply is lost after the upstream stored the batch.
    link.down = false;
    link.loseReplies = 1;
    await settle(timers, pusher);
    expect(pusher.status()).toMatchObject({ state: 'idle', pending: 0, lastError: null });
    expect(await (await hub.store()).count(hallId)).toBe(1000);
    await pusher.stop();

    // A restart: a new pusher reads the cursor file and sends only what is new.
    durable = 1200;
    const sentBefore = link.sent;
    const again = makePusher(timers, link, () => durable);
    again.start();
    await settle(timers, again);
    expect(link.sent - sentBefore).toBe(1);
    expect((await hub.halls())[0]).toMatchObject({ lastSeq: 1200 });
    await again.stop();
  });

  it('sends again what a restored upstream lacks, and backs off on a refusal it cannot fix', async () => {
    const timers = new ManualTimers();
    const link: Link = { down: false, loseReplies: 0, sent: 0 };
    // The cursor says 600 were acknowledged, but this upstream holds none (restored from an old backup).
    const cursor = new UpstreamCursor(path.join(dir, 'cursor.json'));
    await cursor.load('http://county.test');
    await cursor.set(SELF, 600, 'x');
    const pusher = makePusher(timers, link, () => 800);
    pusher.start();
    await settle(timers, pusher);
    expect(pusher.status()).toMatchObject({ state: 'idle' });
    expect(await (await hub.store()).count(hallId)).toBe(800);
    await pusher.stop();

    // Revoked at the upstream: refused, retried slowly (an operator may restore the token).
    await hub.revoke(hallId);
    const refused = makePusher(timers, link, () => 900);
    refused.start();
    timers.fire();
    await refused.flush();
    expect(refused.status()).toMatchObject({ state: 'refused', lastError: { code: 'NETWORK.TOKEN_REVOKED' } });
    expect(timers.next()).toBeGreaterThan(0);
    await refused.stop();
  });

  it("a relaying hall that is always sending still tells the upstream its villages' last-seen times every poll", async () => {
    const timers = new ManualTimers();
    const pings: Array<{ at: number; halls: Array<{ hallId: string; lastSeenAt: number | null }> }> = [];
    let durable = 10;
    const self = source(() => durable);
    const pusher = new UpstreamPusher({
      upstream: () => ({ url: 'http://county.test', token }),
      cursor: new UpstreamCursor(path.join(dir, 'cursor.json')),
      sources: async () => [self, { key: 'hall-v1', relayed: { hallId: 'hall-v1', name: '村', level: 'village', lastSeenAt: () => 1234 }, read: async () => [], lastSeq: () => 0 }],
      send: async (_u, tok, batch) => {
        const r = await hub.ingest(tok, batch);
        return r.ok ? { status: 200, body: r.value } : { status: 409, body: { error: r.error } };
      },
      ping: async (_u, _t, body) => {
        pings.push({ at: timers.now, halls: body.halls });
        return { status: 204, body: null };
      },
      clock: () => timers.now,
      timers,
      random: () => 0.5,
      formatTime: (ms) => new Date(ms).toISOString(),
      log: quiet,
      pollMs: 30_000,
    });
    await pusher.flush(); // sends, and pings (the first time)
    durable = 20;
    timers.now += 10_000;
    await pusher.flush(); // sends; the last ping is recent
    durable = 30;
    timers.now += 25_000;
    await pusher.flush(); // sends, and pings again (a poll has passed)
    expect(pings.map((p) => p.at)).toEqual([0, 35_000]);
    expect(pings[0]!.halls).toEqual([{ hallId: 'hall-v1', lastSeenAt: 1234 }]);
    expect((await hub.halls())[0]!.lastSeq).toBe(30);
    await pusher.stop();
  });
});
