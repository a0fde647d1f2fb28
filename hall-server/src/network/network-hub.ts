/**
 * The upstream side of the network: registering downstream halls (a token each, stored hashed),
 * rotating and revoking tokens, and taking in batches of their journals: each batch is checked
 * against the hall's chain as held here (chain-check.ts) and stored exactly once, or refused
 * with a code and nothing stored. A hall's token writes its own records and those of halls it
 * relays (its villages, seen first through it); never another hall's.
 */
import { existsSync } from 'node:fs';
import { hallError, ok, type HallError, type HallTokenResponse, type NetworkBatch, type NetworkBatchAck, type RegisterHallRequest, type Result } from '@hall/protocol';
import { EMPTY_TAIL, checkBatch, parseBatch, type ChainRefusal, type ReceivedRecord } from './chain-check';
// Type only: the store (Kysely, SQLite) loads when a hall first has a downstream hall, never at
// the start of a hall without one (the main thread stays free of them: docs/DECISIONS.md).
import type { NetworkStore, StoredHall } from './network-store';

const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//i.test(url);

export interface NetworkHubOptions {
  sqliteFile: string;
  databaseUrl?: string | undefined;
  clock: () => number;
  newId: () => string;
  newToken: () => string;
  tokenHash: (token: string) => string;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** What the hub tells the rest of the hall (alerts, the halls list, relaying upward). */
export interface NetworkHubEvents {
  /** New records of a hall were stored. */
  accepted?: (hall: StoredHall, fresh: readonly ReceivedRecord[]) => void;
  /** A batch for a known hall was refused for its chain (gap, fork, broken chain). */
  refused?: (hall: StoredHall, refusal: ChainRefusal) => void;
}

const fail = <T>(e: HallError): Result<T> => ({ ok: false, error: e });

export class NetworkHub {
  #store: Promise<NetworkStore> | undefined;
  /** The store once open (answers `knows` without waiting). */
  #open: NetworkStore | null = null;
  readonly #locks = new Map<string, Promise<unknown>>();
  events: NetworkHubEvents = {};

  constructor(private readonly opts: NetworkHubOptions) {}

  /** Opens the store now when it exists already (or lives in PostgreSQL); else on first use. */
  async start(): Promise<void> {
    if (this.#storeExists()) await this.store();
  }

  /** True once the store is open: a hall with no downstream never loads SQLite for it. */
  get opened(): boolean {
    return this.#store !== undefined;
  }

  store(): Promise<NetworkStore> {
    this.#store ??= import('./network-store')
      .then((m) => m.NetworkStore.open({ sqliteFile: this.opts.sqliteFile, databaseUrl: this.opts.databaseUrl }))
      .then((store) => (this.#open = store))
      .catch((err: unknown) => {
        this.#store = undefined;
        throw err;
      });
    return this.#store;
  }

  /** Whether a hall below this one has that id. */
  knows(id: string): boolean {
    return this.#open?.hall(id) !== undefined;
  }

  /** The halls below this one (none when the store was never opened). */
  async halls(): Promise<StoredHall[]> {
    return this.#store ? (await this.#store).halls() : [];
  }

  async register(req: RegisterHallRequest): Promise<HallTokenResponse> {
    const store = await this.store();
    const token = this.opts.newToken();
    const id = `hall-${this.opts.newId()}`.replace(/[^A-Za-z0-9_-]/g, '_');
    await store.saveHall({
      id,
      name: req.name,
      level: req.level,
      via: null,
      tokenHash: this.opts.tokenHash(token),
      revoked: false,
      createdAt: this.opts.clock(),
      lastSeq: EMPTY_TAIL.lastSeq,
      lastHash: EMPTY_TAIL.lastHash,
      lastSeenAt: null,
    });
    return { id, token };
  }

  /**
   * A new token for a hall; the old one stops working at once. A revoked hall is enabled again,
   * and a relayed hall given a token pushes here itself from then on (its relay is refused).
   */
  async rotate(id: string): Promise<Result<HallTokenResponse>> {
    const store = await this.store();
    const h = store.hall(id);
    if (!h) return fail(hallError('HALL.NOT_FOUND', `no hall ${id}`));
    const token = this.opts.newToken();
    await this.#locked(id, () => store.saveHall({ ...store.hall(id)!, tokenHash: this.opts.tokenHash(token), revoked: false, via: null }));
    return ok({ id, token });
  }

  /** Revokes a hall: its token (and any relay of its records) is refused with NETWORK.TOKEN_REVOKED. */
  async revoke(id: string): Promise<Result<StoredHall>> {
    const store = await this.store();
    if (!store.hall(id)) return fail(hallError('HALL.NOT_FOUND', `no hall ${id}`));
    await this.#locked(id, () => store.saveHall({ ...store.hall(id)!, revoked: true }));
    return ok(store.hall(id)!);
  }

  /** The hall a bearer token belongs to, or the code that refuses it. */
  async authenticate(token: string | undefined): Promise<Result<StoredHall>> {
    if (!token) return fail(hallError('NETWORK.UNKNOWN_HALL', 'a hall token is required (Authorization: Bearer …)'));
    // A hall that never registered a downstream hall does not open a database to say no.
    if (!this.opened && !this.#storeExists()) return fail(hallError('NETWORK.UNKNOWN_HALL', 'no hall holds this token here'));
    const h = (await this.store()).hallByTokenHash(this.opts.tokenHash(token));
    if (!h) return fail(hallError('NETWORK.UNKNOWN_HALL', 'no hall holds this token here'));
    if (h.revoked) return fail(hallError('NETWORK.TOKEN_REVOKED', `the token of hall ${h.id} was revoked`));
    return ok(h);
  }

  #storeExists(): boolean {
    return isPostgresUrl(this.opts.databaseUrl) || existsSync(this.opts.sqliteFile);
  }

  /** Takes in a batch pushed with `token`: checked, stored exactly once, acknowledged; or refused with nothing stored. */
  async ingest(token: string | undefined, batch: NetworkBatch): Promise<Result<NetworkBatchAck>> {
    const auth = await this.authenticate(token);
    if (!auth.ok) return auth;
    const sender = auth.value;
    const targetId = batch.hallId ?? sender.id;
    const store = await this.store();
    return this.#locked(targetId, async () => {
      let target = store.hall(targetId);
      if (targetId !== sender.id) {
        if (target) {
          if (target.via !== sender.id) return fail(hallError('NETWORK.FORBIDDEN_HALL', `hall ${sender.id} does not relay hall ${targetId}`));
          if (target.revoked) return fail(hallError('NETWORK.TOKEN_REVOKED', `hall ${targetId} was revoked`));
        } else {
          if (!batch.hall) return fail(hallError('PROTOCOL.INVALID_PAYLOAD', 'hall: name and level of the relayed hall are required the first time'));
          target = { id: targetId, name: batch.hall.name, level: batch.hall.level, via: sender.id, tokenHash: null, revoked: false, createdAt: this.opts.clock(), lastSeq: 0, lastHash: EMPTY_TAIL.lastHash, lastSeenAt: null };
        }
        if (batch.hall && batch.hall.name !== target.name) target = { ...target, name: batch.hall.name };
      }
      target = target!;
      const parsed = parseBatch(batch.records);
      const verdict = parsed.ok ? await this.#check(store, target, parsed.records) : parsed;
      if (!verdict.ok) {
        // A relayed hall seen for the first time with a bad batch is not kept (nothing stored).
        if (store.hall(target.id) && verdict.refusal.code !== 'PROTOCOL.INVALID_PAYLOAD') this.events.refused?.(target, verdict.refusal);
        this.opts.log.warn({ hallId: target.id, code: verdict.refusal.code, details: verdict.refusal.details }, 'network: batch refused');
        return fail(hallError(verdict.refusal.code, verdict.refusal.message, verdict.refusal.details));
      }
      const now = this.opts.clock();
      const last = verdict.fresh.at(-1);
      const next: StoredHall = { ...target, lastSeenAt: now, ...(last ? { lastSeq: last.seq, lastHash: last.hash } : {}) };
      await store.append(next, verdict.fresh, now);
      if (sender.id !== next.id) store.noteSeen(sender.id, now);
      if (verdict.fresh.length > 0) this.events.accepted?.(next, verdict.fresh);
      return ok({ hallId: next.id, lastSeq: next.lastSeq, lastHash: next.lastHash, accepted: verdict.fresh.length, duplicates: verdict.duplicates });
    });
  }

  /**
   * A hall's "still here" between batches; with the last-seen times of the halls it relays (only
   * those it relays: another hall's is not its to say).
   */
  async touch(token: string | undefined, relayed: ReadonlyArray<{ hallId: string; lastSeenAt: number | null }>): Promise<Result<null>> {
    const auth = await this.authenticate(token);
    if (!auth.ok) return auth;
    const store = await this.store();
    const now = this.opts.clock();
    store.noteSeen(auth.value.id, now);
    for (const r of relayed) {
      const h = store.hall(r.hallId);
      if (h && h.via === auth.value.id && r.lastSeenAt !== null) store.noteSeen(h.id, Math.min(r.lastSeenAt, now));
    }
    return ok(null);
  }

  async #check(store: NetworkStore, hall: StoredHall, records: ReceivedRecord[]) {
    const first = records[0]!.seq;
    const held = await store.hashesBetween(hall.id, first, Math.min(records.at(-1)!.seq, hall.lastSeq));
    return checkBatch({ lastSeq: hall.lastSeq, lastHash: hall.lastHash }, records, (seq) => held.get(seq));
  }

  /** One batch (or token change) per hall at a time: the chain check and its write never interleave. */
  #locked<T>(hallId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#locks.get(hallId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.#locks.set(hallId, settled);
    void settled.then(() => {
      if (this.#locks.get(hallId) === settled) this.#locks.delete(hallId);
    });
    return run;
  }

  async close(): Promise<void> {
    const s = this.#store;
    this.#store = undefined;
    this.#open = null;
    if (s) await (await s.catch(() => null))?.close();
  }
}
