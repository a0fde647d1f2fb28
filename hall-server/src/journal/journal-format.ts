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
 * Records are appended with their `\n` in the same write and acknowledged only after
 * `fdatasync`, so a crash can leave at most one unacknowledged incomplete tail: bytes after the
 * last `\n`, the start of a record. That tail is "torn": open() cuts it off and logs it. Anything
 * else that is wrong (a bad or unparsable line anywhere, the last one included, zero bytes, a
 * broken chain) is damage or tampering: an error naming file and line, and the server does not
 * start until an operator runs `hall-server repair` (journal-repair.ts).
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

export interface ScanOptions {
  /** The `prev` the first record must carry; undefined = accept whatever it has. */
  expectedPrev?: string | undefined;
  /** The `seq` the first record must carry; undefined = accept whatever it has. */
  expectedFirstSeq?: number | undefined;
  /** Keep the parsed events (replay); false = verify only. */
  collect: boolean;
}

export interface ScanResult {
  events: unknown[];
  records: number;
  firstSeq: number | null;
  firstPrev: string | null;
  lastSeq: number | null;
  lastHash: string | null;
  /** Bytes of the file that hold complete, valid records: where a torn tail, or the first bad line, starts. */
  goodBytes: number;
  /** The start of a record follows the last newline (and is left out). */
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
  const completeEnd = buf.lastIndexOf(0x0a) + 1; // bytes [0, completeEnd) are complete lines
  res.tornTail = completeEnd < buf.length;

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
    if (typeof p === 'string') return failAt(res, start, lineNo, p);
    if (expectedSeq !== undefined && p.seq !== expectedSeq) return failAt(res, start, lineNo, `seq ${p.seq} where ${expectedSeq} was expected`);
    if (prevHashAt >= 0) {
      if (!sameBytes(buf, p.prevAt, buf, prevHashAt, 64)) return failAt(res, start, lineNo, `prev does not match the hash of line ${lineNo - 1}`);
    } else if (expectedPrev !== null) {
      if (!sameBytes(buf, p.prevAt, expectedPrev, 0, 64)) {
        const found = buf.toString('latin1', p.prevAt, p.prevAt + 12);
        return failAt(res, start, lineNo, `prev ${found}… does not link to the previous record (${opts.expectedPrev!.slice(0, 12)}…)`);
      }
    } else if (!isHex64(buf, p.prevAt)) {
      return failAt(res, start, lineNo, 'prev is not 64 lowercase hex digits');
    }
    if (!hashMatches(buf, start, p)) return failAt(res, start, lineNo, 'hash does not match the record (changed after it was written)');
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
  // An append cut short leaves the start of a record: anything else there (zeros from a disk
  // that lost the data, a stranger's bytes) is damage, never an unfinished write.
  if (res.tornTail) {
    const torn = buf.subarray(completeEnd, completeEnd + B_START.length);
    if (buf.indexOf(0, completeEnd) >= 0 || !torn.equals(B_START.subarray(0, torn.length))) {
      return failAt(res, completeEnd, lineNo + 1, 'the last line is neither a record nor the start of one (zero bytes or foreign data, not an unfinished write)');
    }
  }
  return res;
}

/** The scan stops at the bad line starting at byte `at`: the records before it are what is good. */
function failAt(res: ScanResult, at: number, line: number, message: string): ScanResult {
  res.goodBytes = at;
  res.lastSeq = null;
  res.lastHash = null;
  res.error = { line, message };
  return res;
}
