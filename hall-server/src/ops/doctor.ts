/**
 * `hall-server doctor [DATA_DIR] [--json]`: checks the things that stop a hall in practice and
 * says, for each, what to do — plain Chinese first, then English. Read-only: it opens no device
 * and writes nothing. Every probe of the machine comes in through `DoctorProbes`, so the checks
 * are tested without the machine.
 *
 * Checks: the data folder (config, key, journal chain), the HTTP port (our hall, free, or taken
 * by something else), free disk space, clock synchronisation (timedatectl), each configured
 * device (serial/USB file present and writable, TCP printer reachable, HID device plugged in),
 * the upstream link when one is configured, the age of the newest nightly backup, and the TLS
 * certificate when the hall serves HTTPS (HALL_TLS_CERT) or its public address is https
 * (certificate-check.ts). The same checks answer `GET /api/doctor` (doctor-routes.ts).
 */
import { access, constants, readFile, stat, statfs } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createConnection, createServer, isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import path from 'node:path';
import { promisify } from 'node:util';
import { probeDevices } from '@hall/drivers';
import { verifyJournalDir } from '../journal';
import { isErrno } from '../durable-fs';
import { listNightlyBackups } from './nightly-backup';
import { checkCertificate } from './certificate-check';

export type FindingLevel = 'ok' | 'info' | 'warn' | 'error';

export interface Finding {
  /** Stable id of the check, e.g. `disk.space`. */
  check: string;
  level: FindingLevel;
  /** What was found, Chinese then English. */
  found: string;
  /** What to do; empty when nothing. */
  todo: string;
}

export interface DoctorProbes {
  /** GET the URL with a short timeout: status and body, or null when nothing answers. */
  httpGet(url: string): Promise<{ status: number; body: string } | null>;
  /** Can this port be listened on? false = taken. */
  portFree(port: number): Promise<boolean>;
  /** Free and total bytes of the file system holding `dir`. */
  disk(dir: string): Promise<{ free: number; total: number }>;
  /** `timedatectl show -p NTPSynchronized --value` (yes/no), or null when it cannot be asked. */
  ntpSynchronized(): Promise<boolean | null>;
  /** Does the path exist, and may this user read and write it? */
  pathAccess(p: string): Promise<'rw' | 'exists' | 'missing'>;
  tcpReachable(host: string, port: number): Promise<boolean>;
  /** Plugged-in HID devices as vendor:product pairs, or null when they cannot be listed. */
  hidPresent(): Promise<Array<{ vendorId: number; productId: number }> | null>;
  /** The certificate a TLS server presents (DER) and whether this machine trusts it; null when nothing answers. */
  peerCertificate(host: string, port: number): Promise<{ der: Buffer; authorized: boolean; error?: string } | null>;
  readFile(file: string): Promise<Buffer>;
}

export interface DoctorOptions {
  dataDir: string;
  port: number;
  /** HALL_BACKUP_DIR, when nightly backups are on. */
  backupDir: string | undefined;
  now: number;
  /** HALL_TLS_CERT / HALL_TLS_KEY: the hall serves HTTPS with these. */
  tls?: { certFile: string; keyFile: string } | undefined;
  /** HALL_PUBLIC_URL. */
  publicUrl?: string | undefined;
  /** Run inside the serving hall (`GET /api/doctor`): its port is ours without asking. */
  serving?: boolean;
  probes?: Partial<DoctorProbes>;
}

const execFileP = promisify(execFile);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const realProbes: DoctorProbes = {
  httpGet(url) {
    return new Promise((resolve) => {
      const u = new URL(url);
      // Our own hall on loopback may serve HTTPS with a certificate for its LAN name, not 127.0.0.1.
      const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { timeout: 3000, ...(u.protocol === 'https:' && LOOPBACK.has(u.hostname) ? { rejectUnauthorized: false } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve(null));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(null));
      req.end();
    });
  },
  portFree(port) {
    return new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
    });
  },
  async disk(dir) {
    const s = await statfs(dir);
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  },
  async ntpSynchronized() {
    try {
      const { stdout } = await execFileP('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], { timeout: 3000 });
      const v = stdout.trim();
      return v === 'yes' ? true : v === 'no' ? false : null;
    } catch {
      return null;
    }
  },
  async pathAccess(p) {
    try {
      await access(p, constants.R_OK | constants.W_OK);
      return 'rw';
    } catch (e) {
      return isErrno(e, 'ENOENT') ? 'missing' : 'exists';
    }
  },
  tcpReachable(host, port) {
    return new Promise((resolve) => {
      const sock = createConnection({ host, port, timeout: 2000 });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('timeout', () => {
        sock.destroy();
        resolve(false);
      });
      sock.once('error', () => resolve(false));
    });
  },
  peerCertificate(host, port) {
    return new Promise((resolve) => {
      // Read the certificate whatever it is (expired, self-signed): judging it is the doctor's job.
      const sock = tlsConnect({ host, port, rejectUnauthorized: false, timeout: 3000, ...(isIP(host) ? {} : { servername: host }) });
      sock.once('secureConnect', () => {
        const peer = sock.getPeerX509Certificate();
        const res = peer ? { der: peer.raw, authorized: sock.authorized, ...(sock.authorizationError ? { error: String(sock.authorizationError) } : {}) } : null;
        sock.destroy();
        resolve(res);
      });
      sock.once('timeout', () => {
        sock.destroy();
        resolve(null);
      });
      sock.once('error', () => resolve(null));
    });
  },
  readFile: (file) => readFile(file),
  async hidPresent() {
    try {
      const r = await probeDevices();
      return r.hid.map((h) => ({ vendorId: h.device.vendorId, productId: h.device.productId }));
    } catch {
      return null;
    }
  },
};

const GB = 1024 ** 3;
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

interface ConfigHead {
  hall?: { id?: string; upstream?: { url?: string } | null };
  devices?: Array<{ id: string; name?: string; transport?: { type?: string; path?: string; host?: string; port?: number; vendorId?: number; productId?: number } }>;
}

export async function runDoctor(o: DoctorOptions): Promise<Finding[]> {
  const p: DoctorProbes = { ...realProbes, ...o.probes };
  const out: Finding[] = [];
  const add = (check: string, level: FindingLevel, found: string, todo = ''): void => void out.push({ check, level, found, todo });

  // Data folder.
  let config: ConfigHead | null = null;
  try {
    config = JSON.parse(await readFile(path.join(o.dataDir, 'config.json'), 'utf8')) as ConfigHead;
    add('data.config', 'ok', `数据目录 ${o.dataDir} 中的 config.json 可读 / config.json in ${o.dataDir} is readable`);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) {
      add('data.config', 'warn', `${o.dataDir} 中没有 config.json / no config.json in ${o.dataDir}`, '如果这是已有大厅，请用 hall-server restore 从备份恢复；新大厅首次启动时会自动创建。/ For an existing hall, restore it from a backup (hall-server restore); a new hall creates it at first start.');
    } else {
      add('data.config', 'error', `config.json 无法读取或不是有效 JSON / config.json cannot be read or is not JSON: ${(e as Error).message}`, '从最近的备份恢复该文件。/ Restore the file from the latest backup.');
    }
  }
  if (config) {
    const key = await p.pathAccess(path.join(o.dataDir, 'id-hash.key'));
    if (key === 'missing') add('data.key', 'error', '缺少 id-hash.key（身份证号哈希密钥）/ id-hash.key (the ID-number hash key) is missing', '从本数据目录的备份中恢复 id-hash.key，不要新建。/ Restore id-hash.key from this data folder\'s backup; do not create a new one.');
    let reports: Awaited<ReturnType<typeof verifyJournalDir>> = [];
    let unreadable: string | null = null;
    try {
      reports = await verifyJournalDir(path.join(o.dataDir, 'journal'));
    } catch (e) {
      unreadable = (e as Error).message;
    }
    const bad = reports.filter((r) => !r.ok);
    if (unreadable !== null) {
      add('data.journal', 'error', `业务日志目录无法读取 / the journal folder cannot be read: ${unreadable}`, '检查数据目录的属主和权限（应属于 hall 用户）：sudo chown -R hall:hall /var/lib/hall / Check the data folder belongs to the service user.');
    } else if (bad.length > 0) {
      add('data.journal', 'error', `业务日志校验失败：${path.basename(bad[0]!.file)} ${bad[0]!.error ?? ''} / the journal fails verification`, '停止服务，运行 hall-server verify 查看，再用 hall-server repair 或从备份恢复。/ Stop the service, run hall-server verify, then hall-server repair or restore a backup.');
    } else {
      add('data.journal', 'ok', `业务日志 ${reports.length} 个文件，哈希链完整 / journal: ${reports.length} files, hash chain intact`);
    }
  }

  // Port.
  const scheme = o.tls ? 'https' : 'http';
  const health = o.serving ? null : await p.httpGet(`${scheme}://127.0.0.1:${o.port}/api/health`);
  let ours = o.serving === true;
  if (health && health.status === 200) {
    try {
      ours = typeof (JSON.parse(health.body) as { hall?: { id?: unknown } }).hall?.id === 'string';
    } catch {
      ours = false;
    }
  }
  if (ours) add('port', 'ok', `大厅服务正在端口 ${o.port} 上运行（${scheme.toUpperCase()}）/ the hall server is serving ${scheme.toUpperCase()} on port ${o.port}`);
  else if (await p.portFree(o.port)) add('port', 'warn', `端口 ${o.port} 空闲，大厅服务没有运行 / port ${o.port} is free: the hall server is not running`, '启动服务：sudo systemctl start hall-server，并用 journalctl -u hall-server 查看原因。/ Start it (sudo systemctl start hall-server) and see journalctl -u hall-server for why it stopped.');
  else add('port', 'error', `端口 ${o.port} 被其他程序占用 / port ${o.port} is taken by another program`, `用 ss -ltnp 'sport = :${o.port}' 找出该程序并停止它，或在 /etc/hall/hall.env 中设置其他 PORT。/ Find it with ss -ltnp and stop it, or set another PORT in /etc/hall/hall.env.`);

  // Disk.
  try {
    const d = await p.disk(o.dataDir);
    const gb = (d.free / GB).toFixed(1);
    if (d.free < 0.2 * GB) add('disk.space', 'error', `数据盘只剩 ${gb} GB / only ${gb} GB free on the data disk`, '立即清理空间（旧备份、下载文件），否则无法出号。/ Free space now (old backups, downloads): tickets stop when the disk is full.');
    else if (d.free < 2 * GB || d.free < d.total * 0.05) add('disk.space', 'warn', `数据盘剩余 ${gb} GB，偏少 / ${gb} GB free on the data disk, getting low`, '清理旧文件或换更大的磁盘。/ Remove old files or move to a larger disk.');
    else add('disk.space', 'ok', `数据盘剩余 ${gb} GB / ${gb} GB free on the data disk`);
  } catch (e) {
    add('disk.space', 'info', `无法查看磁盘空间 / cannot read free disk space: ${(e as Error).message}`);
  }

  // Clock.
  const ntp = await p.ntpSynchronized();
  if (ntp === true) add('clock.ntp', 'ok', '系统时间已与时间服务器同步 / the clock is synchronised (NTP)');
  else if (ntp === false) add('clock.ntp', 'warn', '系统时间没有同步，号票时间和统计可能不准 / the clock is not synchronised: ticket times and statistics may be wrong', '配置政务外网的时间服务器：编辑 /etc/systemd/timesyncd.conf 的 NTP=，再运行 sudo timedatectl set-ntp true。/ Set the intranet time server (NTP= in /etc/systemd/timesyncd.conf) and run sudo timedatectl set-ntp true.');
  else add('clock.ntp', 'info', '无法检查时间同步（没有 timedatectl）/ cannot check clock synchronisation (no timedatectl)', '请人工核对系统时间。/ Check the clock by hand.');

  // Devices.
  const devices = config?.devices ?? [];
  let hid: Array<{ vendorId: number; productId: number }> | null | undefined;
  for (const dev of devices) {
    const t = dev.transport ?? {};
    const label = `${dev.name ?? dev.id}`;
    if ((t.type === 'serial' || t.type === 'usb-file') && t.path) {
      const a = await p.pathAccess(t.path);
      if (a === 'rw') add(`device.${dev.id}`, 'ok', `${label}：${t.path} 可用 / ${t.path} is there and writable`);
      else if (a === 'missing') add(`device.${dev.id}`, 'error', `${label}：找不到 ${t.path} / ${t.path} does not exist`, '检查设备电源和数据线是否插好；运行 hall-server devices probe 查看实际端口名。/ Check power and cable; hall-server devices probe lists the actual port names.');
      else add(`device.${dev.id}`, 'error', `${label}：没有权限读写 ${t.path} / no permission on ${t.path}`, '把服务用户加入 dialout 和 lp 组（sudo usermod -aG dialout,lp hall）后重启服务。/ Add the service user to dialout and lp, then restart the service.');
    } else if (t.type === 'tcp' && t.host) {
      const ok = await p.tcpReachable(t.host, t.port ?? 9100);
      if (ok) add(`device.${dev.id}`, 'ok', `${label}：${t.host}:${t.port ?? 9100} 可连接 / reachable`);
      else add(`device.${dev.id}`, 'error', `${label}：连不上 ${t.host}:${t.port ?? 9100} / cannot connect to ${t.host}:${t.port ?? 9100}`, '检查网络打印机电源、网线和 IP 地址。/ Check the network printer\'s power, cable and IP address.');
    } else if (t.type === 'hid' && t.vendorId !== undefined && t.productId !== undefined) {
      hid ??= await p.hidPresent();
      const id = `${hex4(t.vendorId)}:${hex4(t.productId)}`;
      if (hid === null) add(`device.${dev.id}`, 'info', `${label}：无法列出 HID 设备 / cannot list HID devices`);
      else if (hid.some((h) => h.vendorId === t.vendorId && h.productId === t.productId)) add(`device.${dev.id}`, 'ok', `${label}：HID ${id} 已连接 / plugged in`);
      else add(`device.${dev.id}`, 'error', `${label}：没有找到 HID 设备 ${id} / HID device ${id} is not plugged in`, '插好 USB 线；如已插好，检查 udev 规则（70-hall-devices.rules）。/ Plug it in; if it is, check the udev rules (70-hall-devices.rules).');
    }
  }
  if (devices.length === 0) add('devices', 'info', '没有配置设备 / no devices configured');

  // Upstream.
  const upstream = config?.hall?.upstream?.url;
  if (upstream) {
    const r = await p.httpGet(`${upstream.replace(/\/+$/, '')}/api/health`);
    if (r && r.status < 500) add('upstream', 'ok', `上级平台 ${upstream} 可连接 / the county hub is reachable`);
    else add('upstream', 'warn', `连不上上级平台 ${upstream}（数据会暂存，恢复后补传）/ the county hub is unreachable (records wait and are sent later)`, '检查政务外网连接；持续超过一天请联系县中心。/ Check the intranet link; call the county centre if it lasts more than a day.');
  }

  // Certificates.
  out.push(...(await certificateFindings(o, p)));

  // Backups.
  if (!o.backupDir) {
    add('backup.age', 'warn', '没有开启夜间备份 / nightly backups are off', '在 /etc/hall/hall.env 中设置 HALL_BACKUP_DIR（服务默认 /var/backups/hall）。/ Set HALL_BACKUP_DIR (the service unit sets /var/backups/hall).');
  } else {
    // A folder that cannot be read, or a backup removed by retention between the listing and
    // its stat, is a finding: the doctor itself never fails (the HTTP page must answer).
    let files: string[] = [];
    let newestMtime = 0;
    let problem: string | null = null;
    try {
      files = await listNightlyBackups(o.backupDir);
      const last = files[files.length - 1];
      if (last) newestMtime = (await stat(path.join(o.backupDir, last))).mtimeMs;
    } catch (e) {
      problem = (e as Error).message;
    }
    const newest = files[files.length - 1];
    if (problem !== null) {
      add('backup.age', 'warn', `备份目录 ${o.backupDir} 无法读取 / the backup folder cannot be read: ${problem}`, '检查 HALL_BACKUP_DIR 是否为目录且属于 hall 用户。/ Check that HALL_BACKUP_DIR is a folder the service user owns.');
    } else if (!newest) {
      add('backup.age', 'warn', `${o.backupDir} 中还没有备份 / no backup in ${o.backupDir} yet`, '手动做一次：sudo -u hall hall-server backup /var/backups/hall/manual.tar.gz / Make one by hand now.');
    } else {
      const ageDays = (o.now - newestMtime) / 86_400_000;
      if (ageDays > 2) add('backup.age', 'warn', `最新备份已经 ${Math.floor(ageDays)} 天了：${newest} / the newest backup is ${Math.floor(ageDays)} days old`, '检查服务日志中的 "nightly backup failed"（journalctl -u hall-server）。/ Look for "nightly backup failed" in journalctl -u hall-server.');
      else add('backup.age', 'ok', `最新备份：${newest}（${files.length} 份）/ newest backup: ${newest} (${files.length} kept)`);
    }
  }
  return out;
}

async function certificateFindings(o: DoctorOptions, p: DoctorProbes): Promise<Finding[]> {
  let httpsUrl: URL | null = null;
  try {
    const u = o.publicUrl ? new URL(o.publicUrl) : null;
    httpsUrl = u?.protocol === 'https:' ? u : null;
  } catch {
    httpsUrl = null;
  }
  if (o.tls) {
    // This hall serves TLS itself: the files it loads, against the address people open.
    let cert: Buffer;
    let key: Buffer;
    try {
      cert = await p.readFile(o.tls.certFile);
      key = await p.readFile(o.tls.keyFile);
    } catch (e) {
      return [{ check: 'tls.cert', level: 'error', found: `证书或私钥文件无法读取 / cannot read the certificate or key: ${(e as Error).message}`, todo: '检查 /etc/hall/hall.env 中 HALL_TLS_CERT、HALL_TLS_KEY 的路径，并让 hall 用户可读。/ Check the HALL_TLS_CERT and HALL_TLS_KEY paths and that the hall user may read them.' }];
    }
    return checkCertificate({ cert, key, source: o.tls.certFile, publicUrl: httpsUrl?.href, now: o.now });
  }
  if (httpsUrl) {
    // TLS ends in front of the hall (a proxy or gateway): the certificate it presents.
    const host = httpsUrl.hostname.replace(/^\[|\]$/g, '');
    const port = httpsUrl.port ? Number(httpsUrl.port) : 443;
    const peer = await p.peerCertificate(host, port);
    if (!peer) return [{ check: 'tls.cert', level: 'warn', found: `HALL_PUBLIC_URL ${httpsUrl.origin} 连不上，无法检查证书 / nothing answers TLS at ${httpsUrl.origin}: the certificate cannot be checked`, todo: '检查反向代理或网关是否在运行，以及 HALL_PUBLIC_URL 是否写对。/ Check that the proxy or gateway runs and that HALL_PUBLIC_URL is right.' }];
    return checkCertificate({ cert: peer.der, source: httpsUrl.origin, publicUrl: httpsUrl.href, trust: { authorized: peer.authorized, ...(peer.error ? { error: peer.error } : {}) }, now: o.now });
  }
  return [{ check: 'tls', level: 'info', found: '大厅使用 HTTP（未配置证书），无证书需要检查 / the hall serves plain HTTP: no certificate to check', todo: '' }];
}

const MARK: Record<FindingLevel, string> = { ok: '正常 ok   ', info: '提示 info ', warn: '注意 warn ', error: '错误 error' };

export function formatFindings(findings: Finding[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`[${MARK[f.level]}] ${f.found}`);
    if (f.todo) lines.push(`               处理 / to do: ${f.todo}`);
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  const warns = findings.filter((f) => f.level === 'warn').length;
  lines.push('', errors + warns === 0 ? '一切正常 / all good' : `${errors} 个错误，${warns} 个注意事项 / ${errors} error(s), ${warns} warning(s)`);
  return `${lines.join('\n')}\n`;
}

/** The CLI: prints the findings; exit 1 when any is an error. */
export async function runDoctorCommand(args: string[], ctx: { defaultDataDir: string; env: NodeJS.ProcessEnv; now: () => number; out: (t: string) => void }): Promise<number> {
  const json = args.includes('--json');
  const dirs = args.filter((a) => !a.startsWith('--'));
  if (dirs.length > 1 || args.some((a) => a.startsWith('--') && a !== '--json')) {
    ctx.out('usage: hall-server doctor [DATA_DIR] [--json]\n');
    return 64;
  }
  const port = ctx.env.PORT === undefined ? 8080 : Number(ctx.env.PORT);
  const findings = await runDoctor({
    dataDir: path.resolve(dirs[0] ?? ctx.defaultDataDir),
    port: Number.isInteger(port) ? port : 8080,
    backupDir: ctx.env.HALL_BACKUP_DIR,
    now: ctx.now(),
    tls: ctx.env.HALL_TLS_CERT && ctx.env.HALL_TLS_KEY ? { certFile: ctx.env.HALL_TLS_CERT, keyFile: ctx.env.HALL_TLS_KEY } : undefined,
    publicUrl: ctx.env.HALL_PUBLIC_URL,
  });
  ctx.out(json ? `${JSON.stringify(findings, null, 2)}\n` : formatFindings(findings));
  return findings.some((f) => f.level === 'error') ? 1 : 0;
}
