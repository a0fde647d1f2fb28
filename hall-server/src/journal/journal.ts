/**
 * The event journal: `journal/YYYY-MM-DD.jsonl`, one hash-chained record per line, appended and
 * synced to disk (an O_DSYNC write, or a write and an fdatasync) before an append is
 * acknowledged. Line format and hash: see `journal-format.ts`.
 *
 * Group commit: the first append() starts a write+sync (one O_DSYNC write where the platform
 * has it, see openDayFile); every append() made while it is in flight waits and goes into the
 * next single write+sync. Records are in append() call order; a failed write or sync rejects
 * every caller in that batch.
 *
 * Opening reads and checks the whole day file, or, given a starting point (where a state
 * snapshot stands), only what follows it; the prefix is then checked on a worker thread
 * (chain-check.ts) with the chunked verifier of `hall-server verify` (journal-files.ts).
 */
import { constants } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { ZERO_HASH, eventToJson, formatRecord, scanJournal } from './journal-format';
import {
  JournalError,
  assertDay,
  chainTailBefore,
  corrupt,
  dayFilePath,
  ensureDir,
  fsyncDir,
  readFully,
  readWhole,
  recordEndingAt,
} from './journal-files';

export interface JournalRecord<E = unknown> {
  seq: number;
  prev: string;
  hash: string;
  event: E;
}

/**
 * A point in a day file to open from, as a state snapshot records it: the record ending exactly
 * at byte `bytes` of the file has this `seq` and `hash`.
 */
export interface JournalStart {
  seq: number;
  hash: string;
  bytes: number;
}

/** The part of the day file that an open from a `JournalStart` did not read, for a later check. */
export interface UncheckedPrefix {
  file: string;
  /** The chain before the day's first record (the previous day's last record, or zeros and 0). */
  expectedPrev: string;
  expectedFirstSeq: number;
  /** The file's length when it was opened; the check covers all of it. */
  bytes: number;
}

export interface OpenedJournal<E extends { type: string }> {
  journal: Journal<E>;
  /**
   * The day's events, in order, for replay: all of them, or with `resumed` only those after the
   * starting point.
   */
  events: E[];
  /** A torn last line (crash mid-write, never acknowledged) was found and cut off. */
  tornLineDropped: boolean;
  /** Opened from `options.from`: `events` holds only the records after it. */
  resumed: boolean;
  /** Why `options.from` was not used (the whole day was read instead); null when it was, or none was given. */
  fromRejected: string | null;
  /** With `resumed`: the records before the starting point were not read or verified (see verifyJournalRange). */
  unchecked: UncheckedPrefix | null;
}

export interface JournalOptions {
  /**
   * Read only the records after this point (a state snapshot covers those before it), provided
   * the record ending at `from.bytes` has `from.seq` and `from.hash`; otherwise the whole day is
   * read as without it, and `fromRejected` says why.
   */
  from?: JournalStart | undefined;
  /**
   * Test hook: runs after a batch is written and before it is synced; a throw fails the batch.
   * Given it, the journal writes and then calls fdatasync instead of writing with O_DSYNC.
   */
  beforeSync?: (records: number) => void | Promise<void>;
}

interface AppendOp {
  kind: 'append';
  json: string[];
  resolve: () => void;
  reject: (e: unknown) => void;
}
interface ControlOp {
  kind: 'rollover' | 'close';
  day: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}
type Op = AppendOp | ControlOp;

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/**
 * Each write of the journal is durable when it returns: the day file is opened with O_DSYNC, so
 * a batch costs one system call (and one trip to libuv's threads, which on a busy two-core
 * machine is two thread wake-ups) instead of a write and an fdatasync. On ext4 and XFS an
 * O_DSYNC write syncs exactly what fdatasync would. Where the flag does not exist (Windows), and
 * with the test hook that must run between the write and the sync, the journal writes and then
 * calls fdatasync.
 */
const DSYNC_APPEND = constants.O_DSYNC === undefined ? undefined : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC;
const writesDurably = (options: JournalOptions): boolean => options.beforeSync === undefined && DSYNC_APPEND !== undefined;

/** Open (creating if needed) a day file for appending, with `dsync` for O_DSYNC writes (see writesDurably); fsync the directory when it is new. */
async function openDayFile(dir: string, day: string, dsync: boolean): Promise<{ fh: FileHandle; size: number }> {
  const file = dayFilePath(dir, day);
  let existed = true;
  try {
    await stat(file);
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
    existed = false;
  }
  const fh = await open(file, dsync ? DSYNC_APPEND! : 'a', 0o600);
  try {
    const size = (await fh.stat()).size;
    if (!existed) {
      await fh.sync();
      await fsyncDir(dir);
    }
    return { fh, size };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/**
 * The bytes of `file` after `from.bytes`, provided the record ending exactly there has `from.seq`
 * and `from.hash` (and is itself intact); otherwise why not. Reads that one line and the tail,
 * never the prefix.
 */
async function readAfter(file: string, from: JournalStart): Promise<Buffer | string> {
  if (!Number.isSafeInteger(from.bytes) || from.bytes <= 0 || !Number.isSafeInteger(from.seq) || from.seq <= 0) return 'not a valid starting point';
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return 'the day file does not exist';
    throw e;
  }
  try {
    const size = (await fh.stat()).size;
    const wrong = await recordEndingAt(fh, size, from);
    if (wrong !== null) return wrong;
    const buf = Buffer.allocUnsafe(size - from.bytes);
    if ((await readFully(fh, buf, 0, buf.length, from.bytes)) < buf.length) return 'the day file became shorter while it was read';
    return buf;
  } finally {
    await fh.close();
  }
}

export class Journal<E extends { type: string }> {
  readonly dir: string;
  #day: string;
  #fh: FileHandle | null;
  #size: number;
  #lastSeq: number;
  #lastHash: string;
  #dayStart: { seq: number; hash: string };
  #syncs = 0;
  #queue: Op[] = [];
  #draining = false;
  #failed: JournalError | null = null;
  #closed = false;
  readonly #options: JournalOptions;
  /** Writes are durable on return (O_DSYNC); otherwise each batch's write is followed by an fdatasync. */
  readonly #dsync: boolean;

  private constructor(dir: string, day: string, fh: FileHandle, size: number, dayStart: { seq: number; hash: string }, lastSeq: number, lastHash: string, options: JournalOptions) {
    this.dir = dir;
    this.#day = day;
    this.#dayStart = dayStart;
    this.#fh = fh;
    this.#size = size;
    this.#lastSeq = lastSeq;
    this.#lastHash = lastHash;
    this.#options = options;
    this.#dsync = writesDurably(options);
  }

  /**
   * Open the journal for `day` (creating `dir`), replaying that day's file. A torn or unparsable
   * last line is cut off (nothing before it is lost) and reported. A bad line elsewhere, a broken
   * chain, or a first record that does not link to the previous day's last record throws a
   * JournalError naming the file and line: the server must refuse to start.
   *
   * With `options.from`, only the bytes after the starting point are read and checked (with the
   * same rules, the chain continuing from `from.hash`); the prefix is left for a later check.
   */
  static async open<E extends { type: string }>(dir: string, day: string, options: JournalOptions = {}): Promise<OpenedJournal<E>> {
    assertDay(day);
    try {
      return await Journal.#open<E>(dir, day, options);
    } catch (e) {
      if (e instanceof JournalError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new JournalError(`journal ${dir}: cannot open ${day}: ${code ?? (e as Error).message}`, { file: dayFilePath(dir, day) }, { cause: e });
    }
  }

  static async #open<E extends { type: string }>(dir: string, day: string, options: JournalOptions): Promise<OpenedJournal<E>> {
    await ensureDir(dir);
    const file = dayFilePath(dir, day);
    const tail = await chainTailBefore(dir, day);
    const from = options.from;
    let start: { buf: Buffer; from: JournalStart } | null = null;
    let fromRejected: string | null = null;
    if (from) {
      const r = await readAfter(file, from);
      if (typeof r === 'string') fromRejected = r;
      else start = { buf: r, from };
    }
    let buf: Buffer | null = start?.buf ?? null;
    if (!start) {
      try {
        buf = await readWhole(file);
      } catch (e) {
        if (!isErrno(e, 'ENOENT')) throw e;
      }
    }
    // The records before `buf` starts: none, or those up to the starting point.
    const base = start ? { seq: start.from.seq, hash: start.from.hash, bytes: start.from.bytes, lines: start.from.seq - tail.seq } : { seq: tail.seq, hash: tail.hash, bytes: 0, lines: 0 };
    let lastSeq = base.seq;
    let lastHash = base.hash;
    let events: E[] = [];
    let tornLineDropped = false;
    if (buf !== null && buf.length > 0) {
      const r = scanJournal(buf, { collect: true, ...(start ? { expectedPrev: base.hash, expectedFirstSeq: base.seq + 1 } : {}) });
      if (r.error) throw corrupt(file, { line: base.lines + r.error.line, message: r.error.message });
      if (r.records > 0) {
        if (!start && (r.firstPrev !== tail.hash || r.firstSeq !== tail.seq + 1)) {
          const where = tail.file ?? '(no earlier journal: 64 zeros, seq 1)';
          throw new JournalError(
            `journal ${file} line 1: does not continue the chain of ${where} ` +
              `(expected seq ${tail.seq + 1} and prev ${tail.hash.slice(0, 12)}…, found seq ${r.firstSeq} and prev ${r.firstPrev!.slice(0, 12)}…). ` +
              'Run `hall-server verify` and restore the missing or changed journal files from a backup.',
            { file, line: 1 },
          );
        }
        lastSeq = r.lastSeq!;
        lastHash = r.lastHash!;
      }
      if (r.tornTail) {
        tornLineDropped = true;
        await truncate(file, base.bytes + r.goodBytes);
      }
      events = r.events as E[];
    }
    const { fh, size } = await openDayFile(dir, day, writesDurably(options));
    if (tornLineDropped) await fh.datasync();
    const journal = new Journal<E>(dir, day, fh, size, { seq: tail.seq, hash: tail.hash }, lastSeq, lastHash, options);
    const unchecked = start ? { file, expectedPrev: tail.hash, expectedFirstSeq: tail.seq + 1, bytes: size } : null;
    return { journal, events, tornLineDropped, resumed: start !== null, fromRejected, unchecked };
  }

  /** The day whose file appends go to. */
  get day(): string {
    return this.#day;
  }
  /**
   * Where the chain stood before the current day's first record: the seq and hash the day file's
   * first record continues from (the previous day's last record; 0 and 64 zeros for none).
   */
  get dayStart(): { seq: number; hash: string } {
    return this.#dayStart;
  }
  /** Seq of the last durable record (0 = none ever). */
  get lastSeq(): number {
    return this.#lastSeq;
  }
  /** Hash of the last durable record (64 zeros = none ever). */
  get lastHash(): string {
    return this.#lastHash;
  }
  /** Bytes of the current day file that hold durable records (it ends with the record of `lastSeq`, or is empty). */
  get size(): number {
    return this.#size;
  }
  /** Durable batch writes (O_DSYNC writes or fdatasync calls) so far: group commit makes this smaller than the appends. */
  get syncCount(): number {
    return this.#syncs;
  }
  /** Set after a failed sync: every later append is refused until the server restarts. */
  get failure(): JournalError | null {
    return this.#failed;
  }

  /**
   * Append events as consecutive records. Resolves only when they are written and fdatasync'd.
   * Events are serialised at call time (later changes to the objects are not recorded).
   */
  append(events: E[]): Promise<void> {
    if (this.#closed) return Promise.reject(new JournalError('journal is closed', { file: dayFilePath(this.dir, this.#day) }));
    if (this.#failed) return Promise.reject(this.#failed);
    const json: string[] = [];
    try {
      for (const ev of events) {
        if (typeof ev !== 'object' || ev === null || typeof ev.type !== 'string') throw new TypeError('journal event must be an object with a string type');
        json.push(eventToJson(ev));
      }
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#enqueue({ kind: 'append', json });
  }

  /**
   * Day close: waits for every append made before it, closes the old file, and sends later
   * appends to `day`'s file; the chain and seq continue. `day` must be later than the current day.
   */
  rollover(day: string): Promise<void> {
    try {
      assertDay(day);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#closed) return Promise.reject(new JournalError('journal is closed'));
    return this.#enqueue({ kind: 'rollover', day });
  }

  /** Waits for pending appends, then closes the file. Later appends are rejected. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#enqueue({ kind: 'close', day: this.#day });
  }

  #enqueue(op: { kind: 'append'; json: string[] } | { kind: 'rollover' | 'close'; day: string }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Built field by field: a spread (`{ ...op, resolve }`) made V8 build fresh hidden classes
      // for every append (docs/PERFORMANCE.md, "Hidden classes").
      this.#queue.push(op.kind === 'append' ? { kind: 'append', json: op.json, resolve, reject } : { kind: op.kind, day: op.day, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        // A microtask lets appends made in the same tick share the first write+sync.
        queueMicrotask(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const head = this.#queue[0]!;
        if (head.kind === 'append') {
          let n = 1;
          while (n < this.#queue.length && this.#queue[n]!.kind === 'append') n++;
          const batch = this.#queue.splice(0, n) as AppendOp[];
          await this.#commit(batch);
        } else {
          this.#queue.shift();
          try {
            if (head.kind === 'rollover') await this.#switchDay(head.day);
            else await this.#closeFile();
            head.resolve();
          } catch (e) {
            head.reject(e);
          }
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: AppendOp[]): Promise<void> {
    const fail = (e: unknown): void => {
      for (const op of batch) op.reject(e);
    };
    if (this.#failed) return fail(this.#failed);
    const fh = this.#fh;
    if (!fh) return fail(new JournalError('journal is closed'));
    let seq = this.#lastSeq;
    let prev = this.#lastHash;
    let text = '';
    for (const op of batch) {
      for (const j of op.json) {
        seq++;
        const rec = formatRecord(prev, seq, j);
        text += rec.line;
        prev = rec.hash;
      }
    }
    if (text.length > 0) {
      const buf = Buffer.from(text, 'latin1'); // eventToJson made it ASCII
      try {
        await writeAll(fh, buf);
      } catch (e) {
        const file = this.#file();
        // Take back a partial write so the file still ends on a whole record.
        try {
          await fh.truncate(this.#size);
          // An O_DSYNC write that fails may have failed in its sync: as after a failed fdatasync,
          // the kernel may have dropped dirty pages, so nothing more is trusted.
          if (this.#dsync) this.#failed = new JournalError(`journal ${file}: durable write failed (${(e as Error).message}); restart the server`, { file }, { cause: e });
        } catch {
          this.#failed = new JournalError(`journal ${file}: write failed and could not be undone; restart the server`, { file }, { cause: e });
        }
        return fail(new JournalError(`journal ${file}: write failed: ${(e as Error).message}`, { file }, { cause: e }));
      }
      try {
        if (!this.#dsync) {
          await this.#options.beforeSync?.(seq - this.#lastSeq);
          await fh.datasync();
        }
        this.#syncs++;
      } catch (e) {
        const file = this.#file();
        // After a failed fsync the kernel may have dropped the dirty pages: trust nothing more.
        this.#failed = new JournalError(`journal ${file}: sync failed (${(e as Error).message}); restart the server`, { file }, { cause: e });
        try {
          await fh.truncate(this.#size);
        } catch {
          /* already failed */
        }
        return fail(this.#failed);
      }
      this.#size += buf.length;
      this.#lastSeq = seq;
      this.#lastHash = prev;
    }
    for (const op of batch) op.resolve();
  }

  /** The current day file, for error messages (not worth a path join per batch). */
  #file(): string {
    return dayFilePath(this.dir, this.#day);
  }

  async #switchDay(day: string): Promise<void> {
    if (day === this.#day) return;
    if (day < this.#day) throw new RangeError(`cannot roll the journal back from ${this.#day} to ${day}`);
    if (this.#failed) throw this.#failed;
    const next = await openDayFile(this.dir, day, this.#dsync);
    if (next.size > 0) {
      await next.fh.close();
      throw new JournalError(`journal ${dayFilePath(this.dir, day)} already has records; cannot roll over into it`, {
        file: dayFilePath(this.dir, day),
      });
    }
    const old = this.#fh;
    this.#fh = next.fh;
    this.#size = 0;
    this.#day = day;
    this.#dayStart = { seq: this.#lastSeq, hash: this.#lastHash };
    await old?.close();
  }

  async #closeFile(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    // Appends still queued behind close() are rejected by #commit (no file).
    await fh?.close();
  }
}

export { ZERO_HASH };
