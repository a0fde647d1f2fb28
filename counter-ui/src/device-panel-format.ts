/**
 * The supervision page's device panel, pure: each device by name and where it is (a counter or a
 * kiosk terminal), its status with the live socket's word over the list's, since when, and the
 * fault. Tested without a DOM.
 */
import type { CounterView, DeviceKind } from '@hall/protocol';

export type DeviceStatus = 'online' | 'offline' | 'error';

/** `GET /api/devices` rows as the panel reads them. */
export interface DeviceListRow {
  id: string;
  kind: DeviceKind;
  name: string;
  attachedTo: { counterId: string } | { terminalId: string } | null;
  status: DeviceStatus;
  detail: string | null;
  /** Since when the status holds (hall time), where the server says. */
  since?: string | null;
}

/** What the /counter socket said last of a device, and when this page heard it. */
export interface LiveDevice {
  status: DeviceStatus;
  detail: string | null;
  at?: string;
}

export const DEVICE_KIND_ZH: Record<DeviceKind, string> = {
  printer: '打印机',
  'id-reader': '身份证阅读器',
  'led-board': '窗口屏',
  keypad: '呼叫器',
  evaluator: '评价器',
  scanner: '扫码器',
};

export const DEVICE_STATUS_ZH: Record<DeviceStatus, string> = { online: '在线', offline: '离线', error: '故障' };

export interface DeviceRow {
  id: string;
  name: string;
  kind: string;
  place: string;
  status: DeviceStatus;
  statusZh: string;
  detail: string | null;
  since: string | null;
}

/** Rows for the panel: faults first, then offline, then by place and name. */
export function deviceRows(
  list: readonly DeviceListRow[],
  live: Readonly<Record<string, LiveDevice>>,
  counters: readonly Pick<CounterView, 'id' | 'number'>[],
  terminalName: (id: string) => string | null = () => null,
): DeviceRow[] {
  const place = (d: DeviceListRow): string => {
    if (!d.attachedTo) return '大厅';
    if ('counterId' in d.attachedTo) {
      const id = d.attachedTo.counterId;
      const c = counters.find((x) => x.id === id);
      return c ? `${c.number}号窗口` : '窗口';
    }
    return terminalName(d.attachedTo.terminalId) ?? '取号机';
  };
  const rank: Record<DeviceStatus, number> = { error: 0, offline: 1, online: 2 };
  return list
    .map((d) => {
      const l = live[d.id];
      const status = l?.status ?? d.status;
      const changedLive = l !== undefined && l.status !== d.status;
      return {
        id: d.id,
        name: d.name,
        kind: DEVICE_KIND_ZH[d.kind] ?? d.kind,
        place: place(d),
        status,
        statusZh: DEVICE_STATUS_ZH[status],
        detail: l ? l.detail : d.detail,
        since: changedLive ? (l.at ?? null) : (d.since ?? null),
      };
    })
    .sort((a, b) => rank[a.status] - rank[b.status] || a.place.localeCompare(b.place, 'zh-CN') || a.name.localeCompare(b.name, 'zh-CN'));
}

/** "在线", "离线 · 自 10:32", "故障 · 自 12-02 18:00" (another day shows its date). */
export function statusLine(r: Pick<DeviceRow, 'statusZh' | 'since'>, today: string): string {
  if (!r.since) return r.statusZh;
  const day = r.since.slice(0, 10);
  const time = r.since.slice(11, 16);
  return `${r.statusZh} · 自 ${day === today ? time : `${day.slice(5)} ${time}`}`;
}
