/**
 * `hall-server backup FILE`: a consistent archive of a data folder while the hall runs.
 *
 * What goes in (paths under `data/` in the archive, as in the data folder):
 * - `journal/YYYY-MM-DD.jsonl`: each live day file up to its last complete line (the journal is
 *   append-only, so those bytes never change; a record being written is left for the next
 *   backup), `journal/archive/*.jsonl.gz` whole (written once), `*.jsonl.damaged-<n>` whole;
 * - `config.json` and `config.v<N>.json.bak`, read whole: they are only ever replaced by rename,
 *   so a read sees one complete version;
 * - the key files (`*.key`: the ID-hash key without which per-ID limits stop matching);
 * - `sessions.json` unless `includeSessions: false` (staff stay signed in after a restore);
 * - a recorded voice pack in `voice/pack/` (its manifest and WAV clips);
 * - staff photos (`staff-photos/<userId>.img`);
 * - `appointments.sqlite` and `network.sqlite` as SQLite snapshots (bookings; an upstream's
 *   registered halls, their tokens and the records they sent).
 *
 * Not the read model (`read-model.sqlite*`), nor the generated voice pack and clip cache: they
 * are rebuilt.
 *
 * The journal is copied first, then the config, so the config knows every service, counter and
 * user the copied events name. The copy is staged in a folder beside FILE, its hash chain checked
 * from the first record ever (`verifyJournalDir`), then written as `FILE` (tar + gzip: see
 * `backup-format.ts`) through a temp file, fsync'd and renamed, so FILE is either a complete
 * backup or absent.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { verifyJournalDir } from '../journal';
import { fsyncDir, isErrno } from '../durable-fs';
import { BackupError } from './backup-error';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_NAME, DATA_PREFIX, STAFF_PHOTO_DIR, STAFF_PHOTO_FILE_RE, VOICE_PACK_DIR, VOICE_PACK_FILE_RE, isBackedUpTopFile, isSqliteTopFile, type BackupManifest, type ManifestFile } from './backup-format';
import { TAR_END, tarHeader, tarPadding } from './tar';
import { snapshotBookingFile as snapshotSqliteFile } from '../appointments/booking-store';

export interface BackupOptions {
  dataDir: string;
  /** The archive to write; must not exist yet. */
  file: string;
  /** The program's version, recorded in the manifest. */
  hallVersion: string;
  /** Time of the backup (ms since the epoch); injected. */
  now: number;
  /** Default true. */
  includeSessions?: boolean;
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  /** Size of the archive in bytes. */
  bytes: number;
}

const LIVE_DAY_RE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;
const ARCHIVED_DAY_RE = /^\d{4}-\d{2}-\d{2}\.jsonl\.gz$/;
const DAMAGED_RE = /^\d{4}-\d{2}-\d{2}\.jsonl\.damaged-\d+$/;

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return null;
    throw e;
  }
}

async function listIfExists(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
}

/** Bytes up to and including the last newline: the complete records of an append-only day file. */
export function completeLines(buf: Buffer): Buffer {
  return buf.subarray(0, buf.lastIndexOf(0x0a) + 1);
}

async function writeStaged(root: string, rel: string, data: Buffer, files: ManifestFile[]): Promise<void> {
  const to = path.join(root, rel);
  await mkdir(path.dirname(to), { recursive: true });
  const fh = await open(to, 'wx', 0o600);
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
  files.push({ path: rel, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
}

/** Copy the journal into `stage/journal`: live days to their last complete line, archives whole. */
async function stageJournal(dataDir: string, stage: string, files: ManifestFile[]): Promise<void> {
  const jdir = path.join(dataDir, 'journal');
  // Live days are listed before the archive, so a day archived meanwhile is found in one of them.
  const live = (await listIfExists(jdir)).filter((n) => LIVE_DAY_RE.test(n) || DAMAGED_RE.test(n));
  const archived = new Set((await listIfExists(path.join(jdir, 'archive'))).filter((n) => ARCHIVED_DAY_RE.test(n)));
  for (const name of live) {
    const buf = await readIfExists(path.join(jdir, name));
    if (buf === null) {
      // Moved to archive/ (or repaired away) since the listing.
      if (LIVE_DAY_RE.test(name)) archived.add(`${name}.gz`);
      continue;
    }
    if (LIVE_DAY_RE.test(name) && archived.has(`${name}.gz`)) archived.delete(`${name}.gz`); // live copy wins, as for the journal itself
    await writeStaged(stage, `journal/${name}`, LIVE_DAY_RE.test(name) ? completeLines(buf) : buf, files);
  }
  for (const name of [...archived].sort()) {
    const buf = await readIfExists(path.join(jdir, 'archive', name));
    if (buf !== null) await writeStaged(stage, `journal/archive/${name}`, buf, files);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return false;
    throw e;
  }
}

/** Write a consistent backup of `dataDir` to `file`. Throws BackupError for what an operator can fix. */
export async function createBackup(o: BackupOptions): Promise<BackupResult> {
  const dataDir = path.resolve(o.dataDir);
  const file = path.resolve(o.file);
  if (await exists(file)) {
    throw new BackupError('BACKUP.OUTPUT_EXISTS', `备份文件已存在，未覆盖：${file}。请换一个文件名。\nThe backup file already exists and was not overwritten: ${file}. Choose another name.`);
  }
  if (!(await exists(path.join(dataDir, 'config.json')))) {
    throw new BackupError('BACKUP.NOT_A_HALL', `${dataDir} 不是大厅数据目录（没有 config.json），没有可备份的内容。\n${dataDir} holds no hall (no config.json): nothing to back up. Set HALL_DATA_DIR or name the folder.`);
  }
  await mkdir(path.dirname(file), { recursive: true });
  const stage = await mkdtemp(path.join(path.dirname(file), `.${path.basename(file)}.staging-`));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    const files: ManifestFile[] = [];
    await stageJournal(dataDir, path.join(stage, 'data'), files);

    const reports = await verifyJournalDir(path.join(stage, 'data', 'journal'));
    const bad = reports.find((r) => !r.ok);
    if (bad) {
      throw new BackupError(
        'BACKUP.SOURCE_DAMAGED',
        `大厅的日志校验失败，未写备份：${path.basename(bad.file)} ${bad.error ?? ''}。请先运行 hall-server verify 查看。\n` +
          `The hall's journal fails verification, so no backup was written: ${path.basename(bad.file)} ${bad.error ?? ''}. Run \`hall-server verify\` to see it.`,
      );
    }
    const last = [...reports].reverse().find((r) => r.lastSeq !== null);

    type ConfigHead = { version?: unknown; hall?: { id?: unknown; name?: unknown } };
    let config = null as ConfigHead | null;
    for (const name of await listIfExists(dataDir)) {
      if (!isBackedUpTopFile(name, o.includeSessions ?? true)) continue;
      // The bookings and network databases are written while the hall runs: a snapshot, not their bytes mid-commit.
      const buf = isSqliteTopFile(name) ? snapshotSqliteFile(path.join(dataDir, name)) : await readIfExists(path.join(dataDir, name));
      if (buf === null) continue;
      if (name === 'config.json') {
        try {
          config = JSON.parse(buf.toString('utf8')) as ConfigHead;
        } catch (e) {
          throw new BackupError('BACKUP.SOURCE_DAMAGED', `config.json 不是有效的 JSON，未写备份。\nconfig.json is not valid JSON (${(e as Error).message}); no backup was written.`);
        }
      }
      await writeStaged(path.join(stage, 'data'), name, buf, files);
    }
    for (const [dir, re] of [
      [VOICE_PACK_DIR, VOICE_PACK_FILE_RE],
      [STAFF_PHOTO_DIR, STAFF_PHOTO_FILE_RE],
    ] as const) {
      const from = path.join(dataDir, ...dir.split('/'));
      for (const name of await listIfExists(from)) {
        if (!re.test(name)) continue;
        const buf = await readIfExists(path.join(from, name));
        if (buf !== null) await writeStaged(path.join(stage, 'data'), `${dir}/${name}`, buf, files);
      }
    }
    const hallId = typeof config?.hall?.id === 'string' ? config.hall.id : null;
    if (hallId === null) {
      throw new BackupError('BACKUP.SOURCE_DAMAGED', 'config.json 中没有大厅编号（hall.id），未写备份。\nconfig.json has no hall.id; no backup was written.');
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      hall: { id: hallId, name: typeof config?.hall?.name === 'string' ? config.hall.name : '' },
      createdAt: new Date(o.now).toISOString(),
      versions: { hall: o.hallVersion, config: typeof config?.version === 'number' ? config.version : null },
      journal: {
        files: reports.length,
        records: reports.reduce((n, r) => n + r.records, 0),
        lastSeq: last?.lastSeq ?? null,
        lastHash: last?.lastHash ?? null,
      },
      files,
    };
    await writeArchive(tmp, stage, manifest, Math.floor(o.now / 1000));
    await rename(tmp, file);
    await fsyncDir(path.dirname(file));
    return { file, manifest, bytes: (await stat(file)).size };
  } finally {
    await rm(stage, { recursive: true, force: true });
    await rm(tmp, { force: true });
  }
}

async function* archiveChunks(stage: string, manifest: BackupManifest, mtimeSec: number): AsyncGenerator<Buffer> {
  const m = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  yield tarHeader(MANIFEST_NAME, m.length, { mtimeSec });
  yield m;
  yield tarPadding(m.length);
  for (const f of manifest.files) {
    const data = await readFile(path.join(stage, 'data', f.path));
    yield tarHeader(`${DATA_PREFIX}${f.path}`, data.length, { mtimeSec, mode: 0o600 });
    yield data;
    yield tarPadding(data.length);
  }
  yield TAR_END;
}

async function writeArchive(tmp: string, stage: string, manifest: BackupManifest, mtimeSec: number): Promise<void> {
  await pipeline(archiveChunks(stage, manifest, mtimeSec), createGzip({ level: 6 }), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
  const fh = await open(tmp, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
