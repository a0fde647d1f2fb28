import { describe, expect, it } from 'vitest';
import { LoginLockout } from './lockout';

describe('LoginLockout', () => {
  const t0 = Date.parse('2026-11-26T09:00:00+08:00');
  it('locks after five failures within 15 minutes, for 15 minutes', () => {
    const l = new LoginLockout();
    for (let i = 0; i < 4; i++) expect(l.fail('Zhang', t0 + i * 1000)).toBe(0);
    expect(l.fail('zhang', t0 + 5000)).toBe(15 * 60_000);
    expect(l.lockedFor('ZHANG', t0 + 6000)).toBeGreaterThan(0);
    expect(l.lockedFor('zhang', t0 + 5000 + 15 * 60_000)).toBe(0);
  });
  it('forgets failures older than the window', () => {
    const l = new LoginLockout();
    for (let i = 0; i < 4; i++) l.fail('li', t0);
    expect(l.fail('li', t0 + 16 * 60_000)).toBe(0);
  });
  it('a success clears the count', () => {
    const l = new LoginLockout();
    for (let i = 0; i < 4; i++) l.fail('wang', t0);
    l.succeed('wang');
    expect(l.fail('wang', t0)).toBe(0);
  });
});
