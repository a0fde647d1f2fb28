import { describe, expect, it } from 'vitest';
import { CASE_TRANSITIONS, CLOSED_STATUSES, OPEN_STATUSES, canTransition, isBadScore, isClosedStatus, isOverdue } from './rectification-workflow';
import { CASE_STATUSES, type CaseStatus } from './supervision-events';

const allowed: Array<[CaseStatus, CaseStatus]> = [
  ['pending', 'valid'],
  ['pending', 'invalid'],
  ['valid', 'rectifying'],
  ['rectifying', 'rectified'],
  ['rectifying', 'unrectifiable'],
];

describe('rectification workflow', () => {
  it('allows exactly the moves of API.md', () => {
    for (const from of CASE_STATUSES) {
      for (const to of CASE_STATUSES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
      }
    }
  });

  it.each([
    [1, true],
    [2, true],
    [3, false],
    [5, false],
  ])('score %i opens a case: %s', (score, expected) => expect(isBadScore(score)).toBe(expected));

  it.each([
    ['pending', '2026-12-01', '2026-12-02', true],
    ['pending', '2026-12-02', '2026-12-02', false],
    ['rectifying', '2026-12-01', '2026-12-07', true],
    ['rectified', '2026-12-01', '2026-12-07', false],
    ['invalid', '2026-12-01', '2026-12-07', false],
  ] as const)('%s due %s on %s overdue: %s', (status, deadline, today, expected) => {
    expect(isOverdue(status, deadline, today)).toBe(expected);
  });

  it('closed statuses', () => {
    expect(CASE_STATUSES.filter(isClosedStatus)).toEqual(['invalid', 'rectified', 'unrectifiable']);
  });
});

describe('open and closed statuses', () => {
  it('split every status in two, the closed ones taking no move', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(['pending', 'rectifying', 'valid']);
    expect([...CLOSED_STATUSES].sort()).toEqual(['invalid', 'rectified', 'unrectifiable']);
    expect(CLOSED_STATUSES.every((s) => CASE_TRANSITIONS[s].length === 0)).toBe(true);
  });
});
