import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoff', () => {
  const policy = { baseMs: 1000, capMs: 60_000 };
  it('doubles from the base, half fixed and half jitter, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3].map((n) => backoffDelay(n, policy, () => 0.999999))).toEqual([1000, 2000, 4000]);
    expect(backoffDelay(50, policy, () => 0)).toBe(30_000);
    expect(backoffDelay(10_000, policy, () => 0.999999)).toBe(60_000);
  });
  it('spreads halls that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(6, policy, () => i / 50)));
    expect(delays.size).toBe(50);
  });
});
