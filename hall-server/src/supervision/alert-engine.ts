/**
 * The 电子监察 engine: on every tick of the injected clock (and after queue events) it builds a
 * watch of the hall (queue state, counters, devices, open cases), asks the pure rules which
 * alerts should be active, and journals the difference: `audit.alert-raised` for a new one (or a
 * new level: the old level's alert is cleared), `audit.alert-cleared` for one no longer true.
 * The journal is the truth: the read model projects these events, supervisors' sockets get them.
 */
import { hallDate, type HallConfig, type QueueEvent } from '@hall/protocol';
import { isOpenAt, type QueueState } from '../queue';
import { alertKey, desiredAlerts, type DesiredAlert, type HallWatch, type WatchedCase, type WatchedCounter, type WatchedTicket } from './alert-rules';
import { supervisionSettings } from './supervision-settings';
import type { AlertClearedEvent, AlertLevel, AlertRaisedEvent, AlertRule, AlertSubject } from './supervision-events';

export type AlertRecord = Omit<AlertRaisedEvent, 'id' | 'at'> | Omit<AlertClearedEvent, 'id' | 'at'>;

export interface ActiveAlert {
  id: string;
  rule: AlertRule;
  level: AlertLevel;
  subject: AlertSubject;
}

export interface AlertEnginePorts {
  clock: () => number;
  tz: string;
  config: () => HallConfig;
  queue: () => QueueState;
  devices: () => ReadonlyArray<{ id: string; name: string; status: string }>;
  /** Open rectification cases (from the read model). */
  openCases: () => Promise<WatchedCase[]>;
  /** Alerts not yet cleared (from the read model), read once at start. */
  activeAlerts: () => Promise<ActiveAlert[]>;
  /** Journals an alert event (HallCore.record); throws when the journal cannot be written. */
  record: (event: AlertRecord) => Promise<void>;
  newId: () => string;
  log: { warn(obj: object, msg: string): void };
}

export class AlertEngine {
  private readonly active = new Map<string, ActiveAlert>();
  private readonly pausedSince = new Map<string, number>();
  private readonly unattendedSince = new Map<string, number>();
  private readonly downSince = new Map<string, number>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly ports: AlertEnginePorts) {}

  /** Loads the alerts still active in the journal's projection; ticks every `tickMs` (0 = only when told). */
  async start(tickMs = 15_000): Promise<void> {
    for (const a of await this.ports.activeAlerts()) this.active.set(alertKey(a), a);
    const state = this.ports.queue();
    const now = this.ports.clock();
    for (const [id, c] of state.counters) if (c.state === 'paused') this.pausedSince.set(id, now);
    this.started = true;
    if (tickMs > 0) {
      this.timer = setInterval(() => void this.tick(), tickMs);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.started = false;
  }

  /** Durable queue events: pause times, and a re-check soon after (a call clears a wait alert). */
  observe(events: readonly QueueEvent[]): void {
    for (const e of events) {
      if (e.type === 'counter.paused') this.pausedSince.set(e.counterId, Date.parse(e.at));
      else if (e.type === 'counter.resumed' || e.type === 'counter.signed-out') this.pausedSince.delete(e.counterId);
    }
  }

  /** One evaluation; concurrent calls share it (and one more runs after it). */
  tick(): Promise<void> {
    if (!this.started) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.evaluate()
      .catch((err: Error) => this.ports.log.warn({ err: { message: err.message } }, 'supervision: alert evaluation failed; retried at the next tick'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.tick();
        }
      });
    return this.running;
  }

  /** Alerts active now, as the engine sees them. */
  activeNow(): ActiveAlert[] {
    return [...this.active.values()];
  }

  private async evaluate(): Promise<void> {
    const watch = await this.watch();
    const desired = new Map<string, DesiredAlert>(desiredAlerts(watch).map((d) => [alertKey(d), d]));
    for (const [key, a] of this.active) {
      const d = desired.get(key);
      if (!d || d.level !== a.level) {
        await this.ports.record({ type: 'audit.alert-cleared', actor: { kind: 'system' }, alertId: a.id });
        this.active.delete(key);
      }
    }
    for (const [key, d] of desired) {
      if (this.active.has(key)) continue;
      const alertId = this.ports.newId();
      await this.ports.record({ type: 'audit.alert-raised', actor: { kind: 'system' }, alertId, rule: d.rule, level: d.level, subject: d.subject });
      this.active.set(key, { id: alertId, rule: d.rule, level: d.level, subject: d.subject });
    }
  }

  private async watch(): Promise<HallWatch> {
    const now = this.ports.clock();
    const config = this.ports.config();
    const state = this.ports.queue();
    const tz = this.ports.tz;
    const counterLabel = new Map(config.counters.map((c) => [c.id, `${c.number}号窗口`]));
    const tickets: WatchedTicket[] = [];
    const waitingBy = new Map<string, number>();
    for (const t of state.tickets.values()) {
      if (t.status !== 'waiting' && t.status !== 'called' && t.status !== 'serving') continue;
      if (t.status === 'waiting') waitingBy.set(t.serviceId, (waitingBy.get(t.serviceId) ?? 0) + 1);
      tickets.push({
        id: t.id,
        number: t.number,
        serviceId: t.serviceId,
        status: t.status,
        waitingSince: t.issuedAtMs,
        servingSince: t.status === 'waiting' ? null : (t.startedAtMs ?? t.calledAtMs),
        counterLabel: t.counterId ? (counterLabel.get(t.counterId) ?? null) : null,
      });
    }
    const staffed = new Set<string>();
    for (const c of config.counters) {
      const s = state.counters.get(c.id)?.state ?? 'closed';
      if (s !== 'closed') for (const l of c.services) staffed.add(l.serviceId);
    }
    const counters: WatchedCounter[] = [];
    for (const c of config.counters) {
      if (!c.enabled) continue;
      const s = state.counters.get(c.id)?.state ?? 'closed';
      const orphaned = s === 'closed' && c.services.some((l) => (waitingBy.get(l.serviceId) ?? 0) > 0 && !staffed.has(l.serviceId));
      if (orphaned) {
        if (!this.unattendedSince.has(c.id)) this.unattendedSince.set(c.id, now);
      } else this.unattendedSince.delete(c.id);
      if (s !== 'paused') this.pausedSince.delete(c.id);
      else if (!this.pausedSince.has(c.id)) this.pausedSince.set(c.id, now);
      counters.push({ id: c.id, label: counterLabel.get(c.id)!, state: s, pausedSince: this.pausedSince.get(c.id) ?? null, unattendedSince: this.unattendedSince.get(c.id) ?? null });
    }
    const devices = this.ports.devices().map((d) => {
      if (d.status === 'online') this.downSince.delete(d.id);
      else if (!this.downSince.has(d.id)) this.downSince.set(d.id, now);
      return { id: d.id, name: d.name, downSince: this.downSince.get(d.id) ?? null };
    });
    const services = new Map(config.services.map((s) => [s.id, s]));
    return {
      now,
      today: hallDate(now, tz),
      openingHours: isOpenAt(config.hall.hours, config.hall.calendar, now, tz),
      tickets,
      limits: (id) => ({ waitMinutes: services.get(id)?.waitLimitMinutes ?? 30, serviceMinutes: services.get(id)?.serviceLimitMinutes ?? 20 }),
      counters,
      cases: await this.ports.openCases(),
      devices,
      settings: supervisionSettings(config),
    };
  }
}
