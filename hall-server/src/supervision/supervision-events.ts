/**
 * The journal events of 电子监察 and 好差评 follow-up are audit events (`audit.*`), defined in
 * the contract package (protocol/src/supervision.ts): journalled with HallCore.record beside the
 * queue events, skipped by the queue's replay, projected by the read model.
 */
import type { Actor, SupervisionEvent } from '@hall/protocol';

export { CASE_STATUSES } from '@hall/protocol';
export type {
  AlertAcknowledgedEvent,
  AlertClearedEvent,
  AlertLevel,
  AlertRaisedEvent,
  AlertRule,
  AlertSubject,
  AlertSubjectKind,
  CaseAppealedEvent,
  CaseCallbackEvent,
  CaseStatus,
  CaseTransitionedEvent,
  SupervisionEvent,
} from '@hall/protocol';

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
