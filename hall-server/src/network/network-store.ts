/**
 * What an upstream hall keeps of its network: the downstream halls (registered here with a
 * token, or relayed by one of them) and every journal record received from each, as the hall
 * wrote it. Embedded SQLite (`data/network.sqlite`; a batch is acknowledged only once it is on
 * disk: the store syncs the WAL itself, off the event loop, see #syncWal) or PostgreSQL (`HALL_DATABASE_URL`, beside the read model's tables).
 * Both through Kysely with the same migrations; the hall list is also held in memory (a few
 * hundred rows) so authenticating a batch costs no query.
 */
import { open, type FileHandle } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { DownstreamLevel } from '@hall/protocol';
import { isPostgresUrl, openPostgres } from '../read-model/database';
import type { ReceivedRecord } from './chain-check';
import { dayOf } from './hall-figures';

interface HallsTable {
  id: string;
  name: string;
  level: string;
  via: string | null;
  token_hash: string | null;
  revoked: number;
  created_at: number;
  last_seq: number;
  last_hash: string;
  last_seen_at: number | null;
}

interface RecordsTable {
  hall_id: string;
  seq: number;
  hash: string;
  line: string;
  /** The hall's day of the record's event (`YYYY-MM-DD`), '' when it has no time. */
  day: string;
  received_at: number;
}

/** 电子监察 alerts a downstream hall raised and has not cleared (from its own journal). */
interface HallAlertsTable {
  hall_id: string;
  alert_id: string;
  level: string;
}

interface NetworkSchema {
  network_halls: HallsTable;
  network_records: RecordsTable;
  network_hall_alerts: HallAlertsTable;
}

export interface StoredHall {
  id: string;
  name: string;
  level: DownstreamLevel;
  /** The hall relaying this one's records; null = it pushes here itself, with its own token. */
  via: string | null;
  tokenHash: string | null;
  revoked: boolean;
  createdAt: number;
  lastSeq: number;
  lastHash: string;
  lastSeenAt: number | null;
}

const MS = 'bigint';

const m001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('network_halls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('via', 'text')
      .addColumn('token_hash', 'text', (c) => c.unique())
      .addColumn('revoked', 'integer', (c) => c.notNull())
      .addColumn('created_at', MS, (c) => c.notNull())
      .addColumn('last_seq', MS, (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', MS)
      .execute();
    // Keyed (hall, seq): exactly once per hall and sequence, enforced by the database too.
    await db.schema
      .createTable('network_records')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('seq', MS, (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('line', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('received_at', MS, (c) => c.notNull())
      .addPrimaryKeyConstraint('network_records_pk', ['hall_id', 'seq'])
      .execute();
    await db.schema.createIndex('network_records_day').on('network_records').columns(['hall_id', 'day']).execute();
    await db.schema
      .createTable('network_hall_alerts')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('network_hall_alerts_pk', ['hall_id', 'alert_id'])
      .execute();
  },
};

class Provider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({ '001-initial': m001 });
  }
}

function toHall(r: HallsTable): StoredHall {
  return {
    id: r.id,
    name: r.name,
    level: r.level as DownstreamLevel,
    via: r.via,
    tokenHash: r.token_hash,
    revoked: Number(r.revoked) === 1,
    createdAt: Number(r.created_at),
    lastSeq: Number(r.last_seq),
    lastHash: r.last_hash,
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
  };
}

function toRow(h: StoredHall): HallsTable {
  return {
    id: h.id,
    name: h.name,
    level: h.level,
    via: h.via,
    token_hash: h.tokenHash,
    revoked: h.revoked ? 1 : 0,
    created_at: h.createdAt,
    last_seq: h.lastSeq,
    last_hash: h.lastHash,
    last_seen_at: h.lastSeenAt,
  };
}

/** Rows per INSERT statement (SQLite allows 32,766 variables; 5 per row). */
const INSERT_CHUNK = 500;

interface PendingAppend {
  hall: StoredHall;
  fresh: readonly ReceivedRecord[];
  receivedAt: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class NetworkStore {
  readonly #halls = new Map<string, StoredHall>();
  readonly #byToken = new Map<string, string>();
  /** Halls whose last-seen time changed in memory only (a ping): written with their next row, or at close. */
  readonly #unsaved = new Set<string>();
  #pending: PendingAppend[] = [];
  #committing = false;

  /** The SQLite WAL file, opened to sync it (null on PostgreSQL, or until it exists). */
  #wal: FileHandle | null = null;

  private constructor(
    private readonly db: Kysely<NetworkSchema>,
    readonly dialect: 'sqlite' | 'postgres',
    private readonly walFile: string | null,
  ) {}

  /** Opens (creating and migrating) the store; PostgreSQL when `databaseUrl` is a postgres:// URL. */
  static async open(opts: { sqliteFile: string; databaseUrl?: string | undefined }): Promise<NetworkStore> {
    let db: Kysely<NetworkSchema>;
    let dialect: 'sqlite' | 'postgres';
    if (isPostgresUrl(opts.databaseUrl)) {
      db = openPostgres(opts.databaseUrl).db as unknown as Kysely<NetworkSchema>;
      dialect = 'postgres';
    } else {
      const database = new Database(opts.sqliteFile);
      database.pragma('journal_mode = WAL');
      // Received records are acknowledged to the hall that sent them: they must survive a power
      // cut. With FULL, SQLite would fsync the WAL inside each commit, on the event loop (better-
      // sqlite3 is synchronous): the hall list and every other request would wait for the disk.
      // NORMAL leaves the WAL unsynced at commit; #syncWal syncs it on libuv's threads before
      // the acknowledgment, and SQLite still syncs it before each checkpoint.
      database.pragma('synchronous = NORMAL');
      db = new Kysely<NetworkSchema>({ dialect: new SqliteDialect({ database }) });
      dialect = 'sqlite';
    }
    try {
      const migrator = new Migrator({ db: db as unknown as Kysely<unknown>, provider: new Provider(), migrationTableName: 'network_migrations', migrationLockTableName: 'network_migration_lock' });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      const store = new NetworkStore(db, dialect, dialect === 'sqlite' ? `${opts.sqliteFile}-wal` : null);
      for (const r of await db.selectFrom('network_halls').selectAll().execute()) store.#remember(toHall(r));
      return store;
    } catch (err) {
      await db.destroy().catch(() => undefined);
      throw err;
    }
  }

  #remember(h: StoredHall): void {
    this.#unsaved.delete(h.id);
    const old = this.#halls.get(h.id);
    if (old?.tokenHash) this.#byToken.delete(old.tokenHash);
    this.#halls.set(h.id, h);
    if (h.tokenHash) this.#byToken.set(h.tokenHash, h.id);
  }

  halls(): StoredHall[] {
    return [...this.#halls.values()];
  }

  hall(id: string): StoredHall | undefined {
    return this.#halls.get(id);
  }

  hallByTokenHash(hash: string): StoredHall | undefined {
    const id = this.#byToken.get(hash);
    return id === undefined ? undefined : this.#halls.get(id);
  }

  /** Inserts or replaces a hall row (registration, rotation, revocation, renaming). */
  async saveHall(h: StoredHall): Promise<void> {
    const row = toRow(h);
    const { id: _id, ...rest } = row;
    await this.db
      .insertInto('network_halls')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
    await this.#syncWal();
    this.#remember(h);
  }

  /**
   * A hall was heard from (a ping, or relaying another hall's records): kept in memory, not worth
   * a synced write each time; it goes to disk with the hall's next row, or at close.
   */
  noteSeen(id: string, at: number): void {
    const h = this.#halls.get(id);
    if (!h || (h.lastSeenAt !== null && h.lastSeenAt >= at)) return;
    this.#halls.set(id, { ...h, lastSeenAt: at });
    this.#unsaved.add(id);
  }

  /** Hashes the store holds for `hallId` at seqs in [from, to]. */
  async hashesBetween(hallId: string, from: number, to: number): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (to < from) return out;
    const rows = await this.db.selectFrom('network_records').select(['seq', 'hash']).where('hall_id', '=', hallId).where('seq', '>=', from).where('seq', '<=', to).execute();
    for (const r of rows) out.set(Number(r.seq), r.hash);
    return out;
  }

  /**
   * Stores new records of a hall and its new tail (and the hall row itself: a relayed hall seen
   * for the first time); resolves once committed. Group commit: appends made while a commit runs
   * (other halls' batches) go together into the next transaction, so 300 halls pushing cost a
   * few synced commits a second, not one each. The caller holds the hall's lock: one append per
   * hall at a time.
   */
  append(hall: StoredHall, fresh: readonly ReceivedRecord[], receivedAt: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ hall, fresh, receivedAt, resolve, reject });
      if (!this.#committing) void this.#commitPending();
    });
  }

  async #commitPending(): Promise<void> {
    this.#committing = true;
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending;
        this.#pending = [];
        try {
          await this.db.transaction().execute(async (tx) => {
            for (const a of group) await this.#write(tx, a.hall, a.fresh, a.receivedAt);
          });
          await this.#syncWal();
        } catch (err) {
          for (const a of group) a.reject(err);
          continue;
        }
        for (const a of group) {
          this.#remember(a.hall);
          a.resolve();
        }
      }
    } finally {
      this.#committing = false;
    }
  }

  /** Makes the commits so far durable: fdatasync of the WAL file, off the event loop. */
  async #syncWal(): Promise<void> {
    if (this.walFile === null) return;
    this.#wal ??= await open(this.walFile, 'r');
    await this.#wal.datasync();
  }

  async #write(tx: Kysely<NetworkSchema>, hall: StoredHall, fresh: readonly ReceivedRecord[], receivedAt: number): Promise<void> {
    for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
      const rows = fresh.slice(i, i + INSERT_CHUNK).map((r) => ({ hall_id: hall.id, seq: r.seq, hash: r.hash, line: r.line, day: dayOf(r.event) ?? '', received_at: receivedAt }));
      await tx.insertInto('network_records').values(rows).execute();
    }
    for (const r of fresh) {
      const e = r.event as { type: string; alertId?: unknown; level?: unknown };
      if (e.type === 'audit.alert-raised' && typeof e.alertId === 'string') {
        await tx.insertInto('network_hall_alerts').values({ hall_id: hall.id, alert_id: e.alertId, level: e.level === 'red' ? 'red' : 'yellow' }).onConflict((oc) => oc.doNothing()).execute();
      } else if (e.type === 'audit.alert-cleared' && typeof e.alertId === 'string') {
        await tx.deleteFrom('network_hall_alerts').where('hall_id', '=', hall.id).where('alert_id', '=', e.alertId).execute();
      }
    }
    const row = toRow(hall);
    const { id: _id, ...rest } = row;
    await tx
      .insertInto('network_halls')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  }

  /** Up to `limit` records of a hall after `afterSeq`, in order, as the lines it wrote. */
  async recordsAfter(hallId: string, afterSeq: number, limit: number): Promise<Array<{ seq: number; line: string }>> {
    const rows = await this.db.selectFrom('network_records').select(['seq', 'line']).where('hall_id', '=', hallId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), line: r.line }));
  }

  /** The hall day of a hall's latest records, or null before any. */
  async latestDay(hallId: string): Promise<string | null> {
    const top = await this.db.selectFrom('network_records').select((eb) => eb.fn.max('day').as('day')).where('hall_id', '=', hallId).where('day', '!=', '').executeTakeFirst();
    return top?.day ?? null;
  }

  /** Each hall day held, with its record count, in day order. */
  async dayCounts(hallId: string): Promise<Array<{ day: string; records: number }>> {
    const rows = await this.db
      .selectFrom('network_records')
      .select((eb) => ['day', eb.fn.countAll<number>().as('n')])
      .where('hall_id', '=', hallId)
      .where('day', '!=', '')
      .groupBy('day')
      .orderBy('day')
      .execute();
    return rows.map((r) => ({ day: r.day, records: Number(r.n) }));
  }

  /** The lines of one hall day, in order. */
  async dayLines(hallId: string, day: string): Promise<string[]> {
    const rows = await this.db.selectFrom('network_records').select('line').where('hall_id', '=', hallId).where('day', '=', day).orderBy('seq').execute();
    return rows.map((r) => r.line);
  }

  /** The lines of a hall's latest day, in order (figures rebuilt at start). */
  async latestDayLines(hallId: string): Promise<string[]> {
    const day = await this.latestDay(hallId);
    return day === null ? [] : this.dayLines(hallId, day);
  }

  async activeAlerts(hallId: string): Promise<Array<{ alertId: string; level: 'yellow' | 'red' }>> {
    const rows = await this.db.selectFrom('network_hall_alerts').select(['alert_id', 'level']).where('hall_id', '=', hallId).execute();
    return rows.map((r) => ({ alertId: r.alert_id, level: r.level === 'red' ? 'red' : 'yellow' }));
  }

  /** How many records the store holds for a hall (tests, status). */
  async count(hallId: string): Promise<number> {
    const r = await this.db.selectFrom('network_records').select((eb) => eb.fn.countAll<number>().as('n')).where('hall_id', '=', hallId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async close(): Promise<void> {
    for (const id of [...this.#unsaved]) await this.saveHall(this.#halls.get(id)!);
    await this.#wal?.close();
    this.#wal = null;
    await this.db.destroy();
  }
}
