import { describe, expect, it } from 'vitest';
import type { LoginResponse } from '@hall/protocol';
import { SESSION_KEY, hasRole, loadSession, saveSession } from './session';

function memory() {
  const m = new Map<string, string>();
  return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}
const login: LoginResponse = {
  token: 'tok',
  user: { id: 'u1', name: '王芳', role: 'clerk', staffNo: 'C01', username: 'wang' },
  expiresAt: '2026-11-26T21:00:00+08:00',
};

describe('session', () => {
  it('round-trips and expires', () => {
    const s = memory();
    saveSession(s, login);
    expect(loadSession(s, Date.parse('2026-11-26T10:00:00+08:00'))?.user.name).toBe('王芳');
    expect(loadSession(s, Date.parse('2026-11-26T22:00:00+08:00'))).toBeNull();
    expect(s.m.has(SESSION_KEY)).toBe(false);
  });
  it('drops garbage', () => {
    const s = memory();
    s.setItem(SESSION_KEY, '{nope');
    expect(loadSession(s, 0)).toBeNull();
  });
  it('nests roles', () => {
    expect(hasRole('admin', 'supervisor')).toBe(true);
    expect(hasRole('supervisor', 'clerk')).toBe(true);
    expect(hasRole('clerk', 'supervisor')).toBe(false);
  });
});
