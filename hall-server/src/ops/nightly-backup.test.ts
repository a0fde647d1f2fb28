import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHall } from '../../test/harness';
import { NightlyBackup, nightlyBackupFromEnv } from './nightly-backup';
import { restoreBackup } from './restore';

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

function recorder() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_o: object, msg: string) => void lines.push({ level, msg });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } as never };
}

describe('nightly backup', () => {
  it('runs once a hall day at or after its time, catches up after a day off, keeps the newest N', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hall-nightly-'));
    temps.push(dir);
    const t = await startTestHall({ dataDir: join(dir, 'data') });
    const admin = await t.login();
    const services = (await t.api<{ id: string }[]>('GET', '/api/services')).body;
    expect((await t.api('POST', '/api/tickets', { serviceId: services[0]!.id }, admin)).status).toBe(201);
    await t.close(true);

    let now = Date.parse('2026-11-27T01:00:00+08:00');
    const { lines, log } = recorder();
    const nightly = new NightlyBackup({ dataDir: join(dir, 'data'), dir: join(dir, 'backups'), at: '02:30', keep: 2, tz: 'Asia/Shanghai', clock: () => now, hallVersion: 't', log, checkMs: 3_600_000 });
    const files = async (): Promise<string[]> => (await readdir(join(dir, 'backups')).catch(() => [])).sort();

    await nightly.check();
    expect(await files()).toEqual([]); // before 02:30
    // What a backup killed mid-way leaves behind is cleared by the next one.
    await mkdir(join(dir, 'backups', '.hall-backup-2026-11-26-0230.tar.gz.staging-abc', 'data'), { recursive: true });
    await writeFile(join(dir, 'backups', '.hall-backup-2026-11-26-0230.tar.gz.tmp-123'), 'partial');
    now = Date.parse('2026-11-27T02:31:00+08:00');
    await nightly.check();
    await nightly.check();
    expect(await files()).toEqual(['hall-backup-2026-11-27-0231.tar.gz']);
    now = Date.parse('2026-11-28T09:15:00+08:00'); // the server was off at 02:30
    await nightly.check();
    now = Date.parse('2026-11-29T02:30:00+08:00');
    await nightly.check();
    expect(await files()).toEqual(['hall-backup-2026-11-28-0915.tar.gz', 'hall-backup-2026-11-29-0230.tar.gz']);
    expect(lines.filter((l) => l.msg === 'old nightly backup removed')).toHaveLength(1);

    await restoreBackup({ file: join(dir, 'backups', 'hall-backup-2026-11-29-0230.tar.gz'), dataDir: join(dir, 'restored') });
    expect(await readdir(join(dir, 'restored'))).toContain('journal');
    await nightly.stop();
  }, 30_000);

  it('logs a failure, leaves no file and tries again an hour later', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hall-nightly-'));
    temps.push(dir);
    let now = Date.parse('2026-11-27T03:00:00+08:00');
    const { lines, log } = recorder();
    const nightly = new NightlyBackup({ dataDir: join(dir, 'no-hall'), dir: join(dir, 'backups'), at: '02:30', keep: 3, tz: 'Asia/Shanghai', clock: () => now, hallVersion: 't', log });
    await nightly.check();
    now += 10 * 60_000;
    await nightly.check();
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    now += 60 * 60_000;
    await nightly.check();
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(2);
    expect(await readdir(join(dir, 'backups')).catch(() => [])).toEqual([]);
  });

  it('is configured from HALL_BACKUP_DIR, HALL_BACKUP_AT and HALL_BACKUP_KEEP', () => {
    const base = { dataDir: '/d', tz: 'Asia/Shanghai', clock: () => 0, hallVersion: 't', log: recorder().log };
    expect(nightlyBackupFromEnv({}, base)).toBeNull();
    expect(nightlyBackupFromEnv({ HALL_BACKUP_DIR: '/b' }, base)).toBeInstanceOf(NightlyBackup);
    expect(() => nightlyBackupFromEnv({ HALL_BACKUP_DIR: '/b', HALL_BACKUP_AT: '25:00' }, base)).toThrow(/HALL_BACKUP_AT/);
    expect(() => nightlyBackupFromEnv({ HALL_BACKUP_DIR: '/b', HALL_BACKUP_KEEP: '0' }, base)).toThrow(/HALL_BACKUP_KEEP/);
  });
});
