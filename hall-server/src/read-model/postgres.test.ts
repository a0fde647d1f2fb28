/**
 * The read model on PostgreSQL answers exactly what it answers on SQLite, from the same journal
 * (the county hub's storage, issue 12). Skips where PostgreSQL is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDemoConfig } from '../config/demo-config';
import { startReadModel, type RunningReadModel } from './start-read-model';
import { syntheticDay } from './synthetic-day';
import { writeJournalDay, type ChainTail } from './journal-source';
import { postgresBinDir, startPostgresTestCluster, type PostgresTestCluster } from './postgres-test-cluster';

const DAYS = ['2026-12-01', '2026-12-02'];
const NOW = Date.parse('2026-12-03T10:00:00+08:00');
const config = createDemoConfig();
const quiet = { info() {}, warn() {}, error() {} };
let dir = '';
let cluster: PostgresTestCluster | null = null;
let sqlite: RunningReadModel;
let postgres: RunningReadModel;

describe.skipIf(postgresBinDir() === null)('read model on PostgreSQL', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'read-model-pg-'));
    let tail: ChainTail | undefined;
    for (const [i, day] of DAYS.entries()) tail = await writeJournalDay(path.join(dir, 'journal'), day, syntheticDay({ day, tickets: 250, seed: 20 + i }), tail);
    cluster = await startPostgresTestCluster();
    const common = { journalDir: path.join(dir, 'journal'), tz: 'Asia/Shanghai', config: () => config, clock: () => NOW, log: quiet, inProcess: true, flushMs: 5 };
    sqlite = await startReadModel({ ...common, dataDir: dir });
    postgres = await startReadModel({ ...common, dataDir: dir, databaseUrl: cluster!.url });
    await Promise.all([sqlite.caughtUp, postgres.caughtUp]);
  }, 120_000);

  afterAll(async () => {
    await sqlite?.port.close();
    await postgres?.port.close();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates, catches up and answers the same summary as SQLite', async () => {
    expect(await postgres.port.status()).toMatchObject({ state: 'ready', dialect: 'postgres' });
    const q = { from: DAYS[0]!, to: DAYS[1]! };
    const [a, b] = await Promise.all([sqlite.port.summary(q), postgres.port.summary(q)]);
    expect(b.issued).toBe(500);
    expect(b).toEqual(a);
    const clerk = { ...q, clerkId: 'clerk-2' };
    expect(await postgres.port.summary(clerk)).toEqual(await sqlite.port.summary(clerk));
  });

  it('follows live events, cases and alerts the same way', async () => {
    const live = syntheticDay({ day: '2026-12-03', tickets: 30, seed: 77 });
    const alert = { id: 'pg-al', type: 'audit.alert-raised', at: '2026-12-03T09:00:00+08:00', actor: { kind: 'system' }, alertId: 'al-9', rule: 'ticket-wait', level: 'red', subject: { kind: 'ticket', id: 't', label: 'A001' } };
    for (const rm of [sqlite, postgres]) {
      rm.port.push(live);
      rm.port.push([alert]);
      await rm.port.flush();
    }
    const q = { from: '2026-12-01', to: '2026-12-03' };
    expect(await postgres.port.summary(q)).toEqual(await sqlite.port.summary(q));
    expect(await postgres.port.cases({})).toEqual(await sqlite.port.cases({}));
    expect(await postgres.port.alerts({ active: true })).toEqual(await sqlite.port.alerts({ active: true }));
    const xlsx = await postgres.port.exportFile(q, 'xlsx');
    expect(xlsx.body.length).toBeGreaterThan(1000);
  });
});
