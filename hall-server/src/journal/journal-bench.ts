/**
 * Journal speed on this machine's disk: `node --import tsx hall-server/src/journal/journal-bench.ts [dir]`.
 * Prints durable appends/s with 20 concurrent single-event callers, and the time to open (read,
 * verify and parse) a day file of 100,000 events. Targets: >= 1000 appends/s; replay well under 1 s.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Journal } from './journal';

interface BenchEvent {
  type: string;
  id: string;
  at: string;
  ticketId: string;
  serviceId: string;
  counterId: string;
  priority: string;
  by: string;
}

const event = (i: number): BenchEvent => ({
  type: 'ticket.called',
  id: `ev-${i.toString(36)}-${(i * 7919).toString(36)}`,
  at: '2026-03-02T09:30:00+08:00',
  ticketId: `t-2026-03-02-A${String(i % 1000).padStart(3, '0')}`,
  serviceId: 'svc-social',
  counterId: 'ctr-1',
  priority: 'normal',
  by: 'user-clerk-1',
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const base = process.argv[2] ?? os.tmpdir();
const dir = await mkdtemp(path.join(base, 'hall-journal-bench-'));
try {
  const callers = 20;
  const perCaller = 250;
  const { journal } = await Journal.open<BenchEvent>(path.join(dir, 'a'), '2026-03-02');
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < perCaller; i++) await journal.append([event(c * perCaller + i)]);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const n = callers * perCaller;
  console.log(`append: ${n} durable appends, ${callers} concurrent callers: ${(n / secs).toFixed(0)}/s (${journal.syncCount} fdatasyncs, ${(n / journal.syncCount).toFixed(1)} appends per sync)`);
  await journal.close();

  const big = await Journal.open<BenchEvent>(path.join(dir, 'b'), '2026-03-02');
  for (let i = 0; i < 100_000; i += 10_000) await big.journal.append(Array.from({ length: 10_000 }, (_, k) => event(i + k)));
  await big.journal.close();
  const size = (await stat(path.join(dir, 'b', '2026-03-02.jsonl'))).size;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < 5; run++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const { journal: j, events } = await Journal.open<BenchEvent>(path.join(dir, 'b'), '2026-03-02');
    wall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (events.length !== 100_000) throw new Error(`replayed ${events.length}`);
    await j.close();
  }
  console.log(`replay: 100000 events (${(size / 1e6).toFixed(1)} MB): median ${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU (runs: ${wall.map((w) => w.toFixed(0)).join(', ')} ms)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
