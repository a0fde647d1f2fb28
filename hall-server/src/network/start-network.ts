/**
 * Wires the network into a hall (main.ts calls this once): the hub that takes in downstream
 * halls' records, its red alerts, and the pusher that sends this hall's journal (and what it
 * relays) upstream. Every hall has both sides; each stays idle until used (no downstream hall
 * registered: no database opened; no upstream configured: nothing sent).
 */
import { join } from 'node:path';
import type { AlertClearedEvent, AlertRaisedEvent } from '@hall/protocol';
import { NetworkHub, type NetworkHubOptions } from './network-hub';
import { NetworkAlerts } from './network-alerts';
import { JournalTail } from './journal-tail';
import { SELF, UpstreamCursor } from './upstream-cursor';
import { UpstreamPusher, postBatch, postPing, type PushSource, type UpstreamPusherOptions } from './upstream-pusher';
import { HallFigures } from './hall-figures';
import { RemoteProjection, type RemoteReadModel } from './remote-projection';

export interface StartNetworkOptions {
  dataDir: string;
  journalDir: string;
  databaseUrl?: string | undefined;
  clock: () => number;
  tz: string;
  formatTime: (ms: number) => string;
  log: NetworkHubOptions['log'];
  newId: () => string;
  newToken: () => string;
  tokenHash: (token: string) => string;
  /** HALL_UPSTREAM_URL/TOKEN, else the hall's config (read on every push: config may change). */
  upstream: () => { url: string; token: string } | null;
  core: {
    readonly durableSeq: number;
    on(e: 'events' | 'audit', l: () => void): unknown;
  };
  /** Journals an alert (HallCore.record). */
  record: (event: Omit<AlertRaisedEvent, 'id' | 'at'> | Omit<AlertClearedEvent, 'id' | 'at'>) => Promise<void>;
  activeAlerts: () => Promise<ReadonlyArray<{ id: string; rule: string; subject: { kind: string; id: string } }>>;
  /** Where received records are projected by hall id (statistics and alerts with `hallId=`). */
  readModel?: RemoteReadModel;
  /** The read model has caught up (active alerts known). */
  ready?: Promise<unknown>;
  /** Tests and benchmarks: transport, timing. */
  pusher?: Partial<Pick<UpstreamPusherOptions, 'send' | 'ping' | 'backoff' | 'debounceMs' | 'pollMs' | 'batchRecords' | 'random'>>;
}

export interface RunningNetwork {
  hub: NetworkHub;
  pusher: UpstreamPusher;
  alerts: NetworkAlerts;
  figures: HallFigures;
  close(): Promise<void>;
}

export async function startNetwork(o: StartNetworkOptions): Promise<RunningNetwork> {
  const hub = new NetworkHub({
    sqliteFile: join(o.dataDir, 'network.sqlite'),
    databaseUrl: o.databaseUrl,
    clock: o.clock,
    newId: o.newId,
    newToken: o.newToken,
    tokenHash: o.tokenHash,
    log: o.log,
  });
  await hub.start();
  const alerts = new NetworkAlerts({ record: o.record, newId: o.newId, active: o.activeAlerts, log: o.log });
  void Promise.resolve(o.ready)
    .then(() => alerts.start())
    .catch((err: Error) => o.log.warn({ err: { message: err.message } }, 'network: active alerts not loaded'));
  const figures = new HallFigures();
  const tail = new JournalTail(o.journalDir);
  const self: PushSource = { key: SELF, read: (after, max) => tail.after(after, o.core.durableSeq, max), lastSeq: () => o.core.durableSeq };
  const pusher = new UpstreamPusher({
    upstream: o.upstream,
    cursor: new UpstreamCursor(join(o.dataDir, 'upstream-cursor.json')),
    sources: async () => {
      if (!hub.opened) return [self];
      const store = await hub.store();
      const relayed = store.halls().map(
        (h): PushSource => ({
          key: h.id,
          relayed: { hallId: h.id, name: h.name, level: h.level, lastSeenAt: () => store.hall(h.id)?.lastSeenAt ?? null },
          read: (after, max) => store.recordsAfter(h.id, after, max),
          lastSeq: () => store.hall(h.id)?.lastSeq ?? 0,
        }),
      );
      return [self, ...relayed];
    },
    send: postBatch,
    ping: postPing,
    clock: o.clock,
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    random: Math.random,
    formatTime: o.formatTime,
    log: o.log,
    ...o.pusher,
  });
  const projection = o.readModel ? new RemoteProjection(() => hub.store(), o.readModel, o.log) : null;
  hub.events = {
    accepted: (hall, fresh) => {
      alerts.clear(hall.id);
      figures.add(hall.id, fresh);
      void projection?.accept(hall.id, fresh);
      // A township sends its villages' records on upward as they arrive.
      pusher.poke();
    },
    refused: (hall, refusal) => alerts.raise(hall, refusal),
  };
  if (hub.opened) {
    await figures.load(await hub.store());
    void projection?.start().catch((err: Error) => o.log.warn({ err: { message: err.message } }, 'network: received records not projected at start'));
  }
  const poke = (): void => pusher.poke();
  o.core.on('events', poke);
  o.core.on('audit', poke);
  pusher.start();
  return {
    hub,
    pusher,
    alerts,
    figures,
    async close() {
      await pusher.stop();
      await alerts.settled();
      await hub.close();
    },
  };
}
