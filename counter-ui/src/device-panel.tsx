/**
 * The supervision page's device panel (always shown): every configured device by name and place,
 * its status (live from the /counter socket over `GET /api/devices`), since when, and the fault.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { toHallIso } from '@hall/protocol';
import { useStaff } from './staff-store';
import { deviceRows, statusLine, type DeviceListRow, type DeviceStatus, type LiveDevice } from './device-panel-format';
import { hallToday } from './supervision-panels';

export function DevicePanel() {
  const s = useStaff();
  const [list, setList] = useState<DeviceListRow[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const heard = useRef<Record<string, LiveDevice>>({});
  const load = (): void =>
    void s.call<DeviceListRow[]>('GET', '/api/devices', undefined, true).then((r) => {
      setUnavailable(!r.ok);
      if (r.ok) {
        setList(r.value);
      }
    });
  useEffect(() => {
    load();
    // The socket says every change; the list (names, new devices) is read again now and then.
    const t = setInterval(load, 60_000);
    return () => clearInterval(t);
  }, []);

  // When this page heard each live status change (hall time), for "since" on a change the list predates.
  const live = s.devices.value;
  for (const [id, d] of Object.entries(live)) {
    const before = heard.current[id];
    if (!before || before.status !== d.status || before.detail !== d.detail) {
      heard.current[id] = { status: d.status as DeviceStatus, detail: d.detail, at: before?.status === d.status ? before.at : toHallIso(Date.now()) };
    }
  }
  const rows = deviceRows(list ?? [], heard.current, s.snapshot.value?.counters ?? []);
  const down = rows.filter((r) => r.status !== 'online').length;
  const today = hallToday();

  return (
    <div class="panel" data-devices>
      <h2>
        设备状态 <small>Devices {list ? `· ${rows.length - down}/${rows.length} 在线` : ''}</small>
      </h2>
      {unavailable && list === null ? (
        <p class="muted">设备服务未运行，无法读取设备状态 · The device manager is not running</p>
      ) : list === null ? (
        <p class="muted">正在加载… Loading…</p>
      ) : rows.length === 0 ? (
        <p class="muted">未配置设备 No devices configured</p>
      ) : (
        <ul class="sv-devices dev-list">
          {rows.map((r) => (
            <li key={r.id} class={`dev-row dev-${r.status}`} data-device={r.name} data-status={r.status}>
              <div>
                <b>{r.name}</b> <small>{r.kind}</small>
              </div>
              <div class="dev-place">{r.place}</div>
              <div class="dev-status">{statusLine(r, today)}</div>
              {r.detail && r.status !== 'online' && <div class="dev-detail">{r.detail}</div>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
