/**
 * The upstream's ingest and token store, on the embedded database and on PostgreSQL (skipped
 * where PostgreSQL is not installed): exactly once per hall and seq, refusals with codes and
 * nothing stored, tokens rotated and revoked, relays only of a hall's own villages, and all of it
 * still true after the store is closed and opened again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { postgresBinDir, startPostgresTestCluster, type PostgresTestCluster } from '../read-model/postgres-test-cluster';
import type { NetworkHub } from './network-hub';
import { chainLines, testHub } from './network-test-support';

let cluster: PostgresTestCluster | null = null;
const pg = postgresBinDir() !== null;

beforeAll(async () => {
  if (pg) cluster = await startPostgresTestCluster();
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('network hub on %s', (_name, usePg) => {
  let dir = '';
  let hub: NetworkHub;
  const url = (): string | undefined => (usePg ? cluster!.url : undefined);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'network-hub-'));
  });
  afterAll(async () => {
    await hub?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(usePg && !pg)('stores each record once, refuses what does not continue the chain, survives a reopen', async () => {
    hub = testHub(dir, url());
    const refused: string[] = [];
    const accepted: number[] = [];
    hub.events = { refused: (_h, r) => refused.push(r.code), accepted: (_h, fresh) => accepted.push(fresh.length) };
    const town = await hub.register({ name: '马坝镇便民服务中心', level: 'township' });
    expect(town.id).toMatch(/^hall-/);
    const lines = chainLines(10);

    expect(await hub.ingest(town.token, { records: lines.slice(0, 4) })).toMatchObject({ ok: true, value: { hallId: town.id, lastSeq: 4, accepted: 4, duplicates: 0 } });
    // A replayed old batch: acknowledged, nothing stored twice.
    expect(await hub.ingest(town.token, { records: lines.slice(0, 4) })).toMatchObject({ ok: true, value: { lastSeq: 4, accepted: 0, duplicates: 4 } });
    // A gap, a reordered batch, a forged record, a fork: codes, nothing stored.
    expect(await hub.ingest(town.token, { records: lines.slice(5, 7) })).toMatchObject({ ok: false, error: { code: 'NETWORK.GAP', details: { expectedSeq: 5 } } });
    expect(await hub.ingest(town.token, { records: [lines[5]!, lines[4]!] })).toMatchObject({ ok: false, error: { code: 'NETWORK.CHAIN_BROKEN' } });
    const forged = lines[4]!.replace('test.event', 'test.evenT');
    expect(await hub.ingest(town.token, { records: [forged] })).toMatchObject({ ok: false, error: { code: 'NETWORK.CHAIN_BROKEN' } });
    const fork = chainLines(6, undefined, 'x');
    expect(await hub.ingest(town.token, { records: fork.slice(3, 6) })).toMatchObject({ ok: false, error: { code: 'NETWORK.FORK' } });
    expect(await hub.ingest(town.token, { records: ['not a record'] })).toMatchObject({ ok: false, error: { code: 'PROTOCOL.INVALID_PAYLOAD' } });
    expect(refused).toEqual(['NETWORK.GAP', 'NETWORK.CHAIN_BROKEN', 'NETWORK.CHAIN_BROKEN', 'NETWORK.FORK']);
    const store = await hub.store();
    expect(await store.count(town.id)).toBe(4);

    // Overlapping batch: only the new part is stored.
    expect(await hub.ingest(town.token, { records: lines.slice(2, 10) })).toMatchObject({ ok: true, value: { lastSeq: 10, accepted: 6, duplicates: 2 } });
    expect(await store.count(town.id)).toBe(10);
    expect(accepted).toEqual([4, 6]);

    // Relaying: a village first seen through the township, its own chain intact.
    const villageLines = chainLines(3, undefined, 'v');
    expect(await hub.ingest(town.token, { hallId: 'hall-village-1', records: villageLines })).toMatchObject({ ok: false, error: { code: 'PROTOCOL.INVALID_PAYLOAD' } });
    expect(await hub.ingest(town.token, { hallId: 'hall-village-1', hall: { name: '陈庄村便民服务站', level: 'village' }, records: villageLines })).toMatchObject({ ok: true, value: { hallId: 'hall-village-1', lastSeq: 3 } });
    expect(store.hall('hall-village-1')).toMatchObject({ via: town.id, level: 'village', tokenHash: null });

    // Another hall may not write under the township's id, nor under its village's.
    const other = await hub.register({ name: '桂五镇便民服务中心', level: 'township' });
    expect(await hub.ingest(other.token, { hallId: town.id, hall: { name: 'x', level: 'township' }, records: chainLines(11).slice(10) })).toMatchObject({ ok: false, error: { code: 'NETWORK.FORBIDDEN_HALL' } });
    expect(await hub.ingest(other.token, { hallId: 'hall-village-1', hall: { name: 'x', level: 'village' }, records: chainLines(4, undefined, 'v').slice(3) })).toMatchObject({ ok: false, error: { code: 'NETWORK.FORBIDDEN_HALL' } });
    expect(await store.count('hall-village-1')).toBe(3);

    // Unknown, rotated, revoked tokens.
    expect(await hub.ingest('no-such-token', { records: lines.slice(0, 1) })).toMatchObject({ ok: false, error: { code: 'NETWORK.UNKNOWN_HALL' } });
    expect(await hub.ingest(undefined, { records: lines.slice(0, 1) })).toMatchObject({ ok: false, error: { code: 'NETWORK.UNKNOWN_HALL' } });
    const rotated = await hub.rotate(other.id);
    expect(rotated.ok).toBe(true);
    const newToken = rotated.ok ? rotated.value.token : '';
    expect(await hub.ingest(other.token, { records: chainLines(1) })).toMatchObject({ ok: false, error: { code: 'NETWORK.UNKNOWN_HALL' } });
    expect(await hub.ingest(newToken, { records: chainLines(1, undefined, 'o') })).toMatchObject({ ok: true, value: { lastSeq: 1 } });
    expect(await hub.revoke(other.id)).toMatchObject({ ok: true });
    expect(await hub.ingest(newToken, { records: chainLines(2, undefined, 'o') })).toMatchObject({ ok: false, error: { code: 'NETWORK.TOKEN_REVOKED' } });
    expect(await hub.rotate('hall-nope')).toMatchObject({ ok: false, error: { code: 'HALL.NOT_FOUND' } });
    expect(await store.count(other.id)).toBe(1);

    // Closed and opened again: the same tails, the same tokens, still exactly once.
    await hub.close();
    hub = testHub(dir, url());
    await hub.start();
    expect(hub.opened).toBe(true);
    expect(await hub.ingest(town.token, { records: lines.slice(8, 10) })).toMatchObject({ ok: true, value: { lastSeq: 10, accepted: 0, duplicates: 2 } });
    expect(await hub.ingest(newToken, { records: chainLines(2, undefined, 'o') })).toMatchObject({ ok: false, error: { code: 'NETWORK.TOKEN_REVOKED' } });
    const halls = await hub.halls();
    expect(halls.map((h) => [h.name, h.lastSeq]).sort()).toEqual([
      ['桂五镇便民服务中心', 1],
      ['陈庄村便民服务站', 3],
      ['马坝镇便民服务中心', 10],
    ]);
    expect((await (await hub.store()).recordsAfter(town.id, 8, 100)).map((r) => r.line)).toEqual(lines.slice(8));
  });

  it.skipIf(usePg)('a hall with no downstream halls opens no database and refuses every token', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'network-hub-empty-'));
    const h = testHub(empty);
    await h.start();
    expect(h.opened).toBe(false);
    expect(await h.ingest('whatever', { records: chainLines(1) })).toMatchObject({ ok: false, error: { code: 'NETWORK.UNKNOWN_HALL' } });
    expect(h.opened).toBe(false);
    await h.close();
    await rm(empty, { recursive: true, force: true });
  });
});
