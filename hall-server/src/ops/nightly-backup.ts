/**
 * The nightly backup inside a running server: once a hall day, at or after `at` (hall time), a
 * backup (backup.ts) into `dir` named `hall-backup-YYYY-MM-DD-HHMM.tar.gz`, then only the newest
 * `keep` of those files are kept. A server that was off at that time makes the day's backup at
 * its first check after starting. Time comes from the injected clock and is looked at every
 * `checkMs`, so a clock that jumps (tests, an NTP step) is followed. A failed backup is logged and
 * tried again an hour later (hall time); it never stops the hall.
 *
 * Configured from the environment by the CLI: HALL_BACKUP_DIR (on when set), HALL_BACKUP_AT
 * (default 02:30), HALL_BACKUP_KEEP (default 14).
 */
import { readdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { toHallIso } from '@hall/protocol';
import { isErrno } from '../durable-fs';
import type { Logger } from '../logging';
import { BackupError } from './backup-error';
import { createBackup } from './backup';

export const NIGHTLY_FILE_RE = /^hall-backup-(\d{4}-\d{2}-\d{2})-(\d{4})\.tar\.gz$/;
const RETRY_MS = 60 * 60 * 1000;

export interface NightlyBackupOptions {
  dataDir: string;
  dir: string;
  /** `HH:MM` in hall time. */
  at: string;
  keep: number;
  tz: string;
  clock: () => number;
  hallVersion: string;
  log: Pick<Logger, 'info' | 'error' | 'warn'>;
  /** How often the clock is looked at (ms); default 60 s. */
  checkMs?: number;
}

export function parseBackupAt(at: string): string | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
  return m ? `${m[1]}:${m[2]}` : null;
}

/** The nightly backups in `dir`, oldest first. */
export async function listNightlyBackups(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => NIGHTLY_FILE_RE.test(n)).sort();
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
}

export class NightlyBackup {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private retryAfter = 0;
  private stopped = false;

  constructor(private readonly o: NightlyBackupOptions) {
    if (parseBackupAt(o.at) === null) throw new RangeError(`HALL_BACKUP_AT must be HH:MM, got ${JSON.stringify(o.at)}`);
    if (!Number.isInteger(o.keep) || o.keep < 1) throw new RangeError(`HALL_BACKUP_KEEP must be a whole number of at least 1, got ${o.keep}`);
  }

  start(): void {
    this.stopped = false;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.o.checkMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Make today's backup if it is due and not made yet; resolves when done (tests call it directly). */
  check(): Promise<void> {
    if (this.running || this.stopped) return this.running ?? Promise.resolve();
    this.running = this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async removeLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.o.dir);
    } catch {
      return;
    }
    for (const n of names) if (LEFTOVER_RE.test(n)) await rm(path.join(this.o.dir, n), { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    const now = this.o.clock();
    if (now < this.retryAfter) return;
    const iso = toHallIso(now, this.o.tz);
    const day = iso.slice(0, 10);
    const hhmm = iso.slice(11, 16);
    if (hhmm < this.o.at) return;
    const existing = await listNightlyBackups(this.o.dir);
    if (existing.some((n) => NIGHTLY_FILE_RE.exec(n)![1] === day)) return;
    const file = path.join(this.o.dir, `hall-backup-${day}-${hhmm.replace(':', '')}.tar.gz`);
    await this.removeLeftovers();
    try {
      const r = await createBackup({ dataDir: this.o.dataDir, file, hallVersion: this.o.hallVersion, now });
      this.o.log.info({ file, bytes: r.bytes, records: r.manifest.journal.records }, 'nightly backup written');
    } catch (e) {
      this.retryAfter = now + RETRY_MS;
      const code = e instanceof BackupError ? e.code : (e as NodeJS.ErrnoException).code;
      this.o.log.error({ file, code, err: (e as Error).message }, 'nightly backup failed; trying again in an hour');
      return;
    }
    const all = await listNightlyBackups(this.o.dir);
    for (const old of all.slice(0, Math.max(0, all.length - this.o.keep))) {
      try {
        await unlink(path.join(this.o.dir, old));
        this.o.log.info({ file: old }, 'old nightly backup removed');
      } catch (e) {
        this.o.log.warn({ file: old, err: (e as Error).message }, 'could not remove an old nightly backup');
      }
    }
  }
}

/** What is wrong with the nightly backup settings in `env`, or null (checked before the hall starts). */
export function nightlyEnvProblem(env: NodeJS.ProcessEnv): string | null {
  if (!env.HALL_BACKUP_DIR) return null;
  if (parseBackupAt(env.HALL_BACKUP_AT ?? '02:30') === null) return `HALL_BACKUP_AT must be HH:MM (hall time), got ${JSON.stringify(env.HALL_BACKUP_AT)}`;
  const keep = env.HALL_BACKUP_KEEP === undefined ? 14 : Number(env.HALL_BACKUP_KEEP);
  if (!Number.isInteger(keep) || keep < 1) return `HALL_BACKUP_KEEP must be a whole number of at least 1, got ${JSON.stringify(env.HALL_BACKUP_KEEP)}`;
  return null;
}

/** Staging folders and temp files of backups cut short (the server was killed mid-backup). */
const LEFTOVER_RE = /^\.hall-backup-\d{4}-\d{2}-\d{2}-\d{4}\.tar\.gz\.(?:staging-|tmp-)/;

/** The nightly backup the environment asks for, or null when HALL_BACKUP_DIR is not set. */
export function nightlyBackupFromEnv(env: NodeJS.ProcessEnv, base: Omit<NightlyBackupOptions, 'dir' | 'at' | 'keep'>): NightlyBackup | null {
  if (!env.HALL_BACKUP_DIR) return null;
  const at = parseBackupAt(env.HALL_BACKUP_AT ?? '02:30');
  if (at === null) throw new RangeError(`HALL_BACKUP_AT must be HH:MM (hall time), got ${JSON.stringify(env.HALL_BACKUP_AT)}`);
  const keep = env.HALL_BACKUP_KEEP === undefined ? 14 : Number(env.HALL_BACKUP_KEEP);
  return new NightlyBackup({ ...base, dir: path.resolve(env.HALL_BACKUP_DIR), at, keep });
}
