/**
 * Login lockout: 5 failures within 15 minutes lock the username for 15 minutes (API.md).
 * Kept in memory: a restart clears it, which an attacker cannot trigger from outside.
 */
export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class LoginLockout {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT) {}

  /** Milliseconds until the lock ends, or 0 when not locked. */
  lockedFor(username: string, now: number): number {
    const e = this.entries.get(username.toLowerCase());
    return e && e.lockedUntil > now ? e.lockedUntil - now : 0;
  }

  /** Records a failure; returns the lock time in ms if this failure locked the user. */
  fail(username: string, now: number): number {
    const key = username.toLowerCase();
    const e = this.entries.get(key) ?? { failures: [], lockedUntil: 0 };
    e.failures = e.failures.filter((t) => now - t < this.policy.windowMs);
    e.failures.push(now);
    if (e.failures.length >= this.policy.maxFailures) {
      e.lockedUntil = now + this.policy.lockMs;
      e.failures = [];
    }
    this.entries.set(key, e);
    if (this.entries.size > 10_000) this.prune(now);
    return e.lockedUntil > now ? e.lockedUntil - now : 0;
  }

  succeed(username: string): void {
    this.entries.delete(username.toLowerCase());
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) {
      if (e.lockedUntil <= now && e.failures.every((t) => now - t >= this.policy.windowMs)) this.entries.delete(k);
    }
  }
}
