import { describe, expect, it } from 'vitest';
import type { Alert, CounterView } from '@hall/protocol';
import { ALERT_RULE_ZH, CASE_STATUS_ZH, NEXT_STATUSES, alertOrder, counterAttention, hourlySeries, mergeAlert, minutes, percent, spanZh } from './supervision-format';

describe('supervision formatting', () => {
  it.each([
    [0.8734, '87.3%'],
    [1, '100.0%'],
    [null, '—'],
  ])('percent(%s) = %s', (v, s) => expect(percent(v)).toBe(s));

  it('minutes', () => {
    expect(minutes(12.345)).toBe('12.3 分钟');
    expect(minutes(null)).toBe('—');
  });

  it('hourly series cover the busy hours only', () => {
    const s = hourlySeries({ hourly: [{ hour: 9, arrivals: 10, served: 4 }, { hour: 11, arrivals: 2, served: 8 }] });
    expect(s.hours).toEqual(['09时', '10时', '11时']);
    expect(s.arrivals).toEqual([10, 0, 2]);
    expect(s.served).toEqual([4, 0, 8]);
    expect(hourlySeries({ hourly: [] }).hours).toHaveLength(24);
  });

  it('every status and rule has a Chinese label; closed cases offer no move', () => {
    expect(Object.keys(CASE_STATUS_ZH)).toHaveLength(6);
    expect(Object.keys(ALERT_RULE_ZH)).toEqual(expect.arrayContaining(['ticket-wait', 'service-time', 'counter-paused', 'counter-unattended', 'case-overdue', 'device-down']));
    expect(Object.values(ALERT_RULE_ZH).every((zh) => /[\u4e00-\u9fff]/.test(zh))).toBe(true);
    expect(NEXT_STATUSES.rectified).toEqual([]);
    expect(NEXT_STATUSES.pending).toEqual(['valid', 'invalid']);
  });
});

describe('idle and long-paused counters', () => {
  const now = Date.parse('2026-12-03T10:40:00+08:00');
  const counter = (o: Partial<CounterView> & Pick<CounterView, 'id' | 'number' | 'state'>): CounterView => ({
    name: '',
    pauseReason: null,
    serviceIds: ['A'],
    currentTicket: null,
    clerk: { id: 'u', name: '王芳', staffNo: '' },
    zone: null,
    stateSince: null,
    idleSince: null,
    ...o,
  });
  const bounds = { pausedMinutes: 15, idleMinutes: 10 };

  it('paused past the bound warns, past twice it is a violation; idle warns only while citizens wait', () => {
    const list = counterAttention(
      [
        counter({ id: 'c1', number: 1, state: 'paused', pauseReason: '午休', stateSince: '2026-12-03T10:00:00+08:00' }),
        counter({ id: 'c2', number: 2, state: 'paused', stateSince: '2026-12-03T10:20:00+08:00' }),
        counter({ id: 'c3', number: 3, state: 'open', idleSince: '2026-12-03T10:25:00+08:00' }),
        counter({ id: 'c4', number: 4, state: 'open', idleSince: '2026-12-03T09:00:00+08:00', serviceIds: ['B'] }),
        counter({ id: 'c5', number: 5, state: 'open', currentTicket: { id: 't', number: 'A001', status: 'serving' } }),
        counter({ id: 'c6', number: 6, state: 'closed', stateSince: '2026-12-03T08:00:00+08:00' }),
        counter({ id: 'c7', number: 7, state: 'paused', stateSince: '2026-12-03T10:35:00+08:00' }),
      ],
      { A: 3 },
      now,
      bounds,
    );
    expect(list.map((c) => [c.number, c.kind, c.minutes, c.level])).toEqual([
      [1, 'paused', 40, 'bad'],
      [2, 'paused', 20, 'warn'],
      [3, 'idle', 15, 'warn'],
      [4, 'idle', 100, 'ok'],
      [7, 'paused', 5, 'ok'],
    ]);
    expect(list[0]).toMatchObject({ reason: '午休', clerk: '王芳', waiting: 3 });
  });

  it('without a since-when (an older server) the minutes are 0, never NaN', () => {
    const [c] = counterAttention([counter({ id: 'c1', number: 1, state: 'paused', stateSince: undefined })], {}, now, bounds);
    expect(c).toMatchObject({ minutes: 0, level: 'ok' });
  });

  it.each([
    [0, '0 分钟'],
    [59, '59 分钟'],
    [60, '1 小时'],
    [125, '2 小时 5 分钟'],
  ])('spanZh(%s) = %s', (m, s) => expect(spanZh(m)).toBe(s));
});

describe('live alerts', () => {
  const alert = (id: string, since: string, o: Partial<Alert> = {}): Alert => ({
    id,
    hallId: 'h',
    rule: 'ticket-wait',
    level: 'yellow',
    subject: { kind: 'ticket', id: 't', label: 'A001' },
    since,
    clearedAt: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    note: null,
    ...o,
  });

  it('a raised alert goes on top, an acknowledged one replaces its copy, a cleared one leaves', () => {
    let list = [alert('a1', '2026-12-03T10:00:00+08:00')];
    list = mergeAlert(list, alert('a2', '2026-12-03T10:05:00+08:00'));
    expect(list.map((a) => a.id)).toEqual(['a2', 'a1']);
    list = mergeAlert(list, alert('a1', '2026-12-03T10:00:00+08:00', { acknowledgedAt: '2026-12-03T10:06:00+08:00', note: '已处理' }));
    expect(list.map((a) => [a.id, a.note])).toEqual([
      ['a2', null],
      ['a1', '已处理'],
    ]);
    list = mergeAlert(list, alert('a2', '2026-12-03T10:05:00+08:00', { clearedAt: '2026-12-03T10:07:00+08:00' }));
    expect(list.map((a) => a.id)).toEqual(['a1']);
    expect(mergeAlert([], alert('a3', 'x', { clearedAt: 'y' }))).toEqual([]);
  });

  it('orders red first, then unacknowledged, then newest', () => {
    const list = alertOrder([
      alert('y-old', '2026-12-03T09:00:00+08:00'),
      alert('r-ack', '2026-12-03T09:30:00+08:00', { level: 'red', acknowledgedAt: 'x' }),
      alert('y-new', '2026-12-03T10:00:00+08:00'),
      alert('r', '2026-12-03T08:00:00+08:00', { level: 'red' }),
    ]);
    expect(list.map((a) => a.id)).toEqual(['r', 'r-ack', 'y-new', 'y-old']);
  });
});
