/**
 * State snapshots: the queue engine's state of one hall day at a point of the journal, so a
 * restart loads it and replays only the journal after that point. A snapshot is a cache: the
 * journal stays the only truth, and a snapshot that is missing, damaged, from another program
 * or V8 version, or that does not match the journal is ignored (the day is replayed in full).
 *
 * ## File: `<dataDir>/snapshots/YYYY-MM-DD.snap`
 *
 * ```
 * "HALLSNAP" | header length (uint32 LE) | header (JSON, ASCII) | payload
 * ```
 *
 * The header (`SnapshotHeader`) names the format, `process.versions.v8`, a fingerprint of the
 * server code, the day, the journal point (seq and hash of the last record covered, and the byte
 * length of the day file up to and including it) and the payload's length and SHA-256. The
 * payload is `v8.serialize` of the state with its tickets turned into columns (one array per
 * field, low-cardinality fields as an index into their distinct values, numbers as a
 * Float64Array): about half the size of serialising the ticket objects, faster to read back,
 * and the tickets come back as objects with all fields in-object, like those the engine makes.
 */
import { hash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { QueueState } from '../queue';
import { isErrno, readdirIfExists, unlinkIfExists, writeFileDurably } from '../durable-fs';

export const SNAPSHOT_DIR = 'snapshots';
const FORMAT = 1;
const MAGIC = Buffer.from('HALLSNAP', 'latin1');
const SNAP_FILE_RE = /^(\d{4}-\d{2}-\d{2})\.snap$/;

/** Where in the journal a snapshot's state stands: the day and its last record. */
export interface SnapshotPoint {
  day: string;
  /** seq and hash of the last journal record the state includes. */
  seq: number;
  hash: string;
  /** Byte length of the day file up to and including that record. */
  bytes: number;
}

export interface SnapshotHeader extends SnapshotPoint {
  format: number;
  /** `process.versions.v8` of the writer: `v8.deserialize` is only promised to read its own version. */
  v8: string;
  /** Fingerprint of the server code that built the state (see `codeFingerprint`). */
  code: string;
  payloadBytes: number;
  payloadSha256: string;
}

export type SnapshotRead =
  | { ok: true; header: SnapshotHeader; state: QueueState }
  | { ok: false; missing: boolean; reason: string };

export function snapshotPath(dir: string, day: string): string {
  return path.join(dir, `${day}.snap`);
}

// ---------------------------------------------------------------------------------------------
// Tickets as columns

type Column =
  | { kind: 'any'; values: unknown[] }
  /** `values[index[i]]`: for fields with few distinct values (service, status, counter…). */
  | { kind: 'dict'; values: unknown[]; index: Uint8Array | Uint16Array }
  /** Numbers; with `nulls`, NaN stands for null (used only when no value is NaN). */
  | { kind: 'num'; values: Float64Array; nulls: boolean };

type EncodedTickets = { kind: 'map'; map: Map<string, unknown> } | { kind: 'columns'; n: number; keys: string[]; columns: Column[] };

const SAFE_KEY_RE = /^[A-Za-z_$][\w$]*$/;
/** Fields with more distinct values than this (or than a quarter of the tickets) are stored as they are. */
const MAX_DICT = 4096;

/** A copy that V8 keeps as a packed array: v8.serialize writes a holey one (even when full) entry by entry, with indices. */
function packed(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < values.length; i++) out.push(values[i]);
  return out;
}

/** `values` may be holey (made with `new Array(n)`, then filled). */
function column(values: unknown[]): Column {
  let numbers = 0;
  let nulls = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) nulls = true;
    else if (typeof v === 'number' && !Number.isNaN(v)) numbers++;
    else {
      numbers = -1;
      break;
    }
  }
  if (values.length === 0) return { kind: 'any', values: [] };
  if (numbers > 0) {
    const f = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) f[i] = values[i] === null ? NaN : (values[i] as number);
    return { kind: 'num', values: f, nulls };
  }
  // A Map would merge -0 and 0, so numbers never go into a dictionary.
  const limit = Math.min(MAX_DICT, values.length >> 2);
  const seen = new Map<unknown, number>();
  for (const v of values) {
    if (typeof v === 'number') return { kind: 'any', values: packed(values) };
    if (!seen.has(v)) {
      if (seen.size >= limit) return { kind: 'any', values: packed(values) };
      seen.set(v, seen.size);
    }
  }
  const index = seen.size <= 256 ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) index[i] = seen.get(values[i])!;
  return { kind: 'dict', values: [...seen.keys()], index };
}

/**
 * Columns when every ticket is a plain object with the same fields in the same order, keyed by
 * its `id`; otherwise the Map as it is (v8.serialize reads it back exactly, only slower).
 */
function encodeTickets(tickets: Map<string, object>): EncodedTickets {
  const first = tickets.values().next().value as Record<string, unknown> | undefined;
  const keys = first ? Object.keys(first) : [];
  if (!first || !keys.includes('id') || !keys.every((k) => SAFE_KEY_RE.test(k) && k !== '__proto__')) return { kind: 'map', map: tickets };
  const records: Record<string, unknown>[] = [];
  for (const [id, r] of tickets as Map<string, Record<string, unknown>>) {
    if (id !== r.id || Object.getPrototypeOf(r) !== Object.prototype || !sameKeys(Object.keys(r), keys)) return { kind: 'map', map: tickets };
    records.push(r);
  }
  const columns = extractorFor(keys)(records).map(column);
  return { kind: 'columns', n: records.length, keys, columns };
}

type Extractor = (records: Record<string, unknown>[]) => unknown[][];
const extractors = new Map<string, Extractor>();

/**
 * One pass over the tickets with a property access per field written out (fast loads, not a
 * lookup by name), compiled once per set of fields and kept, so later snapshots run it warm.
 */
function extractorFor(keys: string[]): Extractor {
  const id = keys.join(',');
  let f = extractors.get(id);
  if (!f) {
    const cols = keys.map((_, j) => `c${j}`);
    f = new Function(
      'records',
      `const n = records.length, ${cols.map((c) => `${c} = new Array(n)`).join(', ')};
      for (let i = 0; i < n; i++) { const r = records[i]; ${keys.map((k, j) => `c${j}[i] = r[${JSON.stringify(k)}];`).join(' ')} }
      return [${cols.join(', ')}];`,
    ) as Extractor;
    extractors.clear(); // the fields change only with the code
    extractors.set(id, f);
  }
  return f;
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Rebuilds the Map with one generated object literal, so every ticket gets the same hidden class
 * with its fields in-object (as the engine's own literal makes them) in one fast loop. The keys
 * were checked to be plain identifiers and are quoted; the values are passed in, never inlined.
 */
function decodeTickets(t: EncodedTickets): Map<string, unknown> {
  if (t.kind === 'map') return t.map;
  if (!Array.isArray(t.keys) || !Array.isArray(t.columns) || t.keys.length !== t.columns.length || !Number.isSafeInteger(t.n)) {
    throw new Error('ticket columns are malformed');
  }
  const args: unknown[] = [];
  const arg = (v: unknown): string => `a${args.push(v) - 1}`;
  const fields = t.keys.map((key, j) => {
    if (typeof key !== 'string' || !SAFE_KEY_RE.test(key) || key === '__proto__') throw new Error('ticket columns are malformed');
    const c = t.columns[j]!;
    if (c.values.length < (c.kind === 'dict' ? 0 : t.n) || (c.kind === 'dict' && c.index.length < t.n)) throw new Error('ticket columns are malformed');
    const get =
      c.kind === 'dict'
        ? `${arg(c.values)}[${arg(c.index)}[i]]`
        : c.kind === 'num' && c.nulls
          ? `(v = ${arg(c.values)}[i]) !== v ? null : v`
          : `${arg(c.values)}[i]`;
    return `${JSON.stringify(key)}: ${get}`;
  });
  const body = `const m = new Map(); let v; for (let i = 0; i < n; i++) { const t = { ${fields.join(', ')} }; m.set(t.id, t); } return m;`;
  const build = new Function('n', ...args.map((_, k) => `a${k}`), body) as (n: number, ...a: unknown[]) => Map<string, unknown>;
  return build(t.n, ...args);
}

// ---------------------------------------------------------------------------------------------
// Encoding and decoding a whole file

/** The snapshot file's bytes (header and payload, separately: no copy of the payload). */
export function encodeSnapshot(state: QueueState, point: SnapshotPoint, code: string): Buffer[] {
  if (state.day !== point.day) throw new RangeError(`state of ${state.day} is not of day ${point.day}`);
  const payload = v8.serialize({ state: { ...state, tickets: null }, tickets: encodeTickets(state.tickets) });
  const header: SnapshotHeader = {
    format: FORMAT,
    v8: process.versions.v8,
    code,
    day: point.day,
    seq: point.seq,
    hash: point.hash,
    bytes: point.bytes,
    payloadBytes: payload.length,
    payloadSha256: hash('sha256', payload, 'hex'),
  };
  const json = Buffer.from(JSON.stringify(header), 'latin1');
  const head = Buffer.alloc(MAGIC.length + 4 + json.length);
  MAGIC.copy(head);
  head.writeUInt32LE(json.length, MAGIC.length);
  json.copy(head, MAGIC.length + 4);
  return [head, payload];
}

function isHeader(h: unknown): h is SnapshotHeader {
  if (typeof h !== 'object' || h === null) return false;
  const o = h as Record<string, unknown>;
  const int = (k: string): boolean => Number.isSafeInteger(o[k]) && (o[k] as number) >= 0;
  return (
    int('format') &&
    typeof o.v8 === 'string' &&
    typeof o.code === 'string' &&
    typeof o.day === 'string' &&
    int('seq') &&
    typeof o.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(o.hash) &&
    int('bytes') &&
    int('payloadBytes') &&
    typeof o.payloadSha256 === 'string'
  );
}

/** The state in `file`'s bytes, if they are a sound snapshot of `day` written by this code; else why not. */
export function decodeSnapshot(file: Buffer, expect: { day: string; code: string }): SnapshotRead {
  const bad = (reason: string): SnapshotRead => ({ ok: false, missing: false, reason });
  if (file.length < MAGIC.length + 4 || !file.subarray(0, MAGIC.length).equals(MAGIC)) return bad('not a snapshot file');
  const headerEnd = MAGIC.length + 4 + file.readUInt32LE(MAGIC.length);
  if (headerEnd > file.length) return bad('cut short in its header');
  let header: unknown;
  try {
    header = JSON.parse(file.toString('latin1', MAGIC.length + 4, headerEnd));
  } catch {
    return bad('unreadable header');
  }
  if (!isHeader(header)) return bad('unreadable header');
  if (header.format !== FORMAT) return bad(`format ${header.format}, this server reads ${FORMAT}`);
  if (header.v8 !== process.versions.v8) return bad(`written by V8 ${header.v8}, this is ${process.versions.v8}`);
  if (header.code !== expect.code) return bad('written by another version of the server');
  if (header.day !== expect.day) return bad(`of day ${header.day}, not ${expect.day}`);
  const payload = file.subarray(headerEnd);
  if (payload.length !== header.payloadBytes) return bad(`payload has ${payload.length} bytes, the header says ${header.payloadBytes} (torn write?)`);
  if (hash('sha256', payload, 'hex') !== header.payloadSha256) return bad('payload checksum does not match');
  let state: QueueState;
  try {
    const o = v8.deserialize(payload) as { state: QueueState; tickets: EncodedTickets };
    state = o.state;
    state.tickets = decodeTickets(o.tickets) as QueueState['tickets'];
  } catch (e) {
    return bad(`payload cannot be read (${(e as Error).message})`);
  }
  if (typeof state !== 'object' || state === null || state.day !== header.day || !(state.tickets instanceof Map)) {
    return bad('payload is not a hall day state');
  }
  return { ok: true, header, state };
}

// ---------------------------------------------------------------------------------------------
// Files

/** Writes the snapshot of `point.day` durably (temp file, fsync, rename, fsync folder), replacing the last one. */
export async function writeSnapshot(dir: string, day: string, chunks: readonly Uint8Array[]): Promise<void> {
  await writeFileDurably(snapshotPath(dir, day), chunks);
}

export async function readSnapshot(dir: string, day: string, code: string): Promise<SnapshotRead> {
  let file: Buffer;
  try {
    file = await readFile(snapshotPath(dir, day));
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return { ok: false, missing: true, reason: 'no snapshot' };
    return { ok: false, missing: false, reason: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return decodeSnapshot(file, { day, code });
}

/**
 * Deletes the snapshots of every day but `keepDay`, and temp files a crash left behind. Returns
 * the file names removed. A missing folder is fine.
 */
export async function removeOtherSnapshots(dir: string, keepDay: string | null): Promise<string[]> {
  const removed: string[] = [];
  for (const n of await readdirIfExists(dir)) {
    const m = SNAP_FILE_RE.exec(n);
    const stray = n.startsWith('.') && n.endsWith('.tmp');
    if (stray || (m && m[1] !== keepDay)) {
      await unlinkIfExists(path.join(dir, n));
      removed.push(n);
    }
  }
  return removed;
}

export function removeSnapshot(dir: string, day: string): Promise<void> {
  return unlinkIfExists(snapshotPath(dir, day));
}

let fingerprint: Promise<string> | undefined;

/**
 * Which code built a state: a snapshot is only read back by the code that wrote it, since
 * another version of the engine could build a different state from the same events. In the
 * server bundle this is the hash of the bundle file and of the snapshot writer thread's file
 * beside it (which has its own copy of the engine); run from the sources, the hash of the
 * engine's sources (`src/queue`) and of this file.
 */
export function codeFingerprint(): Promise<string> {
  fingerprint ??= (async () => {
    const self = fileURLToPath(import.meta.url);
    if (!self.endsWith('.ts')) {
      const writer = path.join(path.dirname(self), 'snapshot-worker.js');
      const parts = [await readFile(self), writer === self ? Buffer.alloc(0) : await readFile(writer).catch(() => Buffer.alloc(0))];
      return hash('sha256', Buffer.concat(parts), 'hex');
    }
    const queueDir = path.join(path.dirname(self), '../queue');
    const files = (await readdir(queueDir)).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort();
    const parts = await Promise.all([self, ...files.map((n) => path.join(queueDir, n))].map(async (f) => `${path.basename(f)}\n${await readFile(f, 'utf8')}`));
    return hash('sha256', parts.join('\n'), 'hex');
  })();
  return fingerprint;
}
