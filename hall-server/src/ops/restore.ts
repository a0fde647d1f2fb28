/**
 * `hall-server restore FILE [DATA_DIR]`: a backup back into an empty (or missing) data folder.
 *
 * The archive is unpacked into a folder beside DATA_DIR and checked before anything appears in
 * DATA_DIR: the first entry is a Hall manifest (else RESTORE.FOREIGN), a format this Hall reads
 * (else RESTORE.NEWER_FORMAT), every file listed exactly once with its size and SHA-256 and no
 * other file, only names a backup writes, the journal's hash chain from the first record ever up
 * to the manifest's last record, and a config.json of the manifest's hall (else RESTORE.DAMAGED).
 * Only then are the files moved into DATA_DIR (fsync'd). A refused restore leaves DATA_DIR as it
 * was. The read model is not in a backup: the server rebuilds it from the journal.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { verifyJournalDir } from '../journal';
import { fsyncDir, isErrno } from '../durable-fs';
import { BackupError } from './backup-error';
import { BACKUP_FORMAT_VERSION, DATA_PREFIX, MANIFEST_NAME, isAllowedDataPath, parseManifest, type BackupManifest } from './backup-format';
import { TarFormatError, readTar } from './tar';

export interface RestoreOptions {
  file: string;
  dataDir: string;
}

export interface RestoreResult {
  dataDir: string;
  manifest: BackupManifest;
}

/** No single file of a hall's data folder comes near this; a larger entry is not from a Hall backup. */
const MAX_ENTRY_BYTES = 4 * 1024 ** 3;

function damaged(detail: string): BackupError {
  return new BackupError('RESTORE.DAMAGED', `备份文件已损坏或被改动，未恢复任何内容：${detail}\nThe backup is damaged or was changed; nothing was restored: ${detail}`);
}

function foreign(file: string, detail: string): BackupError {
  return new BackupError(
    'RESTORE.FOREIGN',
    `${file} 不是大厅系统的备份文件（或其开头已损坏），未恢复任何内容。\n${file} is not a Hall backup (or its start is damaged): ${detail}. Nothing was restored.`,
  );
}

async function assertEmptyTarget(dataDir: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return false;
    if (isErrno(e, 'ENOTDIR')) names = ['(a file)'];
    else throw e;
  }
  if (names.length > 0) {
    throw new BackupError(
      'RESTORE.TARGET_NOT_EMPTY',
      `目标数据目录不是空的，未恢复任何内容：${dataDir}。恢复只写入空目录或不存在的目录；请指定一个新目录，或先把现有目录改名保留。\n` +
        `The target data folder is not empty, so nothing was restored: ${dataDir}. A restore writes only into an empty or missing folder; name a new one, or rename the existing one out of the way first.`,
    );
  }
  return true;
}

async function writeSynced(file: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const fh = await open(file, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function readFirstBytes(file: string, n: number): Promise<Buffer> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'EACCES') || isErrno(e, 'EISDIR')) {
      throw new BackupError('RESTORE.NOT_FOUND', `找不到或无法读取备份文件：${file}\nThe backup file does not exist or cannot be read: ${file} (${(e as NodeJS.ErrnoException).code})`);
    }
    throw e;
  }
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Unpack and check the archive into `stage`; the manifest when everything holds. */
async function unpackChecked(file: string, stage: string): Promise<BackupManifest> {
  const magic = await readFirstBytes(file, 2);
  if (magic.length < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) throw foreign(file, 'not gzip data');

  let manifest: BackupManifest | null = null;
  const expected = new Map<string, { bytes: number; sha256: string }>();
  const seen = new Set<string>();
  const gunzip = createGunzip();
  const input = createReadStream(file).pipe(gunzip);
  try {
    for await (const entry of readTar(input as AsyncIterable<Buffer>, MAX_ENTRY_BYTES)) {
      if (manifest === null) {
        if (entry.name !== MANIFEST_NAME || entry.type !== 'file') throw foreign(file, `its first entry is ${JSON.stringify(entry.name)}, not ${MANIFEST_NAME}`);
        let json: unknown;
        try {
          json = JSON.parse(entry.data.toString('utf8'));
        } catch {
          throw foreign(file, `${MANIFEST_NAME} is not JSON`);
        }
        const parsed = parseManifest(json);
        if (typeof parsed === 'string') {
          if ((json as { format?: unknown } | null)?.format === 'hall-backup') throw damaged(`${MANIFEST_NAME}: ${parsed}`);
          throw foreign(file, parsed);
        }
        if (parsed.formatVersion > BACKUP_FORMAT_VERSION) {
          throw new BackupError(
            'RESTORE.NEWER_FORMAT',
            `这个备份由较新版本的大厅系统写成（格式 ${parsed.formatVersion}），本程序只能读取格式 ${BACKUP_FORMAT_VERSION}。请先升级本程序。\n` +
              `This backup was written by a newer Hall (format ${parsed.formatVersion}); this one reads format ${BACKUP_FORMAT_VERSION}. Upgrade this program first.`,
          );
        }
        for (const f of parsed.files) {
          if (!isAllowedDataPath(f.path)) throw damaged(`the manifest lists an unexpected file ${JSON.stringify(f.path)}`);
          if (expected.has(f.path)) throw damaged(`the manifest lists ${f.path} twice`);
          expected.set(f.path, { bytes: f.bytes, sha256: f.sha256 });
        }
        manifest = parsed;
        continue;
      }
      if (entry.type === 'dir') {
        if (/^data(?:\/journal(?:\/archive)?|\/voice(?:\/pack)?)?$/.test(entry.name)) continue;
        throw damaged(`unexpected folder ${JSON.stringify(entry.name)}`);
      }
      const rel = entry.name.startsWith(DATA_PREFIX) ? entry.name.slice(DATA_PREFIX.length) : null;
      const want = rel === null ? undefined : expected.get(rel);
      if (rel === null || want === undefined) throw damaged(`${JSON.stringify(entry.name)} is not listed in the manifest`);
      if (seen.has(rel)) throw damaged(`${rel} appears twice`);
      seen.add(rel);
      if (entry.data.length !== want.bytes) throw damaged(`${rel} has ${entry.data.length} bytes, the manifest says ${want.bytes}`);
      if (createHash('sha256').update(entry.data).digest('hex') !== want.sha256) throw damaged(`${rel}: SHA-256 does not match the manifest`);
      await writeSynced(path.join(stage, ...rel.split('/')), entry.data);
    }
  } catch (e) {
    input.destroy();
    if (e instanceof BackupError) throw e;
    const what = e instanceof TarFormatError ? e.message : `gzip: ${(e as Error).message}`;
    if (manifest === null) throw foreign(file, what);
    throw damaged(what);
  }
  if (manifest === null) throw foreign(file, 'the archive is empty');
  for (const p of expected.keys()) if (!seen.has(p)) throw damaged(`${p} is listed in the manifest but missing from the archive`);

  const reports = await verifyJournalDir(path.join(stage, 'journal'));
  const bad = reports.find((r) => !r.ok);
  if (bad) throw damaged(`journal ${path.basename(bad.file)} ${bad.error ?? ''}`);
  const last = [...reports].reverse().find((r) => r.lastSeq !== null);
  if ((last?.lastSeq ?? null) !== manifest.journal.lastSeq || (last?.lastHash ?? null) !== manifest.journal.lastHash) {
    throw damaged(`the journal ends at record ${last?.lastSeq ?? 0}, the manifest says ${manifest.journal.lastSeq ?? 0}`);
  }
  if (!expected.has('config.json')) throw damaged('config.json is missing');
  let config: { hall?: { id?: unknown } };
  try {
    config = JSON.parse(await readFile(path.join(stage, 'config.json'), 'utf8')) as typeof config;
  } catch {
    throw damaged('config.json is not JSON');
  }
  if (config.hall?.id !== manifest.hall.id) throw damaged(`config.json belongs to hall ${String(config.hall?.id)}, the manifest to ${manifest.hall.id}`);
  return manifest;
}

async function fsyncTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) await fsyncTree(path.join(dir, e.name));
  await fsyncDir(dir);
}

/** Restore `file` into `dataDir` (empty or missing). Throws BackupError with a stable code otherwise. */
export async function restoreBackup(o: RestoreOptions): Promise<RestoreResult> {
  const file = path.resolve(o.file);
  const dataDir = path.resolve(o.dataDir);
  await assertEmptyTarget(dataDir);
  try {
    if (!(await stat(file)).isFile()) throw new BackupError('RESTORE.NOT_FOUND', `备份文件不是普通文件：${file}\nThe backup is not a regular file: ${file}`);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) throw new BackupError('RESTORE.NOT_FOUND', `找不到备份文件：${file}\nThe backup file does not exist: ${file}`);
    throw e;
  }
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  const stage = await mkdtemp(path.join(parent, `.${path.basename(dataDir)}.restore-`));
  try {
    const manifest = await unpackChecked(file, stage);
    await fsyncTree(stage);
    // Checked again right before the move: a folder that filled meanwhile is never mixed into.
    const targetExists = await assertEmptyTarget(dataDir);
    if (!targetExists) {
      await rename(stage, dataDir);
    } else {
      for (const name of await readdir(stage)) await rename(path.join(stage, name), path.join(dataDir, name));
      await fsyncDir(dataDir);
      await rmdir(stage);
    }
    await fsyncDir(parent);
    return { dataDir, manifest };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
