/** What every benchmark returns: targets with PASS/MISS, plus the raw numbers behind them. */
export interface TargetResult {
  id: string;
  what: string;
  measured: number;
  unit: string;
  /** Human form of the goal, e.g. ">= 1000". */
  goal: string;
  pass: boolean;
}

export interface BenchResult {
  bench: string;
  durationMs: number;
  targets: TargetResult[];
  /** Numbers that are reported but have no pass/fail goal. */
  info: Array<{ what: string; value: number | string; unit: string }>;
  details: Record<string, unknown>;
}

export const atLeast = (id: string, what: string, measured: number, goal: number, unit: string): TargetResult => ({
  id,
  what,
  measured,
  unit,
  goal: `>= ${goal}`,
  pass: measured >= goal,
});

export const below = (id: string, what: string, measured: number, goal: number, unit: string): TargetResult => ({
  id,
  what,
  measured,
  unit,
  goal: `< ${goal}`,
  pass: measured < goal,
});

export const atMost = (id: string, what: string, measured: number, goal: number, unit: string): TargetResult => ({
  id,
  what,
  measured,
  unit,
  goal: `<= ${goal}`,
  pass: measured <= goal,
});

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function printResult(r: BenchResult): void {
  const lines: string[] = [];
  for (const t of r.targets) lines.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.what}: ${t.measured} ${t.unit} (goal ${t.goal} ${t.unit})`);
  for (const i of r.info) lines.push(`  info  ${i.what}: ${i.value} ${i.unit}`);
  process.stdout.write(`\n[${r.bench}] ${(r.durationMs / 1000).toFixed(1)} s\n${lines.join('\n')}\n`);
}

/** Runs a benchmark module on its own (`node --import tsx hall-server/bench/<file>.ts`). */
export async function runStandalone(run: () => Promise<BenchResult>): Promise<void> {
  const r = await run();
  printResult(r);
  process.stdout.write(`${JSON.stringify(r.details, null, 2)}\n`);
}

export function isMain(metaUrl: string): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  return metaUrl === new URL(`file://${arg}`).href || metaUrl.endsWith(arg);
}
