/**
 * Staff actions on rectification cases and alerts: a case's transition (supervisor), the clerk's
 * appeal, a callback record (supervisor), an alert's acknowledgment. Each is checked against the
 * read model, journalled (HallCore.record) and answered once the read model has it. Actions run
 * one at a time, so two transitions of one case cannot both pass the check.
 */
import { hallError, type Actor, type ErrorCode, type HallError, type Result } from '@hall/protocol';
import type { ReadModelPort } from '../read-model/read-model-service';
import type { AlertView, RectificationCase } from './supervision-queries';
import { canTransition } from './rectification-workflow';
import type { AlertAcknowledgedEvent, CaseAppealedEvent, CaseCallbackEvent, CaseStatus, CaseTransitionedEvent } from './supervision-events';

type Draft<T> = Omit<T, 'id' | 'at'>;
export type SupervisionRecord = Draft<CaseTransitionedEvent> | Draft<CaseAppealedEvent> | Draft<CaseCallbackEvent> | Draft<AlertAcknowledgedEvent>;

export interface SupervisionActionPorts {
  readModel: Pick<ReadModelPort, 'cases' | 'alerts' | 'flush'>;
  /** Journals the event; throws a HallError (SERVER.UNAVAILABLE) when the journal cannot be written. */
  record: (event: SupervisionRecord) => Promise<void>;
}

/** Who is asking: a clerk may act only on cases about themselves. */
export interface Asker {
  actor: Extract<Actor, { kind: 'staff' }>;
}

const notFound = (what: 'RECTIFICATION' | 'ALERT', id: string): HallError =>
  hallError(`${what}.NOT_FOUND` as ErrorCode, `${what === 'ALERT' ? 'alert' : 'rectification case'} ${id} not found`);
const fail = <T>(error: HallError): Result<T> => ({ ok: false, error });

export class SupervisionActions {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ports: SupervisionActionPorts) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async findCase(id: string, asker: Asker): Promise<RectificationCase | null> {
    const [c] = await this.ports.readModel.cases({ caseId: id, ...(asker.actor.role === 'clerk' ? { clerkId: asker.actor.userId } : {}) });
    return c ?? null;
  }

  private async afterRecord(caseId: string, asker: Asker): Promise<Result<RectificationCase>> {
    await this.ports.readModel.flush();
    const c = await this.findCase(caseId, asker);
    return c ? { ok: true, value: c } : fail(notFound('RECTIFICATION', caseId));
  }

  /** pending → valid|invalid, valid → rectifying → rectified|unrectifiable; anything else 409. */
  transition(caseId: string, to: CaseStatus, note: string, asker: Asker): Promise<Result<RectificationCase>> {
    return this.serial(async () => {
      const c = await this.findCase(caseId, asker);
      if (!c) return fail(notFound('RECTIFICATION', caseId));
      if (!canTransition(c.status, to)) return fail(hallError('QUEUE.INVALID_STATE', `a case ${c.status} cannot become ${to}`));
      await this.ports.record({ type: 'audit.case-transitioned', actor: asker.actor, caseId, from: c.status, to, note });
      return this.afterRecord(caseId, asker);
    });
  }

  /** The clerk's appeal (申诉), while the case is still pending a ruling. */
  appeal(caseId: string, note: string, asker: Asker): Promise<Result<RectificationCase>> {
    return this.serial(async () => {
      const c = await this.findCase(caseId, asker);
      if (!c) return fail(notFound('RECTIFICATION', caseId));
      if (c.status !== 'pending') return fail(hallError('QUEUE.INVALID_STATE', `a case ${c.status} takes no appeal`));
      await this.ports.record({ type: 'audit.case-appealed', actor: asker.actor, caseId, note });
      return this.afterRecord(caseId, asker);
    });
  }

  /** A callback (回访) to the citizen, at any status. */
  callback(caseId: string, reached: boolean, note: string, asker: Asker): Promise<Result<RectificationCase>> {
    return this.serial(async () => {
      const c = await this.findCase(caseId, asker);
      if (!c) return fail(notFound('RECTIFICATION', caseId));
      await this.ports.record({ type: 'audit.case-callback', actor: asker.actor, caseId, reached, note });
      return this.afterRecord(caseId, asker);
    });
  }

  /** Acknowledges an alert with a note (again: the newer note stands). */
  acknowledge(alertId: string, note: string, asker: Asker): Promise<Result<AlertView>> {
    return this.serial(async () => {
      const [a] = await this.ports.readModel.alerts({ alertId });
      if (!a) return fail(notFound('ALERT', alertId));
      await this.ports.record({ type: 'audit.alert-acknowledged', actor: asker.actor, alertId, note });
      await this.ports.readModel.flush();
      const [after] = await this.ports.readModel.alerts({ alertId });
      return after ? { ok: true, value: after } : fail(notFound('ALERT', alertId));
    });
  }
}
