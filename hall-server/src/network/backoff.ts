/**
 * Retry delays for the upstream link: exponential from `baseMs`, capped at `capMs`, with "equal
 * jitter" (half fixed, half random) so 300 halls that lost the county at the same moment do not
 * all knock again in the same second when it comes back. Pure: the random source is injected.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 60_000 };

/** The delay before retry number `attempt` (1 = the first retry); `random()` in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exp);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
