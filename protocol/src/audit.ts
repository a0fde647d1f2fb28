/**
 * Audit events: staff actions outside the queue (set-up changes, logins, alerts and rectification
 * cases) journalled beside the queue events, with who did it. They name what changed, never the values (no passwords,
 * tokens or personal data in the journal).
 */
import type { Actor } from './queue';
import type { SupervisionEvent } from './supervision';

export type AuditArea = 'hall' | 'service' | 'counter' | 'user' | 'terminal' | 'device' | 'notice' | 'catalogue';

export interface ConfigChangedEvent {
  id: string;
  type: 'audit.config-changed';
  at: string;
  actor: Actor;
  area: AuditArea;
  targetId: string;
  action: 'create' | 'update' | 'delete';
  fields: string[];
}

export interface StaffSessionEvent {
  id: string;
  type: 'audit.login' | 'audit.logout' | 'audit.login-locked';
  at: string;
  actor: Actor;
  userId: string;
}

/** Config and session changes, and 电子监察/好差评 actions (protocol/src/supervision.ts). */
export type AuditEvent = ConfigChangedEvent | StaffSessionEvent | SupervisionEvent;

export function isAuditEvent(e: { type: string }): e is AuditEvent {
  return e.type.startsWith('audit.');
}
