/**
 * The journal events of 电子监察 and 好差评 follow-up. They are audit events (`audit.*`): staff
 * or system actions outside the queue, journalled with HallCore.record beside the queue events,
 * so the queue's replay skips them and the read model projects them.
 */
import type { Actor } from '@hall/protocol';

export type AlertLevel = 'yellow' | 'red';
export type AlertRule = 'ticket-wait' | 'service-time' | 'counter-paused' | 'counter-unattended' | 'case-overdue' | 'device-down';
export type AlertSubjectKind = 'ticket' | 'counter' | 'case' | 'device';

export interface AlertSubject {
  kind: AlertSubjectKind;
  id: string;
  /** What a supervisor reads: `A012`, `3号窗口`, a device name. No personal data. */
  label: string;
}

export const CASE_STATUSES = ['pending', 'valid', 'invalid', 'rectifying', 'rectified', 'unrectifiable'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

interface AuditBase {
  id: string;
  at: string;
  actor: Actor;
}

export interface AlertRaisedEvent extends AuditBase {
  type: 'audit.alert-raised';
  alertId: string;
  rule: AlertRule;
  level: AlertLevel;
  subject: AlertSubject;
}

export interface AlertClearedEvent extends AuditBase {
  type: 'audit.alert-cleared';
  alertId: string;
}

export interface AlertAcknowledgedEvent extends AuditBase {
  type: 'audit.alert-acknowledged';
  alertId: string;
  note: string;
}

export interface CaseTransitionedEvent extends AuditBase {
  type: 'audit.case-transitioned';
  caseId: string;
  from: CaseStatus;
  to: CaseStatus;
  note: string;
}

/** The clerk's appeal (申诉) against a bad rating: a note on the case, for the supervisor's decision. */
export interface CaseAppealedEvent extends AuditBase {
  type: 'audit.case-appealed';
  caseId: string;
  note: string;
}

/** A callback (回访) to the citizen: whether they were reached and what was said. */
export interface CaseCallbackEvent extends AuditBase {
  type: 'audit.case-callback';
  caseId: string;
  reached: boolean;
  note: string;
}

export type SupervisionEvent = AlertRaisedEvent | AlertClearedEvent | AlertAcknowledgedEvent | CaseTransitionedEvent | CaseAppealedEvent | CaseCallbackEvent;

export const SUPERVISION_EVENT_TYPES: ReadonlySet<string> = new Set<SupervisionEvent['type']>([
  'audit.alert-raised',
  'audit.alert-cleared',
  'audit.alert-acknowledged',
  'audit.case-transitioned',
  'audit.case-appealed',
  'audit.case-callback',
]);

export function isSupervisionEvent(e: { type: string }): e is SupervisionEvent {
  return SUPERVISION_EVENT_TYPES.has(e.type);
}

/** The user behind an actor, for "by" columns. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.userId : actor.kind === 'system' ? 'system' : null;
}
