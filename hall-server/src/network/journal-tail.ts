/**
 * Reads this hall's own journal for the upstream link: the lines after a given seq, in order,
 * across day files, archived (gzipped, closed) days included, exactly as written. The seq range
 * of each closed day is remembered (a closed day does not change), and the live day is read on
 * from where the last read stopped, so a hall pushing all day reads each byte about once.
 */
import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import { listAllDayFiles } from '../journal/journal-files';

const gunzip = promisify(gunzipCb);

const SEQ_RE = /^\{"seq":(\d+),/;

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

export class JournalTail {
  /** Seq ranges of day files by path (+ size), for the days already read whole. */
  readonly #ranges = new Map<string, DayRange | null>();
  /** Where the last read of a live file stopped: after record `seq`, at byte `offset`. */
  #hint: { path: string; seq: number; offset: number } | null = null;

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
      const isLast = i === files.length - 1;
      const key = f.path;
      const known = this.#ranges.get(key);
      if (!isLast && known !== undefined && (known === null || known.last <= afterSeq)) continue;
      let text: string;
      let base = 0;
      const hint = this.#hint;
      if (!f.archived && hint && hint.path === f.path && hint.seq === afterSeq) {
        text = await readFrom(f.path, hint.offset);
        base = hint.offset;
      } else {
        const raw = await readFile(f.path);
        text = (f.archived ? await gunzip(raw) : raw).toString('utf8');
      }
      let start = 0;
      let first: number | null = null;
      let last: number | null = null;
      for (;;) {
        const end = text.indexOf('\n', start);
        if (end < 0) break; // an unfinished last line is not a record yet
        const line = text.slice(start, end);
        const seq = seqOfLine(line);
        start = end + 1;
        if (seq === null) continue;
        first ??= seq;
        last = seq;
        if (seq <= afterSeq) continue;
        if (seq > upToSeq || out.length >= max) break;
        out.push({ seq, line });
        // Journal files are pure ASCII (journal-format.ts): characters are bytes.
        if (!f.archived) this.#hint = { path: f.path, seq, offset: base + start };
      }
      // Closed days never change: remember their range (only when read whole from the start).
      if (!isLast && base === 0 && start >= text.length) this.#ranges.set(key, first === null ? null : { first, last: last! });
    }
    return out;
  }
}

async function readFrom(file: string, offset: number): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size <= offset) return '';
    const buf = Buffer.alloc(size - offset);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.toString('utf8', 0, got);
  } finally {
    await fh.close();
  }
}
