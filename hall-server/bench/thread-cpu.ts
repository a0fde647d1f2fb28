/**
 * Where a request's CPU goes, thread by thread (not part of `npm run bench`; about 40 s):
 *
 *   node --import tsx hall-server/bench/thread-cpu.ts            # the hall, as `npm start` runs it
 *   node --import tsx hall-server/bench/thread-cpu.ts floor      # the floor server instead
 *
 * After 10,000 tickets (the floor: as many warm-up requests), ROUNDS (default 3) closed loops of
 * 20 clients for 4 s each. Per round: requests/s, the load generator's own CPU per request, the
 * server's CPU per request for each of its threads (user + system from /proc/<pid>/task, so time
 * a thread waits for a core is not counted, unlike a `--cpu-prof` profile) and its context
 * switches per request. Figures in docs/PERFORMANCE.md ("Latest runs") were taken with this,
 * alternating builds.
 */
import { readdir, readFile } from 'node:fs/promises';
import { benchDataDir, removeDir, spawnFloor, spawnHall } from './proc';
import { HttpClient, closedLoop } from './load';
import { clerkToken, ensureServices, issueSender, login, prefill } from './hall-api';

const USER_HZ = 100;
const floor = process.argv.includes('floor');
const rounds = Number(process.env.ROUNDS ?? 3);

/** CPU ms and context switches of each thread of `pid`, by name (`main` for the process's own). */
async function threads(pid: number): Promise<{ cpuMs: Record<string, number>; switches: number }> {
  const cpuMs: Record<string, number> = {};
  let switches = 0;
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    try {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = tid === String(pid) ? 'main' : `${/\((.*)\)/.exec(stat)?.[1] ?? '?'}:${tid}`;
      cpuMs[name] = ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
      const status = await readFile(`/proc/${pid}/task/${tid}/status`, 'utf8');
      for (const m of status.matchAll(/ctxt_switches:\s+(\d+)/g)) switches += Number(m[1]);
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return { cpuMs, switches };
}

const dir = await benchDataDir(floor ? 'floor-threads-' : 'hall-threads-');
const server = floor ? await spawnFloor(dir) : await spawnHall(dir);
const client = new HttpClient(server.url, 256);
try {
  let send: (i: number) => Promise<boolean>;
  if (floor) {
    send = async (i) => (await client.request('POST', '/issue', { serviceId: `svc-${i % 8}` })).status === 201;
    await closedLoop({ concurrency: 20, maxRequests: 10_000, send });
  } else {
    const admin = await login(client);
    const token = await clerkToken(client, admin, 'threads');
    const ids = await ensureServices(client, admin, 24);
    await prefill(client, token, ids, 10_000, 20);
    send = issueSender(client, token, ids);
  }
  for (let i = 0; i < rounds; i++) {
    const t0 = await threads(server.pid);
    const c0 = process.cpuUsage();
    const r = await closedLoop({ concurrency: 20, durationMs: 4000, send });
    const c1 = process.cpuUsage(c0);
    const t1 = await threads(server.pid);
    const perThread: Record<string, number> = {};
    for (const [name, ms] of Object.entries(t1.cpuMs)) {
      const d = ms - (t0.cpuMs[name] ?? 0);
      if (d > 0) perThread[name] = Math.round((d * 10_000) / r.ok) / 10;
    }
    process.stdout.write(
      `${floor ? 'floor' : 'hall'}: ${r.throughput} req/s, ${((t1.switches - t0.switches) / r.ok).toFixed(2)} context switches/req, ` +
        `load generator ${((c1.user + c1.system) / r.ok).toFixed(1)} µs/req, server µs/req by thread ${JSON.stringify(perThread)}\n`,
    );
  }
} finally {
  client.close();
  await server.stop();
  await removeDir(dir);
}
