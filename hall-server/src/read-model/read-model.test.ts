import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDemoConfig } from '../config/demo-config';
import { ReadModel, READ_MODEL_FILE, type ReadModelLog } from './read-model';
import { syntheticDay } from './synthetic-day';
import { writeJournalDay, type ChainTail } from './journal-source';

const DAYS = ['2026-11-30', '2026-12-01', '2026-12-02'];
let dataDir = '';
let journalDir = '';
const logs: string[] = [];
const log: ReadModelLog = { info: (_o, m) => logs.push(m), warn: (_o, m) => logs.push(m), error: (_o, m) => logs.push(m) };
const config = createDemoConfig();

async function writeDays(): Promise<ChainTail | undefined> {
  let tail: ChainTail | undefined;
  for (const [i, day] of DAYS.entries()) tail = await writeJournalDay(journalDir, day, syntheticDay({ day, tickets: 200, seed: i + 1 }), tail);
  return tail;
}
let lastTail: ChainTail | undefined;

async function open(): Promise<ReadModel> {
  const rm = await ReadModel.open({ dataDir, journalDir, tz: 'Asia/Shanghai', config: () => config, log, flushMs: 5 });
  await rm.catchUp();
  return rm;
}

async function figures(rm: ReadModel): Promise<{ tickets: number; issued: number; served: number; cases: number }> {
  const t = await rm.db.selectFrom('tickets').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const s = await rm.db.selectFrom('stats_day').select([sql<number>`sum(issued)`.as('issued'), sql<number>`sum(served)`.as('served')]).executeTakeFirstOrThrow();
  const c = await rm.db.selectFrom('cases').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return { tickets: Number(t.n), issued: Number(s.issued), served: Number(s.served), cases: Number(c.n) };
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'read-model-'));
  journalDir = path.join(dataDir, 'journal');
  logs.length = 0;
  lastTail = await writeDays();
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('read model', () => {
  it('catches up from the journal and skips days already projected', async () => {
    const rm1 = await open();
    const first = await figures(rm1);
    expect(first.tickets).toBe(600);
    expect(first.issued).toBe(600);
    expect(first.served).toBeGreaterThan(400);
    expect(first.cases).toBeGreaterThan(0);
    await rm1.close();

    const rm2 = await ReadModel.open({ dataDir, journalDir, tz: 'Asia/Shanghai', config: () => config, log });
    const r = await rm2.catchUp();
    expect(r.days).toBe(1); // only the latest day is read again
    expect(await figures(rm2)).toEqual(first);
    await rm2.close();
  });

  it('an upgrade to migration 002 projects every day again, so old ratings get their channel', async () => {
    const rm1 = await open();
    const first = await figures(rm1);
    // The file as an older hall left it: no channel column, migration 002 not applied.
    await sql`alter table ratings drop column channel`.execute(rm1.db);
    await sql`delete from read_model_migrations where name = '002-rating-channel'`.execute(rm1.db);
    await rm1.close();

    const rm2 = await ReadModel.open({ dataDir, journalDir, tz: 'Asia/Shanghai', config: () => config, log });
    const r = await rm2.catchUp();
    expect(r.days).toBe(DAYS.length);
    expect(await figures(rm2)).toEqual(first);
    const channels = await rm2.db.selectFrom('ratings').select('channel').distinct().execute();
    expect(channels.map((c) => c.channel)).toEqual(['phone']); // the synthetic day rates from phones
    await rm2.close();
  });

  it('takes live events, ignores an event seen twice, and writes them within a flush', async () => {
    const rm1 = await open();
    const before = await figures(rm1);
    const next = syntheticDay({ day: '2026-12-03', tickets: 20, seed: 9 });
    rm1.push(next.slice(0, 30));
    rm1.push(next.slice(0, 50)); // overlap: the first 30 again
    rm1.push(next.slice(50));
    await rm1.flushNow();
    const after = await figures(rm1);
    expect(after.tickets).toBe(before.tickets + 20);
    expect(after.issued).toBe(before.issued + 20);
    expect(rm1.status()).toMatchObject({ state: 'ready', backlog: 0 });
    await rm1.close();
  });

  it('rebuilds a deleted or damaged database file from the journal, with a log line', async () => {
    const rm1 = await open();
    const first = await figures(rm1);
    await rm1.close();

    await rm(path.join(dataDir, READ_MODEL_FILE));
    await rm(path.join(dataDir, `${READ_MODEL_FILE}-wal`), { force: true });
    const rm2 = await open();
    expect(await figures(rm2)).toEqual(first);
    expect(logs.some((l) => l.includes('no database file'))).toBe(true);
    await rm2.close();

    await writeFile(path.join(dataDir, READ_MODEL_FILE), Buffer.alloc(8192, 0x41));
    await rm(path.join(dataDir, `${READ_MODEL_FILE}-wal`), { force: true });
    const rm3 = await open();
    expect(await figures(rm3)).toEqual(first);
    expect(logs.some((l) => l.includes('damaged'))).toBe(true);
    await rm3.close();
  });

  it('the SQLite fast path writes what the Kysely inserts (PostgreSQL\'s path) write', async () => {
    const fast = await open();
    const first = await figures(fast);
    const summaryFast = await fast.db.selectFrom('stats_day').selectAll().orderBy(['day', 'service_id', 'counter_id', 'clerk_id']).execute();
    await fast.close();
    await rm(path.join(dataDir, READ_MODEL_FILE));
    await rm(path.join(dataDir, `${READ_MODEL_FILE}-wal`), { force: true });
    const slow = await ReadModel.open({ dataDir, journalDir, tz: 'Asia/Shanghai', config: () => config, log, kyselyWritesOnly: true });
    await slow.catchUp();
    expect(await figures(slow)).toEqual(first);
    expect(await slow.db.selectFrom('stats_day').selectAll().orderBy(['day', 'service_id', 'counter_id', 'clerk_id']).execute()).toEqual(summaryFast);
    await slow.close();
  });

  it('a long catch-up reads the journal on a thread of its own, with the same result', async () => {
    let tail: ChainTail | undefined;
    const days = Array.from({ length: 9 }, (_x, i) => `2026-11-0${i + 1}`);
    await rm(journalDir, { recursive: true, force: true });
    for (const [i, day] of days.entries()) tail = await writeJournalDay(journalDir, day, syntheticDay({ day, tickets: 5, counters: 2, seed: 40 + i }), tail);
    const rm1 = await open();
    expect((await figures(rm1)).tickets).toBe(45);
    await rm1.close();
  });

  it('live flushes leave the statistics rows that projecting the whole day gives (both write paths)', async () => {
    const day = '2026-12-03';
    const events = syntheticDay({ day, tickets: 200, seed: 11 });
    await writeJournalDay(journalDir, day, events, lastTail);
    const statsOf = async (model: ReadModel): Promise<string[]> => {
      const rows: string[] = [];
      for (const t of ['stats_day', 'stats_hourly', 'stats_hist'] as const) rows.push(...(await model.db.selectFrom(t).selectAll().where('day', '=', day).execute()).map((r) => JSON.stringify(r)).sort());
      return rows;
    };
    const opened = async (journal: string, kyselyWritesOnly = false): Promise<ReadModel> => {
      const model = await ReadModel.open({ dataDir: await mkdtemp(path.join(dataDir, 'model-')), journalDir: journal, tz: 'Asia/Shanghai', config: () => config, log, flushMs: 60_000, kyselyWritesOnly });
      await model.catchUp();
      return model;
    };
    const whole = await opened(journalDir);
    const expected = await statsOf(whole);
    await whole.close();
    expect(expected.length).toBeGreaterThan(20);
    for (const kyselyWritesOnly of [false, true]) {
      // A model with no journal gets the day only from the live stream, a flush every 37 events.
      const live = await opened(path.join(dataDir, 'no-journal'), kyselyWritesOnly);
      for (let i = 0; i < events.length; i += 37) {
        live.push(events.slice(i, i + 37));
        await live.flushNow();
      }
      expect(await statsOf(live)).toEqual(expected);
      await live.close();
    }
  });

  it('reindex gives the same tables', async () => {
    const rm1 = await open();
    const first = await figures(rm1);
    const r = await rm1.reindex();
    expect(r.days).toBe(3);
    expect(await figures(rm1)).toEqual(first);
    await rm1.close();
  });
});
