/** The staff login, kept in sessionStorage: it ends with the browser tab, and at its expiry. */
import type { LoginResponse } from '@hall/protocol';

export const SESSION_KEY = 'hall.staff.session';

export type Session = Pick<LoginResponse, 'token' | 'user'> & { expiresAt: string | null };

export interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadSession(storage: SessionStorageLike, now: number): Session | null {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    if (typeof s?.token !== 'string' || !s.user || typeof s.user.role !== 'string') throw new Error('bad session');
    if (s.expiresAt && Date.parse(s.expiresAt) <= now) throw new Error('expired');
    return s;
  } catch {
    storage.removeItem(SESSION_KEY);
    return null;
  }
}

export function saveSession(storage: SessionStorageLike, login: LoginResponse): Session {
  const s: Session = { token: login.token, user: login.user, expiresAt: login.expiresAt ?? null };
  storage.setItem(SESSION_KEY, JSON.stringify(s));
  return s;
}

const RANK = { clerk: 0, supervisor: 1, admin: 2 } as const;

/** Roles nest: admin ⊇ supervisor ⊇ clerk. */
export function hasRole(role: keyof typeof RANK, needed: keyof typeof RANK): boolean {
  return RANK[role] >= RANK[needed];
}
