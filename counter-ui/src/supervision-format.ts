/** Pure formatting for the statistics, alerts and cases panels (tested without a DOM). */
import type { Alert, CaseStatus, CounterView, StatsSummary } from '@hall/protocol';

export const CASE_STATUS_ZH: Record<CaseStatus, string> = {
  pending: '待核实',
  valid: '属实',
  invalid: '不属实',
  rectifying: '整改中',
  rectified: '已整改',
  unrectifiable: '无法整改',
};

/** The moves a supervisor may make from a status (API.md's workflow). */
export const NEXT_STATUSES: Record<CaseStatus, CaseStatus[]> = {
  pending: ['valid', 'invalid'],
  valid: ['rectifying'],
  rectifying: ['rectified', 'unrectifiable'],
  invalid: [],
  rectified: [],
  unrectifiable: [],
};

export const ALERT_RULE_ZH: Record<Alert['rule'], string> = {
  'ticket-wait': '等候超时',
  'service-time': '办理超时',
  'counter-paused': '窗口暂停过久',
  'counter-unattended': '窗口无人值守',
  'case-overdue': '整改逾期',
  'device-down': '设备故障',
  'network-refused': '下级上报数据异常',
};

export const LEVEL_ZH: Record<Alert['level'], string> = { yellow: '预警', red: '违规' };

/** 0.873 → "87.3%"; null → "—". */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** Minutes with one decimal, or "—". */
export function minutes(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${v.toFixed(1)} 分钟`;
}

/** Hourly arrivals and service as chart series (hours 0–23, zeros where nothing happened). */
export function hourlySeries(s: Pick<StatsSummary, 'hourly'>): { hours: string[]; arrivals: number[]; served: number[] } {
  const hours = Array.from({ length: 24 }, (_x, h) => `${String(h).padStart(2, '0')}时`);
  const arrivals = new Array<number>(24).fill(0);
  const served = new Array<number>(24).fill(0);
  for (const h of s.hourly) {
    if (h.hour < 0 || h.hour > 23) continue;
    arrivals[h.hour] = h.arrivals;
    served[h.hour] = h.served;
  }
  // Trim the night hours in which nothing happened, keeping the hall's day readable.
  const busy = arrivals.map((n, h) => n > 0 || served[h]! > 0);
  const first = busy.indexOf(true);
  if (first < 0) return { hours, arrivals, served };
  const last = busy.lastIndexOf(true);
  return { hours: hours.slice(first, last + 1), arrivals: arrivals.slice(first, last + 1), served: served.slice(first, last + 1) };
}

/** "18 分钟", "1 小时 5 分钟" for a span of whole minutes. */
export function spanZh(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < 60) return `${m} 分钟`;
  return m % 60 === 0 ? `${m / 60} 小时` : `${Math.floor(m / 60)} 小时 ${m % 60} 分钟`;
}

export interface AttentionCounter {
  id: string;
  number: number;
  kind: 'paused' | 'idle';
  /** Minutes in that state. */
  minutes: number;
  /** ok: nothing to do; warn: past the bound; bad: past twice it (the 电子监察 yellow and red). */
  level: 'ok' | 'warn' | 'bad';
  reason: string | null;
  clerk: string | null;
  /** Tickets waiting for the counter's services. */
  waiting: number;
}

/**
 * Counters a supervisor should look at: paused ones (past `pausedMinutes` a warning, past twice
 * it a violation, as the alert rules), and open ones with no ticket — idle while citizens wait for
 * their services is the warning; idle with nobody waiting is shown but fine. Worst first.
 */
export function counterAttention(
  counters: readonly Pick<CounterView, 'id' | 'number' | 'state' | 'pauseReason' | 'serviceIds' | 'currentTicket' | 'clerk' | 'stateSince' | 'idleSince'>[],
  waitingByService: Readonly<Record<string, number>>,
  now: number,
  bounds: { pausedMinutes: number; idleMinutes: number },
): AttentionCounter[] {
  const minutesFrom = (iso: string | null | undefined): number | null => {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / 60_000)) : null;
  };
  const level = (m: number, bound: number): AttentionCounter['level'] => (m >= 2 * bound ? 'bad' : m >= bound ? 'warn' : 'ok');
  const out: AttentionCounter[] = [];
  for (const c of counters) {
    const waiting = c.serviceIds.reduce((n, id) => n + (waitingByService[id] ?? 0), 0);
    const base = { id: c.id, number: c.number, reason: c.pauseReason, clerk: c.clerk?.name ?? null, waiting };
    if (c.state === 'paused') {
      const m = minutesFrom(c.stateSince) ?? 0;
      out.push({ ...base, kind: 'paused', minutes: m, level: level(m, bounds.pausedMinutes) });
    } else if (c.state === 'open' && !c.currentTicket) {
      const m = minutesFrom(c.idleSince) ?? 0;
      out.push({ ...base, kind: 'idle', minutes: m, level: waiting > 0 ? level(m, bounds.idleMinutes) : 'ok' });
    }
  }
  const rank = { bad: 0, warn: 1, ok: 2 } as const;
  return out.sort((a, b) => rank[a.level] - rank[b.level] || b.minutes - a.minutes || a.number - b.number);
}

/**
 * The active alerts list after a pushed alert (raised, acknowledged or cleared): the newer copy
 * replaces the old, a cleared one leaves, a new one goes on top. Newest first.
 */
export function mergeAlert(list: readonly Alert[], incoming: Alert): Alert[] {
  const rest = list.filter((a) => a.id !== incoming.id);
  if (incoming.clearedAt !== null) return rest;
  return [incoming, ...rest].sort((a, b) => (a.since < b.since ? 1 : a.since > b.since ? -1 : 0));
}

/** Red before yellow, unacknowledged before acknowledged, newest first. */
export function alertOrder(list: readonly Alert[]): Alert[] {
  const key = (a: Alert): number => (a.level === 'red' ? 0 : 2) + (a.acknowledgedAt ? 1 : 0);
  return [...list].sort((a, b) => key(a) - key(b) || (a.since < b.since ? 1 : a.since > b.since ? -1 : 0));
}
