/**
 * `POST /api/counters/:id/call-next` latency at a counter whose services hold 10,000 waiting
 * tickets. One clerk, one request at a time (as at a real counter): each call closes the last
 * ticket (called, never started → no-show) and calls the next by the ordering policy. The queue
 * is filled with 10,000 + the calls made, so at least 10,000 wait at every measured call.
 *
 * The tickets are written to the journal before the server starts (journal-fill.ts: the real
 * engine and Journal, so the server replays them as its own): issuing 10,000 tickets into just
 * two services over HTTP takes minutes today (see issue-throughput and PERFORMANCE.md).
 */
import type { CounterActionResponse } from '@hall/protocol';
import { benchDataDir, cpuMsOf, removeDir, spawnHall, type Child } from './proc';
import { closedLoop, HttpClient, strip } from './load';
import { clerkToken, login, waitingTotal } from './hall-api';
import { ADMIN, EngineWriter } from './journal-fill';
import { isMain, round, runStandalone, type BenchResult } from './report';

export interface CallNextOptions {
  waiting: number;
  warmup: number;
  calls: number;
}
export const CALL_NEXT_DEFAULTS: CallNextOptions = { waiting: 10_000, warmup: 50, calls: 500 };

/** Demo counter 1 serves 社会保险 (A) and 医保与计生 (B). */
const COUNTER = 'ctr-1';
const COUNTER_SERVICES = ['svc-social', 'svc-health'];

export async function runCallNext(o: CallNextOptions = CALL_NEXT_DEFAULTS): Promise<BenchResult> {
  const t0 = performance.now();
  const dir = await benchDataDir('hall-call-');
  let hall: Child | undefined;
  let c: HttpClient | undefined;
  try {
    const total = o.waiting + o.warmup + o.calls;
    process.stdout.write(`  call-next: writing ${total} waiting tickets in ${COUNTER_SERVICES.join(', ')} to the journal…\n`);
    // A first start makes the hall's config and keys, as in a real hall: a journal without
    // them is refused (start-up never makes a new hall over an old journal).
    await (await spawnHall(dir)).stop();
    const w = await EngineWriter.open(dir);
    for (let i = 0; i < total; i++) await w.run({ type: 'ticket.issue', serviceId: COUNTER_SERVICES[i % COUNTER_SERVICES.length]!, source: 'staff' }, ADMIN);
    await w.close();
    hall = await spawnHall(dir);
    c = new HttpClient(hall.url, 32);
    const admin = await login(c);
    const clerk = await clerkToken(c, admin, 'caller');
    const filled = await waitingTotal(c, COUNTER_SERVICES);
    if (filled !== total) throw new Error(`the server replayed ${filled} waiting tickets, ${total} were written`);
    const signIn = await c.request('POST', `/api/counters/${COUNTER}/sign-in`, undefined, clerk);
    if (signIn.status !== 200) throw new Error(`sign-in: ${signIn.status} ${signIn.text}`);

    const http = c;
    let called = 0;
    const send = async (): Promise<boolean> => {
      const r = await http.json<CounterActionResponse>('POST', `/api/counters/${COUNTER}/call-next`, undefined, clerk);
      if (r.status !== 200) throw new Error(`call-next: ${r.status} ${JSON.stringify(r.body)}`);
      if (!r.body.ticket) throw new Error('call-next called nobody');
      called++;
      return true;
    };
    await closedLoop({ concurrency: 1, maxRequests: o.warmup, send });
    const waitingBefore = await waitingTotal(c, COUNTER_SERVICES);
    const cpu0 = await cpuMsOf(hall.pid);
    const r = await closedLoop({ concurrency: 1, maxRequests: o.calls, send });
    const cpuPerCall = round(((await cpuMsOf(hall.pid)) - cpu0) / Math.max(1, r.ok), 3);
    const waitingAfter = await waitingTotal(c, COUNTER_SERVICES);
    if (r.errors > 0) throw new Error(`call-next failed: ${r.firstError}`);
    return {
      bench: 'call-next',
      durationMs: Math.round(performance.now() - t0),
      targets: [],
      info: [
        { what: `call-next latency p50 / p99 / max (${r.ok} calls, ${waitingAfter}–${waitingBefore} waiting at the counter)`, value: `${r.latency.p50} / ${r.latency.p99} / ${r.latency.max}`, unit: 'ms' },
        { what: 'call-next: server CPU per call', value: cpuPerCall, unit: 'ms' },
      ],
      details: { options: o, counter: COUNTER, services: COUNTER_SERVICES, waitingBefore, waitingAfter, called, result: strip(r), serverCpuMsPerCall: cpuPerCall },
    };
  } finally {
    c?.close();
    await hall?.stop();
    await removeDir(dir);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runCallNext());
