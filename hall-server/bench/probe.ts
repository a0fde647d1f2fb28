/**
 * Preloaded into the hall server by some benchmarks only (`node --expose-gc --import tsx
 * --import hall-server/bench/probe.ts …/cli.ts start`); the server code is untouched. It answers
 * two signals with one line `PROBE {json}` on stderr:
 *
 * - SIGUSR2: event-loop delay (p50/p99/max, 10 ms resolution) and GC pauses (count, total,
 *   longest, by kind) since the last SIGUSR2, plus process.memoryUsage(); then resets.
 * - SIGWINCH: process.memoryUsage() before and after a full GC and the heap spaces after it,
 *   to say what the RSS is made of and what is live. Sent only after the last RSS reading, so
 *   the forced GC cannot flatter the measured numbers.
 */
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

const mb = (x: number): number => Math.round((x / 2 ** 20) * 10) / 10;
const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

function usage(): Record<string, number> {
  const m = process.memoryUsage();
  return { rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

const KIND: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};
let gc = { count: 0, totalMs: 0, maxMs: 0, byKind: {} as Record<string, { count: number; totalMs: number; maxMs: number }> };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = KIND[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
    gc.count++;
    gc.totalMs += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
    const k = (gc.byKind[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
    k.count++;
    k.totalMs += e.duration;
    k.maxMs = Math.max(k.maxMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });

const r2 = (x: number): number => Math.round(x * 100) / 100;

process.on('SIGUSR2', () => {
  const out = {
    kind: 'stats',
    loopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    gc: {
      count: gc.count,
      totalMs: r2(gc.totalMs),
      maxMs: r2(gc.maxMs),
      byKind: Object.fromEntries(Object.entries(gc.byKind).map(([k, v]) => [k, { count: v.count, totalMs: r2(v.totalMs), maxMs: r2(v.maxMs) }])),
    },
    memory: usage(),
  };
  loop.reset();
  gc = { count: 0, totalMs: 0, maxMs: 0, byKind: {} };
  process.stderr.write(`PROBE ${JSON.stringify(out)}\n`);
});

process.on('SIGWINCH', () => {
  const before = usage();
  const fullGc = (globalThis as { gc?: () => void }).gc;
  fullGc?.();
  const after = usage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_used_size)]));
  process.stderr.write(`PROBE ${JSON.stringify({ kind: 'memory', before, afterGc: fullGc ? after : null, spacesAfterGc: spaces })}\n`);
});
