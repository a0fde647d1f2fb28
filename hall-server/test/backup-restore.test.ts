/**
 * Backup while tickets are being issued over HTTP, restore into another folder, start a hall on
 * it and find the same tickets; damaged, changed and foreign archives, a non-empty target and an
 * existing output are refused with their stable codes and change nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../src/ops/backup';
import { restoreBackup } from '../src/ops/restore';
import { BackupError, type BackupErrorCode } from '../src/ops/backup-error';
import { TAR_END, readTar, tarHeader, tarPadding, type TarEntry } from '../src/ops/tar';
import { makeTempDir, startTestHall, type TestHall } from './harness';

interface Issued {
  id: string;
  number: string;
}

const LONG_CLIP = `${'hao-chuangkou-'.repeat(7)}x.wav`; // over 100 bytes with its path: ustar's prefix field
let tmp: string;
let archive: string;
const issuedBefore: Issued[] = [];
let issuedDuring: Issued[] = [];

async function entries(file: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  async function* one(): AsyncGenerator<Buffer> {
    yield gunzipSync(await readFile(file));
  }
  for await (const e of readTar(one(), 1e9)) out.push(e);
  return out;
}

function pack(list: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of list) parts.push(tarHeader(e.name, e.data.length), e.data, tarPadding(e.data.length));
  parts.push(TAR_END);
  return gzipSync(Buffer.concat(parts));
}

async function refused(p: Promise<unknown>): Promise<BackupErrorCode> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BackupError);
  return (e as BackupError).code;
}

async function issue(t: TestHall, kiosk: string, serviceId: string): Promise<Issued> {
  const r = await t.api<Issued>('POST', '/api/tickets', { serviceId }, kiosk);
  expect(r.status).toBe(201);
  return { id: r.body.id, number: r.body.number };
}

beforeAll(async () => {
  tmp = await makeTempDir('hall-backup-test-');
  const t = await startTestHall({ dataDir: join(tmp, 'hall') });
  try {
    // Staff tokens issue without the kiosk's per-minute limit.
    const kiosk = await t.login();
    const services = (await t.api<{ id: string }[]>('GET', '/api/services')).body;
    for (let i = 0; i < 20; i++) issuedBefore.push(await issue(t, kiosk, services[i % services.length]!.id));
    // A read model beside the journal is not part of a backup, nor the voice clip cache; a recorded voice pack is.
    await writeFile(join(t.dataDir, 'read-model.sqlite'), 'cache');
    await mkdir(join(t.dataDir, 'voice', 'pack'), { recursive: true });
    await mkdir(join(t.dataDir, 'voice', 'cache'), { recursive: true });
    await writeFile(join(t.dataDir, 'voice', 'pack', 'manifest.json'), '{"name":"县中心女声","clips":{}}');
    await writeFile(join(t.dataDir, 'voice', 'pack', `${LONG_CLIP}`), 'RIFF-test');
    await writeFile(join(t.dataDir, 'voice', 'cache', 'x.wav'), 'cached');
    // An admin's staff photo, and a township registered below this hall (its token lives in network.sqlite).
    await mkdir(join(t.dataDir, 'staff-photos'), { recursive: true });
    await writeFile(join(t.dataDir, 'staff-photos', 'usr-photo.img'), PHOTO);
    const reg = await t.api<{ id: string; token: string }>('POST', '/api/halls', { name: '马坝镇便民服务中心', level: 'township' }, kiosk);
    expect(reg.status).toBe(201);
    downstream = reg.body;
    // Four clients keep issuing while the backup runs.
    let stop = false;
    const clients = [0, 1, 2, 3].map(async (c) => {
      const mine: Issued[] = [];
      while (!stop && mine.length < 500) mine.push(await issue(t, kiosk, services[c % services.length]!.id));
      return mine;
    });
    archive = join(tmp, 'backups', 'hall.tar.gz');
    try {
      await new Promise((r) => setTimeout(r, 30));
      await createBackup({ dataDir: t.dataDir, file: archive, hallVersion: 'test', now: Date.now() });
    } finally {
      stop = true;
      issuedDuring = (await Promise.all(clients)).flat();
    }
  } finally {
    await t.close(true);
  }
}, 60_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
let downstream: { id: string; token: string };

describe('backup and restore', () => {
  it('writes a manifest, the data files and no read model; tar can list it', async () => {
    const list = await entries(archive);
    expect(list[0]!.name).toBe('manifest.json');
    const manifest = JSON.parse(list[0]!.data.toString()) as { format: string; hall: { id: string }; files: { path: string; sha256: string }[]; journal: { records: number } };
    expect(manifest.format).toBe('hall-backup');
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toContain('config.json');
    expect(paths).toContain('id-hash.key');
    expect(paths.some((p) => /^journal\/\d{4}-\d{2}-\d{2}\.jsonl$/.test(p))).toBe(true);
    expect(paths.some((p) => p.startsWith('read-model'))).toBe(false);
    for (const e of list.slice(1)) {
      const f = manifest.files.find((x) => `data/${x.path}` === e.name)!;
      expect(createHash('sha256').update(e.data).digest('hex')).toBe(f.sha256);
    }
    expect(manifest.journal.records).toBeGreaterThanOrEqual(issuedBefore.length);
    const listed = execFileSync('tar', ['tzf', archive], { encoding: 'utf8' }).split('\n');
    expect(listed).toEqual(expect.arrayContaining(['manifest.json', 'data/config.json', `data/voice/pack/${LONG_CLIP}`]));
    expect(paths).not.toContain('voice/cache/x.wav');
    expect(issuedDuring.length).toBeGreaterThan(0); // the backup really ran while tickets were issued
  });

  it('restores into a missing folder; a hall started on it has the same tickets', async () => {
    const target = join(tmp, 'restored');
    const r = await restoreBackup({ file: archive, dataDir: target });
    expect(r.manifest.hall.id).toBeTruthy();
    expect(await readdir(target)).not.toContain('read-model.sqlite');
    expect((await readdir(join(target, 'voice', 'pack'))).sort()).toEqual([LONG_CLIP, 'manifest.json'].sort());
    expect(await readFile(join(target, 'voice', 'pack', LONG_CLIP), 'utf8')).toBe('RIFF-test');
    expect(await readdir(join(target, 'voice'))).toEqual(['pack']);
    expect(await readFile(join(target, 'staff-photos', 'usr-photo.img'))).toEqual(PHOTO);
    const t = await startTestHall({ dataDir: target });
    try {
      const admin = await t.login();
      // The registered township is still known and its token still accepted (an empty batch is
      // refused for its shape, after the token passed; an unknown token would be 401).
      const halls = await t.api<{ id: string }[]>('GET', '/api/halls', undefined, admin);
      expect(halls.body.map((h) => h.id)).toContain(downstream.id);
      const ping = await t.api<{ error: { code: string } }>('POST', '/api/network/batches', { records: [] }, downstream.token);
      expect(ping.status).toBe(400);
      for (const tk of issuedBefore) {
        const got = await t.api<{ id: string; number: string }>('GET', `/api/tickets/${tk.id}`, undefined, admin);
        expect(got.status).toBe(200);
        expect(got.body.number).toBe(tk.number);
      }
      // Tickets issued during the backup are there up to the point the journal was copied.
      let found = 0;
      for (const tk of issuedDuring) if ((await t.api('GET', `/api/tickets/${tk.id}`, undefined, admin)).status === 200) found++;
      expect(found).toBeLessThanOrEqual(issuedDuring.length);
      // The restored hall goes on numbering after the last copied ticket, no number twice.
      const services = (await t.api<{ id: string }[]>('GET', '/api/services')).body;
      const next = await issue(t, admin, services[0]!.id);
      expect(issuedBefore.map((x) => x.number)).not.toContain(next.number);
    } finally {
      await t.close(true);
    }
  }, 30_000);

  it('restores into an empty existing folder', async () => {
    const target = join(tmp, 'empty-target');
    await mkdir(target);
    await restoreBackup({ file: archive, dataDir: target });
    expect((await readdir(target)).sort()).toEqual(expect.arrayContaining(['config.json', 'id-hash.key', 'journal']));
  });

  it('refuses a non-empty target and leaves it as it was', async () => {
    const target = join(tmp, 'busy');
    await mkdir(target);
    await writeFile(join(target, 'config.json'), '{"mine":true}');
    expect(await refused(restoreBackup({ file: archive, dataDir: target }))).toBe('RESTORE.TARGET_NOT_EMPTY');
    expect(await readdir(target)).toEqual(['config.json']);
    expect(await readFile(join(target, 'config.json'), 'utf8')).toBe('{"mine":true}');
    expect((await readdir(tmp)).filter((n) => n.includes('.restore-'))).toEqual([]);
  });

  it('refuses a changed byte in a journal file (checksum)', async () => {
    const list = await entries(archive);
    const day = list.find((e) => /^data\/journal\/.*\.jsonl$/.test(e.name))!;
    const at = day.data.indexOf('"type"');
    day.data[at + 2] = day.data[at + 2]! ^ 0x01;
    const bad = join(tmp, 'flipped.tar.gz');
    await writeFile(bad, pack(list));
    expect(await refused(restoreBackup({ file: bad, dataDir: join(tmp, 'never-1') }))).toBe('RESTORE.DAMAGED');
    await expect(readdir(join(tmp, 'never-1'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a journal edited with its manifest checksum updated (hash chain)', async () => {
    const list = await entries(archive);
    const day = list.find((e) => /^data\/journal\/.*\.jsonl$/.test(e.name))!;
    const text = day.data.toString('latin1');
    const edited = Buffer.from(text.replace(/"number":"([A-Z]+)(\d)/, (_m, p: string, d: string) => `"number":"${p}${(Number(d) + 1) % 10}`), 'latin1');
    expect(edited.equals(day.data)).toBe(false);
    day.data = edited;
    const manifest = JSON.parse(list[0]!.data.toString()) as { files: { path: string; bytes: number; sha256: string }[] };
    const f = manifest.files.find((x) => `data/${x.path}` === day.name)!;
    f.bytes = edited.length;
    f.sha256 = createHash('sha256').update(edited).digest('hex');
    list[0]!.data = Buffer.from(JSON.stringify(manifest));
    const bad = join(tmp, 'rechained.tar.gz');
    await writeFile(bad, pack(list));
    expect(await refused(restoreBackup({ file: bad, dataDir: join(tmp, 'never-2') }))).toBe('RESTORE.DAMAGED');
  });

  it('refuses an archive cut short, a missing file and an extra file', async () => {
    const whole = await readFile(archive);
    const cut = join(tmp, 'cut.tar.gz');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.8)));
    expect(await refused(restoreBackup({ file: cut, dataDir: join(tmp, 'never-3') }))).toBe('RESTORE.DAMAGED');

    const list = await entries(archive);
    const without = join(tmp, 'without-key.tar.gz');
    await writeFile(without, pack(list.filter((e) => e.name !== 'data/id-hash.key')));
    expect(await refused(restoreBackup({ file: without, dataDir: join(tmp, 'never-4') }))).toBe('RESTORE.DAMAGED');

    const extra = join(tmp, 'extra.tar.gz');
    await writeFile(extra, pack([...list, { name: 'data/../../evil', type: 'file', data: Buffer.from('x') }]));
    expect(await refused(restoreBackup({ file: extra, dataDir: join(tmp, 'never-5') }))).toBe('RESTORE.DAMAGED');
  });

  it('refuses foreign files: plain text, a tar.gz of something else, a missing file', async () => {
    const text = join(tmp, 'notes.txt');
    await writeFile(text, 'not a backup');
    expect(await refused(restoreBackup({ file: text, dataDir: join(tmp, 'never-6') }))).toBe('RESTORE.FOREIGN');
    const other = join(tmp, 'other.tar.gz');
    await mkdir(join(tmp, 'other'));
    await writeFile(join(tmp, 'other', 'a.txt'), 'hello');
    execFileSync('tar', ['czf', other, '-C', join(tmp, 'other'), 'a.txt']);
    expect(await refused(restoreBackup({ file: other, dataDir: join(tmp, 'never-7') }))).toBe('RESTORE.FOREIGN');
    expect(await refused(restoreBackup({ file: join(tmp, 'nope.tar.gz'), dataDir: join(tmp, 'never-8') }))).toBe('RESTORE.NOT_FOUND');
    expect((await readdir(tmp)).filter((n) => n.startsWith('never'))).toEqual([]);
  });

  it('refuses a newer backup format', async () => {
    const list = await entries(archive);
    const manifest = JSON.parse(list[0]!.data.toString()) as { formatVersion: number };
    manifest.formatVersion = 99;
    list[0]!.data = Buffer.from(JSON.stringify(manifest));
    const newer = join(tmp, 'newer.tar.gz');
    await writeFile(newer, pack(list));
    expect(await refused(restoreBackup({ file: newer, dataDir: join(tmp, 'never-9') }))).toBe('RESTORE.NEWER_FORMAT');
  });

  it('never overwrites an existing backup file; cuts a torn last line; refuses a damaged source', async () => {
    const src = join(tmp, 'restored');
    expect(await refused(createBackup({ dataDir: src, file: archive, hallVersion: 'test', now: 0 }))).toBe('BACKUP.OUTPUT_EXISTS');
    expect(await refused(createBackup({ dataDir: join(tmp, 'no-hall'), file: join(tmp, 'x.tar.gz'), hallVersion: 'test', now: 0 }))).toBe('BACKUP.NOT_A_HALL');

    const day = (await readdir(join(src, 'journal'))).find((n) => n.endsWith('.jsonl'))!;
    await appendFile(join(src, 'journal', day), '{"seq":99999,"prev":"00');
    const torn = join(tmp, 'torn.tar.gz');
    await createBackup({ dataDir: src, file: torn, hallVersion: 'test', now: 0 });
    const copied = (await entries(torn)).find((e) => e.name === `data/journal/${day}`)!;
    expect(copied.data[copied.data.length - 1]).toBe(0x0a);
    await restoreBackup({ file: torn, dataDir: join(tmp, 'from-torn') });

    const body = await readFile(join(src, 'journal', day), 'latin1');
    await writeFile(join(src, 'journal', day), body.replace(/"type":"(\w)/, '"type":"X$1'), 'latin1');
    const out = join(tmp, 'from-damaged.tar.gz');
    expect(await refused(createBackup({ dataDir: src, file: out, hallVersion: 'test', now: 0 }))).toBe('BACKUP.SOURCE_DAMAGED');
    expect((await readdir(tmp)).filter((n) => n.includes('from-damaged'))).toEqual([]);
  });
});
