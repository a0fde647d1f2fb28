/**
 * Issuing tickets over HTTP on loopback with 10,000 tickets already in the day (the server is a
 * child process started as `npm start` starts it):
 *
 * - saturated: 20 clients, each sends its next `POST /api/tickets` when the last is answered;
 *   durable tickets per second. Goal >= 500/s.
 * - offered load: 100 tickets/s on a fixed schedule; latency from the scheduled send time (no
 *   coordinated omission). Goal p99 < 20 ms.
 * - login flood: the saturated load again while 20 more clients send wrong-password logins with
 *   a kiosk's bearer token in the header (which once skipped the login limit and let scrypt take
 *   every libuv thread from the journal). Goal: issuing keeps >= 50% of its unloaded rate.
 *
 * Staff (clerk) token for issuing: kiosk terminals are rate-limited per minute.
 */
import { benchDataDir, removeDir, spawnHall, type Child } from './proc';
import { closedLoop, HttpClient, openLoop, sleep, strip } from './load';
import { clerkToken, ensureServices, issueSender, login, prefill, services } from './hall-api';
import { atLeast, below, isMain, round, runStandalone, type BenchResult } from './report';

export interface IssueOptions {
  prefill: number;
  concurrency: number;
  closedMs: number;
  openRate: number;
  openMs: number;
}

export const ISSUE_DEFAULTS: IssueOptions = { prefill: 10_000, concurrency: 20, closedMs: 8_000, openRate: 100, openMs: 20_000 };

/** The demo's 8 services and copies of them: a service has at most 9,999 numbers a day. */
const SERVICES = 24;

export async function runIssueThroughput(o: IssueOptions = ISSUE_DEFAULTS): Promise<BenchResult> {
  const t0 = performance.now();
  const dir = await benchDataDir('hall-issue-');
  let hall: Child | undefined;
  const clients: HttpClient[] = [];
  try {
    hall = await spawnHall(dir);
    const c = new HttpClient(hall.url, 256);
    const flood = new HttpClient(hall.url, 64);
    clients.push(c, flood);
    const admin = await login(c);
    const token = await clerkToken(c, admin, 'issuer');
    const serviceIds = await ensureServices(c, admin, SERVICES);
    const kiosk = await c.json<{ token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: '压测取号机' }, admin);
    if (kiosk.status !== 201) throw new Error(`kiosk terminal: ${kiosk.status}`);

    process.stdout.write(`  issue: pre-filling ${o.prefill} tickets over ${serviceIds.length} services…\n`);
    await prefill(c, token, serviceIds, o.prefill, o.concurrency);
    const send = issueSender(c, token, serviceIds);

    process.stdout.write(`  issue: saturated, ${o.concurrency} clients, ${o.closedMs / 1000} s…\n`);
    const closed = await closedLoop({ concurrency: o.concurrency, durationMs: o.closedMs, send });
    await sleep(500);
    process.stdout.write(`  issue: offered ${o.openRate}/s for ${o.openMs / 1000} s…\n`);
    const open = await openLoop({ ratePerSec: o.openRate, durationMs: o.openMs, send });
    await sleep(500);

    process.stdout.write(`  issue: saturated again under a login flood with a kiosk token in the header…\n`);
    let flooding = true;
    const floodAnswers = new Map<number, number>();
    const floodLoop = closedLoop({
      concurrency: 20,
      durationMs: o.closedMs,
      send: async (i) => {
        if (!flooding) return true;
        const r = await flood.request('POST', '/api/auth/login', { username: `nobody${i % 50}`, password: 'wrong-password' }, kiosk.body.token);
        floodAnswers.set(r.status, (floodAnswers.get(r.status) ?? 0) + 1);
        return true;
      },
    });
    const underFlood = await closedLoop({ concurrency: o.concurrency, durationMs: o.closedMs, send });
    flooding = false;
    await floodLoop;

    const inDay = (await services(c)).reduce((n, s) => n + s.waiting, 0);
    const healthy = closed.errors === 0 && open.errors === 0 && underFlood.errors === 0;
    const kept = round(underFlood.throughput / Math.max(1, closed.throughput), 2);
    return {
      bench: 'issue-throughput',
      durationMs: Math.round(performance.now() - t0),
      targets: [
        atLeast('issue.saturated.tps', `durable tickets/s, ${o.concurrency} clients, >=${o.prefill} in the day`, healthy ? closed.throughput : 0, 500, 'tickets/s'),
        below('issue.offered.p99', `p99 latency at ${o.openRate} tickets/s offered`, open.latency.p99, 20, 'ms'),
        atLeast('issue.login-flood.kept', 'issuing under a login flood (kiosk token), share of the unloaded rate', healthy ? kept : 0, 0.5, 'x'),
      ],
      info: [
        { what: 'saturated: latency p50 / p99', value: `${closed.latency.p50} / ${closed.latency.p99}`, unit: 'ms' },
        { what: 'offered: latency p50 / p99 / max', value: `${open.latency.p50} / ${open.latency.p99} / ${open.latency.max}`, unit: 'ms' },
        { what: 'under the login flood: tickets/s', value: underFlood.throughput, unit: 'tickets/s' },
        { what: 'login flood answers by status', value: [...floodAnswers].map(([s, n]) => `${s}×${n}`).join(' '), unit: '' },
      ],
      details: { options: o, closed: strip(closed), open: strip(open), underFlood: strip(underFlood), floodAnswers: Object.fromEntries(floodAnswers), waitingAtEnd: inDay },
    };
  } finally {
    for (const c of clients) c.close();
    await hall?.stop();
    await removeDir(dir);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runIssueThroughput());
