/**
 * The journal's on-disk format: one record per line in `journal/YYYY-MM-DD.jsonl`.
 *
 * ## Line layout (byte-exact; the writer never produces anything else)
 *
 * ```
 * {"seq":<n>,"prev":"<64 hex>","event":<EVENT_JSON>,"hash":"<64 hex>"}\n
 * ```
 *
 * - `seq`: 1, 2, 3… across the whole journal (it does not restart with a new day); plain
 *   decimal, no leading zeros.
 * - `prev`: the `hash` of the record before it. The first record of a day links to the last
 *   record of the latest earlier day file that has records; the first record ever has 64 zeros.
 * - `EVENT_JSON`: `JSON.stringify(event)` with every non-ASCII character escaped as `\uXXXX`
 *   (files are pure ASCII, so no editor or code page can mangle them; the JSON value is the
 *   same), written once and never re-serialised.
 * - `hash`: lowercase hex. Each line is a JSON object equal to `JournalRecord`.
 *
 * ## What is hashed
 *
 * ```
 * hash = lowercase_hex( SHA-256( the line's bytes before ,"hash":" ) )
 *      = lowercase_hex( SHA-256( '{"seq":' + seq + ',"prev":"' + prev + '","event":' + EVENT_JSON ) )
 * ```
 *
 * i.e. everything in the line up to (not including) the final `,"hash":"…"}`. A verifier in any
 * language cuts the last 75 bytes off the line and hashes the rest; it never re-serialises
 * JSON. Because the hashed text holds `seq`, `prev` and the event, changing, removing,
 * inserting or reordering any record breaks the chain from that record on (电子监察 tamper
 * evidence); only cutting off the newest records cannot be seen from the files alone (compare
 * `lastSeq` with the copy sent upstream).
 *
 * ## Torn writes
 *
 * A line is written with its `\n` in the same write and acknowledged only after `fdatasync`, so
 * a crash can leave at most an unacknowledged incomplete tail: bytes after the last `\n`, or a
 * last line that is not a record at all (e.g. zero-filled blocks). That tail is "torn": open()
 * cuts it off and reports it. A malformed line anywhere else, or a last line that parses but
 * breaks the chain, is corruption or tampering: an error with file and line number.
 *
 * ## Zero-filled tail (preallocation)
 *
 * The day file being written ends in zero bytes: the journal fills the space ahead of its
 * records with zeros and then overwrites them, so a durable write changes no file size and ext4
 * need not commit its own journal on each sync (journal.ts, "Preallocation"). Records never hold
 * a zero byte (the event JSON is ASCII with control characters escaped), so the records end at
 * the first zero byte, and zeros after a complete line are the file's unused space, not a torn
 * tail. A crash can leave bytes of the unfinished write among those zeros (the disk may persist
 * its sectors in any order): bytes after the first zero are torn as well, so long as they lie
 * within `MAX_WRITE_BYTES` of it, the most one write covers. Data further on cannot come from an
 * unfinished write: a zeroed stretch in the middle of the records, which is corruption. Files
 * are cut to their records at day close and on a clean stop.
 */
import { hash as oneShotHash } from 'node:crypto';

export const ZERO_HASH = '0'.repeat(64);
export const DAY_FILE_RE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
export const ARCHIVE_FILE_RE = /^(\d{4}-\d{2}-\d{2})\.jsonl\.gz$/;
export const DAY_RE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

const NON_ASCII_RE = /[\u0080-\uffff]/g;

/**
 * `JSON.stringify(event)` with every non-ASCII character written as a `\uXXXX` escape, so a
 * journal file is pure ASCII. Throws TypeError for what JSON cannot hold (BigInt, cycles).
 */
export function eventToJson(event: unknown): string {
  const json = JSON.stringify(event);
  if (typeof json !== 'string') throw new TypeError('journal event is not JSON-serialisable');
  NON_ASCII_RE.lastIndex = 0;
  return NON_ASCII_RE.test(json)
    ? json.replace(NON_ASCII_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

/** The hashed part of a record line: everything before `,"hash":"`. */
export function recordBody(prev: string, seq: number, eventJson: string): string {
  return `{"seq":${seq},"prev":"${prev}","event":${eventJson}`;
}

export function recordHash(prev: string, seq: number, eventJson: string): string {
  return oneShotHash('sha256', recordBody(prev, seq, eventJson), 'hex');
}

/** The full line (with its trailing newline) and its hash. `eventJson` must come from eventToJson. */
export function formatRecord(prev: string, seq: number, eventJson: string): { line: string; hash: string } {
  const body = recordBody(prev, seq, eventJson);
  const hash = oneShotHash('sha256', body, 'hex');
  return { line: `${body},"hash":"${hash}"}\n`, hash };
}

/**
 * The most bytes one journal write covers; journal.ts splits a bigger batch into several, each
 * durable before the next. Small, because it is also how far before the end of the records a
 * zeroed block (disk damage) cannot be told from an unfinished write: batches are a few KB.
 */
export const MAX_WRITE_BYTES = 64 * 1024;

const ZERO_BLOCK = Buffer.alloc(64 * 1024);

/** Index just past the last non-zero byte of `buf` at or after `from` (`from` when there is none). */
export function endOfNonZero(buf: Buffer, from = 0): number {
  let end = buf.length;
  // Whole blocks compared as memory first: a preallocated tail is megabytes of zeros.
  while (end - from >= ZERO_BLOCK.length && buf.subarray(end - ZERO_BLOCK.length, end).equals(ZERO_BLOCK)) end -= ZERO_BLOCK.length;
  while (end > from && buf[end - 1] === 0) end--;
  return end;
}

/**
 * Where the records of a whole file (or its end) held in `buf` stop, by the rule of the
 * zero-filled tail above: `end` is the first zero byte (the buffer's length when there is
 * none); `leftover` says whether non-zero bytes follow it (the rest of an unfinished write);
 * `damaged` says they lie too far after it to be that.
 */
export function zeroTailOf(buf: Buffer): { end: number; leftover: boolean; damaged: boolean } {
  const end = buf.indexOf(0);
  if (end < 0) return { end: buf.length, leftover: false, damaged: false };
  const dataEnd = endOfNonZero(buf, end);
  return { end, leftover: dataEnd > end, damaged: dataEnd - end > MAX_WRITE_BYTES };
}

/** The error for data found beyond a zeroed stretch (`at` is the stretch's first byte). */
export function zeroStretchMessage(at: number): string {
  return `zero bytes from byte ${at} on, with data again more than ${MAX_WRITE_BYTES} bytes later: part of the file was zeroed (damaged disk or copy), not the end of an unfinished write`;
}

export interface ScanOptions {
  /** The `prev` the first record must carry; undefined = accept whatever it has. */
  expectedPrev?: string | undefined;
  /** The `seq` the first record must carry; undefined = accept whatever it has. */
  expectedFirstSeq?: number | undefined;
  /** Keep the parsed events (replay); false = verify only. */
  collect: boolean;
  /**
   * The buffer ends where the file ends (default true), so a torn last line is cut off and
   * reported. False for a piece from the middle of a file: every line in it must be a record.
   */
  atEnd?: boolean;
}

export interface ScanResult {
  events: unknown[];
  records: number;
  firstSeq: number | null;
  firstPrev: string | null;
  lastSeq: number | null;
  lastHash: string | null;
  /** Bytes of the file that hold complete, valid records (where a torn tail is cut). */
  goodBytes: number;
  /** An incomplete or unparsable last line was found (and left out). */
  tornTail: boolean;
  /** The first real problem: 1-based line number and what is wrong. */
  error: { line: number; message: string } | null;
}

// Byte layout of a record line [start, end) (no newline), with c = the comma after the seq digits:
//   start: {"seq":   c: ,"prev":"   c+9: <64 hex>   c+73: ","event":   c+83: <json>
//   end-75: ,"hash":"   end-66: <64 hex>   end-2: "}
const B_START = Buffer.from('{"seq":', 'latin1');
const B_PREV = Buffer.from(',"prev":"', 'latin1');
const B_EVENT = Buffer.from('","event":', 'latin1');
const B_HASH = Buffer.from(',"hash":"', 'latin1');
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const NOT_A_RECORD = 'not a journal record (expected {"seq":…,"prev":…,"event":…,"hash":…})';

function bytesAt(buf: Buffer, at: number, lit: Buffer): boolean {
  for (let i = 0; i < lit.length; i++) if (buf[at + i] !== lit[i]) return false;
  return true;
}

function sameBytes(buf: Buffer, a: number, other: Buffer, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[a + i] !== other[b + i]) return false;
  return true;
}

/** One record line, parsed; its hash not yet checked. */
interface ParsedLine {
  seq: number;
  prevAt: number;
  hashAt: number;
  event: unknown;
}

function parseLineAt(buf: Buffer, start: number, end: number): ParsedLine | string {
  // Shortest record: {"seq":1,"prev":"<64>","event":{},"hash":"<64>"}
  if (end - start < 8 + 83 + 2 + 75 || !bytesAt(buf, start, B_START)) return NOT_A_RECORD;
  const c = buf.indexOf(0x2c /* , */, start + 7);
  if (c < start + 8 || c > start + 23) return NOT_A_RECORD;
  let seq = 0;
  for (let i = start + 7; i < c; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9 || (d === 0 && i === start + 7 && c > start + 8)) return NOT_A_RECORD;
    seq = seq * 10 + d;
  }
  if (!Number.isSafeInteger(seq)) return 'seq is not a safe integer';
  const hashKey = end - 75;
  if (hashKey < c + 85 || !bytesAt(buf, c, B_PREV) || !bytesAt(buf, c + 73, B_EVENT) || !bytesAt(buf, hashKey, B_HASH)) {
    return NOT_A_RECORD;
  }
  if (buf[end - 2] !== 0x22 /* " */ || buf[end - 1] !== 0x7d /* } */) return NOT_A_RECORD;
  let event: unknown;
  try {
    event = JSON.parse(buf.toString('utf8', c + 83, hashKey));
  } catch (e) {
    return `event is not valid JSON (${(e as Error).message})`;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof (event as { type?: unknown }).type !== 'string') {
    return 'event is not an object with a string "type"';
  }
  return { seq, prevAt: c + 9, hashAt: end - 66, event };
}

/** Is the stored hash SHA-256 of the line's bytes before `,"hash":"`? Computed in place. */
function hashMatches(buf: Buffer, start: number, p: ParsedLine): boolean {
  const digest = oneShotHash('sha256', buf.subarray(start, p.hashAt - 9), 'buffer');
  for (let i = 0, h = p.hashAt; i < 32; i++, h += 2) {
    const b = digest[i]!;
    if (buf[h] !== HEX[b >> 4] || buf[h + 1] !== HEX[b & 15]) return false;
  }
  return true;
}

function isHex64(buf: Buffer, at: number): boolean {
  for (let i = at; i < at + 64; i++) {
    const b = buf[i]!;
    if (!((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66))) return false;
  }
  return true;
}

/**
 * Check a whole day file held in memory: layout, JSON, seq continuity and the hash chain.
 * Stops at the first error. One pass over the bytes: the only strings made are the event JSON
 * handed to JSON.parse, and SHA-256 runs on the bytes in place.
 */
export function scanJournal(buf: Buffer, opts: ScanOptions): ScanResult {
  const res: ScanResult = {
    events: [],
    records: 0,
    firstSeq: null,
    firstPrev: null,
    lastSeq: null,
    lastHash: null,
    goodBytes: 0,
    tornTail: false,
    error: null,
  };
  const atEnd = opts.atEnd ?? true;
  // The file's end: the records stop at the first zero byte (see "Zero-filled tail").
  let damagedAt = -1;
  if (atEnd) {
    const tail = zeroTailOf(buf);
    if (tail.leftover) res.tornTail = true;
    if (tail.damaged) damagedAt = tail.end;
    buf = buf.subarray(0, tail.end);
  }
  const lastNl = buf.lastIndexOf(0x0a);
  let completeEnd = lastNl + 1; // bytes [0, completeEnd) are complete lines
  if (completeEnd < buf.length) {
    if (!atEnd) throw new RangeError('a journal piece from the middle of a file must end with a newline');
    res.tornTail = true;
  }
  if (completeEnd === 0) {
    if (damagedAt >= 0) res.error = { line: 1, message: zeroStretchMessage(damagedAt) };
    return res;
  }

  // A last complete line that is not a record at all is also a torn write (zero-filled block…).
  const prevNl = buf.lastIndexOf(0x0a, lastNl - 1);
  if (atEnd && typeof parseLineAt(buf, prevNl + 1, lastNl) === 'string') {
    res.tornTail = true;
    completeEnd = prevNl + 1;
  }

  let expectedPrev: Buffer | null = null;
  if (opts.expectedPrev !== undefined) {
    expectedPrev = Buffer.from(opts.expectedPrev, 'latin1');
    if (expectedPrev.length !== 64) throw new RangeError('expectedPrev must be 64 hex digits');
  }
  let prevHashAt = -1; // where the previous record's hash sits in buf
  let expectedSeq = opts.expectedFirstSeq;
  let lineNo = 0;
  let last: ParsedLine | null = null;
  for (let start = 0; start < completeEnd; ) {
    const end = buf.indexOf(0x0a, start);
    lineNo++;
    const p = parseLineAt(buf, start, end);
    if (typeof p === 'string') {
      res.error = { line: lineNo, message: p };
      return res;
    }
    if (expectedSeq !== undefined && p.seq !== expectedSeq) {
      res.error = { line: lineNo, message: `seq ${p.seq} where ${expectedSeq} was expected` };
      return res;
    }
    if (prevHashAt >= 0) {
      if (!sameBytes(buf, p.prevAt, buf, prevHashAt, 64)) {
        res.error = { line: lineNo, message: `prev does not match the hash of line ${lineNo - 1}` };
        return res;
      }
    } else if (expectedPrev !== null) {
      if (!sameBytes(buf, p.prevAt, expectedPrev, 0, 64)) {
        const found = buf.toString('latin1', p.prevAt, p.prevAt + 12);
        res.error = { line: lineNo, message: `prev ${found}… does not link to the previous record (${opts.expectedPrev!.slice(0, 12)}…)` };
        return res;
      }
    } else if (!isHex64(buf, p.prevAt)) {
      res.error = { line: lineNo, message: 'prev is not 64 lowercase hex digits' };
      return res;
    }
    if (!hashMatches(buf, start, p)) {
      res.error = { line: lineNo, message: 'hash does not match the record (changed after it was written)' };
      return res;
    }
    if (last === null) {
      res.firstSeq = p.seq;
      res.firstPrev = buf.toString('latin1', p.prevAt, p.prevAt + 64);
    }
    res.records++;
    if (opts.collect) res.events.push(p.event);
    last = p;
    prevHashAt = p.hashAt;
    expectedSeq = p.seq + 1;
    start = end + 1;
  }
  if (last !== null) {
    res.lastSeq = last.seq;
    res.lastHash = buf.toString('latin1', last.hashAt, last.hashAt + 64);
  }
  res.goodBytes = completeEnd;
  if (damagedAt >= 0) {
    // Reported after the records before it, like any other bad line (the stretch starts on line lineNo + 1, or inside a torn one).
    res.lastSeq = null;
    res.lastHash = null;
    res.error = { line: lineNo + 1, message: zeroStretchMessage(damagedAt) };
  }
  return res;
}
