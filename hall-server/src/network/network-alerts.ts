/**
 * 电子监察 for the network: a batch refused for its chain (a gap, a fork, a changed record) raises
 * a red `network-refused` alert on that hall, once while it lasts (the sender retries with
 * backoff: one alert, not one per retry); the hall's next accepted records clear it. Alerts are
 * journalled like every other (HallCore.record), so the read model, the alert list and
 * supervisors' sockets see them with no code of their own.
 */
import type { AlertClearedEvent, AlertRaisedEvent } from '@hall/protocol';
import type { ChainRefusal } from './chain-check';

type AlertInput = Omit<AlertRaisedEvent, 'id' | 'at'> | Omit<AlertClearedEvent, 'id' | 'at'>;

export const NETWORK_ALERT_RULE = 'network-refused';

export interface NetworkAlertsOptions {
  record: (event: AlertInput) => Promise<void>;
  newId: () => string;
  /** Active alerts at start (from the read model). */
  active: () => Promise<ReadonlyArray<{ id: string; rule: string; subject: { kind: string; id: string } }>>;
  log: { warn(obj: object, msg: string): void };
}

export class NetworkAlerts {
  /** Active alert id by hall id. */
  readonly #active = new Map<string, string>();
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: NetworkAlertsOptions) {}

  async start(): Promise<void> {
    for (const a of await this.o.active()) if (a.rule === NETWORK_ALERT_RULE && a.subject.kind === 'hall') this.#active.set(a.subject.id, a.id);
  }

  raise(hall: { id: string; name: string }, refusal: ChainRefusal): void {
    this.#then(async () => {
      if (this.#active.has(hall.id)) return;
      const alertId = this.o.newId();
      this.#active.set(hall.id, alertId);
      await this.o.record({ type: 'audit.alert-raised', actor: { kind: 'system' }, alertId, rule: NETWORK_ALERT_RULE, level: 'red', subject: { kind: 'hall', id: hall.id, label: `${hall.name} (${refusal.code})` } });
    });
  }

  clear(hallId: string): void {
    if (!this.#active.has(hallId)) return;
    this.#then(async () => {
      const alertId = this.#active.get(hallId);
      if (alertId === undefined) return;
      this.#active.delete(hallId);
      await this.o.record({ type: 'audit.alert-cleared', actor: { kind: 'system' }, alertId });
    });
  }

  /** Alert ids active now, by hall (tests, the halls list). */
  activeByHall(): ReadonlyMap<string, string> {
    return this.#active;
  }

  /** Journal writes one at a time, off the ingest path; a failed write is logged (the journal reports itself). */
  #then(fn: () => Promise<void>): void {
    this.#queue = this.#queue.then(fn).catch((err: Error) => this.o.log.warn({ err: { message: err.message } }, 'network: could not journal a network alert'));
  }

  settled(): Promise<void> {
    return this.#queue;
  }
}
