import { describe, expect, it } from 'vitest';
import { ALL_HALLS, badgeOf, countyTotals, filterHalls, hallQuery, lastSeenText, readHalls, sortHalls, type CountyHall } from './county-format';

const hall = (id: string, extra: Partial<CountyHall> = {}): CountyHall => ({
  id,
  name: `${id}便民服务中心`,
  level: 'village',
  online: true,
  lastSeenAt: '2026-11-26T10:00:00+08:00',
  waiting: 0,
  countersOpen: 1,
  today: { issued: 0, served: 0 },
  alerts: { yellow: 0, red: 0 },
  satisfaction: null,
  revoked: false,
  via: null,
  ...extra,
});

describe('county format', () => {
  it('reads rows defensively: odd fields become harmless, rows without an id are dropped', () => {
    const rows = readHalls([
      { id: 'h1', name: '马坝镇', level: 'township', online: true, lastSeenAt: '2026-11-26T09:59:00+08:00', waiting: 4, countersOpen: 2, today: { issued: 10, served: 7 }, alerts: { yellow: 1, red: 0 }, satisfaction: 0.95, via: null },
      { id: 'h2', level: 'hamlet', waiting: 'many', today: null, satisfaction: 'n/a' },
      { name: 'no id' },
      null,
      7,
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: 'h1', level: 'township', today: { issued: 10, served: 7 }, alerts: { yellow: 1, red: 0 }, satisfaction: 0.95 });
    expect(rows[1]).toEqual({ id: 'h2', name: 'h2', level: 'village', online: false, lastSeenAt: null, waiting: 0, countersOpen: 0, today: { issued: 0, served: 0 }, alerts: { yellow: 0, red: 0 }, satisfaction: null, revoked: false, via: null });
    expect(readHalls({ error: { code: 'AUTH.FORBIDDEN' } })).toEqual([]);
  });

  it('gives one badge: red over yellow over offline', () => {
    expect(badgeOf(hall('a', { alerts: { yellow: 2, red: 1 }, online: false }))).toBe('red');
    expect(badgeOf(hall('a', { alerts: { yellow: 2, red: 0 }, online: false }))).toBe('yellow');
    expect(badgeOf(hall('a', { online: false }))).toBe('offline');
    expect(badgeOf(hall('a'))).toBe('ok');
  });

  it('filters by level, state and name', () => {
    const halls = [hall('t1', { level: 'township', name: '马坝镇' }), hall('v1', { online: false, name: '洪山村' }), hall('v2', { alerts: { yellow: 1, red: 0 }, name: '官滩村' })];
    const ids = (f: Partial<typeof ALL_HALLS>) => filterHalls(halls, { ...ALL_HALLS, ...f }).map((h) => h.id);
    expect(ids({})).toEqual(['t1', 'v1', 'v2']);
    expect(ids({ level: 'township' })).toEqual(['t1']);
    expect(ids({ level: 'village', state: 'online' })).toEqual(['v2']);
    expect(ids({ state: 'offline' })).toEqual(['v1']);
    expect(ids({ state: 'alerts' })).toEqual(['v2']);
    expect(ids({ text: ' 洪山 ' })).toEqual(['v1']);
    expect(ids({ text: 'T1' })).toEqual(['t1']);
  });

  it('orders the worst first, then the longest queue, then by name', () => {
    const sorted = sortHalls([
      hall('ok-short', { waiting: 1 }),
      hall('offline', { online: false }),
      hall('yellow', { alerts: { yellow: 3, red: 0 } }),
      hall('red1', { alerts: { yellow: 0, red: 1 } }),
      hall('red2', { alerts: { yellow: 0, red: 2 } }),
      hall('ok-long', { waiting: 9 }),
    ]);
    expect(sorted.map((h) => h.id)).toEqual(['red2', 'red1', 'yellow', 'offline', 'ok-long', 'ok-short']);
  });

  it('says when a hall was last heard from', () => {
    const now = Date.parse('2026-11-26T10:00:00+08:00');
    expect(lastSeenText(null, now)).toBe('从未上报');
    expect(lastSeenText('garbage', now)).toBe('—');
    expect(lastSeenText('2026-11-26T09:59:30+08:00', now)).toBe('刚刚');
    expect(lastSeenText('2026-11-26T09:55:00+08:00', now)).toBe('5 分钟前');
    expect(lastSeenText('2026-11-26T07:00:00+08:00', now)).toBe('3 小时前');
    expect(lastSeenText('2026-11-24T09:00:00+08:00', now)).toBe('2 天前');
  });

  it('sums the county and builds hall queries', () => {
    const t = countyTotals([hall('a', { waiting: 3, today: { issued: 5, served: 4 }, alerts: { yellow: 1, red: 1 } }), hall('b', { online: false, countersOpen: 0, waiting: 2 })]);
    expect(t).toEqual({ halls: 2, online: 1, waiting: 5, countersOpen: 1, issued: 5, served: 4, red: 1, yellow: 1 });
    expect(hallQuery('v 1&x', { from: '2026-11-26' })).toBe('from=2026-11-26&hallId=v+1%26x');
  });
});
