/**
 * Restart time: from spawn() of `node --import tsx hall-server/src/cli.ts start` to the first
 * `200` of `GET /api/health` (polled every 5 ms on a port chosen beforehand), for
 *
 *   - an empty data folder (first start: demo config, admin password hash, keys),
 *   - the same folder restarted, config there but no journal events yet,
 *   - that folder with today's journal holding 100,000 events.
 *
 * The 100k journal is written the way the server writes it: commands decided and applied by the
 * pure engine (`decide`/`apply` from src/queue), events appended with the real `Journal` class
 * (src/journal), so format, hash chain and fdatasync are exactly the server's. Goal: the 100k
 * restart at most 1 s slower than the empty-folder start. Runs alternate between the cases.
 */
import { cp, stat } from 'node:fs/promises';
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
  // spawnHall records performance.now() just before spawn(); poll until health answers.
  const t0 = performance.now();
  let okAt = 0;
  const deadline = t0 + 60_000;
  let hall: Child | undefined;
  spawned.then((h) => (hall = h), () => undefined);
  while (performance.now() < deadline) {
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
async function writeJournal(dataDir: string, target: number): Promise<{ waiting: number; tickets: number; writeMs: number; bytes: number }> {
  const t0 = performance.now();
  const w = await EngineWriter.open(dataDir);
  const { config, state } = w;
  const serviceIds = config.services.filter((s) => s.enabled).map((s) => s.id);
  const counters = config.counters.filter((c) => c.enabled).map((c) => ({ id: c.id, services: c.services.map((l) => l.serviceId), actor: clerkAt(c.id) }));
  for (const c of counters) await w.run({ type: 'counter.sign-in', counterId: c.id }, c.actor);
  let issued = 0;
  // A busy day: tickets arrive round-robin over the services; once a backlog of BACKLOG waits,
  // the counters take turns finishing their ticket, calling the next and starting it, so most
  // tickets leave four events (issued, called, started, finished) and about BACKLOG still wait.
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
  const bytes = (await stat(join(dataDir, 'journal', `${w.day}.jsonl`))).size;
  return { waiting: waitingIn(state, state.services.keys()), tickets: issued, writeMs: Math.round(performance.now() - t0), bytes };
}

/** The server's own start-up work on the big journal, in this process: read+verify, then replay. */
async function replayBreakdown(dataDir: string): Promise<{ openMs: number; replayMs: number; records: number }> {
  const day = hallDate(Date.now(), TZ);
  const t0 = performance.now();
  const opened = await Journal.open<JournalEvent>(join(dataDir, 'journal'), day);
  const t1 = performance.now();
  replay(day, opened.events.filter((e): e is QueueEvent => !isAuditEvent(e)));
  const t2 = performance.now();
  await opened.journal.close();
  return { openMs: round(t1 - t0, 1), replayMs: round(t2 - t1, 1), records: opened.events.length };
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
    // A data folder made by a real first start, kept as the template for the other two cases.
    const template = await mk('hall-restart-tpl-');
    const first = await timeToHealthy(template);
    await first.hall.stop();
    const small = await mk('hall-restart-small-');
    const big = await mk('hall-restart-big-');
    await cp(template, small, { recursive: true });
    await cp(template, big, { recursive: true });
    process.stdout.write(`  restart: writing a ${o.events}-event journal with the engine and the real Journal…\n`);
    const made = await writeJournal(big, o.events);

    const times = { empty: [] as number[], small: [] as number[], big: [] as number[] };
    let replayed = -1;
    for (let i = 0; i < o.runs; i++) {
      process.stdout.write(`  restart: run ${i + 1}/${o.runs}…\n`);
      const empty = await mk('hall-restart-empty-');
      const e = await timeToHealthy(empty);
      times.empty.push(e.ms);
      await e.hall.stop();
      const s = await timeToHealthy(small);
      times.small.push(s.ms);
      await s.hall.stop();
      const b = await timeToHealthy(big);
      times.big.push(b.ms);
      if (i === 0) {
        const c = new HttpClient(b.hall.url, 2);
        replayed = (await listServices(c)).reduce((n, x) => n + x.waiting, 0);
        c.close();
      }
      await b.hall.stop();
    }
    if (replayed !== made.waiting) throw new Error(`the server replayed ${replayed} waiting tickets, the journal holds ${made.waiting}`);
    const breakdown = await replayBreakdown(big);
    const med = (xs: number[]): number => round(summarize(xs).p50, 0);
    const diff = med(times.big) - med(times.empty);
    return {
      bench: 'restart-time',
      durationMs: Math.round(performance.now() - t0),
      targets: [below('restart.100k', `start to first /api/health 200: ${o.events}-event journal minus empty folder (medians of ${o.runs})`, diff, 1000, 'ms')],
      info: [
        { what: `empty folder / restart with empty journal / restart with ${o.events}-event journal (median)`, value: `${med(times.empty)} / ${med(times.small)} / ${med(times.big)}`, unit: 'ms' },
        { what: `${o.events}-event journal minus restart with empty journal`, value: med(times.big) - med(times.small), unit: 'ms' },
        { what: `in-process: Journal.open (read, parse, verify chain) / replay of ${breakdown.records} records`, value: `${breakdown.openMs} / ${breakdown.replayMs}`, unit: 'ms' },
        { what: 'journal file size', value: round(made.bytes / 2 ** 20, 1), unit: 'MiB' },
      ],
      details: { options: o, times: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map((x) => round(x, 0))])), journal: made, breakdown },
    };
  } finally {
    for (const d of dirs) await removeDir(d);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runRestartTime());
