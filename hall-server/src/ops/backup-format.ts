/**
 * The backup archive format (version 1): a gzip'd POSIX ustar archive holding
 *
 * ```
 * manifest.json                 always the first entry
 * data/config.json              the data folder's files, same relative paths
 * data/id-hash.key
 * data/sessions.json            (optional)
 * data/journal/2026-11-26.jsonl
 * data/journal/archive/2026-01-02.jsonl.gz
 * data/voice/pack/manifest.json  a recorded voice pack, when the hall has one
 * data/voice/pack/qing.wav
 * ```
 *
 * `manifest.json`: `{ format: "hall-backup", formatVersion: 1, hall: { id, name }, createdAt,
 * versions: { hall, config }, journal: { files, records, lastSeq, lastHash }, files: [{ path,
 * bytes, sha256 }] }` with `path` relative to `data/`. Every `data/` entry is listed exactly
 * once with its size and SHA-256, and nothing else is in the archive. The checksums find damage
 * (a bad disk, a cut copy, an edit); they are not a signature against someone who rewrites the
 * manifest too. The journal's own hash chain still has to verify after a restore.
 */

export const BACKUP_FORMAT = 'hall-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';
export const DATA_PREFIX = 'data/';

export interface ManifestFile {
  /** Relative to the data folder, `/`-separated. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  hall: { id: string; name: string };
  /** ISO time of the backup. */
  createdAt: string;
  versions: { hall: string; config: number | null };
  journal: { files: number; records: number; lastSeq: number | null; lastHash: string | null };
  files: ManifestFile[];
}

// appointments.sqlite (the bookings, 预约) and network.sqlite (an upstream hall's registered
// downstream halls with their tokens, and the records they sent): copied as SQLite snapshots,
// not byte by byte. Without network.sqlite a restored county would refuse every hall it serves.
const TOP_FILE_RE = /^(?:config\.json|hall-data\.json|config\.v\d{1,6}\.json\.bak|[a-z0-9][a-z0-9-]{0,40}\.key|sessions\.json|appointments\.sqlite|network\.sqlite)$/;

/** A top file that is a live SQLite database (snapshotted, not read byte by byte). */
export const isSqliteTopFile = (name: string): boolean => name.endsWith('.sqlite');

/** Files at the top of a data folder that a backup carries (the read model and temp files are not among them). */
export function isBackedUpTopFile(name: string, includeSessions: boolean): boolean {
  return TOP_FILE_RE.test(name) && (includeSessions || name !== 'sessions.json');
}

const JOURNAL_FILE_RE = /^journal\/(?:\d{4}-\d{2}-\d{2}\.jsonl(?:\.damaged-\d{1,6})?|archive\/\d{4}-\d{2}-\d{2}\.jsonl\.gz)$/;

/** A recorded voice pack a hall dropped in (hall-server/src/voice/voice-pack.ts); the generated default pack and the cache are rebuilt. */
export const VOICE_PACK_DIR = 'voice/pack';
export const VOICE_PACK_FILE_RE = /^(?:manifest\.json|[A-Za-z0-9_.-]{1,120}\.wav)$/i;

/** Staff photos (挂牌上岗) uploaded by an admin: one `<userId>.img` each (hall-server/src/staff-photos). */
export const STAFF_PHOTO_DIR = 'staff-photos';
export const STAFF_PHOTO_FILE_RE = /^[A-Za-z0-9_-]{1,64}\.img$/;

/** A path a restore may write: one of the names a backup writes, never `..`, absolute or anything else. */
export function isAllowedDataPath(p: string): boolean {
  if (p.startsWith(`${STAFF_PHOTO_DIR}/`)) return STAFF_PHOTO_FILE_RE.test(p.slice(STAFF_PHOTO_DIR.length + 1));
  if (p.startsWith(`${VOICE_PACK_DIR}/`)) {
    const file = p.slice(VOICE_PACK_DIR.length + 1);
    return VOICE_PACK_FILE_RE.test(file) && file !== '.' && file !== '..';
  }
  return JOURNAL_FILE_RE.test(p) || (!p.includes('/') && isBackedUpTopFile(p, true));
}

/** The manifest if `value` is one (version checked by the caller); else a reason. */
export function parseManifest(value: unknown): BackupManifest | string {
  if (typeof value !== 'object' || value === null) return 'the manifest is not an object';
  const m = value as Record<string, unknown>;
  if (m.format !== BACKUP_FORMAT) return `format is ${JSON.stringify(m.format)}, not "${BACKUP_FORMAT}"`;
  if (typeof m.formatVersion !== 'number' || !Number.isInteger(m.formatVersion) || m.formatVersion < 1) return 'formatVersion is missing';
  const hall = m.hall as Record<string, unknown> | undefined;
  if (typeof hall?.id !== 'string' || typeof hall.name !== 'string') return 'hall.id or hall.name is missing';
  if (typeof m.createdAt !== 'string') return 'createdAt is missing';
  if (!Array.isArray(m.files)) return 'files is missing';
  for (const f of m.files as unknown[]) {
    const e = f as Record<string, unknown> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.path !== 'string' ||
      typeof e.bytes !== 'number' ||
      !Number.isSafeInteger(e.bytes) ||
      e.bytes < 0 ||
      typeof e.sha256 !== 'string' ||
      !/^[0-9a-f]{64}$/.test(e.sha256)
    ) {
      return 'a files entry is not { path, bytes, sha256 }';
    }
  }
  return m as unknown as BackupManifest;
}
