/**
 * `npm run bench`: every benchmark in sequence, a table, and hall-server/bench/results/latest.json.
 * Each benchmark is bounded in time and count and talks only to 127.0.0.1. Exits 0 whether or not
 * a target is met (PASS/MISS per target); exits 1 only if a benchmark could not run.
 *
 *   npm run bench                      all
 *   npm run bench -- issue restart     only those whose name contains a word
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { BENCH_DIR, REPO_ROOT, benchDataDir, fsyncProbe, machineInfo, removeDir } from './proc';
import { printResult, type BenchResult } from './report';
import { runIssueThroughput } from './issue-throughput';
import { runRestartTime } from './restart-time';
import { runMemoryDisplays } from './memory-displays';
import { runCallNext } from './call-next';
import { runPrintLatency } from './print-latency';

const BENCHES: Array<{ name: string; run: () => Promise<BenchResult> }> = [
  { name: 'issue-throughput', run: () => runIssueThroughput() },
  { name: 'call-next', run: () => runCallNext() },
  { name: 'memory-displays', run: () => runMemoryDisplays() },
  { name: 'restart-time', run: () => runRestartTime() },
  { name: 'print-latency', run: () => runPrintLatency(60) },
];

function gitRev(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'hall-server/src', 'protocol/src'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${rev} (+ uncommitted changes in hall-server/src or protocol/src)` : rev;
  } catch {
    return 'unknown';
  }
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const chosen = BENCHES.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
  const probe = await benchDataDir('hall-probe-');
  const machine = machineInfo(probe);
  const fsync = await fsyncProbe(probe);
  await removeDir(probe);
  const loadAtStart = loadavg();
  const startedAt = new Date().toISOString();
  process.stdout.write(`Hall benchmarks — ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGB} GB, node ${machine.node}\n`);
  process.stdout.write(`data: ${machine.dataDisk}; write+fdatasync p50 ${fsync.p50} ms, p99 ${fsync.p99} ms\n`);
  process.stdout.write(`load average at start: ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}\n`);
  if (loadavg()[0]! > machine.nproc) {
    process.stdout.write(`WARNING: the machine is busy (1-min load ${loadavg()[0]!.toFixed(1)} > ${machine.nproc} CPUs): numbers will be pessimistic.\n`);
  }

  const results: Array<BenchResult & { loadAvgBefore: number[]; loadAvgAfter: number[] }> = [];
  const failures: Array<{ bench: string; error: string }> = [];
  const t0 = performance.now();
  for (const b of chosen) {
    const before = loadavg();
    process.stdout.write(`\n== ${b.name} == (load average ${before.map((x) => x.toFixed(2)).join(' ')})\n`);
    try {
      const r = await b.run();
      results.push({ ...r, loadAvgBefore: before, loadAvgAfter: loadavg() });
      printResult(r);
    } catch (e) {
      const msg = (e as Error).stack ?? String(e);
      failures.push({ bench: b.name, error: msg });
      process.stdout.write(`  ERROR ${msg}\n`);
    }
  }
  const totalMs = Math.round(performance.now() - t0);

  const rows = results.flatMap((r) => r.targets.map((t) => ({ bench: r.bench, ...t })));
  const w = Math.max(20, ...rows.map((r) => r.what.length));
  const lines = [
    '',
    `${pad('', 5)} ${pad('target', w)}  ${pad('measured', 14)} goal`,
    ...rows.map((r) => `${r.pass ? 'PASS ' : 'MISS '} ${pad(r.what, w)}  ${pad(`${r.measured} ${r.unit}`, 14)} ${r.goal} ${r.unit}`),
    ...failures.map((f) => `ERROR ${f.bench}`),
    '',
    `${rows.filter((r) => r.pass).length}/${rows.length} targets met; ${(totalMs / 1000).toFixed(0)} s in all; load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const outDir = join(BENCH_DIR, 'results');
  await mkdir(outDir, { recursive: true });
  const out = { startedAt, totalMs, git: gitRev(), machine: { ...machine, fsyncMs: fsync, loadAvgAtStart: loadAtStart }, results, failures };
  // A partial run (filters) does not overwrite the full record.
  const file = join(outDir, filters.length === 0 ? 'latest.json' : 'partial.json');
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
