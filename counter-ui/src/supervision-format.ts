/** Pure formatting for the statistics, alerts and cases panels (tested without a DOM). */
import type { Alert, CaseStatus, StatsSummary } from '@hall/protocol';

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
