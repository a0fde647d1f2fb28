/**
 * A data folder that already holds a hall's journal never starts as a new hall: a deleted
 * config.json or ID-hash key is refused with a message naming the file and how to restore it.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { makeTempDir, startTestHall, type TestHall } from './harness';

let t: TestHall | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A hall with one ticket in its journal, stopped, its data folder kept. */
async function usedDataDir(): Promise<string> {
  const dataDir = await makeTempDir();
  const hall = await startTestHall({ dataDir });
  const kiosk = await hall.kioskToken();
  const services = await hall.api<{ id: string }[]>('GET', '/api/services');
  const issued = await hall.api('POST', '/api/tickets', { serviceId: services.body[0]!.id }, kiosk);
  expect(issued.status).toBe(201);
  await hall.close(true);
  return dataDir;
}

describe('a data folder with a journal', () => {
  it('refuses to start without config.json, naming the file and the backup', async () => {
    const dataDir = await usedDataDir();
    await rm(join(dataDir, 'config.json'));
    const err = await startTestHall({ dataDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/config\.json/);
    expect((err as Error).message).toMatch(/backup/);
    // Nothing was written in its place: the operator restores the real file.
    await expect(readFile(join(dataDir, 'config.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to start without the ID-hash key, and makes no new one', async () => {
    const dataDir = await usedDataDir();
    await rm(join(dataDir, 'id-hash.key'));
    const err = await startTestHall({ dataDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/id-hash\.key/);
    expect((err as Error).message).toMatch(/backup/);
    await expect(readFile(join(dataDir, 'id-hash.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts as before when both are there', async () => {
    const dataDir = await usedDataDir();
    t = await startTestHall({ dataDir });
    const services = await t.api<{ id: string; waiting: number }[]>('GET', '/api/services');
    expect(services.body.reduce((n, s) => n + s.waiting, 0)).toBe(1);
    await t.close(true);
    t = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('an empty folder still becomes the demo hall', async () => {
    const dataDir = await makeTempDir();
    await writeFile(join(dataDir, 'README.txt'), 'not a hall file');
    t = await startTestHall({ dataDir });
    expect((await t.api('GET', '/api/health')).status).toBe(200);
  });
});
