/**
 * Issue 12's hub targets: 300 halls pushing a live day into one county hub on this machine —
 *   - the county's hall list (`GET /api/halls`) answers in < 200 ms p99,
 *   - each hall's figures lag < 2 s (from the record written at the hall to the county's list
 *     showing it),
 *   - the county hub's RSS < 500 MB.
 * The county is the real server process (the bundle `npm start` runs, data on disk). The 300
 * halls are simulated in this process, each with the real upstream pusher (src/network) over
 * HTTP on loopback (its cursor in memory: a real hall syncs it on its own disk), writing journal lines exactly as the journal
 * does (events of a synthetic hall day, in order) at the offered rate, spread over the halls.
 *
 *   node --import tsx hall-server/bench/network-hub.ts [--halls 300] [--seconds 60] [--rate 150]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import type { HallTokenResponse } from '@hall/protocol';
import { ZERO_HASH, eventToJson, formatRecord } from '../src/journal/journal-format';
import { syntheticDay } from '../src/read-model/synthetic-day';
import { SELF, type UpstreamCursor } from '../src/network/upstream-cursor';
import { UpstreamPusher, postBatch, postPing } from '../src/network/upstream-pusher';
import { ADMIN_PASSWORD, benchDataDir, cpuMsOf, memOf, removeDir, spawnHall, type Child } from './proc';
import { summarize } from './load';
import { below, isMain, round, runStandalone, type BenchResult } from './report';
import { api, arg } from './network-bench-support';

const quiet = { info() {}, warn() {} };

/** The list poller (its own process): one JSON line per answer, wall-clock time, latency, each hall's last seq. */
const POLLER = `
const [url, token] = process.argv.slice(1);
(async () => {
  for (;;) {
    const t = performance.now();
    const res = await fetch(url + '/api/halls', { headers: { authorization: 'Bearer ' + token } });
    const rows = await res.json();
    const ms = performance.now() - t;
    const seqs = {};
    for (const r of rows) seqs[r.id] = r.lastSeq;
    process.stdout.write(JSON.stringify({ at: Date.now(), ms, seqs }) + '\\n');
    await new Promise((r) => setTimeout(r, 100));
  }
})();
`;

function memoryCursor(): Pick<UpstreamCursor, 'load' | 'upstream' | 'seq' | 'set'> {
  let url: string | null = null;
  const seqs = new Map<string, number>();
  return {
    load: async (u) => void (url = u),
    get upstream() {
      return url;
    },
    seq: (key) => seqs.get(key) ?? 0,
    set: async (key, seq) => void seqs.set(key, seq),
  };
}

/** What the halls' links saw: batch round trips, refusals, failures. */
const linkStats = { batchMs: [] as number[], refused: [] as string[], failed: [] as string[] };

class SimHall {
  readonly lines: string[] = [];
  readonly createdAt: number[] = [];
  /** Seqs up to this one were seen in the county's list. */
  seen = 0;
  readonly lags: number[] = [];
  #prev = ZERO_HASH;
  #next = 0;
  readonly pusher: UpstreamPusher;

  constructor(
    readonly id: string,
    token: string,
    countyUrl: string,
    private readonly events: readonly object[],
  ) {
    this.pusher = new UpstreamPusher({
      upstream: () => ({ url: countyUrl, token }),
      // Each simulated hall's cursor in memory: real halls sync theirs on their own disks, and
      // 300 of them syncing here would be this machine's disk, not the county's work, measured.
      cursor: memoryCursor(),
      sources: async () => [
        {
          key: SELF,
          lastSeq: () => this.lines.length,
          read: async (after, max) => this.lines.slice(after, after + max).map((line, i) => ({ seq: after + i + 1, line })),
        },
      ],
      send: async (url, tok, batch) => {
        const t = performance.now();
        try {
          const r = await postBatch(url, tok, batch);
          if (r.status !== 200) linkStats.refused.push(`${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
          linkStats.batchMs.push(performance.now() - t);
          return r;
        } catch (e) {
          linkStats.failed.push((e as Error).message);
          throw e;
        }
      },
      ping: postPing,
      clock: Date.now,
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
      random: Math.random,
      formatTime: (ms) => new Date(ms).toISOString(),
      log: quiet,
    });
  }

  /** Writes the hall's next record, as its journal would, and tells its pusher. */
  write(): void {
    const e = this.events[this.#next++ % this.events.length]!;
    const r = formatRecord(this.#prev, this.lines.length + 1, eventToJson(e));
    this.lines.push(r.line.slice(0, -1));
    this.createdAt.push(Date.now());
    this.#prev = r.hash;
    this.pusher.poke();
  }

  /** The county's list shows `lastSeq`: every record up to it has arrived now. */
  observe(lastSeq: number, now: number): void {
    for (let s = this.seen + 1; s <= Math.min(lastSeq, this.lines.length); s++) this.lags.push(now - this.createdAt[s - 1]!);
    this.seen = Math.max(this.seen, lastSeq);
  }
}

export async function runNetworkHub(halls = arg('halls', 300), seconds = arg('seconds', 60), rate = arg('rate', 150)): Promise<BenchResult> {
  const started = performance.now();
  const countyDir = await benchDataDir('hall-bench-hub-');
  let county: Child | undefined;
  const sims: SimHall[] = [];
  try {
    county = await spawnHall(countyDir);
    const admin = (await api<{ token: string }>(county.url, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).body.token;
    const today = new Date().toISOString().slice(0, 10);
    for (let i = 0; i < halls; i++) {
      const reg = await api<HallTokenResponse>(county.url, 'POST', '/api/halls', { name: `村便民服务站 ${i + 1}`, level: i < 20 ? 'township' : 'village' }, admin);
      if (reg.status !== 201) throw new Error(`register ${i}: ${reg.status}`);
      sims.push(new SimHall(reg.body.id, reg.body.token, county.url, syntheticDay({ day: today, tickets: 80, seed: i + 1 })));
    }
    const byId = new Map(sims.map((s) => [s.id, s]));
    const cpu0 = await cpuMsOf(county.pid);
    const ownCpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (const s of sims) s.pusher.start();
    // Warm-up: every hall's first contact (300 pings at once) is the start of the day, not the day.
    await new Promise((res) => setTimeout(res, 3000));

    // The list, polled as the county's supervision page does (and more often), from a process of
    // its own: this one is busy being 300 halls, and its own delays are not the county's.
    const listMs: number[] = [];
    const peak = { rss: 0 };
    let writing = true;
    const poller = spawn(process.execPath, ['-e', POLLER, county.url, admin], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    poller.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const sample = JSON.parse(buffered.slice(0, nl)) as { at: number; ms: number; seqs: Record<string, number> };
        buffered = buffered.slice(nl + 1);
        listMs.push(sample.ms);
        for (const [id, seq] of Object.entries(sample.seqs)) byId.get(id)?.observe(seq, sample.at);
      }
    });
    const poll = (async () => {
      while (writing || sims.some((s) => s.seen < s.lines.length)) {
        peak.rss = Math.max(peak.rss, (await memOf(county!.pid)).rssMB);
        if (performance.now() - started > (seconds + 120) * 1000) throw new Error('halls did not catch up within 120 s after writing stopped');
        await new Promise((res) => setTimeout(res, 200));
      }
      poller.kill();
    })();
    const tickMs = 50;
    let carry = 0;
    const writeUntil = performance.now() + seconds * 1000;
    while (performance.now() < writeUntil) {
      carry += (rate * tickMs) / 1000;
      for (; carry >= 1; carry--) sims[Math.floor(Math.random() * sims.length)]!.write();
      await new Promise((res) => setTimeout(res, tickMs));
    }
    writing = false;
    await poll;
    const lags = sims.flatMap((s) => s.lags);
    const list = summarize(listMs);
    const lag = summarize(lags);
    const mem = await memOf(county.pid);
    const countyCpu = (await cpuMsOf(county.pid)) - cpu0;
    const own = process.cpuUsage(ownCpu0);
    const wall = performance.now() - wall0;
    const events = sims.reduce((n, s) => n + s.lines.length, 0);
    return {
      bench: 'network-hub',
      durationMs: performance.now() - started,
      targets: [
        below('network.hub-list-p99', `county hall list (${halls} halls) p99 while they push`, round(list.p99, 1), 200, 'ms'),
        below('network.hub-lag-max', "each hall's figures lag (max over every record)", round(lag.max / 1000, 2), 2, 's'),
        below('network.hub-rss', 'county hub RSS (peak VmHWM)', round(Math.max(mem.hwmMB, peak.rss), 0), 500, 'MB'),
      ],
      info: [
        { what: 'records pushed', value: events, unit: '' },
        { what: 'offered rate', value: rate, unit: 'records/s' },
        { what: 'hall list p50', value: round(list.p50, 1), unit: 'ms' },
        { what: 'lag p50 / p99', value: `${round(lag.p50 / 1000, 2)} / ${round(lag.p99 / 1000, 2)}`, unit: 's' },
        { what: 'county RSS at the end', value: round(mem.rssMB, 0), unit: 'MB' },
        { what: 'county CPU (share of one core over the run)', value: round((countyCpu / wall) * 100, 0), unit: '%' },
        { what: 'this process (the 300 halls) CPU, share of one core', value: round(((own.user + own.system) / 1000 / wall) * 100, 0), unit: '%' },
        { what: 'machine load average (1 min) at the end', value: round(loadavg()[0]!, 1), unit: '' },
      ],
      details: { halls, seconds, rate, events, list, lag, batchMs: summarize(linkStats.batchMs), refused: linkStats.refused.slice(0, 5), refusedCount: linkStats.refused.length, failed: linkStats.failed.slice(0, 5), failedCount: linkStats.failed.length, slowestLists: listMs.map((ms, i) => [i, Math.round(ms)]).sort((a, b) => b[1]! - a[1]!).slice(0, 8), countyRssMB: round(mem.rssMB, 1), countyHwmMB: round(mem.hwmMB, 1) },
    };
  } finally {
    await Promise.all(sims.map((s) => s.pusher.stop()));
    await county?.stop();
    await removeDir(countyDir);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runNetworkHub());
