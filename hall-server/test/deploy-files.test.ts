/**
 * deploy/: the systemd unit passes `systemd-analyze verify` (when present) and says what the
 * hall needs; install.sh with DESTDIR lays out a release, the unit, udev rules and the CLI
 * wrapper; hall-kiosk starts the browser locked and offline, and starts it again when it exits.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { makeTestCertificate } from '../src/ops/test-certificates';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const DEPLOY = join(REPO, 'deploy');
const temps: string[] = [];
async function temp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hall-deploy-test-'));
  temps.push(d);
  return d;
}
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function hasSystemdAnalyze(): Promise<boolean> {
  return run('systemd-analyze', ['--version']).then(
    () => true,
    () => false,
  );
}

const SYSTEMD_ANALYZE = await hasSystemdAnalyze();
const CHROMIUM = await run('chromium', ['--version']).then(
  () => true,
  () => false,
);

describe('hall-server.service', () => {
  it('restarts on failure but not on an operator-needed exit, runs as hall in dialout/lp/plugdev, before the display manager, logs to the journal', async () => {
    const unit = await readFile(join(DEPLOY, 'hall-server.service'), 'utf8');
    const line = (k: string): string[] => unit.split('\n').filter((l) => l.startsWith(`${k}=`)).map((l) => l.slice(k.length + 1));
    expect(line('Restart')).toEqual(['on-failure']);
    expect(line('RestartPreventExitStatus')).toEqual(['2 78']);
    expect(line('User')).toEqual(['hall']);
    expect(line('SupplementaryGroups')[0]!.split(' ')).toEqual(expect.arrayContaining(['dialout', 'lp', 'plugdev']));
    expect(line('Before')).toEqual(['display-manager.service']);
    expect(line('WantedBy')).toEqual(['multi-user.target']);
    expect(line('StandardOutput')).toEqual(['journal']);
    expect(line('ExecStart')).toEqual(['/opt/hall/current/hall-server start']);
    expect(line('Environment')).toContain('HALL_DATA_DIR=/var/lib/hall');
    expect(line('Environment')).toContain('HALL_BACKUP_DIR=/var/backups/hall');
  });

  it.runIf(SYSTEMD_ANALYZE)('passes systemd-analyze verify (server and kiosk units)', async () => {
    const dir = await temp();
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'hall-server'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(dir, 'bin', 'hall-kiosk'), '#!/bin/sh\n', { mode: 0o755 });
    // Only the program paths differ, so the check does not need an installed release.
    const server = (await readFile(join(DEPLOY, 'hall-server.service'), 'utf8')).replace('/opt/hall/current/hall-server', join(dir, 'bin', 'hall-server'));
    await writeFile(join(dir, 'hall-server.service'), server);
    const kiosk = (await readFile(join(DEPLOY, 'hall-kiosk.service'), 'utf8')).replace('/opt/hall/current/deploy/hall-kiosk', join(dir, 'bin', 'hall-kiosk'));
    await writeFile(join(dir, 'hall-kiosk.service'), kiosk);
    const r = await run('systemd-analyze', ['verify', join(dir, 'hall-server.service')]).then(
      (o) => ({ code: 0, out: o.stdout + o.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(r).toEqual({ code: 0, out: '' });
    const k = await run('systemd-analyze', ['verify', '--user', join(dir, 'hall-kiosk.service')]).then(
      (o) => ({ code: 0, out: o.stdout + o.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    // Without a user session (containers, CI) systemd cannot start a user manager to check with.
    if (!/Failed to initialize manager/.test(k.out)) expect(k).toEqual({ code: 0, out: '' });
  });
});

describe('install.sh with DESTDIR', () => {
  it('installs the release under /opt/hall, points current at it, writes the unit, udev rules, env file and CLI wrapper', async () => {
    const dir = await temp();
    const release = join(dir, 'hall-9.9.9-linux-x64');
    await mkdir(release);
    await cp(DEPLOY, join(release, 'deploy'), { recursive: true });
    await mkdir(join(release, 'docs'));
    await cp(join(REPO, 'docs/70-hall-devices.rules'), join(release, 'docs/70-hall-devices.rules'));
    await writeFile(join(release, 'hall-server'), '#!/bin/sh\n', { mode: 0o755 });
    const root = join(dir, 'root');
    const { stdout } = await run('sh', [join(release, 'deploy/install.sh')], { env: { PATH: '/usr/bin:/bin', DESTDIR: root } });
    expect(stdout).toMatch(/files written under/);
    expect(await readlink(join(root, 'opt/hall/current'))).toBe('/opt/hall/hall-9.9.9-linux-x64');
    await stat(join(root, 'opt/hall/hall-9.9.9-linux-x64/hall-server'));
    expect(await readFile(join(root, 'etc/systemd/system/hall-server.service'), 'utf8')).toBe(await readFile(join(DEPLOY, 'hall-server.service'), 'utf8'));
    expect(await readFile(join(root, 'etc/udev/rules.d/70-hall-devices.rules'), 'utf8')).toMatch(/hidraw/);
    expect(await readFile(join(root, 'usr/local/bin/hall-server'), 'utf8')).toMatch(/HALL_DATA_DIR:-\/var\/lib\/hall/);
    expect((await stat(join(root, 'var/backups/hall'))).isDirectory()).toBe(true);
    // The site settings template: every setting commented out (the unit's defaults hold), HTTPS among them.
    const template = await readFile(join(root, 'etc/hall/hall.env'), 'utf8');
    expect(template.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
    expect(template).toMatch(/^#HALL_TLS_CERT=\/etc\/hall\/tls\/hall\.crt$/m);
    expect(template).toMatch(/^#HALL_TLS_KEY=\/etc\/hall\/tls\/hall\.key$/m);
    await writeFile(join(root, 'etc/hall/hall.env'), 'PORT=9000\n');
    await run('sh', [join(release, 'deploy/install.sh')], { env: { PATH: '/usr/bin:/bin', DESTDIR: root } });
    expect(await readFile(join(root, 'etc/hall/hall.env'), 'utf8')).toBe('PORT=9000\n'); // site settings survive a reinstall

    const home = join(dir, 'home');
    await run('sh', [join(release, 'deploy/install.sh'), '--kiosk', 'http://10.0.0.5:8080/kiosk?token=abc'], { env: { PATH: '/usr/bin:/bin', DESTDIR: root, HOME: home } });
    expect(await readFile(join(root, home, '.config/hall-kiosk.env'), 'utf8')).toBe('HALL_KIOSK_URL=http://10.0.0.5:8080/kiosk?token=abc\n');
    await stat(join(root, home, '.config/autostart/hall-kiosk.desktop'));
  });

  it('refuses to install the server as an ordinary user without DESTDIR', async () => {
    if (process.getuid?.() === 0) return; // root may install; nothing to check here
    const r = await run('sh', [join(DEPLOY, 'install.sh')], { env: { PATH: '/usr/bin:/bin' } }).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(r).toBe(77);
  });
});

describe('hall-kiosk', () => {
  async function fakeBrowser(dir: string, exitCode = 0): Promise<string> {
    const b = join(dir, 'fake-chromium');
    await writeFile(b, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> "${join(dir, 'args')}"\necho run >> "${join(dir, 'runs')}"\nexit ${exitCode}\n`);
    await chmod(b, 0o755);
    return b;
  }

  it('starts Chromium in kiosk mode at the page, offline but for the hall server, no pinch or swipe', async () => {
    const dir = await temp();
    const browser = await fakeBrowser(dir);
    await run('sh', [join(DEPLOY, 'hall-kiosk'), 'http://10.0.0.5:8080/display'], {
      env: { PATH: '/usr/bin:/bin', HOME: dir, HALL_CHROMIUM: browser, HALL_KIOSK_ONCE: '1', HALL_KIOSK_WAIT: '0' },
    });
    const args = (await readFile(join(dir, 'args'), 'utf8')).trim().split('\n');
    expect(args.slice(0, 2)).toEqual(['--kiosk', 'http://10.0.0.5:8080/display']);
    for (const f of ['--disable-pinch', '--overscroll-history-navigation=0', '--noerrdialogs', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required', '--proxy-server=127.0.0.1:9']) {
      expect(args).toContain(f);
    }
    expect(args).toContain('--proxy-bypass-list=10.0.0.5;127.0.0.1;localhost');
    expect(args).toContain(`--user-data-dir=${join(dir, '.local/share/hall-kiosk')}`);
  });

  it.runIf(CHROMIUM)('its proxy flags let real Chromium reach the hall server and nothing else', async () => {
    const dir = await temp();
    const browser = await fakeBrowser(dir);
    const server = createServer((_req, res) => res.end('<html><body>hall-page-ok</body></html>'));
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    const port = (server.address() as AddressInfo).port;
    // A non-loopback address of this machine stands for the hall server (loopback is never proxied).
    const ip = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    try {
      if (!ip) return;
      const env = { PATH: '/usr/bin:/bin', HOME: dir, HALL_CHROMIUM: browser, HALL_KIOSK_ONCE: '1', HALL_KIOSK_WAIT: '0' };
      const proxyFlags = async (url: string): Promise<string[]> => {
        await rm(join(dir, 'args'), { force: true });
        await run('sh', [join(DEPLOY, 'hall-kiosk'), url], { env });
        return (await readFile(join(dir, 'args'), 'utf8')).split('\n').filter((a) => a.startsWith('--proxy-'));
      };
      const dump = async (flags: string[], url: string): Promise<string> => {
        const profile = await temp();
        const r = await run('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profile}`, ...flags, '--dump-dom', url], { timeout: 30_000 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
        return r.stdout;
      };
      const page = `http://${ip}:${port}/display`;
      expect(await dump(await proxyFlags(page), page)).toContain('hall-page-ok');
      // The same page is out of reach for a kiosk set up for another hall server.
      expect(await dump(await proxyFlags(`http://10.255.255.1:${port}/display`), page)).not.toContain('hall-page-ok');
    } finally {
      server.close();
    }
  }, 60_000);

  it('waits for the hall server to answer before starting the browser, and not for ever', async () => {
    const dir = await temp();
    const browser = await fakeBrowser(dir);
    const server = createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const env = { PATH: '/usr/bin:/bin', HOME: dir, HALL_CHROMIUM: browser, HALL_KIOSK_ONCE: '1', HALL_KIOSK_WAIT: '1' };
      const up = await run('sh', [join(DEPLOY, 'hall-kiosk'), `http://127.0.0.1:${port}/display`], { env });
      expect(up.stderr).not.toMatch(/does not answer/);
      server.close();
      const down = await run('sh', [join(DEPLOY, 'hall-kiosk'), `http://127.0.0.1:${port}/display`], { env });
      expect(down.stderr).toMatch(/does not answer after 1 s; starting the browser anyway/);
      expect((await readFile(join(dir, 'runs'), 'utf8')).trim().split('\n')).toHaveLength(2);
    } finally {
      server.close();
    }
  });

  it('an HTTPS hall whose certificate this PC does not trust (an intranet CA) still counts as up: the browser judges the certificate', async () => {
    const dir = await temp();
    const browser = await fakeBrowser(dir);
    const cert = makeTestCertificate({ san: 'IP:127.0.0.1' });
    temps.push(cert.dir);
    const server = createHttpsServer({ cert: cert.cert, key: cert.key }, (_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const env = { PATH: '/usr/bin:/bin', HOME: dir, HALL_CHROMIUM: browser, HALL_KIOSK_ONCE: '1', HALL_KIOSK_WAIT: '1' };
      const up = await run('sh', [join(DEPLOY, 'hall-kiosk'), `https://127.0.0.1:${port}/display`], { env });
      expect(up.stderr).not.toMatch(/does not answer/);
      expect((await readFile(join(dir, 'args'), 'utf8')).split('\n').slice(0, 2)).toEqual(['--kiosk', `https://127.0.0.1:${port}/display`]);
    } finally {
      server.close();
    }
  });

  it('takes the page from ~/.config/hall-kiosk.env, and without one says what to set', async () => {
    const dir = await temp();
    const browser = await fakeBrowser(dir);
    const env = { PATH: '/usr/bin:/bin', HOME: dir, HALL_CHROMIUM: browser, HALL_KIOSK_ONCE: '1', HALL_KIOSK_WAIT: '0' };
    const missing = await run('sh', [join(DEPLOY, 'hall-kiosk')], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(missing.code).toBe(64);
    expect(missing.stderr).toMatch(/HALL_KIOSK_URL/);
    await mkdir(join(dir, '.config'));
    await writeFile(join(dir, '.config/hall-kiosk.env'), 'HALL_KIOSK_URL=http://hall.local:8080/kiosk?token=t1\n');
    await run('sh', [join(DEPLOY, 'hall-kiosk')], { env });
    expect((await readFile(join(dir, 'args'), 'utf8')).split('\n').slice(0, 2)).toEqual(['--kiosk', 'http://hall.local:8080/kiosk?token=t1']);
  });

  it('starts the browser again after it dies', async () => {
    const dir = await temp();
    const browser = await fakeBrowser(dir, 1);
    const child = execFile('sh', [join(DEPLOY, 'hall-kiosk'), 'http://127.0.0.1:8080/kiosk'], { env: { PATH: '/usr/bin:/bin', HOME: dir, HALL_CHROMIUM: browser, HALL_KIOSK_WAIT: '0' } });
    try {
      for (let i = 0; i < 100; i++) {
        const runs = await readFile(join(dir, 'runs'), 'utf8').catch(() => '');
        if (runs.split('\n').filter(Boolean).length >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((await readFile(join(dir, 'runs'), 'utf8')).split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill('SIGKILL');
    }
  }, 20_000);
});
