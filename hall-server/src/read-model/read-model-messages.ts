/** The messages between the server's main thread and the read-model worker. */
import type { HallConfig } from '@hall/protocol';
import type { JournalEventLike } from './projector';
import type { ReadModelPort } from './read-model-service';

export interface WorkerInit {
  dataDir: string;
  journalDir: string;
  databaseUrl?: string | undefined;
  tz: string;
  config: HallConfig;
  now: number;
  flushMs?: number | undefined;
}

/** The port's methods that answer. */
export type CallMethod = Exclude<keyof ReadModelPort, 'push' | 'pushRemote' | 'setConfig'>;

export type ToWorker =
  | { kind: 'push'; events: readonly JournalEventLike[] }
  | { kind: 'push-remote'; hallId: string; events: readonly JournalEventLike[]; day: string | undefined }
  | { kind: 'config'; config: HallConfig }
  | { kind: 'call'; id: number; now: number; method: CallMethod; args: unknown[] };

export type FromWorker =
  | { kind: 'opened' }
  | { kind: 'open-failed'; message: string }
  | { kind: 'caught-up' }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; message: string }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; obj: object; msg: string };
