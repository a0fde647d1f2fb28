import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { formatFindings, runDoctor, type DoctorProbes } from './doctor';
import { makeTestCertificate } from './test-certificates';

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function dataDir(config: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hall-doctor-'));
  temps.push(dir);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'id-hash.key'), Buffer.alloc(32));
  return dir;
}

const CONFIG = {
  hall: { id: 'hall-test', upstream: { url: 'http://county.example:8080' } },
  devices: [
    { id: 'printer', name: '取号机打印机', transport: { type: 'serial', path: '/dev/ttyUSB9' } },
    { id: 'reader', name: '身份证阅读器', transport: { type: 'hid', vendorId: 0x0400, productId: 0xc35a } },
    { id: 'net', name: '网络打印机', transport: { type: 'tcp', host: '10.0.0.9', port: 9100 } },
    { id: 'sim', transport: { type: 'simulated' } },
  ],
};

const healthy: DoctorProbes = {
  httpGet: async (url) => (url.includes('127.0.0.1') ? { status: 200, body: JSON.stringify({ status: 'ok', hall: { id: 'hall-test' } }) } : { status: 200, body: '{}' }),
  portFree: async () => false,
  disk: async () => ({ free: 50 * 1024 ** 3, total: 100 * 1024 ** 3 }),
  ntpSynchronized: async () => true,
  pathAccess: async () => 'rw',
  tcpReachable: async () => true,
  hidPresent: async () => [{ vendorId: 0x0400, productId: 0xc35a }],
  peerCertificate: async () => null,
  readFile: (f) => readFile(f),
};

describe('hall-server doctor', () => {
  it('finds nothing wrong in a healthy hall', async () => {
    const dir = await dataDir(CONFIG);
    const backups = join(dir, 'backups');
    await mkdir(backups);
    await writeFile(join(backups, 'hall-backup-2026-12-07-0230.tar.gz'), 'x');
    const findings = await runDoctor({ dataDir: dir, port: 8080, backupDir: backups, now: Date.now(), probes: healthy });
    expect(findings.filter((f) => f.level === 'error' || f.level === 'warn')).toEqual([]);
    expect(findings.map((f) => f.check)).toEqual(expect.arrayContaining(['data.config', 'data.journal', 'port', 'disk.space', 'clock.ntp', 'device.printer', 'device.reader', 'device.net', 'upstream', 'backup.age']));
    expect(formatFindings(findings)).toMatch(/一切正常 \/ all good/);
  });

  it('says what is wrong and what to do, Chinese first', async () => {
    const dir = await dataDir(CONFIG);
    const findings = await runDoctor({
      dataDir: dir,
      port: 8080,
      backupDir: undefined,
      now: Date.now(),
      probes: {
        ...healthy,
        httpGet: async () => null,
        portFree: async () => false,
        disk: async () => ({ free: 100 * 1024 ** 2, total: 100 * 1024 ** 3 }),
        ntpSynchronized: async () => false,
        pathAccess: async (p) => (p.endsWith('id-hash.key') ? 'rw' : p === '/dev/ttyUSB9' ? 'exists' : 'missing'),
        tcpReachable: async () => false,
        hidPresent: async () => [],
      },
    });
    const level = (check: string): string | undefined => findings.find((f) => f.check === check)?.level;
    expect(level('port')).toBe('error');
    expect(level('disk.space')).toBe('error');
    expect(level('clock.ntp')).toBe('warn');
    expect(level('device.printer')).toBe('error');
    expect(findings.find((f) => f.check === 'device.printer')!.todo).toMatch(/dialout/);
    expect(level('device.reader')).toBe('error');
    expect(level('device.net')).toBe('error');
    expect(level('upstream')).toBe('warn');
    expect(level('backup.age')).toBe('warn');
    for (const f of findings.filter((x) => x.level === 'error' || x.level === 'warn')) {
      expect(f.todo).not.toBe('');
      expect(f.found).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff]/); // Chinese before any English
    }
    expect(formatFindings(findings)).toMatch(/个错误/);
  });

  it('a missing key, a missing config and an old backup', async () => {
    const dir = await dataDir(CONFIG);
    const backups = join(dir, 'backups');
    await mkdir(backups);
    await writeFile(join(backups, 'hall-backup-2026-01-01-0230.tar.gz'), 'x');
    const later = Date.now() + 5 * 86_400_000;
    const findings = await runDoctor({ dataDir: dir, port: 8080, backupDir: backups, now: later, probes: { ...healthy, pathAccess: async (p) => (p.endsWith('.key') ? 'missing' : 'rw') } });
    expect(findings.find((f) => f.check === 'data.key')?.level).toBe('error');
    expect(findings.find((f) => f.check === 'backup.age')?.level).toBe('warn');
    const empty = await mkdtemp(join(tmpdir(), 'hall-doctor-'));
    temps.push(empty);
    const none = await runDoctor({ dataDir: empty, port: 8080, backupDir: undefined, now: Date.now(), probes: healthy });
    expect(none.find((f) => f.check === 'data.config')?.todo).toMatch(/restore/);
  });

  it('a backup folder or journal it cannot read is a finding, never a failure of the doctor', async () => {
    const dir = await dataDir(CONFIG);
    const notAFolder = join(dir, 'config.json'); // readdir: ENOTDIR
    await writeFile(join(dir, 'journal'), 'a file where the journal folder belongs');
    const findings = await runDoctor({ dataDir: dir, port: 8080, backupDir: notAFolder, now: Date.now(), probes: healthy });
    expect(findings.find((f) => f.check === 'backup.age')).toMatchObject({ level: 'warn', found: expect.stringMatching(/^备份目录 .* 无法读取/) });
    expect(findings.find((f) => f.check === 'data.journal')).toMatchObject({ level: 'error', found: expect.stringMatching(/^业务日志目录无法读取/) });
  });

  describe('certificates', () => {
    const cert = makeTestCertificate({ san: 'DNS:hall.local,IP:192.168.1.10', days: 365 });
    const other = makeTestCertificate({ san: 'DNS:other.local' });
    temps.push(cert.dir, other.dir);
    const validTo = Date.parse(new X509Certificate(cert.cert).validTo);
    const tlsRun = async (o: { now: number; keyFile?: string; publicUrl?: string }) => {
      const dir = await dataDir(CONFIG);
      const findings = await runDoctor({ dataDir: dir, port: 8080, backupDir: undefined, now: o.now, probes: healthy, tls: { certFile: cert.certFile, keyFile: o.keyFile ?? cert.keyFile }, publicUrl: o.publicUrl });
      return (check: string) => findings.find((f) => f.check === check);
    };

    it('plain HTTP: nothing to check, said once', async () => {
      const findings = await runDoctor({ dataDir: await dataDir(CONFIG), port: 8080, backupDir: undefined, now: Date.now(), probes: healthy });
      expect(findings.filter((f) => f.check.startsWith('tls'))).toEqual([expect.objectContaining({ check: 'tls', level: 'info' })]);
    });

    it('a good pair for the public address passes', async () => {
      const f = await tlsRun({ now: Date.now(), publicUrl: 'https://hall.local:8443/' });
      expect(f('tls.expiry')?.level).toBe('ok');
      expect(f('tls.key')?.level).toBe('ok');
      expect(f('tls.hostname')?.level).toBe('ok');
      expect((await tlsRun({ now: Date.now(), publicUrl: 'https://192.168.1.10:8443' }))('tls.hostname')?.level).toBe('ok');
    });

    it('warns under 30 days, fails once expired (the clock is injected)', async () => {
      const soon = await tlsRun({ now: validTo - 10 * 86_400_000 });
      expect(soon('tls.expiry')).toMatchObject({ level: 'warn', found: expect.stringMatching(/^证书还有 10 天过期/) });
      expect(soon('tls.expiry')?.todo).toMatch(/新证书/);
      expect((await tlsRun({ now: validTo - 31 * 86_400_000 }))('tls.expiry')?.level).toBe('ok');
      const expired = await tlsRun({ now: validTo + 86_400_000 });
      expect(expired('tls.expiry')).toMatchObject({ level: 'error', found: expect.stringMatching(/^证书已于 .* 过期/) });
    });

    it('a key of another certificate and a host the certificate does not name are errors', async () => {
      const f = await tlsRun({ now: Date.now(), keyFile: other.keyFile, publicUrl: 'https://queue.example.gov.cn' });
      expect(f('tls.key')).toMatchObject({ level: 'error', found: expect.stringMatching(/不匹配/) });
      expect(f('tls.hostname')).toMatchObject({ level: 'error', found: expect.stringContaining('queue.example.gov.cn') });
      const ip = await tlsRun({ now: Date.now(), publicUrl: 'https://192.168.1.11/' });
      expect(ip('tls.hostname')?.level).toBe('error');
    });

    it('an https public address served by a proxy: the certificate it presents, and whether it is trusted', async () => {
      const asked: string[] = [];
      const der = new X509Certificate(other.cert).raw;
      const findings = await runDoctor({
        dataDir: await dataDir(CONFIG),
        port: 8080,
        backupDir: undefined,
        now: Date.now(),
        publicUrl: 'https://other.local:9443/',
        probes: { ...healthy, peerCertificate: async (host, port) => (asked.push(`${host}:${port}`), { der, authorized: false, error: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) },
      });
      expect(asked).toEqual(['other.local:9443']);
      const level = (c: string) => findings.find((f) => f.check === c)?.level;
      expect([level('tls.expiry'), level('tls.hostname'), level('tls.trust'), level('tls.key')]).toEqual(['ok', 'ok', 'warn', undefined]);
      const down = await runDoctor({ dataDir: await dataDir(CONFIG), port: 8080, backupDir: undefined, now: Date.now(), publicUrl: 'https://other.local', probes: healthy });
      expect(down.find((f) => f.check === 'tls.cert')?.level).toBe('warn');
    });
  });
});
