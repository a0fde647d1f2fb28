/**
 * Day files on disk: listing, reading, verifying, and finding where the chain ends (archiving:
 * `journal-archive.ts`). The format itself (and what is hashed) is described in
 * `journal-format.ts`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import { ARCHIVE_FILE_RE, DAY_FILE_RE, DAY_RE, ZERO_HASH, scanJournal, type ScanResult } from './journal-format';
import { fsyncDir, isErrno, readdirIfExists } from '../durable-fs';

export { fsyncDir };

const gunzip = promisify(gunzipCb);

export const ARCHIVE_DIR = 'archive';

/** A journal that cannot be trusted as it is. `hall-server verify` prints the details. */
export class JournalError extends Error {
  override name = 'JournalError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, where: { file?: string; line?: number } = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.file = where.file;
    this.line = where.line;
  }
}

export interface VerifyReport {
  file: string;
  /** `YYYY-MM-DD` from the file name, null when the name is not a day file's. */
  day: string | null;
  ok: boolean;
  /** Valid records up to the first error (all of them when ok). */
  records: number;
  firstSeq: number | null;
  lastSeq: number | null;
  firstPrev: string | null;
  /** Hash of the last valid record, or null when there is none. */
  lastHash: string | null;
  /** The file ends in bytes after its last newline (a crash mid-write, never acknowledged); not an error. */
  tornTail: boolean;
  /** The first problem as one printable line, e.g. `line 2: hash does not match the record (…)`. */
  error: string | null;
  /** 1-based number of the first bad line; 0 when the file itself cannot be read; null when ok. */
  badLine: number | null;
}

export function dayFilePath(dir: string, day: string): string {
  return path.join(dir, `${day}.jsonl`);
}

export function assertDay(day: string): void {
  if (!DAY_RE.test(day)) throw new RangeError(`journal day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
}

/** Create `dir` (and parents); fsync the parent of every directory that was created. */
export async function ensureDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  let d = path.resolve(dir);
  const top = path.resolve(first);
  for (;;) {
    await fsyncDir(path.dirname(d));
    if (d === top) break;
    d = path.dirname(d);
  }
}

/** Sorted `YYYY-MM-DD` of the live day files in `dir` (archived days are not listed). */
export async function listJournalDays(dir: string): Promise<string[]> {
  const days: string[] = [];
  for (const n of await readdirIfExists(dir)) {
    const m = DAY_FILE_RE.exec(n);
    if (m && DAY_RE.test(m[1]!)) days.push(m[1]!);
  }
  return days.sort();
}

interface DayFile {
  day: string;
  path: string;
  archived: boolean;
}

/** Live and archived day files in day order; a day present in both counts as live. */
export async function listAllDayFiles(dir: string): Promise<DayFile[]> {
  const byDay = new Map<string, DayFile>();
  for (const n of await readdirIfExists(path.join(dir, ARCHIVE_DIR))) {
    const m = ARCHIVE_FILE_RE.exec(n);
    if (m && DAY_RE.test(m[1]!)) byDay.set(m[1]!, { day: m[1]!, path: path.join(dir, ARCHIVE_DIR, n), archived: true });
  }
  for (const day of await listJournalDays(dir)) byDay.set(day, { day, path: dayFilePath(dir, day), archived: false });
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

async function readJournalBytes(file: string): Promise<Buffer> {
  const raw = await readFile(file);
  return file.endsWith('.gz') ? gunzip(raw) : raw;
}

function dayOfPath(file: string): string | null {
  const base = path.basename(file);
  const m = DAY_FILE_RE.exec(base) ?? ARCHIVE_FILE_RE.exec(base);
  return m ? m[1]! : null;
}

interface VerifyOptions {
  /** The `prev` the first record must carry (the previous day's last hash); undefined = any. */
  expectedPrev?: string | undefined;
  /** The `seq` the first record must carry; undefined = any. */
  expectedFirstSeq?: number | undefined;
}

async function verifyWith(file: string, o: VerifyOptions): Promise<VerifyReport> {
  const base: VerifyReport = {
    file,
    day: dayOfPath(file),
    ok: false,
    records: 0,
    firstSeq: null,
    lastSeq: null,
    firstPrev: null,
    lastHash: null,
    tornTail: false,
    error: null,
    badLine: null,
  };
  let r: ScanResult;
  try {
    r = scanJournal(await readJournalBytes(file), { expectedPrev: o.expectedPrev, expectedFirstSeq: o.expectedFirstSeq, collect: false });
  } catch (e) {
    return { ...base, error: `cannot read: ${(e as Error).message}`, badLine: 0 };
  }
  return {
    ...base,
    ok: r.error === null,
    records: r.records,
    firstSeq: r.firstSeq,
    lastSeq: r.lastSeq,
    firstPrev: r.firstPrev,
    lastHash: r.lastHash,
    tornTail: r.tornTail,
    error: r.error ? `line ${r.error.line}: ${r.error.message}` : null,
    badLine: r.error ? r.error.line : null,
  };
}

/**
 * Check one day file (`.jsonl`, or an archived `.jsonl.gz`): record layout, JSON, seq
 * continuity and the hash chain; with `expectedPrev`, also that its first record links to it.
 * Never throws for a bad file: the report names the first bad line.
 */
export function verifyJournalFile(file: string, expectedPrev?: string): Promise<VerifyReport> {
  return verifyWith(file, { expectedPrev });
}

/**
 * Check every day file, archived ones included, in day order, with the chain and seq running
 * across days from the very first record (prev = 64 zeros, seq = 1). After a bad file the next
 * ones are still checked on their own.
 */
export async function verifyJournalDir(dir: string): Promise<VerifyReport[]> {
  const reports: VerifyReport[] = [];
  let expectedPrev: string | undefined = ZERO_HASH;
  let expectedSeq: number | undefined = 1;
  for (const f of await listAllDayFiles(dir)) {
    const rep = await verifyWith(f.path, { expectedPrev, expectedFirstSeq: expectedSeq });
    reports.push(rep);
    if (!rep.ok) {
      expectedPrev = undefined;
      expectedSeq = undefined;
    } else if (rep.lastHash !== null && rep.lastSeq !== null) {
      expectedPrev = rep.lastHash;
      expectedSeq = rep.lastSeq + 1;
    }
  }
  return reports;
}

/**
 * The events of one day (live file, else its archive), with the day's own chain checked.
 * A torn last line is left out (the file is not changed). Throws JournalError on corruption.
 */
export async function readJournalDay<E>(dir: string, day: string): Promise<E[]> {
  assertDay(day);
  let file = dayFilePath(dir, day);
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
    file = path.join(dir, ARCHIVE_DIR, `${day}.jsonl.gz`);
    try {
      buf = await readJournalBytes(file);
    } catch (e2) {
      if (isErrno(e2, 'ENOENT')) return [];
      throw e2;
    }
  }
  const r = scanJournal(buf, { collect: true });
  if (r.error) throw corrupt(file, r.error);
  return r.events as E[];
}

export function corrupt(file: string, err: { line: number; message: string }): JournalError {
  return new JournalError(
    `journal ${file} line ${err.line}: ${err.message}. ` +
      'Restore the file from a backup, or run `hall-server repair` to move the damaged part aside (`hall-server verify` checks every day).',
    { file, line: err.line },
  );
}

/** Seq and hash of the last record in a day file (read and checked whole), or null when it has none. */
async function lastRecordOf(f: DayFile): Promise<{ seq: number; hash: string } | null> {
  const r = scanJournal(await readJournalBytes(f.path), { collect: false });
  if (r.error) throw corrupt(f.path, r.error);
  return r.lastSeq === null ? null : { seq: r.lastSeq, hash: r.lastHash! };
}

/** Where the chain stands before `day`: the last record of the latest earlier file that has one. */
export async function chainTailBefore(dir: string, day: string): Promise<{ seq: number; hash: string; file: string | null }> {
  const files = (await listAllDayFiles(dir)).filter((f) => f.day < day);
  for (let i = files.length - 1; i >= 0; i--) {
    const f = files[i]!;
    const last = await lastRecordOf(f);
    if (last) return { ...last, file: f.path };
  }
  return { seq: 0, hash: ZERO_HASH, file: null };
}
