/**
 * Where an upstream hub forwards the journal records it accepted, beyond itself: a provincial
 * platform's message broker (Kafka, RocketMQ, a domestic MQ) or a file its connector picks up.
 * docs/SCALE.md says when a hub needs one; without one the hub's own database is the end.
 *
 * Records arrive per hall in seq order, each the journal line exactly as the hall wrote and
 * hashed it, so whoever consumes them can verify the chain again. A sink is fed after the hub
 * has stored and acknowledged a batch (never on the hall's push path) from a cursor of its own,
 * and may see a record twice after a crash: `write` must be idempotent by (hallId, seq).
 */
export interface SinkRecord {
  hallId: string;
  seq: number;
  /** The record's hash (the chain's link): a consumer's deduplication key with `hallId`. */
  hash: string;
  /** The journal line, without its newline. */
  line: string;
}

export interface EventSink {
  /** Resolves once the sink holds the records durably (the broker acknowledged them); rejects to be retried. */
  write(records: readonly SinkRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** The simulator: keeps what it was given, once per (hallId, seq); `failNext` makes writes reject. */
export class MemorySink implements EventSink {
  readonly records: SinkRecord[] = [];
  failNext = 0;
  readonly #seen = new Set<string>();

  write(records: readonly SinkRecord[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error('sink unavailable (simulated)'));
    }
    for (const r of records) {
      const key = `${r.hallId}\u0000${r.seq}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      this.records.push(r);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
