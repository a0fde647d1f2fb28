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
 * Records are written over zeros preallocated ahead of them (see "Preallocation" below), so a
 * durable write does not grow the file.
 *
 * Opening reads and checks the whole day file, or, given a starting point (where a state
 * snapshot stands), only what follows it; the prefix is then checked on a worker thread
 * (chain-check.ts) with the chunked verifier of `hall-server verify` (journal-files.ts).
 */
import { constants } from 'node:fs';
import { open, stat, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { MAX_WRITE_BYTES, ZERO_HASH, endOfNonZero, eventToJson, formatRecord, scanJournal } from './journal-format';
import { writeFileDurably } from '../durable-fs';
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
  /** Where the day's records ended when it was opened; the check covers all of them. */
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
  /**
   * With `tornLineDropped`: the file the cut-off bytes were kept in (next to the day file, named
   * `<day>.jsonl.torn-<n>`), and how many. Kept because a zeroed block near the end of the
   * records (disk damage) cannot be told from an unfinished write (journal-format.ts): should
   * that be what happened, the records are there to recover. Null when nothing was cut.
   */
  tornTail: { file: string; bytes: number } | null;
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
  /**
   * Bytes of zeros kept ready ahead of the records (see "Preallocation" below); 0 turns it off
   * (the file then grows with each write). Default PREALLOCATE_BYTES.
   */
  preallocateBytes?: number;
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

/**
 * `buf` written at `position`, in calls of at most MAX_WRITE_BYTES, each durable before the next
 * starts: what a crash can leave half-done must lie within MAX_WRITE_BYTES (journal-format.ts,
 * "Zero-filled tail"). With O_DSYNC each call is; without it (`syncPieces`), each piece but the
 * last is followed by an fdatasync (the caller syncs the last).
 */
async function writeAllAt(fh: FileHandle, buf: Buffer, position: number, syncPieces: boolean): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, Math.min(buf.length - off, MAX_WRITE_BYTES), position + off);
    off += bytesWritten;
    if (syncPieces && off < buf.length) await fh.datasync();
  }
}

/**
 * ## Preallocation
 *
 * A durable write that makes the file longer must also make its new size durable: on ext4 each
 * one commits the file system's own journal (jbd2), a second disk write and a wait for another
 * thread. Overwriting bytes the file already has needs neither. So the journal keeps zeros ready
 * ahead of its records (as PostgreSQL and etcd do for their write-ahead logs) and writes its
 * records over them at their offsets: on this machine a durable write costs ~40% less CPU and
 * wall time that way (docs/PERFORMANCE.md). When fewer than half of them are left, the next
 * PREALLOCATE_BYTES are zeroed and synced in the background; a write never goes past zeros that
 * are not yet synced (it waits for them, or, for a batch bigger than all of them, extends the
 * file itself). Readers take the records to end at the first zero byte (journal-format.ts,
 * "Zero-filled tail"); day close and close() cut the file to its records.
 */
export const PREALLOCATE_BYTES = 2 * 1024 * 1024;
const ZEROS = Buffer.alloc(256 * 1024);

/**
 * Each write of the journal is durable when it returns: the day file is opened with O_DSYNC, so
 * a batch costs one system call (and one trip to libuv's threads, which on a busy two-core
 * machine is two thread wake-ups) instead of a write and an fdatasync. On ext4 and XFS an
 * O_DSYNC write syncs exactly what fdatasync would. Where the flag does not exist (Windows), and
 * with the test hook that must run between the write and the sync, the journal writes and then
 * calls fdatasync.
 */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT;
const writesDurably = (options: JournalOptions): boolean => options.beforeSync === undefined && constants.O_DSYNC !== undefined;

/**
 * Open (creating if needed) a day file for writing at offsets (not O_APPEND: records overwrite
 * the preallocated zeros), with `dsync` for O_DSYNC writes (see writesDurably); fsync the
 * directory when it is new. `size` is the file's length, zero-filled tail included.
 */
async function openDayFile(dir: string, day: string, dsync: boolean): Promise<{ fh: FileHandle; size: number }> {
  const file = dayFilePath(dir, day);
  let existed = true;
  try {
    await stat(file);
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
    existed = false;
  }
  const fh = await open(file, dsync ? WRITE_FLAGS | constants.O_DSYNC : WRITE_FLAGS, 0o600);
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

/** Writes `bytes` cut off a day file to the first free `<file>.torn-<n>` (durably) and returns its path. */
async function keepTornBytes(file: string, bytes: Buffer): Promise<string> {
  for (let n = 1; ; n++) {
    const kept = `${file}.torn-${n}`;
    try {
      await stat(kept);
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) throw e;
      await writeFileDurably(kept, bytes);
      return kept;
    }
  }
}

export class Journal<E extends { type: string }> {
  readonly dir: string;
  #day: string;
  #fh: FileHandle | null;
  /** Bytes of the day file that hold records; the next write goes here. */
  #size: number;
  /** The file is this long, and synced zeros lie between #size and here (see "Preallocation"). */
  #allocated: number;
  /** Zeroing of the next stretch, while it runs. */
  #extending: Promise<void> | null = null;
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

  private constructor(
    dir: string,
    day: string,
    fh: FileHandle,
    file: { size: number; allocated: number },
    dayStart: { seq: number; hash: string },
    lastSeq: number,
    lastHash: string,
    options: JournalOptions,
  ) {
    this.dir = dir;
    this.#day = day;
    this.#dayStart = dayStart;
    this.#fh = fh;
    this.#size = file.size;
    this.#allocated = file.allocated;
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
    const pre = options.preallocateBytes;
    if (pre !== undefined && !(Number.isSafeInteger(pre) && pre >= 0)) throw new RangeError('preallocateBytes must be a whole number of bytes, 0 or more');
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
    let tornTail: { file: string; bytes: number } | null = null;
    let dataEnd = base.bytes; // where the records end (a zero-filled tail may follow)
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
      dataEnd = base.bytes + r.goodBytes;
      if (r.tornTail) {
        tornLineDropped = true;
        const cut = buf.subarray(r.goodBytes, endOfNonZero(buf, r.goodBytes));
        if (cut.length > 0) tornTail = { file: await keepTornBytes(file, cut), bytes: cut.length };
        // The zeros after it go too: the next stretch is zeroed afresh, so no byte of the unfinished write stays behind.
        await truncate(file, dataEnd);
      }
      events = r.events as E[];
    }
    const { fh, size } = await openDayFile(dir, day, writesDurably(options));
    if (tornLineDropped) await fh.datasync();
    const journal = new Journal<E>(dir, day, fh, { size: dataEnd, allocated: Math.max(size, dataEnd) }, { seq: tail.seq, hash: tail.hash }, lastSeq, lastHash, options);
    await journal.#preallocate();
    const unchecked = start ? { file, expectedPrev: tail.hash, expectedFirstSeq: tail.seq + 1, bytes: dataEnd } : null;
    return { journal, events, tornLineDropped, tornTail, resumed: start !== null, fromRejected, unchecked };
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
      const end = this.#size + buf.length;
      try {
        // Never past zeros still being written (see "Preallocation").
        if (end > this.#allocated && this.#extending) await this.#extending;
        void this.#preallocate(end);
        await writeAllAt(fh, buf, this.#size, !this.#dsync);
      } catch (e) {
        const file = this.#file();
        // Take back a partial write so the file still ends on a whole record.
        try {
          await this.#extending;
          await fh.truncate(this.#size);
          this.#allocated = this.#size;
          // Durably, so that a rejected batch's first pieces do not come back after a power cut.
          await fh.datasync();
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
          await this.#extending;
          await fh.truncate(this.#size);
          this.#allocated = this.#size;
        } catch {
          /* already failed */
        }
        return fail(this.#failed);
      }
      this.#size = end;
      if (end > this.#allocated) this.#allocated = end;
      this.#lastSeq = seq;
      this.#lastHash = prev;
    }
    for (const op of batch) op.resolve();
  }

  /**
   * Starts zeroing the next PREALLOCATE_BYTES after the file's end when fewer than half of them
   * are left after `dataEnd` (see "Preallocation"). Through a handle of its own without O_DSYNC:
   * one sync for the whole stretch. A failure is left to the writes to meet (they then extend
   * the file themselves, which is correct, only slower).
   */
  #preallocate(dataEnd = this.#size): Promise<void> {
    const want = this.#options.preallocateBytes ?? PREALLOCATE_BYTES;
    if (this.#extending) return this.#extending;
    if (want <= 0 || this.#fh === null || this.#allocated - dataEnd >= want / 2) return Promise.resolve();
    const from = Math.max(this.#allocated, dataEnd);
    const file = this.#file();
    const zero = async (): Promise<void> => {
      const fh = await open(file, constants.O_WRONLY);
      try {
        for (let off = 0; off < want; ) off += (await fh.write(ZEROS, 0, Math.min(ZEROS.length, want - off), from + off)).bytesWritten;
        await fh.datasync();
      } finally {
        await fh.close();
      }
      if (file === this.#file()) this.#allocated = Math.max(this.#allocated, from + want);
    };
    const run = zero()
      .catch(() => undefined)
      .finally(() => {
        if (this.#extending === run) this.#extending = null;
      });
    this.#extending = run;
    return run;
  }

  /** Cuts the day file `fh` to its records (`size` bytes) and closes it: files at rest carry no zero-filled tail. */
  async #trimAndClose(fh: FileHandle, size: number): Promise<void> {
    await this.#extending;
    try {
      if (this.#failed === null) {
        await fh.truncate(size);
        await fh.datasync();
      }
    } catch {
      /* the tail stays; readers know where the records end */
    }
    await fh.close().catch(() => undefined);
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
      // Zeros alone (a stop right after an earlier rollover into it) are no records.
      const held = scanJournal(await readWhole(dayFilePath(this.dir, day)), { collect: false });
      if (held.records > 0 || held.error) {
        await next.fh.close();
        throw new JournalError(`journal ${dayFilePath(this.dir, day)} already has records; cannot roll over into it`, {
          file: dayFilePath(this.dir, day),
        });
      }
      try {
        await next.fh.truncate(0);
      } catch (e) {
        await next.fh.close();
        throw e;
      }
    }
    const old = this.#fh;
    const oldSize = this.#size;
    await this.#extending;
    this.#fh = next.fh;
    this.#size = 0;
    this.#allocated = 0;
    this.#day = day;
    this.#dayStart = { seq: this.#lastSeq, hash: this.#lastHash };
    if (old) await this.#trimAndClose(old, oldSize);
    await this.#preallocate();
  }

  async #closeFile(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    // Appends still queued behind close() are rejected by #commit (no file).
    if (fh) await this.#trimAndClose(fh, this.#size);
  }
}

export { ZERO_HASH };
