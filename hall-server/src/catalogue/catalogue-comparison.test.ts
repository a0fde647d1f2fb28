import { describe, expect, it } from 'vitest';
import type { StatsSummary } from '@hall/protocol';
import { compareByCode, labelReportedServices } from './catalogue-comparison';

type Row = StatsSummary['byService'][number];
const row = (serviceId: string, issued: number): Row => ({
  serviceId,
  name: serviceId,
  issued,
  served: issued - 1,
  noShow: 0,
  transferred: 0,
  cancelled: 0,
  expired: 0,
  waitMinutes: { mean: 4.5, median: null, p90: null, max: null, withinLimit: null },
  serviceMinutes: { mean: null, median: null, p90: null, max: null, withinLimit: null },
  ratings: { count: 2, satisfaction: 0.5 },
});

describe('catalogue comparison', () => {
  it('pairs each hall\'s adopted service with the item, zero where it had no tickets', () => {
    const rows = compareByCode(
      [
        { code: 'A', name: '养老' },
        { code: 'B', name: '低保' },
      ],
      [
        { hallId: 'v1', services: [{ id: 's1', name: '养老登记', catalogueCode: 'A' }, { id: 's2', name: '自有', catalogueCode: null }], summary: { byService: [row('s1', 5), row('s2', 9)] } },
        { hallId: 'v2', services: [{ id: 'x', name: '养老', catalogueCode: 'A' }], summary: { byService: [] } },
      ],
    );
    expect(rows).toEqual([
      {
        code: 'A',
        name: '养老',
        halls: [
          { hallId: 'v1', serviceId: 's1', serviceName: '养老登记', issued: 5, served: 4, waitMeanMinutes: 4.5, satisfaction: 0.5 },
          { hallId: 'v2', serviceId: 'x', serviceName: '养老', issued: 0, served: 0, waitMeanMinutes: null, satisfaction: null },
        ],
      },
      { code: 'B', name: '低保', halls: [] },
    ]);
  });

  it('names a downstream hall\'s rows as it reported them; unreported services keep their id and no code', () => {
    const s = labelReportedServices({ byService: [row('s1', 1), row('gone', 1)] }, [{ id: 's1', name: '养老登记', catalogueCode: 'A' }]);
    expect(s.byService.map((r) => [r.name, r.catalogueCode])).toEqual([
      ['养老登记', 'A'],
      ['gone', null],
    ]);
    const same = { byService: [row('s1', 1)] };
    expect(labelReportedServices(same, undefined)).toBe(same);
  });
});
