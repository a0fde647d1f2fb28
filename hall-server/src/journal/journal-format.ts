/**
 * The journal's on-disk format: one record per line in `journal/YYYY-MM-DD.jsonl`.
 *
 * ## Line layout (byte-exact; the writer never produces anything else)
 *
 * ```
 * {"seq":<n>,"prev":"<64 hex>","hash":"<64 hex>","event":<EVENT_JSON>}\n
 * ```
 *
 * - `seq`: 1, 2, 3… across the whole journal (it does not restart with a new day).
 * - `prev`: the `hash` of the record before it. The first record of a day links to the last
 *   record of the previous day file that has records; the first record ever has 64 zeros.
 * - `EVENT_JSON`: `JSON.stringify(event)` with every non-ASCII character escaped as `\uXXXX`
 *   (so files are pure ASCII; the JSON value is the same), written once, never re-serialised.
 *
 * ## What is hashed
 *
 * ```
 * hash = lowercase_hex( SHA-256( UTF-8( prev + "\n" + seq + "\n" + EVENT_JSON ) ) )
 * ```
 *
 * where `seq` is in plain decimal, `prev` is the 64 lowercase hex digits from the line, and
 * `EVENT_JSON` is the exact text of the `event` value as it stands in the line (everything after
 * `"event":` up to the line's final `}`; ASCII, so its UTF-8 is its bytes in the file). A
 * verifier in any language hashes bytes it reads; it never has to re-serialise JSON. Because the hash
 * covers `prev`, `seq` and the event, changing, removing, inserting or reordering any record
 * breaks the chain from that record on (电子监察 tamper evidence); only cutting off the newest
 * records cannot be detected from the file alone (compare `lastSeq` with upstream copies).
 *
 * ## Torn writes
 *
 * A line is written with its `\n` in the same write and acknowledged only after `fdatasync`, so a
 * crash can leave at most an unacknowledged incomplete tail: bytes after the last `\n`, or a last
 * line that is not a record at all (e.g. zero-filled blocks). That tail is "torn": open() cuts it
 * off and reports it. A malformed line anywhere else, or a last line that parses but breaks the
 * chain, is corruption or tampering: an error with file and line number.
 */
import { isAscii } from 'node:buffer';
import { hash as oneShotHash } from 'node:crypto';

export const ZERO_HASH = '0'.repeat(64);
export const DAY_FILE_RE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
export const ARCHIVE_FILE_RE = /^(\d{4}-\d{2}-\d{2})\.jsonl\.gz$/;
export const DAY_RE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

const NON_ASCII_RE = /[\u0080-\uffff]/g;

/**
 * `JSON.stringify(event)` with every non-ASCII character written as a `\uXXXX` escape, so a
 * journal file is pure ASCII: no encoding can mangle it (a GBK editor on a Windows PC, a
 * terminal), and replay decodes it with the fast one-byte path. Same JSON value.
 */
export function eventToJson(event: unknown): string {
  const json = JSON.stringify(event);
  if (typeof json !== 'string') throw new TypeError('journal event is not JSON-serialisable');
  NON_ASCII_RE.lastIndex = 0;
  return NON_ASCII_RE.test(json)
    ? json.replace(NON_ASCII_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

export function recordHash(prev: string, seq: number, eventJson: string): string {
  return oneShotHash('sha256', `${prev}\n${seq}\n${eventJson}`, 'hex');
}

/** The full line (with its trailing newline) and its hash. */
export function formatRecord(prev: string, seq: number, eventJson: string): { line: string; hash: string } {
  const hash = recordHash(prev, seq, eventJson);
  return { line: `{"seq":${seq},"prev":"${prev}","hash":"${hash}","event":${eventJson}}\n`, hash };
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
  /** Bytes of the file that hold complete, valid records (where a torn tail is cut). */
  goodBytes: number;
  /** An incomplete or unparsable last line was found (and left out). */
  tornTail: boolean;
  /** The first real problem: 1-based line number and what is wrong. */
  error: { line: number; message: string } | null;
}

// Byte layout of a record line, after the seq digits at [7, c):
//   c: ,"prev":"  c+9: <64 hex>  c+73: ","hash":"  c+83: <64 hex>  c+147: ","event":  c+157: <json> }
const B_START = Buffer.from('{"seq":', 'latin1');
const B_PREV = Buffer.from(',"prev":"', 'latin1');
const B_HASH = Buffer.from('","hash":"', 'latin1');
const B_EVENT = Buffer.from('","event":', 'latin1');
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const NOT_A_RECORD = 'not a journal record (expected {"seq":…,"prev":…,"hash":…,"event":…})';

function bytesAt(buf: Buffer, at: number, lit: Buffer, end: number): boolean {
  return at + lit.length <= end && buf.compare(lit, 0, lit.length, at, at + lit.length) === 0;
}

/** One record line `[start, end)` (no newline), parsed without its hash being checked. */
interface ParsedLine {
  seq: number;
  prevAt: number;
  hashAt: number;
  eventAt: number;
  eventEnd: number;
  event: unknown;
}

function parseLineAt(buf: Buffer, start: number, end: number, decode: 'latin1' | 'utf8'): ParsedLine | string {
  if (!bytesAt(buf, start, B_START, end)) return NOT_A_RECORD;
  const c = buf.indexOf(0x2c /* , */, start + 7);
  if (c < start + 8 || c > start + 23) return NOT_A_RECORD;
  let seq = 0;
  for (let i = start + 7; i < c; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9 || (d === 0 && i === start + 7 && c > start + 8)) return NOT_A_RECORD;
    seq = seq * 10 + d;
  }
  if (!Number.isSafeInteger(seq)) return 'seq is not a safe integer';
  if (!bytesAt(buf, c, B_PREV, end) || !bytesAt(buf, c + 73, B_HASH, end) || !bytesAt(buf, c + 147, B_EVENT, end)) return NOT_A_RECORD;
  if (end < c + 159 || buf[end - 1] !== 0x7d /* } */) return 'record does not end with }';
  let event: unknown;
  try {
    event = JSON.parse(buf.toString(decode, c + 157, end - 1));
  } catch (e) {
    return `event is not valid JSON (${(e as Error).message})`;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof (event as { type?: unknown }).type !== 'string') {
    return 'event is not an object with a string "type"';
  }
  return { seq, prevAt: c + 9, hashAt: c + 83, eventAt: c + 157, eventEnd: end - 1, event };
}

let scratch = Buffer.alloc(64 * 1024);

/** Does the record's stored hash equal SHA-256(prev \n seq \n eventJson), computed from the bytes in place? */
function hashMatches(buf: Buffer, lineStart: number, p: ParsedLine): boolean {
  const seqAt = lineStart + 7;
  const seqLen = p.prevAt - 9 - seqAt;
  const evLen = p.eventEnd - p.eventAt;
  const n = 64 + 1 + seqLen + 1 + evLen;
  if (scratch.length < n) scratch = Buffer.alloc(n * 2);
  buf.copy(scratch, 0, p.prevAt, p.prevAt + 64);
  scratch[64] = 0x0a;
  buf.copy(scratch, 65, seqAt, seqAt + seqLen);
  scratch[65 + seqLen] = 0x0a;
  buf.copy(scratch, 66 + seqLen, p.eventAt, p.eventEnd);
  const digest = oneShotHash('sha256', scratch.subarray(0, n), 'buffer');
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
 * Stops at the first error. One pass over the bytes: no per-line strings except the event JSON
 * handed to JSON.parse, and SHA-256 computed in place.
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
  const lastNl = buf.lastIndexOf(0x0a);
  let completeEnd = lastNl + 1; // bytes [0, completeEnd) are complete lines
  if (completeEnd < buf.length) res.tornTail = true;
  if (completeEnd === 0) return res;
  // The writer only writes ASCII; anything else is decoded as UTF-8 and left to the hash check.
  const decode = isAscii(buf) ? 'latin1' : 'utf8';

  // A last complete line that is not a record at all is also a torn write (zero-filled block…).
  const prevNl = buf.lastIndexOf(0x0a, lastNl - 1);
  if (typeof parseLineAt(buf, prevNl + 1, lastNl, decode) === 'string') {
    res.tornTail = true;
    completeEnd = prevNl + 1;
  }

  const expectedPrev = opts.expectedPrev === undefined ? null : Buffer.from(opts.expectedPrev, 'latin1');
  let prevHashAt = -1; // where the previous record's hash sits in buf
  let expectedSeq = opts.expectedFirstSeq;
  let lineNo = 0;
  let last: ParsedLine | null = null;
  for (let start = 0; start < completeEnd; ) {
    const end = buf.indexOf(0x0a, start);
    lineNo++;
    const p = parseLineAt(buf, start, end, decode);
    if (typeof p === 'string') {
      res.error = { line: lineNo, message: p };
      return res;
    }
    if (expectedSeq !== undefined && p.seq !== expectedSeq) {
      res.error = { line: lineNo, message: `seq ${p.seq} where ${expectedSeq} was expected` };
      return res;
    }
    if (prevHashAt >= 0) {
      if (buf.compare(buf, prevHashAt, prevHashAt + 64, p.prevAt, p.prevAt + 64) !== 0) {
        res.error = { line: lineNo, message: `prev does not match the hash of line ${lineNo - 1}` };
        return res;
      }
    } else if (expectedPrev !== null) {
      if (expectedPrev.length !== 64 || buf.compare(expectedPrev, 0, 64, p.prevAt, p.prevAt + 64) !== 0) {
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
  return res;
}
