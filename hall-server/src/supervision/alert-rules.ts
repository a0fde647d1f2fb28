/**
 * 电子监察 rules: pure functions from what the hall looks like now to the alerts that should be
 * active, each yellow (warning) or red (violation). The alert engine compares that set with the
 * active alerts and journals the difference. Times are epoch ms from the injected clock.
 */
import type { AlertLevel, AlertRule, AlertSubject } from './supervision-events';
import type { SupervisionSettings } from './supervision-settings';

export interface WatchedTicket {
  id: string;
  number: string;
  serviceId: string;
  status: 'waiting' | 'called' | 'serving';
  /** When its wait began (the original issue; kept across transfers). */
  waitingSince: number;
  /** When the service began (start, else call); null while waiting. */
  servingSince: number | null;
  counterLabel: string | null;
}

export interface WatchedCounter {
  id: string;
  label: string;
  state: 'closed' | 'open' | 'paused';
  /** Since when it has been paused (null: not paused). */
  pausedSince: number | null;
  /** Since when it has been closed while tickets of its services wait with no open counter for them (null: not so). */
  unattendedSince: number | null;
}

export interface WatchedCase {
  id: string;
  ticketNumber: string;
  /** Open (not yet rectified, unrectifiable or invalid). */
  open: boolean;
  deadline: string;
}

export interface WatchedDevice {
  id: string;
  name: string;
  /** Since when it has been offline or in error (null: online). */
  downSince: number | null;
}

export interface HallWatch {
  now: number;
  /** Hall date, `YYYY-MM-DD`. */
  today: string;
  /** Within the hall's opening hours (counter rules apply only then). */
  openingHours: boolean;
  tickets: readonly WatchedTicket[];
  /** Wait and service limits per service, minutes. */
  limits: (serviceId: string) => { waitMinutes: number; serviceMinutes: number };
  counters: readonly WatchedCounter[];
  cases: readonly WatchedCase[];
  devices: readonly WatchedDevice[];
  settings: SupervisionSettings;
}

export interface DesiredAlert {
  rule: AlertRule;
  level: AlertLevel;
  subject: AlertSubject;
}

const MIN = 60_000;

/** Yellow past `limit`, red past `limit × factor`; null within the limit. */
export function levelFor(elapsedMs: number, limitMinutes: number, redFactor: number): AlertLevel | null {
  if (elapsedMs > limitMinutes * redFactor * MIN) return 'red';
  if (elapsedMs > limitMinutes * MIN) return 'yellow';
  return null;
}

export function ticketWaitAlerts(w: HallWatch): DesiredAlert[] {
  const out: DesiredAlert[] = [];
  for (const t of w.tickets) {
    if (t.status !== 'waiting') continue;
    const level = levelFor(w.now - t.waitingSince, w.limits(t.serviceId).waitMinutes, w.settings.waitRedFactor);
    if (level) out.push({ rule: 'ticket-wait', level, subject: { kind: 'ticket', id: t.id, label: t.number } });
  }
  return out;
}

export function serviceTimeAlerts(w: HallWatch): DesiredAlert[] {
  const out: DesiredAlert[] = [];
  for (const t of w.tickets) {
    if (t.status === 'waiting' || t.servingSince === null) continue;
    const level = levelFor(w.now - t.servingSince, w.limits(t.serviceId).serviceMinutes, w.settings.serviceRedFactor);
    const label = t.counterLabel ? `${t.number} @ ${t.counterLabel}` : t.number;
    if (level) out.push({ rule: 'service-time', level, subject: { kind: 'ticket', id: t.id, label } });
  }
  return out;
}

export function counterAlerts(w: HallWatch): DesiredAlert[] {
  if (!w.openingHours) return [];
  const out: DesiredAlert[] = [];
  for (const c of w.counters) {
    const subject: AlertSubject = { kind: 'counter', id: c.id, label: c.label };
    if (c.state === 'paused' && c.pausedSince !== null) {
      const level = levelFor(w.now - c.pausedSince, w.settings.pausedMinutes, 2);
      if (level) out.push({ rule: 'counter-paused', level, subject });
    }
    if (c.state === 'closed' && c.unattendedSince !== null) {
      const level = levelFor(w.now - c.unattendedSince, w.settings.unattendedMinutes, 2);
      if (level) out.push({ rule: 'counter-unattended', level, subject });
    }
  }
  return out;
}

/** Yellow on the deadline day, red once it has passed. */
export function caseOverdueAlerts(w: HallWatch): DesiredAlert[] {
  const out: DesiredAlert[] = [];
  for (const c of w.cases) {
    if (!c.open || w.today < c.deadline) continue;
    out.push({ rule: 'case-overdue', level: w.today > c.deadline ? 'red' : 'yellow', subject: { kind: 'case', id: c.id, label: c.ticketNumber } });
  }
  return out;
}

export function deviceDownAlerts(w: HallWatch): DesiredAlert[] {
  const out: DesiredAlert[] = [];
  for (const d of w.devices) {
    if (d.downSince === null) continue;
    const level = levelFor(w.now - d.downSince, w.settings.deviceDownMinutes, 2);
    if (level) out.push({ rule: 'device-down', level, subject: { kind: 'device', id: d.id, label: d.name } });
  }
  return out;
}

export const ALERT_RULES: ReadonlyArray<(w: HallWatch) => DesiredAlert[]> = [ticketWaitAlerts, serviceTimeAlerts, counterAlerts, caseOverdueAlerts, deviceDownAlerts];

/** Every alert that should be active now. */
export function desiredAlerts(w: HallWatch): DesiredAlert[] {
  return ALERT_RULES.flatMap((rule) => rule(w));
}

/** One alert per rule and subject: the key the engine matches active alerts by. */
export const alertKey = (a: { rule: string; subject: { kind: string; id: string } }): string => `${a.rule}|${a.subject.kind}|${a.subject.id}`;
