/**
 * `hall-server reindex [DATA_DIR]`: empties the read model and projects the whole journal again
 * (statistics, cases, alerts). The read model is a cache of the journal, so this loses nothing.
 * Best run with the server stopped; a running server's read model would keep writing beside it.
 */
import { join } from 'node:path';
import { openConfigStore, holdsJournal } from '../config';
import { InProcessReadModel } from './read-model-service';

export interface ReindexOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  tz?: string | undefined;
  out: (line: string) => void;
}

export async function reindexCommand(o: ReindexOptions): Promise<number> {
  if (!(await holdsJournal(o.dataDir))) {
    o.out(`no journal in ${o.dataDir}: nothing to index`);
    return 0;
  }
  const config = await openConfigStore(o.dataDir, { existingHall: true });
  const tz = o.tz ?? config.data.hall.timezone;
  const t0 = performance.now();
  const { service, caughtUp } = await InProcessReadModel.open({
    dataDir: o.dataDir,
    journalDir: join(o.dataDir, 'journal'),
    databaseUrl: o.databaseUrl,
    tz,
    config: config.data,
    clock: Date.now,
    catchUp: false,
    log: { info: (_o, m) => o.out(m), warn: (_o, m) => o.out(m), error: (_o, m) => o.out(m) },
  });
  try {
    await caughtUp;
    const r = await service.reindex();
    const status = await service.status();
    o.out(`read model rebuilt from the journal: ${r.days} day(s), ${r.events} event(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s (${status.dialect})`);
    return status.state === 'ready' ? 0 : 2;
  } finally {
    await service.close();
  }
}
