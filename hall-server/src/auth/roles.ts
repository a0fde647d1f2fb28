import type { Role } from '@hall/protocol';

const RANK: Record<Role, number> = { clerk: 1, supervisor: 2, admin: 3 };

/** Roles nest: admin ⊇ supervisor ⊇ clerk. */
export function hasRole(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}
