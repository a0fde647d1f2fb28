import type { Actor, HallConfig, HallError, QueueEvent } from '@hall/protocol';

/** Everything `decide` needs from outside; the engine never reads a clock or makes ids itself. */
export interface DecideContext {
  /** Epoch ms of the command. */
  now: number;
  /** IANA zone of the hall day. */
  tz: string;
  config: HallConfig;
  /** Event ids and ticket ids. */
  newId: () => string;
  /** Ticket trackTokens (capability secrets, stored in the issued event). */
  newToken: () => string;
  actor: Actor;
}

/**
 * `ticketId`/`counterId`: what the command is about after it (call-next: the newly called
 * ticket, or null when nobody waits).
 */
export type DecideResult =
  | { ok: true; events: QueueEvent[]; ticketId: string | null; counterId: string | null }
  | { ok: false; error: HallError };

/** What the read views need. */
export interface ViewContext {
  config: HallConfig;
  now: number;
  tz: string;
  /** How many numbers per service `queueSnapshot().waitingNumbers` lists; default 20. */
  waitingNumbersLimit?: number;
}
