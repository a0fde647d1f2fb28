/**
 * Follows one day file forward while the server appends to it: reads the records after a known
 * point up to a byte offset the writer has reported durable, in pieces, the chain (seq and prev)
 * continuing from that point. The rules are scanJournal's for a piece from the middle of a file:
 * the offset is the end of a durable record, so every line up to it must be a whole, valid
 * record (there is no torn tail to forgive). The snapshot writer thread mirrors the queue state
 * with it (app/snapshot-mirror.ts); it only ever reads.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { scanJournal } from './journal-format';
import { JournalError, readFully } from './journal-files';

/** A record end in a day file: the record ending at byte `bytes` has this seq and hash. */
export interface ChainPoint {
  seq: number;
  hash: string;
  bytes: number;
}

/**
 * Bytes read at a time (a larger piece only when one line is longer). Small, so that the events
 * of one piece die young: with 4 MiB pieces a thread catching up on a 10,000-ticket day peaked
 * ~14 MB higher (its old generation grew to hold them).
 */
const PIECE_BYTES = 256 * 1024;

export class DayFileFollower {
  readonly file: string;
  #at: ChainPoint;
  #fh: FileHandle | null = null;
  readonly #pieceBytes: number;

  /** `start`: the point reading continues from (the day's start is bytes 0 with the previous day's last seq and hash). */
  constructor(file: string, start: ChainPoint, pieceBytes = PIECE_BYTES) {
    this.file = file;
    this.#at = { ...start };
    this.#pieceBytes = Math.max(1, pieceBytes);
  }

  /** The last record read (or the starting point). */
  get at(): ChainPoint {
    return this.#at;
  }

  /**
   * Reads the records up to byte `bytes` (which must be a record end), handing each piece's
   * events to `onEvents` in journal order. Throws a JournalError for a line that is not the next
   * valid record of the chain, or a file shorter than `bytes`; `at` then stays at the last good
   * piece.
   */
  async readTo(bytes: number, onEvents: (events: unknown[]) => void): Promise<void> {
    while (this.#at.bytes < bytes) {
      const at = this.#at;
      const fh = (this.#fh ??= await open(this.file, 'r'));
      const left = bytes - at.bytes;
      let want = Math.min(this.#pieceBytes, left);
      let buf: Buffer;
      let end: number;
      for (;;) {
        buf = Buffer.allocUnsafe(want);
        const got = await readFully(fh, buf, 0, want, at.bytes);
        if (got < want) throw this.#error(at, `the file ends at byte ${at.bytes + got}, before byte ${bytes}`);
        end = want === left ? want : buf.lastIndexOf(0x0a) + 1;
        if (end > 0) break;
        want = Math.min(want * 2, left); // one line longer than a piece
      }
      if (buf[end - 1] !== 0x0a) throw this.#error(at, `no record ends at byte ${bytes}`);
      const r = scanJournal(buf.subarray(0, end), { expectedPrev: at.hash, expectedFirstSeq: at.seq + 1, collect: true, atEnd: false });
      if (r.error) throw this.#error(at, `record ${r.error.line} after it: ${r.error.message}`);
      this.#at = { seq: r.lastSeq!, hash: r.lastHash!, bytes: at.bytes + end };
      onEvents(r.events);
    }
  }

  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close();
  }

  #error(at: ChainPoint, message: string): JournalError {
    return new JournalError(`journal ${this.file} after seq ${at.seq} (byte ${at.bytes}): ${message}`, { file: this.file });
  }
}
