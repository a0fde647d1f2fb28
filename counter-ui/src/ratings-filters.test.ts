import { describe, expect, it } from 'vitest';
import { CHANNEL_CHOICES, SCORE_CHOICES, defaultFilters, pageOf, rangeProblem, ratingsQuery, stars } from './ratings-filters';

describe('ratings filters', () => {
  it('builds the server query with only the filters set, one row past the page', () => {
    const f = defaultFilters('2026-12-03');
    expect(ratingsQuery(f, 50)).toBe('from=2026-12-03&to=2026-12-03&limit=51&offset=0');
    expect(ratingsQuery({ ...f, from: '2026-12-01', serviceId: 'svc-1', counterId: 'ctr-2', clerkId: 'u 3', score: '1,2', channel: 'evaluator', page: 2 }, 50)).toBe(
      'from=2026-12-01&to=2026-12-03&serviceId=svc-1&counterId=ctr-2&clerkId=u+3&score=1%2C2&channel=evaluator&limit=51&offset=100',
    );
    expect(CHANNEL_CHOICES.map((c) => c.value)).toEqual(['', 'evaluator', 'phone', 'clerk', 'kiosk']);
  });

  it.each([
    ['2026-12-01', '2026-12-03', null],
    ['2026-12-03', '2026-12-01', '开始日期晚于结束日期 The start is after the end'],
    ['1900-01-01', '2026-12-01', '日期超出范围 Dates out of range'],
    ['2025-01-01', '2026-12-01', '最多查询一年 At most one year'],
    ['2026-02-30', '2026-03-01', '请选择有效日期 Pick valid dates'],
    ['', '2026-03-01', '请选择有效日期 Pick valid dates'],
  ])('range %s..%s → %s', (from, to, problem) => expect(rangeProblem(from, to)).toBe(problem));

  it('pages by the extra row', () => {
    expect(pageOf([1, 2, 3], 2)).toEqual({ rows: [1, 2], more: true });
    expect(pageOf([1, 2], 2)).toEqual({ rows: [1, 2], more: false });
  });

  it('stars and choices', () => {
    expect(stars(2)).toBe('★★☆☆☆');
    expect(stars(9)).toBe('★★★★★');
    expect(SCORE_CHOICES.map((c) => c.value)).toEqual(['', '1,2', '4,5', '5', '4', '3', '2', '1']);
  });
});
