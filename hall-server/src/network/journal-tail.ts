/**
 * Reads this hall's own journal for the upstream link: the lines after a given seq, in order,
 * across day files, archived (gzipped, closed) days included, exactly as written. Bounded work
 * per batch, so a big catch-up never holds the hall's event loop for long: a day file's seq range
 * comes from its first and last lines (remembered for closed days), a live file is read in
 * windows from where the last batch stopped, and an archive is inflated once while it is read.
 */
import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import { listAllDayFiles } from '../journal/journal-files';

const gunzip = promisify(gunzipCb);

const SEQ_RE = /^\{"seq":(\d+),/;
/** Bytes read from a live day file at a time (a few thousand records). */
const WINDOW = 1 << 20;

/** Seq of a journal line, or null when it is not a record's start. */
export function seqOfLine(line: string): number | null {
  const m = SEQ_RE.exec(line);
  return m ? Number(m[1]) : null;
}

/** The event of a journal line (the JSON between `"event":` and the final `,"hash":"<64 hex>"}`). */
export function eventOfLine<E = { type: string; at?: string }>(line: string): E {
  return JSON.parse(line.slice(line.indexOf(',"event":') + 9, line.length - 75)) as E;
}

interface DayRange {
  first: number;
  last: number;
}

interface DayFile {
  path: string;
  archived: boolean;
}

export class JournalTail {
  /** Seq ranges of closed day files by path (null: no records). */
  readonly #ranges = new Map<string, DayRange | null>();
  /** Where the last batch stopped: after record `seq`, at byte `offset` of `path` (inflated for an archive). */
  #hint: { path: string; seq: number; offset: number } | null = null;
  /** The archive being read, inflated. */
  #archive: { path: string; buf: Buffer } | null = null;

  constructor(private readonly dir: string) {}

  /**
   * Up to `max` lines with seq in (afterSeq, upToSeq], in order. `upToSeq` is the journal's
   * durable seq: a line written but not yet fsync'd is never sent (a crash could take it back).
   */
  async after(afterSeq: number, upToSeq: number, max: number): Promise<Array<{ seq: number; line: string }>> {
    const out: Array<{ seq: number; line: string }> = [];
    if (upToSeq <= afterSeq || max <= 0) return out;
    const files = await listAllDayFiles(this.dir);
    for (let i = 0; i < files.length && out.length < max; i++) {
      const f = files[i]!;
      if (i < files.length - 1) {
        const r = await this.#range(f);
        if (r === null || r.last <= afterSeq) continue;
      }
      const from = this.#hint && this.#hint.path === f.path && this.#hint.seq === (out.at(-1)?.seq ?? afterSeq) ? this.#hint.offset : 0;
      const done = f.archived ? this.#take(f.path, await this.#inflated(f.path), from, afterSeq, upToSeq, max, out) : await this.#takeLive(f.path, from, afterSeq, upToSeq, max, out);
      if (done) break;
    }
    return out;
  }

  /** Reads a live day file window by window from `from`; true when the batch is complete. */
  async #takeLive(path: string, from: number, afterSeq: number, upToSeq: number, max: number, out: Array<{ seq: number; line: string }>): Promise<boolean> {
    const fh = await open(path, 'r');
    try {
      let at = from;
      for (;;) {
        const buf = Buffer.alloc(WINDOW);
        const { bytesRead } = await fh.read(buf, 0, WINDOW, at);
        const window = buf.subarray(0, bytesRead);
        const complete = window.lastIndexOf(0x0a) + 1; // an unfinished last line is not a record yet
        if (this.#take(path, window.subarray(0, complete), 0, afterSeq, upToSeq, max, out, at)) return true;
        if (bytesRead < WINDOW || complete === 0) return false;
        at += complete;
      }
    } finally {
      await fh.close();
    }
  }

  /**
   * Takes the records of `buf` (complete lines, from byte `from`) with seq in (afterSeq, upToSeq]
   * into `out`, up to `max`; remembers where it stopped. True when the batch is complete.
   */
  #take(path: string, buf: Buffer, from: number, afterSeq: number, upToSeq: number, max: number, out: Array<{ seq: number; line: string }>, base = 0): boolean {
    for (let start = from; start < buf.length; ) {
      const end = buf.indexOf(0x0a, start);
      if (end < 0) return false;
      const line = buf.toString('utf8', start, end);
      start = end + 1;
      const seq = seqOfLine(line);
      if (seq === null || seq <= afterSeq) continue;
      if (seq > upToSeq) return true;
      out.push({ seq, line });
      this.#hint = { path, seq, offset: base + start };
      if (out.length >= max) return true;
    }
    return false;
  }

  async #inflated(path: string): Promise<Buffer> {
    if (this.#archive?.path !== path) this.#archive = { path, buf: await gunzip(await readFile(path)) };
    return this.#archive.buf;
  }

  /** First and last seq of a closed day file, from its first and last lines (remembered). */
  async #range(f: DayFile): Promise<DayRange | null> {
    const known = this.#ranges.get(f.path);
    if (known !== undefined) return known;
    let head: Buffer;
    let tail: Buffer;
    if (f.archived) {
      head = tail = await this.#inflated(f.path);
    } else {
      const fh = await open(f.path, 'r');
      try {
        const { size } = await fh.stat();
        head = Buffer.alloc(Math.min(size, 64));
        await fh.read(head, 0, head.length, 0);
        tail = Buffer.alloc(Math.min(size, 64 * 1024));
        await fh.read(tail, 0, tail.length, size - tail.length);
      } finally {
        await fh.close();
      }
    }
    const first = seqOfLine(head.toString('latin1', 0, 40));
    const lastNl = tail.lastIndexOf(0x0a, tail.length - 2);
    const last = seqOfLine(tail.toString('latin1', lastNl + 1, lastNl + 41));
    const range = first === null || last === null ? null : { first, last };
    this.#ranges.set(f.path, range);
    return range;
  }
}
