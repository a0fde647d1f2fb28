/**
 * The downstream side of the network: pushes this hall's journal (and the records of halls it
 * relays) to its upstream in batches, from the durable cursor (upstream-cursor.ts), off the
 * request path. Every failure waits a capped, jittered backoff (backoff.ts) and tries again, for
 * as long as it takes: hours or days offline are caught up when the link returns. A restart on
 * either side resumes from the cursor; the upstream acknowledges a replayed batch without
 * storing it twice. When the upstream says it lacks records it already acknowledged (restored
 * from a backup: `NETWORK.GAP` with an earlier `expectedSeq`) the cursor moves back and the
 * records are sent again. Time, timers and randomness are injected.
 */
import type { DownstreamLevel, NetworkBatch, NetworkBatchAck, UpstreamStatus } from '@hall/protocol';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
import { SELF, type UpstreamCursor } from './upstream-cursor';

/** A journal this hall pushes: its own (`key` SELF) or a relayed hall's (`key` its id). */
export interface PushSource {
  key: string;
  /** For a relayed hall: its id and name at this hall, sent with its batches. */
  relayed?: { hallId: string; name: string; level: DownstreamLevel; lastSeenAt: () => number | null };
  /** Up to `max` records after `afterSeq`, in order, only durable ones. */
  read(afterSeq: number, max: number): Promise<Array<{ seq: number; line: string }>>;
  /** The last durable seq (for the status page). */
  lastSeq(): number;
}

export interface UpstreamReply {
  status: number;
  body: unknown;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface UpstreamPusherOptions {
  /** Where to push and with which token; null = no upstream (read on every run: config may change). */
  upstream: () => { url: string; token: string } | null;
  cursor: Pick<UpstreamCursor, 'load' | 'upstream' | 'seq' | 'set'>;
  sources: () => Promise<PushSource[]>;
  /** One HTTP POST of a batch; throws when the upstream cannot be reached. */
  send: (url: string, token: string, batch: NetworkBatch) => Promise<UpstreamReply>;
  /** "Still here" when there was nothing to send (and the relayed halls' last-seen times); throws when unreachable. */
  ping: (url: string, token: string, body: { halls: Array<{ hallId: string; lastSeenAt: number | null }> }) => Promise<UpstreamReply>;
  clock: () => number;
  timers: Timers;
  random: () => number;
  formatTime: (ms: number) => string;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  batchRecords?: number;
  backoff?: BackoffPolicy;
  /** After new records: wait this long so a burst goes as one batch (ms). */
  debounceMs?: number;
  /** Look for records anyway this often (ms). */
  pollMs?: number;
}

class PushFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The upstream refused (4xx) rather than could not be reached. */
    readonly refused: boolean,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: { expectedSeq?: unknown } };
}

export class UpstreamPusher {
  readonly #o: Required<Pick<UpstreamPusherOptions, 'batchRecords' | 'backoff' | 'debounceMs' | 'pollMs'>> & UpstreamPusherOptions;
  #state: UpstreamStatus['state'] = 'idle';
  #running: Promise<void> | null = null;
  #again = false;
  #timer: unknown = null;
  #timerKind: 'debounce' | 'retry' | 'poll' | null = null;
  #attempts = 0;
  #stopped = false;
  #lastSuccessAt: number | null = null;
  #lastPingAt = -Infinity;
  #lastError: { code: string; message: string; at: number } | null = null;
  #nextAttemptAt: number | null = null;
  #sources: PushSource[] = [];

  constructor(options: UpstreamPusherOptions) {
    this.#o = { batchRecords: 500, backoff: DEFAULT_BACKOFF, debounceMs: 250, pollMs: 30_000, ...options };
  }

  start(): void {
    this.#stopped = false;
    this.poke(0);
  }

  stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer();
    return this.#running ?? Promise.resolve();
  }

  /** New records exist: push them soon (never sooner than a pending retry). */
  poke(delayMs = this.#o.debounceMs): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timerKind === 'retry' || this.#timerKind === 'debounce') return;
    this.#schedule('debounce', delayMs);
  }

  /** Runs one pass now and resolves when it is done (tests, shutdown). */
  async flush(): Promise<void> {
    this.#clearTimer();
    await (this.#running ?? this.#run());
  }

  status(): UpstreamStatus {
    const up = this.#o.upstream();
    const self = this.#sources.find((s) => s.key === SELF);
    const fmt = (ms: number | null): string | null => (ms === null ? null : this.#o.formatTime(ms));
    return {
      configured: up !== null,
      url: up?.url ?? null,
      state: up === null ? 'off' : this.#state,
      pending: self ? Math.max(0, self.lastSeq() - this.#o.cursor.seq(SELF)) : 0,
      halls: this.#sources.map((s) => ({ hallId: s.relayed?.hallId ?? SELF, ackedSeq: this.#o.cursor.seq(s.key), localSeq: s.lastSeq() })),
      lastSuccessAt: fmt(this.#lastSuccessAt),
      lastError: this.#lastError ? { code: this.#lastError.code, message: this.#lastError.message, at: this.#o.formatTime(this.#lastError.at) } : null,
      nextAttemptAt: fmt(this.#nextAttemptAt),
    };
  }

  #schedule(kind: 'debounce' | 'retry' | 'poll', ms: number): void {
    this.#clearTimer();
    this.#timerKind = kind;
    this.#nextAttemptAt = kind === 'retry' ? this.#o.clock() + ms : null;
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = null;
      this.#timerKind = null;
      void this.#run();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#o.timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerKind = null;
  }

  #run(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#pass()
      .catch((err: Error) => this.#o.log.warn({ err: { message: err.message } }, 'upstream: push pass failed'))
      .finally(() => {
        this.#running = null;
        if (this.#stopped) return;
        if (this.#again && this.#timerKind !== 'retry') {
          this.#again = false;
          this.#schedule('debounce', 0);
        } else if (this.#timerKind === null) this.#schedule('poll', this.#o.pollMs);
      });
    return this.#running;
  }

  async #pass(): Promise<void> {
    this.#again = false;
    const up = this.#o.upstream();
    if (!up) {
      this.#state = 'off';
      return;
    }
    if (this.#o.cursor.upstream !== up.url) await this.#o.cursor.load(up.url);
    this.#sources = await this.#o.sources();
    let failure: PushFailure | null = null;
    let sent = 0;
    for (const source of this.#sources) {
      if (this.#stopped) return;
      try {
        sent += await this.#drain(up, source);
      } catch (e) {
        const f = e instanceof PushFailure ? e : new PushFailure('NETWORK.UNREACHABLE', (e as Error).message, false);
        failure ??= f;
        this.#o.log.warn({ hall: source.relayed?.hallId ?? 'self', code: f.code, message: f.message }, 'upstream: push failed; retrying later');
        // Unreachable: the other halls' batches would fail the same way.
        if (!f.refused) break;
      }
    }
    // A ping when nothing went, and at least every poll while batches go: the relayed halls'
    // last-seen times travel only with it (a busy township must not make idle villages look offline).
    const relays = this.#sources.some((s) => s.relayed);
    if (!failure && (sent === 0 || (relays && this.#o.clock() - this.#lastPingAt >= this.#o.pollMs))) {
      this.#lastPingAt = this.#o.clock();
      try {
        const halls = this.#sources.flatMap((s) => (s.relayed ? [{ hallId: s.relayed.hallId, lastSeenAt: s.relayed.lastSeenAt() }] : []));
        const reply = await this.#o.ping(up.url, up.token, { halls });
        if (reply.status !== 204 && reply.status !== 200) failure = replyFailure(reply);
      } catch (e) {
        failure = new PushFailure('NETWORK.UNREACHABLE', (e as Error).message, false);
      }
    }
    if (failure) {
      this.#attempts++;
      this.#state = failure.refused ? 'refused' : 'waiting-retry';
      this.#lastError = { code: failure.code, message: failure.message, at: this.#o.clock() };
      this.#schedule('retry', backoffDelay(this.#attempts, this.#o.backoff, this.#o.random));
      return;
    }
    this.#attempts = 0;
    this.#state = 'idle';
    this.#lastSuccessAt = this.#o.clock();
    this.#lastError = null;
  }

  /** Sends a source's records batch by batch until none is left; how many batches went. */
  async #drain(up: { url: string; token: string }, source: PushSource): Promise<number> {
    let rewinds = 0;
    let batches = 0;
    for (;;) {
      if (this.#stopped) return batches;
      const after = this.#o.cursor.seq(source.key);
      const records = await source.read(after, this.#o.batchRecords);
      if (records.length === 0) return batches;
      batches++;
      this.#state = 'sending';
      const batch: NetworkBatch = { records: records.map((r) => r.line) };
      if (source.relayed) {
        batch.hallId = source.relayed.hallId;
        batch.hall = { name: source.relayed.name, level: source.relayed.level };
      }
      const reply = await this.#o.send(up.url, up.token, batch);
      if (reply.status === 200) {
        const ack = reply.body as NetworkBatchAck;
        const sentLast = records.at(-1)!.seq;
        if (typeof ack?.lastSeq !== 'number' || ack.lastSeq < sentLast) throw new PushFailure('NETWORK.BAD_ACK', 'the upstream acknowledged less than it was sent', false);
        await this.#o.cursor.set(source.key, ack.lastSeq, typeof ack.lastHash === 'string' ? ack.lastHash : '');
        continue;
      }
      const expected = (reply.body as ErrorBody | null)?.error?.details?.expectedSeq;
      const failure = replyFailure(reply);
      // The upstream lost records it had acknowledged (restored from a backup): send them again.
      if (failure.code === 'NETWORK.GAP' && typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 1 && expected <= after && rewinds < 3) {
        rewinds++;
        this.#o.log.warn({ hall: source.relayed?.hallId ?? 'self', from: expected }, 'upstream: it lacks acknowledged records; sending them again');
        await this.#o.cursor.set(source.key, expected - 1, '');
        continue;
      }
      throw failure;
    }
  }
}

/** An upstream's answer other than success, as a failure: refused (4xx) or to be retried. */
function replyFailure(reply: UpstreamReply): PushFailure {
  const err = (reply.body as ErrorBody | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : `HTTP.${reply.status}`;
  const message = typeof err?.message === 'string' ? err.message : `upstream answered ${reply.status}`;
  const refused = reply.status >= 400 && reply.status < 500 && reply.status !== 408 && reply.status !== 429;
  return new PushFailure(code, message, refused);
}

/** The HTTP transport: `POST <url>/api/network/batches` with the hall token, 30 s timeout. */
export function postBatch(url: string, token: string, batch: NetworkBatch): Promise<UpstreamReply> {
  return postJson(`${url.replace(/\/+$/, '')}/api/network/batches`, token, batch);
}

export function postPing(url: string, token: string, body: { halls: Array<{ hallId: string; lastSeenAt: number | null }> }): Promise<UpstreamReply> {
  return postJson(`${url.replace(/\/+$/, '')}/api/network/ping`, token, body);
}

async function postJson(url: string, token: string, body: unknown): Promise<UpstreamReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed };
}
