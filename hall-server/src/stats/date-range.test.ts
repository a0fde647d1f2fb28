import { describe, expect, it } from 'vitest';
import { datesOf, parseDateRange } from './date-range';

const TODAY = '2026-12-07';

describe('parseDateRange', () => {
  it.each([
    [undefined, undefined, { from: TODAY, to: TODAY }],
    ['2026-12-01', undefined, { from: '2026-12-01', to: '2026-12-01' }],
    [undefined, '2026-12-01', { from: '2026-12-01', to: '2026-12-01' }],
    ['2026-01-01', '2026-12-31', { from: '2026-01-01', to: '2026-12-31' }],
    ['2025-07-01', '2026-06-30', { from: '2025-07-01', to: '2026-06-30' }], // across a New Year
    ['2024-01-01', '2024-12-31', { from: '2024-01-01', to: '2024-12-31' }], // leap year: 366 days
  ])('from=%s to=%s', (from, to, expected) => {
    expect(parseDateRange(from, to, TODAY)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2026-12-07', '2026-12-01'], // reversed
    ['1900-01-01', '2026-12-01'], // absurd
    ['2026-02-30', '2026-03-01'], // no such date
    ['2026-1-1', undefined], // malformed
    ['yesterday', undefined],
    [['2026-12-01', '2026-12-02'], undefined], // repeated query parameter
    ['2024-01-01', '2026-12-31'], // years at once
    ['2026-12-01', '3000-01-01'],
  ])('from=%s to=%s is refused with a code', (from, to) => {
    const r = parseDateRange(from, to, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
  });

  it('lists the dates of a range', () => {
    expect(datesOf({ from: '2026-12-30', to: '2027-01-02' })).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });
});
