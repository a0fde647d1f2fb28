/**
 * Restart time: from spawn() of the server (`hall-server/dist/cli.js start`, as `npm start`) to
 * the first `200` of `GET /api/health` (polled every 5 ms on a port chosen beforehand), for
 *
 *   - an empty data folder (first start: demo config, admin password hash, keys),
 *   - the same hall with 100,000 events in today's journal, which the server reads, verifies
 *     and replays whole before it listens.
 *
 * The journal is written the way the server writes it: commands decided and applied by the pure
 * engine (`decide`/`apply` from src/queue), events appended with the real `Journal` class
 * (src/journal), so format, hash chain and fdatasync are exactly the server's. Every timed run
 * with events ends with SIGKILL (no clean stop changes the files). Goal (issue 10, item 11): the
 * 100k-event restart at most 2 s slower than the empty folder; the state snapshot cache that
 * once made it faster was removed on that measurement (docs/RELIABILITY.md).
 *
 *   node scripts/build-server.mjs && node --import tsx hall-server/bench/restart-time.ts
 */
import { cp } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { hallDate, isAuditEvent, type QueueEvent } from '@hall/protocol';
import { Journal } from '../src/journal';
import { replay } from '../src/queue';
import { ADMIN, EngineWriter, TZ, clerkAt, waitingIn, type JournalEvent } from './journal-fill';
import { benchDataDir, freePort, removeDir, spawnHall, type Child } from './proc';
import { HttpClient, summarize } from './load';
import { services as listServices } from './hall-api';
import { below, isMain, round, runStandalone, type BenchResult } from './report';

export interface RestartOptions {
  events: number;
  runs: number;
}
export const RESTART_DEFAULTS: RestartOptions = { events: 100_000, runs: 5 };

/** Tickets left waiting while the counters work. */
const BACKLOG = 1000;

function healthOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/health', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
    req.end();
  });
}

/** Spawns the server on `dataDir`; ms from spawn() to the first 200 of /api/health. */
async function timeToHealthy(dataDir: string): Promise<{ ms: number; hall: Child }> {
  const port = await freePort();
  const spawned = spawnHall(dataDir, { port });
  const t0 = performance.now();
  let okAt = 0;
  let hall: Child | undefined;
  spawned.then((h) => (hall = h), () => undefined);
  while (performance.now() < t0 + 60_000) {
    if (await healthOk(port)) {
      okAt = performance.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const h = hall ?? (await spawned);
  if (!okAt) {
    await h.stop();
    throw new Error('server never answered /api/health');
  }
  return { ms: okAt - h.spawnedAt, hall: h };
}

/** Appends engine-made events to today's journal in `dataDir` until it holds `target` records. */
export async function writeJournal(dataDir: string, target: number): Promise<{ records: number; waiting: number; tickets: number }> {
  const w = await EngineWriter.open(dataDir);
  const { config, state } = w;
  const serviceIds = config.services.filter((s) => s.enabled).map((s) => s.id);
  const counters = config.counters.filter((c) => c.enabled).map((c) => ({ id: c.id, services: c.services.map((l) => l.serviceId), actor: clerkAt(c.id) }));
  for (const c of counters) await w.run({ type: 'counter.sign-in', counterId: c.id }, c.actor);
  let issued = 0;
  // A busy day: tickets arrive round-robin over the services; once a backlog of BACKLOG waits,
  // the counters take turns calling the next and starting it, so about BACKLOG still wait.
  for (let i = 0; w.count < target; i++) {
    await w.run({ type: 'ticket.issue', serviceId: serviceIds[i % serviceIds.length]!, source: 'staff' }, ADMIN);
    issued++;
    if (waitingIn(state, serviceIds) > BACKLOG && target - w.count >= 3) {
      for (let k = 0; k < counters.length; k++) {
        const c = counters[(i + k) % counters.length]!;
        if (waitingIn(state, c.services) === 0) continue;
        await w.run({ type: 'counter.call-next', counterId: c.id }, c.actor);
        if (target - w.count >= 1) await w.run({ type: 'counter.start', counterId: c.id }, c.actor);
        break;
      }
    }
  }
  await w.close();
  return { records: w.count, waiting: waitingIn(state, state.services.keys()), tickets: issued };
}

/** The server's own start-up work, in this process: read+verify, then replay. */
async function replayBreakdown(dataDir: string): Promise<{ openMs: number; replayMs: number }> {
  const day = hallDate(Date.now(), TZ);
  const t0 = performance.now();
  const opened = await Journal.open<JournalEvent>(join(dataDir, 'journal'), day);
  const t1 = performance.now();
  replay(day, opened.events.filter((e): e is QueueEvent => !isAuditEvent(e)));
  const t2 = performance.now();
  await opened.journal.close();
  return { openMs: round(t1 - t0, 1), replayMs: round(t2 - t1, 1) };
}

async function waitingOf(url: string): Promise<number> {
  const c = new HttpClient(url, 2);
  try {
    return (await listServices(c)).reduce((n, x) => n + x.waiting, 0);
  } finally {
    c.close();
  }
}

export async function runRestartTime(o: RestartOptions = RESTART_DEFAULTS): Promise<BenchResult> {
  const t0 = performance.now();
  const dirs: string[] = [];
  const mk = async (p: string): Promise<string> => {
    const d = await benchDataDir(p);
    dirs.push(d);
    return d;
  };
  try {
    // A data folder made by a real first start, the template of the big day.
    const big = await mk('hall-restart-big-');
    const first = await timeToHealthy(big);
    await first.hall.stop();
    process.stdout.write(`  restart: writing a ${o.events}-event journal with the engine and the real Journal…\n`);
    const made = await writeJournal(big, o.events);
    const times = { empty: [] as number[], big: [] as number[] };
    for (let i = 0; i < o.runs; i++) {
      process.stdout.write(`  restart: run ${i + 1}/${o.runs}…\n`);
      const empty = await mk('hall-restart-empty-');
      const e = await timeToHealthy(empty);
      times.empty.push(e.ms);
      await e.hall.stop();
      const b = await timeToHealthy(big);
      times.big.push(b.ms);
      if (i === 0) {
        const waiting = await waitingOf(b.hall.url);
        if (waiting !== made.waiting) throw new Error(`the server replayed ${waiting} waiting tickets, the journal holds ${made.waiting}`);
      }
      await b.hall.kill();
    }
    const copy = await mk('hall-restart-copy-');
    await cp(big, copy, { recursive: true });
    const breakdown = await replayBreakdown(copy);
    const med = (xs: number[]): number => round(summarize(xs).p50, 0);
    return {
      bench: 'restart-time',
      durationMs: Math.round(performance.now() - t0),
      targets: [below('restart.100k', `start to first /api/health 200: ${o.events}-event day minus empty folder (medians of ${o.runs})`, med(times.big) - med(times.empty), 2000, 'ms')],
      info: [
        { what: `empty folder / ${o.events}-event day (median)`, value: `${med(times.empty)} / ${med(times.big)}`, unit: 'ms' },
        { what: `in-process: Journal.open (read, parse, verify chain) / replay of ${made.records} records`, value: `${breakdown.openMs} / ${breakdown.replayMs}`, unit: 'ms' },
      ],
      details: { options: o, times: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map((x) => round(x, 0))])), journal: made, breakdown },
    };
  } finally {
    for (const d of dirs) await removeDir(d);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runRestartTime());
