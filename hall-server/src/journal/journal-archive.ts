/** 等保 2.0 log retention: old day files move to `archive/`, gzipped. */
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { addDays } from '@hall/protocol';
import { writeFileDurably } from '../durable-fs';
import { ARCHIVE_DIR, assertDay, dayFilePath, ensureDir, fsyncDir, listJournalDays } from './journal-files';

const gzip = promisify(gzipCb);

/** 等保 2.0 asks for at least six months of logs; 190 days leaves a margin. */
export const DEFAULT_KEEP_DAYS = 190;

/**
 * 等保 2.0 log retention: day files older than `keepDays` days before `today` are gzipped into
 * `dir/archive/YYYY-MM-DD.jsonl.gz` (byte-exact, so the chain still verifies) and removed from
 * `dir`. Each archive is written durably (durable-fs.ts) before the original goes. Returns the
 * archived days.
 */
export async function archiveOldJournals(dir: string, today: string, keepDays: number = DEFAULT_KEEP_DAYS): Promise<string[]> {
  assertDay(today);
  if (!Number.isInteger(keepDays) || keepDays < 0) throw new RangeError('keepDays must be a non-negative integer');
  const cutoff = addDays(today, -keepDays);
  const days = (await listJournalDays(dir)).filter((d) => d < cutoff);
  if (days.length === 0) return [];
  const archiveDir = path.join(dir, ARCHIVE_DIR);
  await ensureDir(archiveDir);
  for (const day of days) {
    const src = dayFilePath(dir, day);
    // 0o666 less the umask, as the archives were always made.
    await writeFileDurably(path.join(archiveDir, `${day}.jsonl.gz`), await gzip(await readFile(src), { level: 9 }), 0o666);
    await unlink(src);
  }
  await fsyncDir(dir);
  return days;
}
