/**
 * At the upstream, statistics and alerts answer for a downstream hall (`hallId=`) from the
 * records it received, and for all halls without it; the same after the county restarts. On the
 * embedded database and with the county on PostgreSQL (`HALL_DATABASE_URL`: received records and
 * read model both there; skipped where PostgreSQL is not installed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, HallRow, HallTokenResponse, StatsSummary } from '@hall/protocol';
import { createStaff, startTestHall, type TestHall } from './harness';
import { join } from 'node:path';
import { JournalTail } from '../src/network/journal-tail';
import { FAST_LINK, until } from './network-support';
import { postgresBinDir, startPostgresTestCluster, type PostgresTestCluster } from '../src/read-model/postgres-test-cluster';

describe.each([
  ['SQLite', false],
  ['PostgreSQL', true],
] as const)('statistics and alerts per downstream hall (county on %s)', (_name, usePg) => {
  let cluster: PostgresTestCluster | null = null;
  const db = (): { databaseUrl?: string } => (cluster ? { databaseUrl: cluster.url } : {});
  let county: TestHall;
  let village: TestHall;
  let admin = '';
  let reg: HallTokenResponse;
  const day = '2026-11-26';

  beforeAll(async () => {
    if (usePg && postgresBinDir() === null) return;
    if (usePg) cluster = await startPostgresTestCluster();
    county = await startTestHall({ network: FAST_LINK, supervisionTickSeconds: 0, ...db() });
    admin = await county.login();
    reg = (await county.api<HallTokenResponse>('POST', '/api/halls', { name: '陈庄村便民服务站', level: 'village' }, admin)).body;
    village = await startTestHall({ network: FAST_LINK, upstream: { url: county.url, token: reg.token }, supervisionTickSeconds: 0 });
  }, 120_000);
  afterAll(async () => {
    await village?.close();
    await county?.close();
    await cluster?.stop();
  });

  it.skipIf(usePg && postgresBinDir() === null)("answers the village's figures with hallId=, all halls without it, and after a restart", async () => {
    const kiosk = await village.kioskToken();
    const services = (await village.api<Array<{ id: string }>>('GET', '/api/services')).body;
    for (let i = 0; i < 6; i++) expect((await village.api('POST', '/api/tickets', { serviceId: services[0]!.id }, kiosk)).status).toBe(201);
    const clerk = await createStaff(village, 'vclerk', 'clerk');
    const counters = (await village.api<Array<{ id: string; serviceIds: string[] }>>('GET', '/api/counters')).body;
    const counter = counters.find((c) => c.serviceIds.includes(services[0]!.id))!;
    expect((await village.api('POST', `/api/counters/${counter.id}/sign-in`, undefined, clerk.token)).status).toBe(200);
    expect((await village.api('POST', `/api/counters/${counter.id}/call-next`, undefined, clerk.token)).status).toBe(200);
    expect((await village.api('POST', `/api/counters/${counter.id}/finish`, undefined, clerk.token)).status).toBe(200);
    // The county issues two of its own.
    const countyKiosk = await county.kioskToken();
    const countyServices = (await county.api<Array<{ id: string }>>('GET', '/api/services')).body;
    for (let i = 0; i < 2; i++) expect((await county.api('POST', '/api/tickets', { serviceId: countyServices[0]!.id }, countyKiosk)).status).toBe(201);

    const q = `/api/stats/summary?from=${day}&to=${day}`;
    const forVillage = await until('the village at the county', async () => {
      const r = await county.api<StatsSummary>('GET', `${q}&hallId=${reg.id}`, undefined, admin);
      return r.status === 200 && r.body.issued === 6 && r.body.served === 1 && r.body;
    });
    expect(forVillage).toMatchObject({ issued: 6, served: 1 });
    await county.hall.readModel.flush();
    const own = await county.api<StatsSummary>('GET', `${q}&hallId=${county.hall.config.data.hall.id}`, undefined, admin);
    expect(own.body.issued).toBe(2);
    const all = await county.api<StatsSummary>('GET', q, undefined, admin);
    expect(all.body.issued).toBe(8);
    // A hall id that is neither the county nor below it: a code, not zeros.
    expect(await county.api('GET', `${q}&hallId=hall-nope`, undefined, admin)).toMatchObject({ status: 404, body: { error: { code: 'HALL.NOT_FOUND' } } });
    expect(await county.api('GET', '/api/alerts?hallId=hall-nope', undefined, admin)).toMatchObject({ status: 404, body: { error: { code: 'HALL.NOT_FOUND' } } });
    expect((await county.api('GET', `${q}&hallId=hall-nope`)).status).toBe(401);
    const rows = await county.api<HallRow[]>('GET', '/api/halls', undefined, admin);
    expect(rows.body[0]).toMatchObject({ today: { issued: 6, served: 1 }, waiting: 5, countersOpen: 1 });

    // A village alert (raised in its own journal) is the county's to read with hallId=.
    await village.hall.core.record({ type: 'audit.alert-raised', actor: { kind: 'system' }, alertId: 'al-village-printer', rule: 'device-down', level: 'red', subject: { kind: 'device', id: 'dev-p', label: '取号机打印机' } });
    const countyAlerts = await until('the alert at the county', async () => {
      const r = await county.api<Alert[]>('GET', `/api/alerts?active=true&hallId=${reg.id}`, undefined, admin);
      return r.body.length > 0 && r.body;
    });
    expect(countyAlerts).toMatchObject([{ id: 'al-village-printer', hallId: reg.id, rule: 'device-down', level: 'red' }]);
    expect((await county.api<Alert[]>('GET', `/api/alerts?active=true&hallId=${county.hall.config.data.hall.id}`, undefined, admin)).body.some((a) => a.id === 'al-village-printer')).toBe(false);
    await until('the red badge', async () => (await county.api<HallRow[]>('GET', '/api/halls', undefined, admin)).body[0]!.alerts.red === 1);

    // The county restarts: the same answers.
    const dir = county.dataDir;
    const port = county.hall.port;
    await county.close(true);
    county = await startTestHall({ dataDir: dir, port, network: FAST_LINK, supervisionTickSeconds: 0, ...db() });
    admin = await county.login();
    await until('the same after a restart', async () => {
      const r = await county.api<StatsSummary>('GET', `${q}&hallId=${reg.id}`, undefined, admin);
      return r.status === 200 && r.body.issued === 6 && r.body.served === 1;
    });
    expect((await county.api<HallRow[]>('GET', '/api/halls', undefined, admin)).body[0]).toMatchObject({ today: { issued: 6, served: 1 }, waiting: 5 });
    // The county's 电子监察 engine judges the county only: a village's alert is not its to clear.
    await county.hall.supervision.started;
    await county.hall.supervision.engine.tick();
    const countyJournal = await new JournalTail(join(county.dataDir, 'journal')).after(0, county.hall.core.durableSeq, 1e6);
    expect(countyJournal.filter((r) => r.line.includes('al-village-printer'))).toEqual([]);
    expect((await county.api<Alert[]>('GET', `/api/alerts?active=true&hallId=${reg.id}`, undefined, admin)).body.map((a) => a.id)).toEqual(['al-village-printer']);
  }, 90_000);
});
