import { describe, expect, it } from 'vitest';
import { mergeHistogram, quantile, type MinuteHistogram } from './minute-histogram';

const dense = (pairs: Array<[number, number]>): string => {
  const counts: number[] = [];
  for (const [m, n] of pairs) {
    while (counts.length <= m) counts.push(0);
    counts[m] = n;
  }
  return JSON.stringify(counts);
};
const hist = (...pairs: Array<[number, number]>): MinuteHistogram => {
  const h: MinuteHistogram = [];
  mergeHistogram(h, dense(pairs));
  return h;
};

describe('minute histograms', () => {
  it('is null when empty', () => {
    expect(quantile([], 0.5)).toBeNull();
  });

  it.each([
    [[[5, 1]], 0.5, 5.5],
    [[[0, 10]], 0.9, 0.9],
    [[[1, 5], [3, 5]], 0.5, 2], // the whole first bucket: its end
    [[[1, 5], [3, 5]], 0.9, 3.8],
    [[[10, 100]], 1, 11],
  ] as Array<[Array<[number, number]>, number, number]>)('%j q=%s → %s', (pairs, q, expected) => {
    expect(quantile(hist(...pairs), q)).toBe(expected);
  });

  it('merges counts of the same minute', () => {
    const h = hist([1, 2]);
    mergeHistogram(h, dense([[1, 3], [2, 1]]));
    expect(h).toEqual([0, 5, 1]);
  });
});
