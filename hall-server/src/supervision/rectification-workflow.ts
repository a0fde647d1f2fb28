/**
 * The 好差评 rectification workflow (pure). A rating of 1 or 2 opens a case `pending`; a
 * supervisor rules it `valid` or `invalid`; a valid case is `rectifying`, then `rectified` or
 * `unrectifiable`. Deadline: working days from the rating (hall setting, default 15); a case
 * still open after its deadline day is overdue.
 */
import type { CaseStatus } from './supervision-events';

export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  pending: ['valid', 'invalid'],
  valid: ['rectifying'],
  rectifying: ['rectified', 'unrectifiable'],
  invalid: [],
  rectified: [],
  unrectifiable: [],
};

/** Scores that open a case. */
export const isBadScore = (score: number): boolean => score <= 2;

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** A case needs no more work. */
export const isClosedStatus = (s: CaseStatus): boolean => CASE_TRANSITIONS[s].length === 0;

/** The statuses of cases still open, and of closed ones (the case board's two reads). */
export const OPEN_STATUSES = (Object.keys(CASE_TRANSITIONS) as CaseStatus[]).filter((s) => !isClosedStatus(s));
export const CLOSED_STATUSES = (Object.keys(CASE_TRANSITIONS) as CaseStatus[]).filter(isClosedStatus);

/** Overdue: still open after its deadline day (`today` and `deadline` are `YYYY-MM-DD`). */
export function isOverdue(status: CaseStatus, deadline: string, today: string): boolean {
  return !isClosedStatus(status) && today > deadline;
}

