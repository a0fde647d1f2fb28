/**
 * Who a downstream hall is: its hall token (issued by `POST /api/halls`, sent as a Bearer token)
 * checked by the network module's token store. The catalogue feed needs only this much of it,
 * and passes the store's refusal (unknown, revoked) through with its code.
 */
import { fail, type Result } from '@hall/protocol';

export interface HallTokenVerifier {
  verify(token: string): Promise<Result<{ hallId: string }>> | Result<{ hallId: string }>;
  /** The halls whose records `hallId` relays here (a township's villages): what it may report for. */
  relayedBy?(hallId: string): Promise<readonly string[]>;
}

/** A hall with no downstream halls: every hall token is refused. */
export const noHallTokens: HallTokenVerifier = { verify: () => fail('AUTH.REQUIRED', 'this hall has no downstream halls') };
