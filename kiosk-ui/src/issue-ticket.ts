/**
 * Issuing a ticket: over the kiosk socket with an ack and a timeout, or over HTTP when the
 * socket is down or does not answer in time. A refusal from the server (an ack with an error,
 * a 4xx) is final and is not retried on the other path.
 */
import type { AckResult, IssueTicketRequest, IssueTicketResponse } from '@hall/protocol';
import { ApiError, type UiError } from '@hall/protocol';

export type IssueResult = { ok: true; value: IssueTicketResponse; via: 'socket' | 'http' } | { ok: false; error: UiError };

export interface IssueDeps {
  /** Null when the socket is not connected; rejects when the ack times out. */
  socketIssue: ((req: IssueTicketRequest) => Promise<AckResult<IssueTicketResponse>>) | null;
  httpIssue: (req: IssueTicketRequest) => Promise<IssueTicketResponse>;
}

export async function issueTicket(req: IssueTicketRequest, deps: IssueDeps): Promise<IssueResult> {
  if (deps.socketIssue) {
    try {
      const ack = await deps.socketIssue(req);
      if (ack.ok) return { ok: true, value: ack.value, via: 'socket' };
      return { ok: false, error: ack.error };
    } catch {
      // No answer in time: fall through to HTTP.
    }
  }
  try {
    return { ok: true, value: await deps.httpIssue(req), via: 'http' };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: err.error };
    return { ok: false, error: { code: 'SERVER.UNAVAILABLE', message: err instanceof Error ? err.message : String(err) } };
  }
}
