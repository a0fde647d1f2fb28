/**
 * Builds the catalogue's parts for main.ts: the upstream copy and its background fetch (a
 * downstream hall), the directory of what downstream halls reported (an upstream hall), and the
 * port the HTTP routes use.
 */
import { join } from 'node:path';
import type { HallConfig } from '@hall/protocol';
import { FsyncJsonFile } from '../config';
import { CatalogueSync, type UpstreamCopy } from './catalogue-sync';
import type { Timers } from '../network/upstream-pusher';
import { HallServiceDirectory, type DirectoryFile } from './hall-service-directory';
import { noHallTokens, type HallTokenVerifier } from './hall-token-verifier';

export interface StartCatalogueOptions {
  dataDir: string;
  config: () => HallConfig;
  /** HALL_UPSTREAM_URL/HALL_UPSTREAM_TOKEN when set, else the hall's configured upstream. */
  upstream?: () => { url: string; token: string } | null;
  tz: string;
  clock: () => number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  hallTokens?: HallTokenVerifier;
  /** Background fetch tuning (tests). */
  sync?: { intervalMs?: number; minBackoffMs?: number; maxBackoffMs?: number; timers?: Timers; random?: () => number; firstDelayMs?: number };
}

export interface RunningCatalogue {
  upstream: CatalogueSync;
  directory: HallServiceDirectory;
  hallTokens: HallTokenVerifier;
  stop(): void;
}

export async function startCatalogue(o: StartCatalogueOptions): Promise<RunningCatalogue> {
  const directory = new HallServiceDirectory(new FsyncJsonFile<DirectoryFile>(join(o.dataDir, 'catalogue-halls.json')));
  await directory.load();
  const upstream = new CatalogueSync({
    upstream: o.upstream ?? (() => o.config().hall.upstream),
    file: new FsyncJsonFile<UpstreamCopy>(join(o.dataDir, 'catalogue-upstream.json')),
    services: () => o.config().services.map((s) => ({ id: s.id, name: s.name, catalogueCode: s.catalogueCode })),
    relayed: () => [...directory.halls()].map(([hallId, services]) => ({ hallId, services: [...services] })),
    clock: o.clock,
    tz: o.tz,
    log: o.log,
    ...o.sync,
  });
  await upstream.load();
  upstream.start(o.sync?.firstDelayMs);
  return { upstream, directory, hallTokens: o.hallTokens ?? noHallTokens, stop: () => upstream.stop() };
}
