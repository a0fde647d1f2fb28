/**
 * `hall-server start | verify | repair | reindex | agent | devices probe | help`. Reads the environment (API.md: PORT,
 * HALL_DATA_DIR, HALL_TZ, HALL_PUBLIC_URL, HALL_ADMIN_PASSWORD, HALL_LOG_LEVEL, HALL_DATABASE_URL) and hands
 * plain options to the composition root.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { isValidTimeZone } from '@hall/protocol';
import { REPO_ROOT, VERSION, startHall } from './main';
import { JournalError, repairJournal, verifyJournalDir } from './journal';
import { ConfigError } from './config';
import { createLogger } from './logging';
import { nightlyBackupFromEnv, nightlyEnvProblem } from './ops/nightly-backup';
import { UpgradeError, prepareDataFolder } from './ops/upgrade';
import { TlsConfigError, tlsFilesFromEnv } from './ops/tls-files';

const USAGE = `Hall server — queue and kiosk system for service halls

Usage:
  hall-server start                 serve the hall (default)
  hall-server verify [DATA_DIR]     check the journal's hash chain (电子监察 tamper evidence)
  hall-server repair [DATA_DIR]     with the server stopped: keep the good records of a damaged
                                    journal and move the rest aside (<day>.jsonl.damaged-<n>)
  hall-server reindex [DATA_DIR]    rebuild the statistics read model from the journal (best with
                                    the server stopped; it is a cache: nothing is lost)
  hall-server agent --hall URL --token T [--config FILE]
                                    drive a kiosk PC's local printer and card reader for the hall
  hall-server devices probe [--json]
                                    list serial ports, HID and USB devices with a guess of each
  hall-server backup FILE [DATA_DIR] [--no-sessions]
                                    write a consistent backup while the hall runs (config, keys,
                                    journal; not the read model)
  hall-server restore FILE [DATA_DIR]
                                    restore a backup into an empty or missing data folder
  hall-server doctor [DATA_DIR] [--json]
                                    check port, disk, clock, devices, upstream, certificate and
                                    backups, with what to do for each finding (also GET /api/doctor)
  hall-server install-service [--kiosk URL]
                                    as root: install this release as the hall-server systemd
                                    service (deploy/install.sh); --kiosk: this PC's kiosk browser
  hall-server help

Environment:
  PORT                 HTTP port (default 8080)
  HALL_DATA_DIR        data folder (default data/ under the repo root)
  HALL_TZ              the hall's time zone (default Asia/Shanghai)
  HALL_PUBLIC_URL      base URL printed in ticket QR codes (default http://<host>:<PORT>)
  HALL_TLS_CERT        with HALL_TLS_KEY: PEM certificate and key; the hall then serves HTTPS
  HALL_TLS_KEY         on PORT (default: plain HTTP on the LAN)
  HALL_ADMIN_PASSWORD  password of the first admin (default: random, printed once)
  HALL_LOG_LEVEL       fatal|error|warn|info|debug (default info)
  HALL_BACKUP_DIR      nightly backups go here (off when unset)
  HALL_BACKUP_AT       hall time of the nightly backup, HH:MM (default 02:30)
  HALL_BACKUP_KEEP     nightly backups kept (default 14)
  HALL_UPSTREAM_URL    with HALL_UPSTREAM_TOKEN: the upstream hall (county or township) this hall
  HALL_UPSTREAM_TOKEN  pushes its journal to (the token its POST /api/halls gave); default: config
  HALL_DATABASE_URL    postgres://… puts the statistics read model in PostgreSQL (default: the
                       embedded data/read-model.sqlite)
`;

export function dataDirFromEnv(env = process.env): string {
  const d = env.HALL_DATA_DIR;
  if (!d) return join(REPO_ROOT, 'data');
  return isAbsolute(d) ? d : resolve(process.cwd(), d);
}

async function start(): Promise<void> {
  const env = process.env;
  const port = env.PORT === undefined ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`PORT must be a port number, got ${env.PORT}`);
  if (env.HALL_TZ && !isValidTimeZone(env.HALL_TZ)) throw new UsageError(`HALL_TZ: unknown time zone ${env.HALL_TZ}`);
  const nightlyProblem = nightlyEnvProblem(env);
  if (nightlyProblem) throw new UsageError(nightlyProblem);
  if (!env.HALL_UPSTREAM_URL !== !env.HALL_UPSTREAM_TOKEN) throw new UsageError('HALL_UPSTREAM_URL and HALL_UPSTREAM_TOKEN go together');
  if (env.HALL_UPSTREAM_URL && !/^https?:\/\/[^\s]+$/.test(env.HALL_UPSTREAM_URL)) throw new UsageError(`HALL_UPSTREAM_URL must be an http(s) URL, got ${env.HALL_UPSTREAM_URL}`);
  const tls = tlsFilesFromEnv(env);
  const log = createLogger();
  // Refuse a folder written by a newer Hall; back an older one up before it is migrated.
  const prepared = await prepareDataFolder({ dataDir: dataDirFromEnv(), hallVersion: VERSION, now: Date.now(), backupDir: env.HALL_BACKUP_DIR });
  if (prepared.backup) log.info({ file: prepared.backup, configFrom: prepared.configFrom }, 'data folder backed up before its migration');
  const hall = await startHall({
    dataDir: dataDirFromEnv(),
    port,
    ...(env.HALL_TZ ? { tz: env.HALL_TZ } : {}), // else the hall's configured zone (default Asia/Shanghai)
    log,
    ...(env.HALL_ADMIN_PASSWORD ? { adminPassword: env.HALL_ADMIN_PASSWORD } : {}),
    ...(env.HALL_PUBLIC_URL ? { publicUrl: env.HALL_PUBLIC_URL } : {}),
    ...(tls ? { tls } : {}),
    ...(env.HALL_BACKUP_DIR ? { backupDir: env.HALL_BACKUP_DIR } : {}),
    ...(env.HALL_HOST ? { host: env.HALL_HOST } : {}),
    ...(env.HALL_DATABASE_URL ? { databaseUrl: env.HALL_DATABASE_URL } : {}),
    ...(env.HALL_UPSTREAM_URL && env.HALL_UPSTREAM_TOKEN ? { upstream: { url: env.HALL_UPSTREAM_URL, token: env.HALL_UPSTREAM_TOKEN } } : {}),
  });
  process.stdout.write(`Hall server ready at ${hall.url}  (data: ${dataDirFromEnv()})\n`);
  // HALL_BACKUP_DIR: a backup once a hall day (ops/nightly-backup.ts), on the hall's own clock.
  const nightly = nightlyBackupFromEnv(env, { dataDir: dataDirFromEnv(), tz: env.HALL_TZ ?? hall.config.data.hall.timezone, clock: () => hall.core.now(), hallVersion: VERSION, log });
  nightly?.start();
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    Promise.resolve(nightly?.stop()).then(() => hall.close()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 5000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function verify(dir?: string): Promise<number> {
  const dataDir = dir ? resolve(dir) : dataDirFromEnv();
  const reports = await verifyJournalDir(join(dataDir, 'journal'));
  let bad = 0;
  for (const r of reports) {
    const line = r.ok ? `ok    ${r.file}  ${r.records} records` : `FAIL  ${r.file}  ${r.error ?? ''}`;
    process.stdout.write(`${line}\n`);
    if (!r.ok) bad++;
  }
  if (reports.length === 0) process.stdout.write('no journal files\n');
  process.stdout.write(bad === 0 ? 'journal chain intact\n' : `${bad} file(s) failed verification\n`);
  return bad === 0 ? 0 : 2;
}

async function repair(dir?: string): Promise<number> {
  const journalDir = join(dir ? resolve(dir) : dataDirFromEnv(), 'journal');
  const { steps, tornBytes } = await repairJournal(journalDir);
  for (const s of steps) {
    process.stdout.write(`moved ${s.movedBytes} bytes of ${s.file} from line ${s.keptLines + 1} on to ${s.movedTo}; kept ${s.keptLines} lines\n  because: ${s.reason}\n`);
  }
  if (tornBytes > 0) process.stdout.write(`cut off a torn last line (${tornBytes} bytes, never acknowledged), as a start does\n`);
  process.stdout.write(steps.length === 0 ? `nothing to repair: the server can start on ${journalDir}\n` : 'repaired: the server can start; `hall-server verify` checks every day\n');
  return 0;
}

class UsageError extends Error {}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const [cmd = 'start', ...rest] = argv;
  try {
    switch (cmd) {
      case 'start':
        await start();
        return;
      case 'verify':
        process.exitCode = await verify(rest[0]);
        return;
      case 'repair':
        process.exitCode = await repair(rest[0]);
        return;
      case 'reindex': {
        const { reindexCommand } = await import('./read-model/reindex-command');
        const env = process.env;
        process.exitCode = await reindexCommand({
          dataDir: rest[0] ? resolve(rest[0]) : dataDirFromEnv(),
          databaseUrl: env.HALL_DATABASE_URL,
          tz: env.HALL_TZ,
          out: (line) => void process.stdout.write(`${line}\n`),
        });
        return;
      }
      case 'backup':
      case 'restore': {
        const ops = await import('./ops/backup-command');
        const ctx = { defaultDataDir: dataDirFromEnv(), hallVersion: VERSION, now: Date.now, out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t) };
        process.exitCode = await (cmd === 'backup' ? ops.runBackupCommand(rest, ctx) : ops.runRestoreCommand(rest, ctx));
        return;
      }
      case 'doctor': {
        const { runDoctorCommand } = await import('./ops/doctor');
        process.exitCode = await runDoctorCommand(rest, { defaultDataDir: dataDirFromEnv(), env: process.env, now: Date.now, out: (t) => void process.stdout.write(t) });
        return;
      }
      case 'install-service': {
        const { runInstallService } = await import('./ops/install-service');
        process.exitCode = await runInstallService(rest, REPO_ROOT, (t) => void process.stderr.write(t));
        return;
      }
      case 'agent': {
        const { runAgent } = await import('./agent/agent-cli');
        await runAgent(rest);
        return;
      }
      case 'devices': {
        const { runDevicesCommand } = await import('./devices/probe-command');
        process.exitCode = await runDevicesCommand(rest, (text) => process.stdout.write(text));
        return;
      }
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return;
      default:
        throw new UsageError(`unknown command ${cmd}\n\n${USAGE}`);
    }
  } catch (err) {
    // Expected failures get one clear line and a non-zero exit, never a stack trace.
    if (err instanceof ConfigError || err instanceof JournalError || err instanceof UsageError || err instanceof UpgradeError || err instanceof TlsConfigError) {
      process.stderr.write(`hall-server: ${(err as Error).message}\n`);
      process.exit(cmd === 'start' && (err instanceof ConfigError || err instanceof UpgradeError || err instanceof TlsConfigError) ? 78 : 2);
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(`hall-server: port already in use (${e.message}); set PORT to another port\n`);
      process.exit(2);
    }
    throw err;
  }
}

await main();
