/**
 * Opens the read model's database: an embedded SQLite file (better-sqlite3) by default, or
 * PostgreSQL when a `postgres://` URL is given (the county hub). Both get the same Kysely
 * schema and migrations; callers never branch on the dialect.
 */
import { rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { createRequire } from 'node:module';
import type PgModule from 'pg';
import type { ReadModelSchema } from './schema';
import { migrateToLatest } from './migrations';

export type ReadModelDb = Kysely<ReadModelSchema>;

export interface OpenedDatabase {
  db: ReadModelDb;
  dialect: 'sqlite' | 'postgres';
  /** Where it lives, for logs (the URL without its password). */
  where: string;
  /** The raw SQLite connection under Kysely (the projector's fast path). */
  sqlite?: Database.Database;
}

let pgTypesSet = false;
/** pg only where PostgreSQL is used (a county hub): a hall on SQLite never loads it. */
const loadPg = (): typeof PgModule => createRequire(import.meta.url)('pg') as typeof PgModule;
/** BIGINT (epoch ms, counts) and NUMERIC (sums) as JS numbers: every value here fits a double. */
function setPgTypes(pg: typeof PgModule): void {
  if (pgTypesSet) return;
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  pgTypesSet = true;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Kysely prepares every query anew; a batch insert of a few hundred rows is a long statement
 * whose preparation costs as much as running it. Statements are kept by SQL text (bounded).
 */
function withStatementCache(database: Database.Database): { close(): void; prepare(sql: string): Database.Statement } {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= 256) cache.clear();
        stmt = database.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

export function openSqlite(file: string): OpenedDatabase {
  const database = new Database(file);
  // A cache rebuilt from the journal: durability of the last commits does not matter, speed does.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = OFF');
  database.pragma('temp_store = MEMORY');
  database.pragma('cache_size = -32000');
  return { db: new Kysely<ReadModelSchema>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }), dialect: 'sqlite', where: file, sqlite: database };
}

export function openPostgres(url: string): OpenedDatabase {
  const pg = loadPg();
  setPgTypes(pg);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const where = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return { db: new Kysely<ReadModelSchema>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres', where };
}

/** Opens and migrates; throws when the database is unreadable or a migration fails. */
export async function openReadModelDb(opts: { sqliteFile: string; databaseUrl?: string | undefined }): Promise<OpenedDatabase> {
  const opened = isPostgresUrl(opts.databaseUrl) ? openPostgres(opts.databaseUrl) : openSqlite(opts.sqliteFile);
  try {
    if (opened.dialect === 'sqlite') {
      const r = await sql<{ quick_check: string }>`pragma quick_check`.execute(opened.db);
      const verdict = r.rows[0]?.quick_check;
      if (verdict !== 'ok') throw new Error(`integrity check failed: ${verdict ?? 'no answer'}`);
    }
    await migrateToLatest(opened.db as unknown as Kysely<unknown>);
  } catch (err) {
    await opened.db.destroy().catch(() => undefined);
    throw err;
  }
  return opened;
}

/** Removes an embedded read-model file with its WAL and shared-memory files. */
export async function removeSqliteFiles(file: string): Promise<void> {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) await rm(f, { force: true });
}
