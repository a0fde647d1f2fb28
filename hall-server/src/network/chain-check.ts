/**
 * Does a batch of journal lines continue a hall's chain as the upstream holds it? Pure: the
 * caller passes the stored tail and the stored hashes the batch overlaps; the answer is the
 * records to store, or a refusal with a stable code. Each line is checked with the journal's own
 * verifier (journal-format.ts), over the very bytes the hall hashed, never re-serialised JSON.
 */
import { ZERO_HASH, scanJournal } from '../journal/journal-format';

export interface ReceivedRecord {
  seq: number;
  prev: string;
  hash: string;
  /** The journal line as the hall wrote it, without its newline. */
  line: string;
  event: { type: string; at?: string; [k: string]: unknown };
}

/** Where the upstream's copy of a hall's chain ends (seq 0 and 64 zeros: nothing yet). */
export interface ChainTail {
  lastSeq: number;
  lastHash: string;
}

export type ChainRefusalCode = 'NETWORK.GAP' | 'NETWORK.FORK' | 'NETWORK.CHAIN_BROKEN' | 'PROTOCOL.INVALID_PAYLOAD';

export interface ChainRefusal {
  code: ChainRefusalCode;
  message: string;
  details: Record<string, number>;
}

export type ChainVerdict = { ok: true; fresh: ReceivedRecord[]; duplicates: number } | { ok: false; refusal: ChainRefusal };

const refuse = (code: ChainRefusalCode, message: string, details: Record<string, number> = {}): { ok: false; refusal: ChainRefusal } => ({
  ok: false,
  refusal: { code, message, details },
});

/** One journal line, checked alone: layout, JSON and its own hash. A string says what is wrong. */
export function parseRecordLine(line: string): ReceivedRecord | { error: string; tampered: boolean } {
  if (line.includes('\n')) return { error: 'a record holds a newline', tampered: false };
  const r = scanJournal(Buffer.from(`${line}\n`, 'utf8'), { collect: true });
  if (r.error) return { error: r.error.message, tampered: r.error.message.startsWith('hash does not match') };
  return { seq: r.firstSeq!, prev: r.firstPrev!, hash: r.lastHash!, line, event: r.events[0] as ReceivedRecord['event'] };
}

/** Parses every line of a batch; the first bad one refuses it (a changed record: CHAIN_BROKEN). */
export function parseBatch(lines: readonly string[]): { ok: true; records: ReceivedRecord[] } | { ok: false; refusal: ChainRefusal } {
  const records: ReceivedRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const p = parseRecordLine(lines[i]!);
    if ('error' in p) {
      return p.tampered
        ? refuse('NETWORK.CHAIN_BROKEN', `records[${i}]: ${p.error}`, { index: i })
        : refuse('PROTOCOL.INVALID_PAYLOAD', `records[${i}]: ${p.error}`, { index: i });
    }
    records.push(p);
  }
  return { ok: true, records };
}

/**
 * The verdict on parsed, non-empty `records` given the stored `tail` and `storedHash(seq)` for
 * seqs up to the tail (a replayed record must be byte-identical: same hash).
 *
 * - records not consecutive, or not linked to each other: CHAIN_BROKEN;
 * - the first record beyond the tail + 1: GAP (`expectedSeq` says where to resume);
 * - a record the upstream holds with another hash, or a first new record whose prev is not the
 *   tail's hash: FORK;
 * - a hall's very first record that does not start the chain (seq 1, prev 64 zeros): GAP.
 */
export function checkBatch(tail: ChainTail, records: readonly ReceivedRecord[], storedHash: (seq: number) => string | undefined): ChainVerdict {
  const first = records[0]!;
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    const before = records[i - 1]!;
    if (r.seq !== before.seq + 1) return refuse('NETWORK.CHAIN_BROKEN', `records[${i}]: seq ${r.seq} after ${before.seq} (records must be consecutive, in order)`, { index: i });
    if (r.prev !== before.hash) return refuse('NETWORK.CHAIN_BROKEN', `records[${i}]: prev does not match the hash of the record before it`, { index: i });
  }
  const expectedSeq = tail.lastSeq + 1;
  if (first.seq > expectedSeq) return refuse('NETWORK.GAP', `first record is seq ${first.seq}; the upstream expects seq ${expectedSeq}`, { expectedSeq });
  let duplicates = 0;
  const fresh: ReceivedRecord[] = [];
  for (const r of records) {
    if (r.seq <= tail.lastSeq) {
      const held = storedHash(r.seq);
      if (held === undefined) return refuse('NETWORK.GAP', `the upstream has no record seq ${r.seq} to compare`, { expectedSeq });
      if (held !== r.hash) return refuse('NETWORK.FORK', `record seq ${r.seq} differs from the one received before`, { seq: r.seq });
      duplicates++;
      continue;
    }
    if (fresh.length === 0 && r.prev !== tail.lastHash) {
      return tail.lastSeq === 0
        ? refuse('NETWORK.GAP', `seq ${r.seq} does not start the chain (prev must be 64 zeros)`, { expectedSeq })
        : refuse('NETWORK.FORK', `record seq ${r.seq} does not link to record seq ${tail.lastSeq} received before`, { seq: r.seq });
    }
    fresh.push(r);
  }
  return { ok: true, fresh, duplicates };
}

export const EMPTY_TAIL: ChainTail = { lastSeq: 0, lastHash: ZERO_HASH };
