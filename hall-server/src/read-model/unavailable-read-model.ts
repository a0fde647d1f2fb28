/**
 * The read model when it cannot be opened (PostgreSQL unreachable, a disk that refuses the file):
 * the hall goes on issuing and calling (local first); statistics and supervision reads answer
 * SERVER.UNAVAILABLE with the reason, and the next start tries again (catch-up fills the gap).
 */
import { hallError } from '@hall/protocol';
import type { ReadModelPort } from './read-model-service';

export function unavailableReadModel(reason: string): ReadModelPort {
  const refuse = (): Promise<never> => Promise.reject(hallError('SERVER.UNAVAILABLE', `statistics are unavailable (${reason}); they come back after a restart that can open the read model`));
  return {
    push: () => undefined,
    pushRemote: () => undefined,
    remoteDays: refuse,
    setConfig: () => undefined,
    status: () => Promise.resolve({ state: 'failed', backlog: 0, dialect: 'sqlite', reason }),
    flush: () => Promise.resolve(),
    summary: refuse,
    exportFile: refuse,
    report: refuse,
    cases: refuse,
    alerts: refuse,
    ratings: refuse,
    reindex: refuse,
    close: () => Promise.resolve(),
  };
}
