/**
 * Benchmark plumbing: data folders on a real disk, the hall server and the floor server as child
 * processes (exactly as in production: `node --import tsx hall-server/src/cli.ts start`), RSS
 * from /proc, and a description of the machine.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, statfs } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(BENCH_DIR, '../..');
export const CLI = join(REPO_ROOT, 'hall-server/src/cli.ts');
export const ADMIN_PASSWORD = 'bench-admin-pass-123';

const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

/**
 * A fresh data folder on a real disk: /var/tmp (kept across reboots, hence never tmpfs by
 * convention; checked anyway with statfs), else a folder under the repo.
 */
export async function benchDataDir(prefix = 'hall-bench-'): Promise<string> {
  for (const base of ['/var/tmp', join(REPO_ROOT, '.bench-data')]) {
    try {
      await mkdir(base, { recursive: true });
      const fs = await statfs(base);
      if (fs.type === TMPFS_MAGIC || fs.type === RAMFS_MAGIC) continue;
      return await mkdtemp(join(base, prefix));
    } catch {
      /* try the next base */
    }
  }
  throw new Error('no disk-backed folder for benchmark data (both /var/tmp and the repo are tmpfs?)');
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface Child {
  child: ChildProcess;
  pid: number;
  url: string;
  /** performance.now() in the bench process when spawn() was called. */
  spawnedAt: number;
  stderr: () => string;
  /** SIGTERM, then SIGKILL after 5 s; resolves on exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: no graceful shutdown); resolves on exit. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

function stopper(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): () => Promise<void> {
  return () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(t);
        res();
      });
      child.kill(signal);
    });
}

/** Spawns `script` (with node --import tsx unless it is built JavaScript) and waits for a line matching `ready`. */
function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  extra: { nodeArgs?: string[] } = {},
  timeoutMs = 60_000,
): Promise<Child> {
  const spawnedAt = performance.now();
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(extra.nodeArgs ?? []), ...loader, script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 20_000) err = err.slice(-20_000);
  });
  return new Promise<Child>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`${script} did not start in ${timeoutMs} ms: ${out} ${err}`));
    }, timeoutMs);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      rej(new Error(`${script} exited (${code}) before it was ready: ${err}`));
    };
    child.once('exit', onExit);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        res({ child, pid: child.pid as number, url: m[1], spawnedAt, stderr: () => err, stop: stopper(child, 'SIGTERM'), kill: stopper(child, 'SIGKILL') });
      }
    });
  });
}

export interface HallSpawnOptions {
  /** Default 0 (a free port picked by the server). */
  port?: number;
}

/**
 * The runtime settings of `npm start`, read from the root package.json's `start` script
 * (`NAME=value … node --flag … hall-server/dist/cli.js start`): measure what production runs.
 */
function startSettings(): { nodeArgs: string[]; env: Record<string, string> } {
  const script = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = script.split(/\s+/);
  const node = words.indexOf('node');
  const env = Object.fromEntries(words.slice(0, node).map((w) => w.split('=') as [string, string]));
  const nodeArgs = words.slice(node + 1).filter((w) => w.startsWith('--'));
  return { nodeArgs, env };
}
const { nodeArgs: START_NODE_ARGS, env: START_ENV } = startSettings();

/** What `npm start` runs: the bundle scripts/build-server.mjs makes (built here if stale). */
export const START_CLI = join(REPO_ROOT, 'hall-server/dist/cli.js');
let built = false;
function ensureServerBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build-server.mjs')], { cwd: REPO_ROOT, stdio: 'ignore' });
  built = true;
}

export function spawnHall(dataDir: string, opts: HallSpawnOptions = {}): Promise<Child> {
  ensureServerBuilt();
  return spawnTs(
    START_CLI,
    ['start'],
    {
      ...START_ENV,
      PORT: String(opts.port ?? 0),
      HALL_HOST: '127.0.0.1',
      HALL_DATA_DIR: dataDir,
      HALL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HALL_LOG_LEVEL: 'error',
    },
    /ready at (http:\/\/\S+)/,
    { nodeArgs: START_NODE_ARGS },
  );
}

export interface MemStatus {
  rssMB: number;
  /** Peak RSS of the process's life (VmHWM). */
  hwmMB: number;
}

export async function memOf(pid: number): Promise<MemStatus> {
  const s = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
}

export interface MachineInfo {
  nproc: number;
  cpu: string;
  memoryGB: number;
  node: string;
  dataDisk: string;
  kernel: string;
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(dataDir = '/var/tmp'): MachineInfo {
  const fs = sh('findmnt', ['-n', '-o', 'SOURCE,FSTYPE', '-T', dataDir]).replace(/\s+/g, ' ');
  const source = fs.split(' ')[0] ?? '';
  const dev = source.replace(/^\/dev\//, '');
  const rota = dev ? sh('cat', [`/sys/block/${dev}/queue/rotational`]) : '';
  const kind = dev.startsWith('vd') ? 'virtio block device, host storage unknown' : dev.startsWith('nvme') ? 'NVMe' : 'block device';
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    dataDisk: `${dataDir} on ${fs || 'unknown'} (${kind}${rota === '1' ? ', reports rotational' : rota === '0' ? ', non-rotational' : ''})`,
    kernel: sh('uname', ['-r']),
  };
}

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat. */
export async function cpuMsOf(pid: number): Promise<number> {
  const s = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at ") ".
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
  return (ticks * 1000) / CLK_TCK;
}
const CLK_TCK = Number(sh('getconf', ['CLK_TCK'])) || 100;

/** The disk's durable-append latency: `count` sequential 100-byte appends, each fdatasync'd. */
export async function fsyncProbe(dir: string, count = 200): Promise<{ p50: number; p99: number; max: number }> {
  const fh = await open(join(dir, 'fsync-probe'), 'a');
  const lat: number[] = [];
  const line = Buffer.from(`${'x'.repeat(99)}\n`);
  try {
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await fh.write(line);
      await fh.datasync();
      lat.push(performance.now() - t);
    }
  } finally {
    await fh.close();
  }
  lat.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((lat[Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1)] as number) * 100) / 100;
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}
