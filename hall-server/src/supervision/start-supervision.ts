/**
 * Wires 电子监察 and 好差评 follow-up to the hall: the alert engine (ticked by a timer and after
 * queue events; times from the injected clock), the staff actions, and the live push of alert
 * changes to supervisors. main.ts calls this once with narrow ports.
 */
import type { HallConfig, QueueEvent } from '@hall/protocol';
import type { QueueState } from '../queue';
import type { ReadModelPort } from '../read-model/read-model-service';
import type { JournalEventLike } from '../read-model/projector';
import { AlertEngine, type AlertRecord } from './alert-engine';
import { SupervisionActions, type SupervisionRecord } from './supervision-actions';
import type { AlertView } from './supervision-queries';
import { OPEN_STATUSES } from './rectification-workflow';

export interface SupervisionOptions {
  core: {
    readonly state: QueueState;
    on(e: 'events', l: (events: QueueEvent[]) => void): unknown;
    on(e: 'audit', l: (event: JournalEventLike) => void): unknown;
  };
  /** Journals a supervision event (HallCore.record). */
  record: (event: AlertRecord | SupervisionRecord) => Promise<void>;
  readModel: ReadModelPort;
  config: () => HallConfig;
  devices: () => ReadonlyArray<{ id: string; name: string; status: string }>;
  clock: () => number;
  tz: string;
  newId: () => string;
  log: { warn(obj: object, msg: string): void };
  /** An alert was raised, cleared or acknowledged (for supervisors' sockets). */
  onAlert?: (alert: AlertView) => void;
  /** Seconds between ticks (default 15); 0 = only after events. */
  tickSeconds?: number;
  /** The engine starts once this resolves (the read model caught up: active alerts and cases known). */
  ready?: Promise<unknown>;
}

export interface RunningSupervision {
  engine: AlertEngine;
  actions: SupervisionActions;
  /** Resolves when the engine has started. */
  started: Promise<void>;
  stop(): void;
}

const ALERT_EVENTS = new Set(['audit.alert-raised', 'audit.alert-cleared', 'audit.alert-acknowledged']);

export function startSupervision(o: SupervisionOptions): RunningSupervision {
  const engine = new AlertEngine({
    clock: o.clock,
    tz: o.tz,
    config: o.config,
    queue: () => o.core.state,
    devices: o.devices,
    openCases: async () => {
      // Open ones only, asked for as such: a cap over all cases would drop the oldest (the overdue) first.
      const cases = await o.readModel.cases({ statuses: OPEN_STATUSES, limit: 5000, hallIds: [o.config().hall.id] });
      return cases.map((c) => ({ id: c.id, ticketNumber: c.ticketNumber, open: true, deadline: c.deadline }));
    },
    // This hall's only (a county's read model also holds its downstream halls'); network alerts
    // are the network hub's (network/network-alerts.ts): not the engine's to clear.
    activeAlerts: async () => (await o.readModel.alerts({ active: true, limit: 5000, hallIds: [o.config().hall.id] })).filter((a) => a.rule !== 'network-refused').map((a) => ({ id: a.id, rule: a.rule, level: a.level, subject: a.subject })),
    record: o.record,
    newId: o.newId,
    log: o.log,
  });
  const actions = new SupervisionActions({ readModel: o.readModel, record: o.record });

  let soon: NodeJS.Timeout | undefined;
  o.core.on('events', (events) => {
    engine.observe(events);
    // A call or a pause changes what is true: look again shortly, not on the issue path.
    soon ??= setTimeout(() => {
      soon = undefined;
      void engine.tick();
    }, 1000);
  });
  if (o.onAlert) {
    const push = o.onAlert;
    o.core.on('audit', (e) => {
      if (!ALERT_EVENTS.has(e.type)) return;
      const alertId = (e as unknown as { alertId: string }).alertId;
      o.readModel
        .flush()
        .then(() => o.readModel.alerts({ alertId }))
        .then(([a]) => a && push(a))
        .catch(() => undefined);
    });
  }
  let stopped = false;
  const started = Promise.resolve(o.ready)
    .then(() => (stopped ? undefined : engine.start((o.tickSeconds ?? 15) * 1000)))
    .catch((err: Error) => o.log.warn({ err: { message: err.message } }, 'supervision: the alert engine did not start'));
  return {
    engine,
    actions,
    started,
    stop() {
      stopped = true;
      clearTimeout(soon);
      engine.stop();
    },
  };
}
