/**
 * Restart time: from spawn() of the server (`hall-server/dist/cli.js start`, as `npm start`) to
 * the first `200` of `GET /api/health` (polled every 5 ms on a port chosen beforehand), for
 *
 *   - an empty data folder (first start: demo config, admin password hash, keys),
 *   - the same folder restarted, config there but no journal events yet,
 *   - today's journal with 100,000 events and a state snapshot of the first 100,000, plus 2,000
 *     events after it: the hall worked on after its last snapshot and then crashed (the
 *     case the target is judged on),
 *   - the same 100,000-event journal without any snapshot (cold replay; for information).
 *
 * The journal is written the way the server writes it: commands decided and applied by the pure
 * engine (`decide`/`apply` from src/queue), events appended with the real `Journal` class
 * (src/journal), so format, hash chain and fdatasync are exactly the server's. The snapshot is
 * the server's own: it is started on the 100k folder, left running until its snapshot writer
 * thread has written one (5 s after start, the least time between writes), and killed. Every
 * timed run with events is ended with SIGKILL, so no run leaves a newer snapshot for the next
 * (each run starts from the same files). Goal: the snapshot restart at most 1 s slower than the
 * empty-folder start. Runs alternate between the cases.
 */
import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { hallDate, isAuditEvent, type QueueEvent } from '@hall/protocol';
import { Journal } from '../src/journal';
import { apply, replay } from '../src/queue';
import { readSnapshot, snapshotPath } from '../src/app/state-snapshot';
import { ADMIN, EngineWriter, TZ, clerkAt, waitingIn, type JournalEvent } from './journal-fill';
import { benchDataDir, freePort, removeDir, spawnHall, type Child } from './proc';
import { HttpClient, summarize } from './load';
import { services as listServices } from './hall-api';
import { below, isMain, round, runStandalone, type BenchResult } from './report';

export interface RestartOptions {
  events: number;
  /** Events written after the snapshot (the hall went on working, then crashed). */
  tail: number;
  runs: number;
}
export const RESTART_DEFAULTS: RestartOptions = { events: 100_000, tail: 2000, runs: 5 };

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
export async function writeJournal(dataDir: string, target: number): Promise<{ records: number; waiting: number; tickets: number; writeMs: number; bytes: number }> {
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
  return { records: w.count, waiting: waitingIn(state, state.services.keys()), tickets: issued, writeMs: Math.round(performance.now() - t0), bytes };
}

/** The server's own start-up work without a snapshot, in this process: read+verify, then replay. */
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

/** The same with the snapshot: read and decode it, open the journal after it, replay the tail. */
async function snapshotBreakdown(dataDir: string): Promise<{ loadMs: number; tailOpenMs: number; tailReplayMs: number; tickets: number; tail: number }> {
  const day = hallDate(Date.now(), TZ);
  // The server bundle's code fingerprint is not this process's (which runs the sources): take the file's own.
  const head = await readFile(snapshotPath(join(dataDir, 'snapshots'), day));
  const code = (JSON.parse(head.toString('latin1', 12, 12 + head.readUInt32LE(8))) as { code: string }).code;
  const t0 = performance.now();
  const snap = await readSnapshot(join(dataDir, 'snapshots'), day, code);
  if (!snap.ok) throw new Error(`in-process snapshot read: ${snap.reason}`);
  const t1 = performance.now();
  const opened = await Journal.open<JournalEvent>(join(dataDir, 'journal'), day, { from: snap.header });
  if (!opened.resumed) throw new Error(`in-process snapshot start: ${opened.fromRejected}`);
  const t2 = performance.now();
  for (const e of opened.events) if (!isAuditEvent(e)) apply(snap.state, e);
  const t3 = performance.now();
  await opened.journal.close();
  return { loadMs: round(t1 - t0, 1), tailOpenMs: round(t2 - t1, 1), tailReplayMs: round(t3 - t2, 1), tickets: snap.state.tickets.size, tail: opened.events.length };
}

/** Starts the server on `dataDir` and waits until it has written today's snapshot; then SIGKILL. */
async function makeSnapshot(dataDir: string): Promise<{ file: string; bytes: number; waitedMs: number }> {
  const file = snapshotPath(join(dataDir, 'snapshots'), hallDate(Date.now(), TZ));
  const hall = await spawnHall(dataDir);
  const t0 = performance.now();
  try {
    for (;;) {
      const size = await stat(file).then((st) => st.size, () => 0);
      if (size > 0) return { file, bytes: size, waitedMs: Math.round(performance.now() - t0) };
      if (performance.now() - t0 > 60_000) throw new Error('the server wrote no snapshot within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await hall.kill();
  }
}

/** Waiting tickets as the server on `url` reports them. */
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
    // A data folder made by a real first start, kept as the template for the other cases.
    const template = await mk('hall-restart-tpl-');
    const first = await timeToHealthy(template);
    await first.hall.stop();
    const small = await mk('hall-restart-small-');
    const cold = await mk('hall-restart-cold-');
    const snap = await mk('hall-restart-snap-');
    await cp(template, small, { recursive: true });
    await cp(template, cold, { recursive: true });
    process.stdout.write(`  restart: writing a ${o.events}-event journal with the engine and the real Journal…\n`);
    const made = await writeJournal(cold, o.events);
    await cp(cold, snap, { recursive: true });
    process.stdout.write('  restart: letting the server write its snapshot of the big journal, then killing it…\n');
    const snapshot = await makeSnapshot(snap);
    const snapshotBytes = await readFile(snapshot.file);
    process.stdout.write(`  restart: ${o.tail} more events after the snapshot…\n`);
    const withTail = await writeJournal(snap, made.records + o.tail);

    const times = { empty: [] as number[], small: [] as number[], snap: [] as number[], cold: [] as number[] };
    const replayed = { snap: -1, cold: -1 };
    for (let i = 0; i < o.runs; i++) {
      process.stdout.write(`  restart: run ${i + 1}/${o.runs}…\n`);
      const empty = await mk('hall-restart-empty-');
      const e = await timeToHealthy(empty);
      times.empty.push(e.ms);
      await e.hall.stop();
      const s = await timeToHealthy(small);
      times.small.push(s.ms);
      await s.hall.stop();
      // Each run starts from the same files: the snapshot as the killed server left it, no snapshot for the cold case.
      await writeFile(snapshot.file, snapshotBytes);
      const b = await timeToHealthy(snap);
      times.snap.push(b.ms);
      if (i === 0) replayed.snap = await waitingOf(b.hall.url);
      await b.hall.kill();
      await rm(join(cold, 'snapshots'), { recursive: true, force: true });
      const c = await timeToHealthy(cold);
      times.cold.push(c.ms);
      if (i === 0) replayed.cold = await waitingOf(c.hall.url);
      await c.hall.kill();
    }
    if (replayed.snap !== withTail.waiting) throw new Error(`from its snapshot the server replayed ${replayed.snap} waiting tickets, the journal holds ${withTail.waiting}`);
    if (replayed.cold !== made.waiting) throw new Error(`the server replayed ${replayed.cold} waiting tickets, the journal holds ${made.waiting}`);
    await writeFile(snapshot.file, snapshotBytes);
    const snapBreakdown = await snapshotBreakdown(snap);
    await rm(join(cold, 'snapshots'), { recursive: true, force: true });
    const breakdown = await replayBreakdown(cold);
    const med = (xs: number[]): number => round(summarize(xs).p50, 0);
    const diff = med(times.snap) - med(times.empty);
    const n = `${o.events}+${o.tail}`;
    return {
      bench: 'restart-time',
      durationMs: Math.round(performance.now() - t0),
      targets: [
        below('restart.100k', `start to first /api/health 200: ${n}-event journal with the snapshot of the first ${o.events}, minus empty folder (medians of ${o.runs})`, diff, 1000, 'ms'),
      ],
      info: [
        { what: `empty folder / restart with empty journal / ${n} events from snapshot / ${o.events} events, no snapshot (median)`, value: `${med(times.empty)} / ${med(times.small)} / ${med(times.snap)} / ${med(times.cold)}`, unit: 'ms' },
        { what: `cold replay, no snapshot: ${o.events}-event journal minus empty folder`, value: med(times.cold) - med(times.empty), unit: 'ms' },
        { what: `in-process: snapshot read+decode (${snapBreakdown.tickets} tickets) / journal after it (${snapBreakdown.tail} records) open / replay`, value: `${snapBreakdown.loadMs} / ${snapBreakdown.tailOpenMs} / ${snapBreakdown.tailReplayMs}`, unit: 'ms' },
        { what: `in-process, no snapshot: Journal.open (read, parse, verify chain) / replay of ${breakdown.records} records`, value: `${breakdown.openMs} / ${breakdown.replayMs}`, unit: 'ms' },
        { what: 'journal file size / snapshot file size', value: `${round(made.bytes / 2 ** 20, 1)} / ${round(snapshot.bytes / 2 ** 20, 1)}`, unit: 'MiB' },
      ],
      details: {
        options: o,
        times: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map((x) => round(x, 0))])),
        journal: made,
        tail: withTail,
        snapshot: { bytes: snapshot.bytes, writtenAfterMs: snapshot.waitedMs },
        breakdown,
        snapBreakdown,
      },
    };
  } finally {
    for (const d of dirs) await removeDir(d);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runRestartTime());
