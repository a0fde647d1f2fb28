/**
 * Versioned migrations of the read model, run at start (Kysely's Migrator, one table of applied
 * names). Written with the schema builder only, so they run on SQLite and PostgreSQL alike.
 * Never edit a migration that has shipped: add the next one.
 */
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

/** Epoch ms do not fit a 32-bit INTEGER on PostgreSQL; SQLite's INTEGER is 64-bit anyway. */
const MS = 'bigint';

/**
 * Day tables are keyed (hall, day, id): a day's rows sit together, so a day's projection appends
 * to the indexes instead of scattering random ids over a year of rows, and the key serves
 * "where day = …" without an index of its own.
 */
const m001: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('tickets')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('first_service_id', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('issued_at', MS, (c) => c.notNull())
      .addColumn('first_called_at', MS)
      .addColumn('last_called_at', MS)
      .addColumn('started_at', MS)
      .addColumn('ended_at', MS)
      .addColumn('counter_id', 'text')
      .addColumn('clerk_id', 'text')
      .addColumn('recalls', 'integer', (c) => c.notNull())
      .addColumn('transfers', 'integer', (c) => c.notNull())
      .addColumn('wait_s', 'integer')
      .addColumn('service_s', 'integer')
      .addPrimaryKeyConstraint('tickets_pk', ['hall_id', 'day', 'ticket_id'])
      .execute();

    await db.schema
      .createTable('calls')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text', (c) => c.notNull())
      .addColumn('clerk_id', 'text')
      .addColumn('at', MS, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('rule', 'text')
      .addPrimaryKeyConstraint('calls_pk', ['hall_id', 'day', 'event_id'])
      .execute();

    await db.schema
      .createTable('counter_sessions')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text', (c) => c.notNull())
      .addColumn('clerk_id', 'text', (c) => c.notNull())
      .addColumn('started_at', MS, (c) => c.notNull())
      .addColumn('ended_at', MS)
      .addColumn('end_reason', 'text')
      .addPrimaryKeyConstraint('counter_sessions_pk', ['hall_id', 'day', 'session_id'])
      .execute();

    await db.schema
      .createTable('counter_pauses')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('pause_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('started_at', MS, (c) => c.notNull())
      .addColumn('ended_at', MS)
      .addPrimaryKeyConstraint('counter_pauses_pk', ['hall_id', 'day', 'pause_id'])
      .execute();

    await db.schema
      .createTable('ratings')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('ticket_number', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text')
      .addColumn('clerk_id', 'text')
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('at', MS, (c) => c.notNull())
      .addPrimaryKeyConstraint('ratings_pk', ['hall_id', 'day', 'event_id'])
      .execute();

    let statsDay = db.schema
      .createTable('stats_day')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text', (c) => c.notNull())
      .addColumn('clerk_id', 'text', (c) => c.notNull());
    for (const col of ['issued', 'served', 'no_show', 'transferred', 'cancelled', 'expired', 'wait_n', 'wait_within', 'service_n', 'service_within', 'ratings', 'satisfied']) {
      statsDay = statsDay.addColumn(col, 'integer', (c) => c.notNull());
    }
    for (const col of ['wait_sum_s', 'wait_max_s', 'service_sum_s', 'service_max_s']) statsDay = statsDay.addColumn(col, MS, (c) => c.notNull());
    await statsDay
      .addPrimaryKeyConstraint('stats_day_pk', ['hall_id', 'day', 'service_id', 'counter_id', 'clerk_id'])
      .execute();

    await db.schema
      .createTable('stats_hist')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('dim_id', 'text', (c) => c.notNull())
      .addColumn('wait_hist', 'text', (c) => c.notNull())
      .addColumn('service_hist', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_hist_pk', ['hall_id', 'day', 'dim', 'dim_id'])
      .execute();

    await db.schema
      .createTable('stats_hourly')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('arrivals', 'integer', (c) => c.notNull())
      .addColumn('served', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_hourly_pk', ['hall_id', 'day', 'service_id', 'hour'])
      .execute();

    await db.schema
      .createTable('cases')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'text', (c) => c.notNull())
      .addColumn('ticket_number', 'text', (c) => c.notNull())
      .addColumn('service_id', 'text', (c) => c.notNull())
      .addColumn('counter_id', 'text')
      .addColumn('clerk_id', 'text')
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('opened_at', MS, (c) => c.notNull())
      .addColumn('deadline', 'text', (c) => c.notNull())
      .addColumn('closed_at', MS)
      .addPrimaryKeyConstraint('cases_pk', ['hall_id', 'case_id'])
      .execute();
    await db.schema.createIndex('cases_status').on('cases').columns(['hall_id', 'status']).execute();

    await db.schema
      .createTable('case_history')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text')
      .addColumn('by_user', 'text')
      .addColumn('at', MS, (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_history_pk', ['hall_id', 'event_id'])
      .execute();
    await db.schema.createIndex('case_history_case').on('case_history').columns(['hall_id', 'case_id']).execute();

    await db.schema
      .createTable('alerts')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('subject_label', 'text', (c) => c.notNull())
      .addColumn('since', MS, (c) => c.notNull())
      .addColumn('cleared_at', MS)
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', MS)
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('alerts_pk', ['hall_id', 'alert_id'])
      .execute();
    await db.schema.createIndex('alerts_since').on('alerts').columns(['hall_id', 'since']).execute();

    await db.schema
      .createTable('projected_days')
      .addColumn('hall_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('events', 'integer', (c) => c.notNull())
      .addColumn('last_event_id', 'text')
      .addColumn('closed', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('projected_days_pk', ['hall_id', 'day'])
      .execute();
  },
};

/**
 * Ratings keep their channel (evaluator, phone, clerk on the citizen's behalf). The rows already
 * there cannot be filled by SQL, so every day is marked unprojected: the next catch-up folds the
 * journal again (the tables are a cache of it).
 */
const m002: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('ratings').addColumn('channel', 'text').execute();
    await (db as Kysely<{ projected_days: { day: string } }>).deleteFrom('projected_days').execute();
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  '001-initial': m001,
  '002-rating-channel': m002,
};

class StaticProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(MIGRATIONS);
  }
}

/** Runs the migrations not yet applied; throws when one fails (the caller may rebuild an embedded file). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider(), migrationTableName: 'read_model_migrations', migrationLockTableName: 'read_model_migration_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
