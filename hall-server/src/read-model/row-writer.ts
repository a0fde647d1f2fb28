/**
 * Batched inserts and upserts that run on SQLite and PostgreSQL alike (`ON CONFLICT`), in
 * chunks that stay under both databases' bound-parameter limits.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ReadModelSchema } from './schema';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any> | Transaction<any>;
type Executor = Kysely<ReadModelSchema> | Transaction<ReadModelSchema>;

/** SQLite allows 32,766 parameters a statement, PostgreSQL 65,535. */
const MAX_PARAMS = 30_000;

function chunks<T extends object>(rows: readonly T[]): T[][] {
  if (rows.length === 0) return [];
  const per = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per));
  return out;
}

/** Inserts rows; with `keys`, a row whose key exists replaces the stored values (`update`) or is skipped (`ignore`). */
export async function writeRows<T extends object>(
  db: Executor,
  table: keyof ReadModelSchema,
  rows: readonly T[],
  conflict?: { keys: readonly string[]; on: 'update' | 'ignore' },
): Promise<void> {
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
