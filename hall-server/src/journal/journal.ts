/**
 * The event journal: `journal/YYYY-MM-DD.jsonl`, one hash-chained record per line (format and
 * hash: journal-format.ts), appended (O_APPEND) and fdatasync'd before an append is acknowledged.
 *
 * Group commit: the first append() starts a write+sync; every append() made while it is in
 * flight waits and goes into the next single write+sync. Records are in append() call order.
 * A failed write or sync rejects every caller in that batch and every later append (`failure`):
 * after a failed fsync the kernel may have dropped the pages it could not write, so nothing this
 * handle wrote is trusted any more. The owner opens the journal again, as at start, to go on.
 *
 * Opening reads and checks the whole day file. A torn last line (bytes after the last newline:
 * a crash mid-write, never acknowledged) is cut off and reported; any other damage throws a
 * JournalError naming the file and line, and only `hall-server repair` (journal-repair.ts)
 * moves it aside.
 */
import { open, readFile, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { ZERO_HASH, eventToJson, formatRecord, scanJournal } from './journal-format';
import { isErrno } from '../durable-fs';
import { JournalError, assertDay, chainTailBefore, corrupt, dayFilePath, ensureDir, fsyncDir } from './journal-files';

export interface JournalRecord<E = unknown> {
  seq: number;
  prev: string;
  hash: string;
  event: E;
}

export interface OpenedJournal<E extends { type: string }> {
  journal: Journal<E>;
  /** The day's events, in order, for replay. */
  events: E[];
  /** Bytes of a torn last line cut off the day file (0 = none). */
  tornBytes: number;
}

export interface JournalOptions {
  /** Test hook: runs after a batch is written and before it is synced; a throw fails the batch as a failed write would. */
  beforeSync?: (records: number) => void | Promise<void>;
}

interface Op {
  kind: 'append' | 'rollover' | 'close';
  json: string[];
  day: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Opens `day`'s file for appending, creating it (and making its name durable) when new. */
async function openForAppend(dir: string, day: string, existed: boolean): Promise<FileHandle> {
  const fh = await open(dayFilePath(dir, day), 'a', 0o600);
  if (!existed) {
    await fh.sync();
    await fsyncDir(dir);
  }
  return fh;
}

export class Journal<E extends { type: string }> {
  readonly dir: string;
  #day: string;
  #fh: FileHandle | null;
  /** Bytes of the day file that hold acknowledged records. */
  #size: number;
  #lastSeq: number;
  #lastHash: string;
  #syncs = 0;
  #queue: Op[] = [];
  #draining = false;
  #failed: JournalError | null = null;
  #closed = false;
  readonly #options: JournalOptions;

  private constructor(dir: string, day: string, fh: FileHandle, size: number, last: { seq: number; hash: string }, options: JournalOptions) {
    this.dir = dir;
    this.#day = day;
    this.#fh = fh;
    this.#size = size;
    this.#lastSeq = last.seq;
    this.#lastHash = last.hash;
    this.#options = options;
  }

  /**
   * Open the journal for `day` (creating `dir`), replaying that day's file. A torn last line is
   * cut off (nothing before it is lost) and reported. A bad line anywhere else, a broken chain,
   * or a first record that does not link to the previous day's last record throws a
   * JournalError naming the file and line: the server must refuse to start.
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
    const before = await chainTailBefore(dir, day);
    let buf: Buffer | null = null;
    try {
      buf = await readFile(file);
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) throw e;
    }
    const r = scanJournal(buf ?? Buffer.alloc(0), { collect: true, expectedPrev: before.hash, expectedFirstSeq: before.seq + 1 });
    if (r.error) throw corrupt(file, r.error);
    const tornBytes = (buf?.length ?? 0) - r.goodBytes;
    if (tornBytes > 0) await truncate(file, r.goodBytes);
    const fh = await openForAppend(dir, day, buf !== null);
    if (tornBytes > 0) await fh.datasync();
    const last = r.lastSeq === null ? before : { seq: r.lastSeq, hash: r.lastHash! };
    return { journal: new Journal<E>(dir, day, fh, r.goodBytes, last, options), events: r.events as E[], tornBytes };
  }

  /**
   * Throws unless a small durable write in `dir` works now (a full disk or a read-only folder
   * refuses it): how a journal that failed learns it can be opened again.
   */
  static async checkWritable(dir: string, options: JournalOptions = {}): Promise<void> {
    await ensureDir(dir);
    const file = path.join(dir, '.write-check');
    const fh = await open(file, 'w', 0o600);
    try {
      await fh.write(Buffer.alloc(4096, 0x0a));
      await options.beforeSync?.(0);
      await fh.datasync();
    } finally {
      await fh.close();
      await unlink(file).catch(() => undefined);
    }
  }

  /** The day whose file appends go to. */
  get day(): string {
    return this.#day;
  }
  /** Seq of the last durable record (0 = none ever). */
  get lastSeq(): number {
    return this.#lastSeq;
  }
  /** Hash of the last durable record (64 zeros = none ever). */
  get lastHash(): string {
    return this.#lastHash;
  }
  /** Batch write+syncs so far: group commit makes this smaller than the appends. */
  get syncCount(): number {
    return this.#syncs;
  }
  /** Set after a failed write or sync: every later append is refused; open the journal again to go on. */
  get failure(): JournalError | null {
    return this.#failed;
  }

  /**
   * Append events as consecutive records. Resolves only when they are written and fdatasync'd.
   * Events are serialised at call time (later changes to the objects are not recorded).
   */
  append(events: E[]): Promise<void> {
    if (this.#closed) return Promise.reject(new JournalError('journal is closed', { file: this.#file() }));
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
    return this.#enqueue('append', json, this.#day);
  }

  /**
   * Day close: waits for every append made before it, closes the old file, and sends later
   * appends to `day`'s file (which must not hold records yet); the chain and seq continue.
   * `day` must be later than the current day.
   */
  rollover(day: string): Promise<void> {
    try {
      assertDay(day);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#closed) return Promise.reject(new JournalError('journal is closed'));
    return this.#enqueue('rollover', [], day);
  }

  /** Waits for pending appends, then closes the file. Later appends are rejected. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return this.#enqueue('close', [], this.#day);
  }

  #enqueue(kind: Op['kind'], json: string[], day: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ kind, json, day, resolve, reject });
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
          await this.#commit(this.#queue.splice(0, n));
          continue;
        }
        this.#queue.shift();
        try {
          if (head.kind === 'rollover') await this.#switchDay(head.day);
          else await this.#closeFile();
          head.resolve();
        } catch (e) {
          head.reject(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: Op[]): Promise<void> {
    const fail = (e: unknown): void => {
      for (const op of batch) op.reject(e);
    };
    if (this.#failed) return fail(this.#failed);
    const fh = this.#fh;
    if (!fh) return fail(new JournalError('journal is closed', { file: this.#file() }));
    let seq = this.#lastSeq;
    let prev = this.#lastHash;
    let text = '';
    for (const op of batch) {
      for (const j of op.json) {
        const rec = formatRecord(prev, ++seq, j);
        text += rec.line;
        prev = rec.hash;
      }
    }
    const buf = Buffer.from(text);
    if (buf.length === 0) return batch.forEach((op) => op.resolve());
    try {
      for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off)).bytesWritten;
      await this.#options.beforeSync?.(seq - this.#lastSeq);
      await fh.datasync();
    } catch (e) {
      const file = this.#file();
      // Take the batch back so the file ends on the last acknowledged record, even where the
      // page cache still holds bytes the disk never got; what the cut misses, a reopen finds.
      await fh.truncate(this.#size).catch(() => undefined);
      this.#failed = new JournalError(`journal ${file}: write failed (${(e as Error).message})`, { file }, { cause: e });
      return fail(this.#failed);
    }
    this.#syncs++;
    this.#size += buf.length;
    this.#lastSeq = seq;
    this.#lastHash = prev;
    for (const op of batch) op.resolve();
  }

  /** The current day file, for error messages. */
  #file(): string {
    return dayFilePath(this.dir, this.#day);
  }

  async #switchDay(day: string): Promise<void> {
    if (day === this.#day) return;
    if (day < this.#day) throw new RangeError(`cannot roll the journal back from ${this.#day} to ${day}`);
    if (this.#failed) throw this.#failed;
    const next = await openForAppend(this.dir, day, false); // syncs the folder: once a day
    if ((await next.stat()).size > 0) {
      await next.close();
      const file = dayFilePath(this.dir, day);
      throw new JournalError(`journal ${file} already has records; cannot roll over into it`, { file });
    }
    await this.#fh?.close();
    this.#fh = next;
    this.#size = 0;
    this.#day = day;
  }

  async #closeFile(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    // Appends still queued behind close() are rejected by #commit (no file).
    await fh?.close();
  }
}

export { ZERO_HASH };
