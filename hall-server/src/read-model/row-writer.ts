/**
 * Batched inserts and upserts (`ON CONFLICT`) for the projector. On PostgreSQL they are Kysely
 * multi-row inserts, in chunks under the bound-parameter limit. On SQLite the same statements run
 * as one prepared single-row statement per table, on the connection Kysely's transaction holds:
 * building a 10,000-parameter query object per batch cost more than SQLite's own work, and the
 * year's reindex has to fit in a minute.
 */
import type { Kysely, Transaction } from 'kysely';
import type Database from 'better-sqlite3';
import type { ReadModelSchema } from './schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>;
type Executor = Kysely<ReadModelSchema> | Transaction<ReadModelSchema>;

export interface Conflict {
  keys: readonly string[];
  on: 'update' | 'ignore';
}

/** PostgreSQL allows 65,535 parameters a statement. */
const MAX_PARAMS = 30_000;

function chunks<T extends object>(rows: readonly T[]): T[][] {
  if (rows.length === 0) return [];
  const per = Math.max(1, Math.min(500, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per));
  return out;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class RowWriter {
  private readonly statements = new Map<string, Database.Statement>();

  /** `sqlite`: the raw connection under Kysely's SQLite dialect, for the fast path; absent = Kysely only. */
  constructor(private readonly sqlite?: Database.Database) {}

  /** Inserts rows; with `conflict`, a row whose key exists is replaced (`update`) or skipped (`ignore`). */
  async write<T extends object>(db: Executor, table: keyof ReadModelSchema, rows: readonly T[], conflict?: Conflict): Promise<void> {
    if (rows.length === 0) return;
    if (this.sqlite) return this.writeSqlite(table, rows, conflict);
    const anyDb = db as unknown as AnyDb;
    for (const chunk of chunks(rows)) {
      let q = anyDb.insertInto(table).values(chunk);
      if (conflict) {
        const cols = Object.keys(chunk[0]!).filter((c) => !conflict.keys.includes(c));
        q = q.onConflict((oc) => {
          const target = oc.columns(conflict.keys as string[]);
          if (conflict.on === 'ignore' || cols.length === 0) return target.doNothing();
          return target.doUpdateSet((eb) => Object.fromEntries(cols.map((c) => [c, eb.ref(`excluded.${c}`)])));
        });
      }
      await q.execute();
    }
  }

  private writeSqlite<T extends object>(table: string, rows: readonly T[], conflict?: Conflict): void {
    const cols = Object.keys(rows[0]!);
    const key = `${table}|${cols.join(',')}|${conflict ? `${conflict.on}:${conflict.keys.join(',')}` : ''}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      let text = `insert into ${quote(table)} (${cols.map(quote).join(', ')}) values (${cols.map(() => '?').join(', ')})`;
      if (conflict) {
        const rest = cols.filter((c) => !conflict.keys.includes(c));
        text += ` on conflict (${conflict.keys.map(quote).join(', ')}) `;
        text += conflict.on === 'ignore' || rest.length === 0 ? 'do nothing' : `do update set ${rest.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
      }
      stmt = this.sqlite!.prepare(text);
      this.statements.set(key, stmt);
    }
    const values = new Array<unknown>(cols.length);
    for (const row of rows) {
      const r = row as Record<string, unknown>;
      for (let i = 0; i < cols.length; i++) values[i] = r[cols[i]!];
      stmt.run(values);
    }
  }
}
