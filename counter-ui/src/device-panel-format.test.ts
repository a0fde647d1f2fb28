import { describe, expect, it } from 'vitest';
import { deviceRows, statusLine, type DeviceListRow } from './device-panel-format';

const row = (id: string, o: Partial<DeviceListRow> = {}): DeviceListRow => ({ id, kind: 'printer', name: id, attachedTo: null, status: 'online', detail: null, ...o });

describe('device panel', () => {
  const counters = [
    { id: 'ctr-1', number: 1 },
    { id: 'ctr-3', number: 3 },
  ];

  it('names each device and its place; faults first, then offline', () => {
    const rows = deviceRows(
      [
        row('d1', { name: '1号呼叫器', kind: 'keypad', attachedTo: { counterId: 'ctr-1' } }),
        row('d2', { name: '大厅打印机', kind: 'printer', attachedTo: { terminalId: 'k1' }, status: 'error', detail: '缺纸', since: '2026-12-03T10:32:00+08:00' }),
        row('d3', { name: '3号评价器', kind: 'evaluator', attachedTo: { counterId: 'ctr-3' }, status: 'offline' }),
        row('d4', { name: '条屏', kind: 'led-board', attachedTo: { counterId: 'ctr-9' } }),
      ],
      {},
      counters,
      (id) => (id === 'k1' ? '一楼取号机' : null),
    );
    expect(rows.map((r) => [r.name, r.kind, r.place, r.statusZh, r.detail])).toEqual([
      ['大厅打印机', '打印机', '一楼取号机', '故障', '缺纸'],
      ['3号评价器', '评价器', '3号窗口', '离线', null],
      ['1号呼叫器', '呼叫器', '1号窗口', '在线', null],
      ['条屏', '窗口屏', '窗口', '在线', null],
    ]);
  });

  it("the socket's word wins over the list, with the time this page heard the change", () => {
    const [r] = deviceRows([row('d1', { since: '2026-12-03T08:00:00+08:00' })], { d1: { status: 'error', detail: '切刀故障', at: '2026-12-03T11:00:00+08:00' } }, counters);
    expect(r).toMatchObject({ status: 'error', statusZh: '故障', detail: '切刀故障', since: '2026-12-03T11:00:00+08:00' });
    const [same] = deviceRows([row('d1', { since: '2026-12-03T08:00:00+08:00' })], { d1: { status: 'online', detail: null, at: 'x' } }, counters);
    expect(same?.since).toBe('2026-12-03T08:00:00+08:00');
  });

  it('status lines', () => {
    expect(statusLine({ statusZh: '在线', since: null }, '2026-12-03')).toBe('在线');
    expect(statusLine({ statusZh: '离线', since: '2026-12-03T10:32:00+08:00' }, '2026-12-03')).toBe('离线 · 自 10:32');
    expect(statusLine({ statusZh: '故障', since: '2026-12-02T18:00:00+08:00' }, '2026-12-03')).toBe('故障 · 自 12-02 18:00');
  });
});
