/**
 * The read model's thread yields to the hall: in the server bundle (what `npm start` runs) the
 * projection thread runs at nice 10 and every other thread, the main one included, at the
 * process's own. Linux only: elsewhere a thread's priority is the process's.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dataDir = '';

/** Nice value of each thread of a process (field 19 of /proc/PID/task/TID/stat; the name may hold spaces). */
function threadNices(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/build-server.mjs')], { cwd: REPO_ROOT, stdio: 'pipe' });
  dataDir = await mkdtemp(join(tmpdir(), 'hall-nice-'));
}, 120_000);
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('read-model thread priority', () => {
  it('the projection thread runs at nice 10, the main thread at the process priority', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'hall-server/dist/cli.js'), 'start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', HALL_HOST: '127.0.0.1', HALL_ADMIN_PASSWORD: 'nice-test-pass', HALL_LOG_LEVEL: 'error', HALL_DATA_DIR: dataDir },
      stdio: 'ignore',
    });
    try {
      const pid = child.pid!;
      let nices = new Map<number, number>();
      for (let i = 0; i < 150 && ![...nices.values()].includes(10); i++) {
        await new Promise((r) => setTimeout(r, 100));
        nices = threadNices(pid);
      }
      expect([...nices.values()].filter((n) => n === 10)).toHaveLength(1);
      expect(nices.get(pid)).toBe(getPriority()); // as started: this test's own
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
