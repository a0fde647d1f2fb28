/**
 * The durable cursor of the upstream link: for each hall this hall pushes (itself, and the halls
 * it relays), the last seq the upstream acknowledged. A small file written atomically and
 * fsync'd after every acknowledged batch, so a restart resumes where the upstream stands; the
 * upstream's own idempotence covers a cursor that lags (a crash between ack and write).
 * Kept per upstream URL: pointing the hall at another upstream starts from the beginning.
 */
import { FsyncJsonFile } from '../config';

/** The key of this hall's own journal in the cursor (relayed halls go by their id). */
export const SELF = '.self';

interface CursorFile {
  version: 1;
  upstream: string;
  halls: Record<string, { seq: number; hash: string }>;
}

export class UpstreamCursor {
  readonly #file: FsyncJsonFile<CursorFile>;
  #data: CursorFile | null = null;

  constructor(file: string) {
    this.#file = new FsyncJsonFile<CursorFile>(file, { space: 0 });
  }

  /** Loads the file for `upstream`: another upstream's (or an unreadable) file counts as empty. */
  async load(upstream: string): Promise<void> {
    let d: CursorFile | null = null;
    try {
      d = await this.#file.read();
    } catch {
      d = null;
    }
    const valid = d && d.version === 1 && d.upstream === upstream && typeof d.halls === 'object' && d.halls !== null;
    this.#data = valid ? d : { version: 1, upstream, halls: {} };
  }

  get upstream(): string | null {
    return this.#data?.upstream ?? null;
  }

  /** Acknowledged seq of a hall (0 = nothing yet). */
  seq(key: string): number {
    const s = this.#data?.halls[key]?.seq;
    return typeof s === 'number' && Number.isSafeInteger(s) && s >= 0 ? s : 0;
  }

  keys(): string[] {
    return Object.keys(this.#data?.halls ?? {});
  }

  /** Records the upstream's acknowledgment, durably, before the next batch is read. */
  async set(key: string, seq: number, hash: string): Promise<void> {
    if (!this.#data) throw new Error('cursor not loaded');
    this.#data.halls[key] = { seq, hash };
    await this.#file.write(this.#data);
  }
}
