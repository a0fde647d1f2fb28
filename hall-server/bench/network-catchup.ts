/**
 * Issue 12's catch-up target: a village hall that was offline for a day (5,000 events in its
 * journal, none sent) has them all at the county in < 10 s once the link works. Both halls are
 * real server processes (the bundle `npm start` runs) on loopback with data on disk: the county
 * registers the village (`POST /api/halls`), the village's config points at the county, and the
 * clock runs from the village listening to the county's `GET /api/halls` showing the village's
 * last record. (After a real outage the first retry comes within the backoff cap, 60 s; this
 * measures the transfer itself.)
 *
 *   node --import tsx hall-server/bench/network-catchup.ts [--events 5000]
 */
import { join } from 'node:path';
import { addDays, hallDate, type HallRow, type HallTokenResponse } from '@hall/protocol';
import { loadKeyFile, openConfigStore } from '../src/config';
import { syntheticDay } from '../src/read-model/synthetic-day';
import { writeJournalDay } from '../src/read-model/journal-source';
import { ADMIN_PASSWORD, benchDataDir, memOf, removeDir, spawnHall, type Child } from './proc';
import { below, isMain, round, runStandalone, type BenchResult } from './report';
import { api, arg } from './network-bench-support';

const TZ = 'Asia/Shanghai';

export async function runNetworkCatchup(events = arg('events', 5000)): Promise<BenchResult> {
  const started = performance.now();
  const countyDir = await benchDataDir('hall-bench-county-');
  const villageDir = await benchDataDir('hall-bench-village-');
  let county: Child | undefined;
  let village: Child | undefined;
  try {
    county = await spawnHall(countyDir);
    const login = await api<{ token: string }>(county.url, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const admin = login.body.token;
    const reg = await api<HallTokenResponse>(county.url, 'POST', '/api/halls', { name: '陈庄村便民服务站', level: 'village' }, admin);
    if (reg.status !== 201) throw new Error(`register: ${reg.status}`);

    // The village's day offline: a hall's folder (config, key) and yesterday's journal, written as the journal writes it.
    const config = await openConfigStore(villageDir);
    await loadKeyFile(villageDir, 'id-hash');
    const yesterday = addDays(hallDate(Date.now(), TZ), -1);
    let day: ReturnType<typeof syntheticDay> = [];
    for (let tickets = Math.ceil(events / 4); day.length < events; tickets += 50) day = syntheticDay({ day: yesterday, tickets, seed: 7 });
    await writeJournalDay(join(villageDir, 'journal'), yesterday, day.slice(0, events));
    const up = await config.update((d) => void (d.hall.upstream = { url: county!.url, token: reg.body.token }));
    if (!up.ok) throw new Error(up.error.message);

    village = await spawnHall(villageDir);
    const t0 = performance.now();
    let row: HallRow | undefined;
    for (;;) {
      row = (await api<HallRow[]>(county.url, 'GET', '/api/halls', undefined, admin)).body.find((r) => r.id === reg.body.id);
      if (row && row.lastSeq >= events) break;
      if (performance.now() - t0 > 120_000) throw new Error(`not caught up after 120 s (at ${row?.lastSeq ?? 0})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const catchupMs = performance.now() - t0;
    const fromSpawnMs = performance.now() - village.spawnedAt;
    const countyMem = await memOf(county.pid);
    return {
      bench: 'network-catchup',
      durationMs: performance.now() - started,
      targets: [below('network.catchup', `a day offline (${events} events) caught up at the county`, round(catchupMs / 1000, 2), 10, 's')],
      info: [
        { what: 'from the village process start (incl. its own start-up)', value: round(fromSpawnMs / 1000, 2), unit: 's' },
        { what: 'records per second', value: Math.round(events / (catchupMs / 1000)), unit: '/s' },
        { what: 'county RSS after', value: round(countyMem.rssMB, 0), unit: 'MB' },
      ],
      details: { events, catchupMs: round(catchupMs, 0), fromSpawnMs: round(fromSpawnMs, 0), lastSeq: row.lastSeq, countyRssMB: round(countyMem.rssMB, 1) },
    };
  } finally {
    await village?.stop();
    await county?.stop();
    await removeDir(countyDir);
    await removeDir(villageDir);
  }
}

if (isMain(import.meta.url)) await runStandalone(() => runNetworkCatchup());
