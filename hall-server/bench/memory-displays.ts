/**
 * 500 hall screens on `/display` (socket.io-client, websocket transport, one connection each,
 * in their own process) with 10,000 tickets in the day:
 *
 * - memory: server VmRSS sampled every 50 ms from /proc while tickets are issued and called;
 *   the target is judged on the highest sample. Goal < 200 MB.
 * - call to screen: a clerk's call-next, from the moment it is sent to the moment each of the
 *   500 screens has the call (clocks compared as epoch ms in both processes, same machine).
 *   Goal p99 < 150 ms.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, benchDataDir, memOf, removeDir, spawnHall, type Child, type MemStatus } from './proc';
import { HttpClient, openLoop, sleep, summarize, type Summary } from './load';
import { clerkToken, issueSender, login, prefill, services } from './hall-api';
import { below, isMain, round, runStandalone, type BenchResult } from './report';

export interface MemoryOptions {
  tickets: number;
  displays: number;
  /** Tickets issued and calls made while the screens are connected. */
  deltaIssues: number;
  deltaCalls: number;
}
export const MEMORY_DEFAULTS: MemoryOptions = { tickets: 10_000, displays: 500, deltaIssues: 200, deltaCalls: 100 };

/** The display clients run in their own process (display-clients.ts). */
class Screens {
  private readonly child: ChildProcess;
  private waiters: Array<(m: ScreenMsg) => void> = [];

  constructor() {
    this.child = fork(join(BENCH_DIR, 'display-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: ScreenMsg) => {
      const w = this.waiters.shift();
      w?.(m);
    });
  }

  private ask<T extends ScreenMsg>(cmd: unknown, timeoutMs = 60_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('display clients did not answer')), timeoutMs);
      this.waiters.push((m) => {
        clearTimeout(t);
        if (m.type === 'error') reject(new Error(m.message));
        else resolve(m as T);
      });
      this.child.send(cmd as object);
    });
  }

  connect(url: string, count: number): Promise<Extract<ScreenMsg, { type: 'connected' }>> {
    return this.ask({ cmd: 'connect', url, count });
  }

  stats(): Promise<Extract<ScreenMsg, { type: 'stats' }>> {
    return this.ask({ cmd: 'stats' });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ cmd: 'close' });
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
}

type ScreenMsg =
  | { type: 'connected'; ms: number; count: number }
  | { type: 'stats'; deltas: number[]; calls: number[]; arrivals: Record<string, number[]> }
  | { type: 'error'; message: string };

/**
 * `count` call-nexts, one every `gapMs` (so each gets its own broadcast): the HTTP latency of
 * each, and when each called number was sent (epoch ms), to match with the screens' arrivals.
 */
async function spacedCalls(http: HttpClient, clerks: Array<{ ctr: string; token: string }>, count: number, gapMs: number): Promise<{ ok: number; latency: Summary; sentAt: Map<string, number> }> {
  const lat: number[] = [];
  const sentAt = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    await sleep(gapMs);
    const k = clerks[i % clerks.length]!;
    const t = performance.now();
    const r = await http.request('POST', `/api/counters/${k.ctr}/call-next`, undefined, k.token);
    if (r.status !== 200) throw new Error(`call-next: ${r.status} ${r.text}`);
    lat.push(performance.now() - t);
    const number = (JSON.parse(r.text) as { ticket: { number: string } | null }).ticket?.number;
    if (number) sentAt.set(number, performance.timeOrigin + t);
  }
  return { ok: lat.length, latency: summarize(lat), sentAt };
}

export async function runMemoryDisplays(o: MemoryOptions = MEMORY_DEFAULTS): Promise<BenchResult> {
  const t0 = performance.now();
  const dir = await benchDataDir('hall-mem-');
  let hall: Child | undefined;
  let c: HttpClient | undefined;
  let screens: Screens | undefined;
  try {
    hall = await spawnHall(dir);
    const pid = hall.pid;
    c = new HttpClient(hall.url, 64);
    await sleep(1000);
    const memStart = await memOf(pid);
    const admin = await login(c);
    const issuer = await clerkToken(c, admin, 'issuer');
    const serviceIds = (await services(c)).map((s) => s.id);
    process.stdout.write(`  memory: pre-filling ${o.tickets} tickets…\n`);
    await prefill(c, issuer, serviceIds, o.tickets);
    await sleep(1000);
    const memTickets = await memOf(pid);

    process.stdout.write(`  memory: connecting ${o.displays} display clients…\n`);
    screens = new Screens();
    const { ms: connectMs, count: connected } = await screens.connect(hall.url, o.displays);
    if (connected !== o.displays) throw new Error(`only ${connected} of ${o.displays} displays connected`);
    await sleep(1000);
    const memConnected = await memOf(pid);

    // Deltas: clerks at counters 1 and 3 call while a kiosk-like stream issues tickets.
    const clerks = await Promise.all(['ctr-1', 'ctr-3'].map(async (ctr, i) => {
      const token = await clerkToken(c!, admin, `caller${i}`);
      const r = await c!.request('POST', `/api/counters/${ctr}/sign-in`, undefined, token);
      if (r.status !== 200) throw new Error(`sign-in ${ctr}: ${r.status}`);
      return { ctr, token };
    }));
    let peak: MemStatus = memConnected;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = await memOf(pid);
        if (m.rssMB > peak.rssMB) peak = m;
        await sleep(50);
      }
    })();
    const http = c;
    const issuing = openLoop({ ratePerSec: 40, durationMs: (o.deltaIssues / 40) * 1000, send: issueSender(http, issuer, serviceIds) });
    const callGap = Math.round(((o.deltaIssues / 40) * 1000) / o.deltaCalls);
    const calling = spacedCalls(http, clerks, o.deltaCalls, callGap);
    const [issued, calls] = await Promise.all([issuing, calling]);
    await sleep(1500);
    sampling = false;
    await sampler;
    const memAfter = await memOf(pid);
    if (memAfter.rssMB > peak.rssMB) peak = memAfter;

    // Call to screen: calls spaced so each gets its own broadcast, every screen listening.
    const fanout = await spacedCalls(http, clerks, 50, 200);
    await sleep(1000);
    const st = await screens.stats();
    const toScreen: number[] = [];
    let missed = 0;
    for (const [number, sent] of fanout.sentAt) {
      const got = st.arrivals[number] ?? [];
      missed += o.displays - got.length;
      for (const at of got) toScreen.push(at - sent);
    }
    const callToScreen = summarize(toScreen);
    const deltas = st.deltas;
    const callsSeen = st.calls;
    const allGotDeltas = deltas.every((d) => d > 0);
    const r1 = (x: number): number => round(x, 1);
    return {
      bench: 'memory-displays',
      durationMs: Math.round(performance.now() - t0),
      targets: [
        below('memory.rss', `server RSS, ${o.tickets}+ tickets, ${o.displays} displays, deltas flowing (peak VmRSS sample)`, allGotDeltas ? r1(peak.rssMB) : Number.POSITIVE_INFINITY, 200, 'MB'),
        below('call.screens.p99', `call-next sent to the call on each of ${o.displays} screens, p99`, missed === 0 ? callToScreen.p99 : Number.POSITIVE_INFINITY, 150, 'ms'),
      ],
      info: [
        { what: `call-next (one every ${callGap} ms) while tickets are issued, displays listening: p50 / p99`, value: `${calls.latency.p50} / ${calls.latency.p99}`, unit: 'ms' },
        { what: 'RSS at start / after 10k tickets / 500 displays connected / after deltas', value: `${r1(memStart.rssMB)} / ${r1(memTickets.rssMB)} / ${r1(memConnected.rssMB)} / ${r1(memAfter.rssMB)}`, unit: 'MB' },
        { what: 'VmHWM (peak RSS over the process life)', value: r1(memAfter.hwmMB), unit: 'MB' },
        { what: 'call to screen: p50 / max; calls a screen never got', value: `${callToScreen.p50} / ${callToScreen.max}; ${missed}`, unit: 'ms' },
        { what: `time to connect ${o.displays} displays (batches of 50)`, value: connectMs, unit: 'ms' },
        { what: 'delta messages per display min / max', value: `${Math.min(...deltas)} / ${Math.max(...deltas)}`, unit: 'msgs' },
        { what: `call-next with ${o.displays} displays listening: p50 / p99 latency`, value: `${fanout.latency.p50} / ${fanout.latency.p99}`, unit: 'ms' },
      ],
      details: {
        options: o,
        memStart,
        memTickets,
        memConnected,
        memPeak: peak,
        memAfter,
        connectMs,
        issued: { ok: issued.ok, errors: issued.errors, latency: issued.latency },
        calls,
        callNextWithDisplays: { ok: fanout.ok, latency: fanout.latency },
        callToScreen: { ...callToScreen, missed },
        deltasPerDisplay: { min: Math.min(...deltas), max: Math.max(...deltas) },
        callsPerDisplay: { min: Math.min(...callsSeen), max: Math.max(...callsSeen) },
        allDisplaysGotDeltas: allGotDeltas,
      },
    };
  } finally {
    await screens?.close();
    c?.close();
    await hall?.stop();
    await removeDir(dir);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runMemoryDisplays());
