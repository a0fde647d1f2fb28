/**
 * What state snapshots cost the requests (not part of `npm run bench`; about 80 s):
 *
 *   node --import tsx hall-server/bench/snapshot-stall.ts            # PREFILL=19500 to change the day's size
 *
 * The server as `npm start` runs it (with probe.ts), 25,000 tickets issued at full speed, then at
 * once (no idle moment) an open loop of 100 tickets/s for 60 s, reported in 10-s windows: latency
 * from the scheduled send time, the server's event-loop delay and GC pauses, and which state
 * snapshots appeared meanwhile (the snapshot file's header, polled every 250 ms). Windows with a
 * snapshot can be compared with those without, and runs of two builds with each other.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { hallDate } from '@hall/protocol';
import { benchDataDir, probeStats, removeDir, spawnHall } from './proc';
import { HttpClient, openLoop, summarize } from './load';
import { clerkToken, issueSender, login, prefill, services } from './hall-api';
import { TZ } from './journal-fill';

const PREFILL = Number(process.env.PREFILL ?? 25_000);
const WINDOWS = 6;
const WINDOW_MS = 10_000;

/** seq in the header of today's snapshot, or null without one. Reads only the header. */
async function snapshotSeq(file: string): Promise<number | null> {
  let fh;
  try {
    fh = await open(file, 'r');
    const b = Buffer.alloc(4096);
    await fh.read(b, 0, b.length, 0);
    return (JSON.parse(b.toString('latin1', 12, 12 + b.readUInt32LE(8))) as { seq: number }).seq;
  } catch {
    return null;
  } finally {
    await fh?.close();
  }
}

const dir = await benchDataDir('hall-snapshot-stall-');
const hall = await spawnHall(dir, { probe: true });
const file = join(dir, 'snapshots', `${hallDate(Date.now(), TZ)}.snap`);
try {
  const c = new HttpClient(hall.url, 256);
  const token = await clerkToken(c, await login(c), 'issuer');
  const ids = (await services(c)).map((s) => s.id);
  const t0 = performance.now();
  await prefill(c, token, ids, PREFILL, 20);
  console.log(`pre-fill: ${PREFILL} tickets in ${Math.round(performance.now() - t0)} ms; snapshot at seq ${await snapshotSeq(file)}`);
  const send = issueSender(c, token, ids);
  const all: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    await probeStats(hall); // resets the probe's counters
    const before = await snapshotSeq(file);
    const seen = new Set<number>();
    const poll = setInterval(() => void snapshotSeq(file).then((s) => s !== null && s !== before && seen.add(s)), 250);
    const r = await openLoop({ ratePerSec: 100, durationMs: WINDOW_MS, send });
    clearInterval(poll);
    const after = await snapshotSeq(file);
    if (after !== null && after !== before) seen.add(after);
    const p = await probeStats(hall);
    all.push(...(r.samples ?? []));
    console.log(
      `window ${w}: p50 ${r.latency.p50} p99 ${r.latency.p99} max ${r.latency.max} ms | event-loop delay max ${p?.loopDelayMs.max ?? '?'} ms, ` +
        `GC longest ${p?.gc.maxMs ?? '?'} ms | snapshots written: ${seen.size === 0 ? 'none' : `at seq ${[...seen].join(', ')}`}${r.errors > 0 ? ` | ${r.errors} errors` : ''}`,
    );
  }
  const s = summarize(all);
  console.log(`all ${(WINDOWS * WINDOW_MS) / 1000} s: p50 ${s.p50} p99 ${s.p99} max ${s.max} ms`);
  c.close();
} finally {
  await hall.stop();
  await removeDir(dir);
}
