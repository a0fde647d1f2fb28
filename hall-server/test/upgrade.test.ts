/**
 * Upgrades (issue 17 item 5): fixtures of each earlier data-folder version start on this build
 * with their tickets; a config this build would migrate is backed up first; a folder written by a
 * newer Hall is refused with what to do, and nothing is written.
 */
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_VERSION } from '@hall/protocol';
import { DATA_FORMAT, DATA_FORMAT_FILE, UpgradeError, prepareDataFolder } from '../src/ops/upgrade';
import { restoreBackup } from '../src/ops/restore';
import { makeTempDir, startTestHall } from './harness';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');
/** Every earlier data-folder version, oldest first: add one whenever CONFIG_VERSION or DATA_FORMAT goes up. */
const EARLIER = ['data-v1'];
const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

async function copyFixture(name: string): Promise<string> {
  const dir = await makeTempDir('hall-upgrade-');
  temps.push(dir);
  await cp(join(FIXTURES, name), join(dir, 'data'), { recursive: true });
  return join(dir, 'data');
}

describe('earlier data folders', () => {
  it.each(EARLIER)('%s starts on this build and keeps its tickets', async (name) => {
    const dataDir = await copyFixture(name);
    const expected = JSON.parse(await readFile(join(FIXTURES, `${name}.tickets.json`), 'utf8')) as { adminPassword: string; tickets: { id: string; number: string }[] };
    await prepareDataFolder({ dataDir, hallVersion: 'test', now: Date.now() });
    expect(JSON.parse(await readFile(join(dataDir, DATA_FORMAT_FILE), 'utf8'))).toEqual({ format: DATA_FORMAT, writtenBy: 'test' });
    const t = await startTestHall({ dataDir, adminPassword: expected.adminPassword });
    try {
      const admin = await t.login('admin', expected.adminPassword);
      for (const tk of expected.tickets) {
        const r = await t.api<{ number: string }>('GET', `/api/tickets/${tk.id}`, undefined, admin);
        expect(r.status).toBe(200);
        expect(r.body.number).toBe(tk.number);
      }
    } finally {
      await t.close(true);
    }
  });
});

describe('before a migration', () => {
  it('backs the folder up first (a build reading config version CONFIG_VERSION + 1)', async () => {
    const dataDir = await copyFixture('data-v1');
    const backupDir = join(dataDir, '..', 'backups');
    const r = await prepareDataFolder({ dataDir, hallVersion: 'next', now: Date.parse('2026-12-07T18:00:00Z'), backupDir, configVersion: CONFIG_VERSION + 1 });
    expect(r.configFrom).toBe(CONFIG_VERSION);
    expect(r.backup).toBe(join(backupDir, `before-config-v${CONFIG_VERSION}-20261207T180000Z.tar.gz`));
    const back = join(dataDir, '..', 'back');
    await restoreBackup({ file: r.backup!, dataDir: back });
    expect(await readFile(join(back, 'config.json'), 'utf8')).toBe(await readFile(join(dataDir, 'config.json'), 'utf8'));
    // Without HALL_BACKUP_DIR it goes inside the data folder.
    const other = await copyFixture('data-v1');
    const r2 = await prepareDataFolder({ dataDir: other, hallVersion: 'next', now: 0, configVersion: CONFIG_VERSION + 1 });
    expect(r2.backup!.startsWith(join(other, 'upgrade-backups'))).toBe(true);
  });

  it('stops the start when that backup fails, migrating nothing', async () => {
    const dataDir = await copyFixture('data-v1');
    const day = (await readdir(join(dataDir, 'journal')))[0]!;
    const body = await readFile(join(dataDir, 'journal', day), 'latin1');
    await writeFile(join(dataDir, 'journal', day), body.replace('"type":"', '"type":"x'), 'latin1');
    const e = await prepareDataFolder({ dataDir, hallVersion: 'next', now: 0, configVersion: CONFIG_VERSION + 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UpgradeError);
    expect((e as Error).message).toMatch(/nothing was migrated/);
    expect(await readdir(dataDir)).not.toContain(DATA_FORMAT_FILE);
  });

  it('writes no backup when nothing is migrated', async () => {
    const dataDir = await copyFixture('data-v1');
    expect((await prepareDataFolder({ dataDir, hallVersion: 'test', now: 0 })).backup).toBeNull();
    expect(await readdir(dataDir)).not.toContain('upgrade-backups');
  });
});

describe('a folder written by a newer Hall', () => {
  it('is refused by its data format, with what to do, and nothing is written', async () => {
    const dataDir = await copyFixture('data-v1');
    await writeFile(join(dataDir, DATA_FORMAT_FILE), JSON.stringify({ format: DATA_FORMAT + 1, writtenBy: '9.0.0' }));
    const before = (await readdir(dataDir)).sort();
    const e = await prepareDataFolder({ dataDir, hallVersion: 'test', now: 0 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UpgradeError);
    expect((e as Error).message).toMatch(/较新版本[\s\S]*newer Hall/);
    expect((await readdir(dataDir)).sort()).toEqual(before);
    expect(JSON.parse(await readFile(join(dataDir, DATA_FORMAT_FILE), 'utf8')).format).toBe(DATA_FORMAT + 1);
  });

  it('is refused by its config version', async () => {
    const dataDir = await copyFixture('data-v1');
    const config = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8')) as { version: number };
    config.version = CONFIG_VERSION + 1;
    await writeFile(join(dataDir, 'config.json'), JSON.stringify(config));
    await expect(prepareDataFolder({ dataDir, hallVersion: 'test', now: 0 })).rejects.toBeInstanceOf(UpgradeError);
    expect(await readdir(dataDir)).not.toContain(DATA_FORMAT_FILE);
  });
});
