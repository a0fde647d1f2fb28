/**
 * Issuing tickets over HTTP on loopback with 10,000 tickets already in the day, against the
 * floor (floor-server.ts: bare node:http + group-committed fdatasync on the same disk).
 *
 * - closed loop: 20 clients, each sends its next `POST /api/tickets` when the last is answered;
 *   durable tickets per second. Goal >= 1000/s.
 * - open loop: 100 tickets/s on a fixed schedule; latency from the scheduled send time. Goal p99
 *   < 10 ms.
 * - floor/hall: throughput floor/hall and p99 hall/floor (how many times worse the hall is than
 *   the floor). Goal <= 1.5 each.
 *
 * Both servers are child processes; each load runs in 4 rounds alternating floor and hall so
 * drift and noise (page cache, disk, other processes) hit both alike; percentiles are over the
 * samples of all rounds. Staff token for issuing (kiosk terminals are rate-limited).
 */
import { benchDataDir, cpuMsOf, probeStats, removeDir, spawnFloor, spawnHall, type Child, type ProbeStats } from './proc';
import { closedLoop, combine, HttpClient, openLoop, sleep, strip, type LoopResult } from './load';
import { clerkToken, ensureServices, issueSender, login, prefill, services } from './hall-api';
import { atLeast, atMost, below, isMain, round, runStandalone, type BenchResult } from './report';

export interface IssueOptions {
  prefill: number;
  concurrency: number;
  closedMs: number;
  openRate: number;
  openMs: number;
}

export const ISSUE_DEFAULTS: IssueOptions = { prefill: 10_000, concurrency: 20, closedMs: 10_000, openRate: 100, openMs: 30_000 };

interface Phase {
  result: LoopResult;
  /** Server CPU time per successful request (ms), user + system, all threads. */
  serverCpuMsPerReq: number;
  /** Server CPU use over the phase, as a share of one core. */
  serverCpuShare: number;
  benchCpuShare: number;
  stalls: ServerStalls | null;
}

interface Raw {
  result: LoopResult;
  serverCpuMs: number;
  benchCpuMs: number;
  probe: ProbeStats | null;
}

async function measuredRaw(server: Child, run: () => Promise<LoopResult>): Promise<Raw> {
  await probeStats(server); // resets the server's loop-delay and GC counters
  const c0 = await cpuMsOf(server.pid);
  const b0 = process.cpuUsage();
  const result = await run();
  const c1 = await cpuMsOf(server.pid);
  const b1 = process.cpuUsage(b0);
  const probe = await probeStats(server);
  return { result, serverCpuMs: c1 - c0, benchCpuMs: (b1.user + b1.system) / 1000, probe };
}

/** What the server's main thread went through (probe.ts), over all rounds of a phase. */
interface ServerStalls {
  /** Event-loop delay: the worst p99 of a round, and the longest delay seen. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  gcByKind: Record<string, { count: number; totalMs: number; maxMs: number }>;
}

function stallsOf(raws: Raw[]): ServerStalls | null {
  const ps = raws.map((r) => r.probe).filter((p): p is ProbeStats => p !== null);
  if (ps.length === 0) return null;
  const byKind: ServerStalls['gcByKind'] = {};
  for (const p of ps) {
    for (const [k, v] of Object.entries(p.gc.byKind)) {
      const a = (byKind[k] ??= { count: 0, totalMs: 0, maxMs: 0 });
      a.count += v.count;
      a.totalMs = round(a.totalMs + v.totalMs);
      a.maxMs = Math.max(a.maxMs, v.maxMs);
    }
  }
  return {
    loopDelayP99Ms: Math.max(...ps.map((p) => p.loopDelayMs.p99)),
    loopDelayMaxMs: Math.max(...ps.map((p) => p.loopDelayMs.max)),
    gcCount: ps.reduce((n, p) => n + p.gc.count, 0),
    gcTotalMs: round(ps.reduce((n, p) => n + p.gc.totalMs, 0)),
    gcMaxMs: Math.max(...ps.map((p) => p.gc.maxMs)),
    gcByKind: byKind,
  };
}

function phaseOf(raws: Raw[]): Phase {
  const result = combine(raws.map((r) => r.result));
  const cpu = raws.reduce((n, r) => n + r.serverCpuMs, 0);
  const bench = raws.reduce((n, r) => n + r.benchCpuMs, 0);
  return {
    result,
    serverCpuMsPerReq: round(cpu / Math.max(1, result.ok), 3),
    serverCpuShare: round(cpu / result.elapsedMs, 2),
    benchCpuShare: round(bench / result.elapsedMs, 2),
    stalls: stallsOf(raws),
  };
}

async function measured(server: Child, run: () => Promise<LoopResult>): Promise<Phase> {
  return phaseOf([await measuredRaw(server, run)]);
}

/**
 * The same load against floor and hall in ROUNDS alternating rounds (floor, hall, hall, floor…),
 * so a burst of noise from other processes on the machine lands on both alike.
 */
async function alternate(servers: { floor: Child; hall: Child }, run: (who: 'floor' | 'hall') => Promise<LoopResult>): Promise<{ floor: Phase; hall: Phase }> {
  const raws: { floor: Raw[]; hall: Raw[] } = { floor: [], hall: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const who of i % 2 === 0 ? (['floor', 'hall'] as const) : (['hall', 'floor'] as const)) {
      raws[who].push(await measuredRaw(servers[who], () => run(who)));
      await sleep(300);
    }
  }
  return { floor: phaseOf(raws.floor), hall: phaseOf(raws.hall) };
}

const ROUNDS = 4;
/** Services the hall issues over: the demo's 8 and more like them, for enough numbers (see ensureServices). */
const SERVICES = 24;

export async function runIssueThroughput(o: IssueOptions = ISSUE_DEFAULTS): Promise<BenchResult> {
  const t0 = performance.now();
  const hallDir = await benchDataDir('hall-issue-');
  const floorDir = await benchDataDir('hall-floor-');
  let hall: Child | undefined;
  let floor: Child | undefined;
  const clients: HttpClient[] = [];
  try {
    // Both with probe.ts preloaded (event-loop delay, GC pauses): same small overhead on each.
    hall = await spawnHall(hallDir, { probe: true });
    floor = await spawnFloor(floorDir, { probe: true });
    const hc = new HttpClient(hall.url, 256);
    const fc = new HttpClient(floor.url, 256);
    clients.push(hc, fc);

    const admin = await login(hc);
    const token = await clerkToken(hc, admin, 'issuer');
    const serviceIds = await ensureServices(hc, admin, SERVICES);
    process.stdout.write(`  issue: pre-filling ${o.prefill} tickets over ${serviceIds.length} services (the demo's 8 and copies)…\n`);
    // In five slices, to show how the issue rate depends on the tickets already waiting.
    const slices: Array<{ from: number; to: number; throughput: number; p50: number; p99: number; serverCpuMsPerReq: number }> = [];
    const sliceSize = Math.ceil(o.prefill / 5);
    const fillStart = performance.now();
    for (let done = 0; done < o.prefill; done += sliceSize) {
      const n = Math.min(sliceSize, o.prefill - done);
      const p = await measured(hall, () => prefill(hc, token, serviceIds, n, o.concurrency));
      slices.push({ from: done, to: done + n, throughput: p.result.throughput, p50: p.result.latency.p50, p99: p.result.latency.p99, serverCpuMsPerReq: p.serverCpuMsPerReq });
    }
    const fill = { elapsedMs: Math.round(performance.now() - fillStart), throughput: Math.round((o.prefill / (performance.now() - fillStart)) * 1000), slices };
    // The floor gets a warm-up of the same size (JIT, file already large).
    await closedLoop({ concurrency: o.concurrency, maxRequests: o.prefill, send: floorSender(fc) });
    await sleep(500);

    const send = { hall: issueSender(hc, token, serviceIds), floor: floorSender(fc) };
    const servers = { hall, floor };
    process.stdout.write(`  issue: closed loop, ${o.concurrency} clients, ${ROUNDS} × ${o.closedMs / ROUNDS / 1000} s each on floor and hall…\n`);
    const closed = await alternate(servers, (who) => closedLoop({ concurrency: o.concurrency, durationMs: o.closedMs / ROUNDS, send: send[who] }));
    await sleep(1000);
    process.stdout.write(`  issue: open loop, ${o.openRate}/s, ${ROUNDS} × ${o.openMs / ROUNDS / 1000} s each on floor and hall…\n`);
    const open = await alternate(servers, (who) => openLoop({ ratePerSec: o.openRate, durationMs: o.openMs / ROUNDS, send: send[who] }));
    const [floorClosed, hallClosed, floorOpen, hallOpen] = [closed.floor, closed.hall, open.floor, open.hall];
    const ticketsInDay = (await services(hc)).reduce((n, s) => n + s.waiting, 0);

    const tputRatio = round(floorClosed.result.throughput / Math.max(1, hallClosed.result.throughput));
    const p99Ratio = round(hallOpen.result.latency.p99 / floorOpen.result.latency.p99);
    const healthy = [hallClosed, hallOpen].every((p) => p.result.errors === 0);
    return {
      bench: 'issue-throughput',
      durationMs: Math.round(performance.now() - t0),
      targets: [
        atLeast('issue.closed.tps', `hall: durable tickets/s, ${o.concurrency} clients closed loop, >=${o.prefill} in the day`, healthy ? hallClosed.result.throughput : 0, 1000, 'tickets/s'),
        below('issue.open.p99', `hall: p99 latency at ${o.openRate} tickets/s open loop`, hallOpen.result.latency.p99, 10, 'ms'),
        atMost('issue.ratio.tps', 'floor/hall throughput (closed loop)', tputRatio, 1.5, 'x'),
        atMost('issue.ratio.p99', 'hall/floor p99 (open loop)', p99Ratio, 1.5, 'x'),
      ],
      info: [
        { what: 'floor: fsync\'d appends/s, closed loop', value: floorClosed.result.throughput, unit: 'req/s' },
        { what: 'floor: p99 at open loop', value: floorOpen.result.latency.p99, unit: 'ms' },
        { what: 'hall: closed-loop latency p50 / p99', value: `${hallClosed.result.latency.p50} / ${hallClosed.result.latency.p99}`, unit: 'ms' },
        { what: 'hall: open-loop latency p50 / p99 / max', value: `${hallOpen.result.latency.p50} / ${hallOpen.result.latency.p99} / ${hallOpen.result.latency.max}`, unit: 'ms' },
        { what: 'hall: server CPU per ticket (closed loop)', value: hallClosed.serverCpuMsPerReq, unit: 'ms' },
        { what: 'open loop, server event-loop delay max: hall / floor', value: `${hallOpen.stalls?.loopDelayMaxMs ?? '?'} / ${floorOpen.stalls?.loopDelayMaxMs ?? '?'}`, unit: 'ms' },
        { what: 'open loop, hall GC pauses: count / total / longest', value: `${hallOpen.stalls?.gcCount ?? '?'} / ${hallOpen.stalls?.gcTotalMs ?? '?'} / ${hallOpen.stalls?.gcMaxMs ?? '?'}`, unit: 'ms' },
        { what: 'floor: server CPU per request (closed loop)', value: floorClosed.serverCpuMsPerReq, unit: 'ms' },
        { what: `pre-fill: tickets/s by tickets already in the day (${slices.map((x) => x.from).join(', ')}…)`, value: slices.map((x) => x.throughput).join(', '), unit: 'tickets/s' },
        { what: 'pre-fill: server CPU per ticket by slice', value: slices.map((x) => x.serverCpuMsPerReq).join(', '), unit: 'ms' },
      ],
      details: {
        options: o,
        rounds: ROUNDS,
        prefill: fill,
        ...Object.fromEntries(Object.entries({ floorClosed, hallClosed, floorOpen, hallOpen }).map(([k, p]) => [k, { ...p, result: strip(p.result) }])),
        waitingAtEnd: ticketsInDay,
      },
    };
  } finally {
    for (const c of clients) c.close();
    await hall?.stop();
    await floor?.stop();
    await removeDir(hallDir);
    await removeDir(floorDir);
  }
}

function floorSender(c: HttpClient): (i: number) => Promise<boolean> {
  return async (i) => {
    const r = await c.request('POST', '/issue', { serviceId: `svc-${i % 8}` });
    if (r.status !== 201) throw new Error(`floor: ${r.status}`);
    return true;
  };
}

if (isMain(import.meta.url)) await runStandalone(() => runIssueThroughput());
