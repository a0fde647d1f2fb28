/**
 * Day files on disk: listing, reading, verifying, and finding where the chain ends (archiving:
 * `journal-archive.ts`). The format itself (and what is hashed) is described in
 * `journal-format.ts`. Only Node built-ins here: worker threads load this file.
 */
import { open, mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import { ARCHIVE_FILE_RE, DAY_FILE_RE, DAY_RE, MAX_WRITE_BYTES, ZERO_HASH, endOfNonZero, scanJournal, zeroStretchMessage, type ScanResult } from './journal-format';
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
  /** The file ends in an incomplete write (crash before it was acknowledged); not an error. */
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

/** Reads `length` bytes at `position` into `buf` from `offset` on, as many reads as it takes; fewer only at the end of the file. */
export async function readFully(fh: FileHandle, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, offset + got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/**
 * The whole file in one read (fs.readFile goes in 512 KB steps through the thread pool, which
 * is several times slower for a 30 MB day file on a busy machine).
 */
export async function readWhole(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(size);
    const got = await readFully(fh, buf, 0, size, 0);
    return got === size ? buf : buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * Bytes of a day file up to its last non-zero byte: what is left when the zero-filled tail
 * (journal-format.ts, "Zero-filled tail") is taken off. Reads backwards from `size` in steps.
 */
export async function lengthWithoutZeroTail(fh: FileHandle, size: number): Promise<number> {
  // Small first (a closed day file has no tail), larger while only zeros come back.
  for (let end = size, step = 64 * 1024; end > 0; step = Math.min(step * 4, 4 * 1024 * 1024)) {
    const start = Math.max(0, end - step);
    const buf = Buffer.allocUnsafe(end - start);
    const got = await readFully(fh, buf, 0, buf.length, start);
    const nonZero = endOfNonZero(buf.subarray(0, got));
    if (nonZero > 0) return start + nonZero;
    end = start;
  }
  return 0;
}

async function readJournalBytes(file: string): Promise<Buffer> {
  const raw = await readWhole(file);
  return file.endsWith('.gz') ? gunzip(raw) : raw;
}

function dayOfPath(file: string): string | null {
  const base = path.basename(file);
  const m = DAY_FILE_RE.exec(base) ?? ARCHIVE_FILE_RE.exec(base);
  return m ? m[1]! : null;
}

/** Bytes read at a time when a live day file is verified: memory stays near this, whatever the file's size. */
const VERIFY_CHUNK_BYTES = 4 * 1024 * 1024;

export interface VerifyOptions {
  /** The `prev` the first record must carry (the previous day's last hash); undefined = any. */
  expectedPrev?: string | undefined;
  /** The `seq` the first record must carry; undefined = any. */
  expectedFirstSeq?: number | undefined;
  /** Check only the first `bytes` bytes of a live file (one a server may be appending to); default all of it. */
  bytes?: number | undefined;
  /** Read size (tests use small ones to cross many chunk borders). */
  chunkBytes?: number | undefined;
}

type ScanTotals = Omit<ScanResult, 'events' | 'goodBytes'>;

/** A whole buffer (an archive, gunzipped), scanned in one go. */
function scanWhole(buf: Buffer, o: VerifyOptions): ScanTotals {
  return scanJournal(buf, { expectedPrev: o.expectedPrev, expectedFirstSeq: o.expectedFirstSeq, collect: false });
}

/**
 * A live day file read in chunks, with exactly the result of scanning it whole: each piece ends
 * before the last complete line it holds, so the torn-tail rule (incomplete bytes after the last
 * newline, or a last line that is no record at all) applies only to the file's real end, and the
 * chain and seq carry over from piece to piece.
 */
async function scanInChunks(file: string, o: VerifyOptions): Promise<ScanTotals> {
  const total: ScanTotals = { records: 0, firstSeq: null, firstPrev: null, lastSeq: null, lastHash: null, tornTail: false, error: null };
  const fh = await open(file, 'r');
  try {
    // A durable point given by the writer is a record end; otherwise the zero-filled tail is no part of the check.
    const size = o.bytes ?? (await lengthWithoutZeroTail(fh, (await fh.stat()).size));
    const chunk = Math.max(1, o.chunkBytes ?? VERIFY_CHUNK_BYTES);
    let expectedPrev = o.expectedPrev;
    let expectedSeq = o.expectedFirstSeq;
    let carry = Buffer.alloc(0);
    for (let pos = 0; ; ) {
      const want = Math.min(chunk, size - pos);
      let buf = Buffer.allocUnsafe(carry.length + want);
      carry.copy(buf);
      const got = await readFully(fh, buf, carry.length, want, pos);
      if (got < want) {
        total.error = { line: total.records + 1, message: `the file ends at byte ${pos + got}, before byte ${size}` };
        return total;
      }
      pos += got;
      // A zero byte before the end: the records stop there, and what follows is the rest of an
      // unfinished write or damage (journal-format.ts, "Zero-filled tail"). As a scan of the whole
      // file: the rest is read and the piece scanned as the file's end; damage is reported after
      // the records before it, without reading on.
      const zeroAt = pos < size && o.bytes === undefined ? buf.indexOf(0) : -1;
      let damagedAt = -1;
      if (zeroAt >= 0) {
        const zeroPos = pos - buf.length + zeroAt;
        if (size - zeroPos > MAX_WRITE_BYTES) {
          damagedAt = zeroPos;
          buf = buf.subarray(0, zeroAt);
        } else {
          const whole = Buffer.allocUnsafe(buf.length + (size - pos));
          buf.copy(whole);
          const more = await readFully(fh, whole, buf.length, size - pos, pos);
          if (more < size - pos) {
            total.error = { line: total.records + 1, message: `the file ends at byte ${pos + more}, before byte ${size}` };
            return total;
          }
          buf = whole;
        }
        pos = size;
      }
      const atEnd = pos >= size;
      let end = buf.length;
      if (!atEnd) {
        const lastNl = buf.lastIndexOf(0x0a);
        end = lastNl <= 0 ? 0 : buf.lastIndexOf(0x0a, lastNl - 1) + 1;
      }
      // Up to a durable point the writer reported, every line is a whole record: no torn tail is
      // forgiven and a zero byte is damage, not the file's end.
      const strict = o.bytes !== undefined;
      if (atEnd && strict && end > 0 && buf[end - 1] !== 0x0a) {
        return { ...total, lastSeq: null, lastHash: null, error: { line: total.records + 1, message: `no record ends at byte ${size}` } };
      }
      if (end > 0 || atEnd) {
        const r = scanJournal(buf.subarray(0, end), { expectedPrev, expectedFirstSeq: expectedSeq, collect: false, atEnd: atEnd && !strict });
        if (total.firstSeq === null) {
          total.firstSeq = r.firstSeq;
          total.firstPrev = r.firstPrev;
        }
        if (r.error) {
          // As a scan of the whole file: the valid records before the error, no last record.
          return { ...total, records: total.records + r.records, lastSeq: null, lastHash: null, error: { line: total.records + r.error.line, message: r.error.message } };
        }
        if (r.lastSeq !== null) {
          total.lastSeq = r.lastSeq;
          total.lastHash = r.lastHash;
          expectedPrev = r.lastHash!;
          expectedSeq = r.lastSeq + 1;
        }
        total.records += r.records;
        total.tornTail = r.tornTail;
      }
      if (damagedAt >= 0) return { ...total, lastSeq: null, lastHash: null, tornTail: true, error: { line: total.records + 1, message: zeroStretchMessage(damagedAt) } };
      if (atEnd) return total;
      carry = Buffer.from(buf.subarray(end));
    }
  } finally {
    await fh.close();
  }
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
  let r: ScanTotals;
  try {
    r = file.endsWith('.gz') ? scanWhole(await readJournalBytes(file), o) : await scanInChunks(file, o);
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
 * `verifyJournalFile` with every option: the first record's seq, and only the first `bytes`
 * bytes of a file that is still being appended to. Reads a live file in chunks.
 */
export function verifyJournalRange(file: string, options: VerifyOptions): Promise<VerifyReport> {
  return verifyWith(file, options);
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
    buf = await readWhole(file);
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
    `journal ${file} line ${err.line}: ${err.message}. Run \`hall-server verify\` and restore the file from a backup.`,
    { file, line: err.line },
  );
}

/** Seq and hash of the last valid record in a file, or null when it has none. Reads only the end of a live file. */
async function lastRecordOf(f: DayFile): Promise<{ seq: number; hash: string } | null> {
  if (f.archived) {
    const r = scanJournal(await readJournalBytes(f.path), { collect: false });
    if (r.error) throw corrupt(f.path, r.error);
    return r.lastSeq === null ? null : { seq: r.lastSeq, hash: r.lastHash! };
  }
  const fh = await open(f.path, 'r');
  try {
    // A day the server stopped in without a clean close still has its zero-filled tail, and
    // pieces of an unfinished write may lie up to MAX_WRITE_BYTES after where its records end:
    // the first window reaches back past them, so the scan sees that end (journal-format.ts).
    const size = await lengthWithoutZeroTail(fh, (await fh.stat()).size);
    for (let chunk = MAX_WRITE_BYTES + 64 * 1024; ; chunk *= 4) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      await readFully(fh, buf, 0, buf.length, start);
      // A window that does not start the file starts inside a line: skip to the next one.
      const from = start === 0 ? 0 : buf.indexOf(0x0a) + 1;
      const r = scanJournal(from > 0 || start === 0 ? buf.subarray(from) : Buffer.alloc(0), { collect: false });
      if (r.error) {
        throw new JournalError(
          `journal ${f.path} near its end: ${r.error.message}. Run \`hall-server verify\` and restore the file from a backup.`,
          { file: f.path },
        );
      }
      if (r.lastSeq !== null) return { seq: r.lastSeq, hash: r.lastHash! };
      if (start === 0) return null;
    }
  } finally {
    await fh.close();
  }
}

/**
 * Null when the record ending exactly at byte `at.bytes` of the open day file (`size` bytes long)
 * is intact and has `at.seq` and `at.hash`; otherwise why not. Reads only that line.
 */
export async function recordEndingAt(fh: FileHandle, size: number, at: { seq: number; hash: string; bytes: number }): Promise<string | null> {
  if (size < at.bytes) return `the day file has ${size} bytes, fewer than the ${at.bytes} the starting point is at (restored from an older copy?)`;
  for (let window = 4096; ; window *= 4) {
    const from = Math.max(0, at.bytes - window);
    const buf = Buffer.allocUnsafe(at.bytes - from);
    if ((await readFully(fh, buf, 0, buf.length, from)) < buf.length) return 'the day file became shorter while it was read';
    if (buf[buf.length - 1] !== 0x0a) return `no record ends at byte ${at.bytes}`;
    const lineStart = buf.lastIndexOf(0x0a, buf.length - 2) + 1;
    if (lineStart === 0 && from > 0) continue; // the line starts before the window: widen it
    const r = scanJournal(buf.subarray(lineStart), { collect: false, expectedFirstSeq: at.seq });
    if (r.error !== null || r.records !== 1 || r.lastHash !== at.hash) {
      return `the record ending at byte ${at.bytes} is not seq ${at.seq} with hash ${at.hash.slice(0, 12)}…`;
    }
    return null;
  }
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
