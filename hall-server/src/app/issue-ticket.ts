/**
 * Issuing a ticket, shared by `POST /api/tickets` and the kiosk socket: the ID card is checked
 * and reduced to a keyed hash and a masked name here, at the edge; the raw number goes no further.
 */
import {
  birthDateOfIdNumber,
  hallError,
  isValidIdNumber,
  maskName,
  type Actor,
  type HallError,
  type IssueTicketRequest,
  type IssueTicketResponse,
  type ReprintResponse,
  type TicketHolderInput,
} from '@hall/protocol';
import { ticketTrackToken, ticketView } from '../queue';
import { idNumberHash } from '../privacy/id-hash';
import type { CardTokens } from './card-tokens';
import type { CorePort, TicketPrintPort } from './ports';
import type { TerminalLimiter } from './terminal-limiter';

export interface IssueDeps {
  core: Pick<CorePort, 'execute' | 'state' | 'now' | 'viewContext'>;
  idKey: Buffer;
  cardTokens: CardTokens;
  printer: TicketPrintPort;
  terminalLimiter: TerminalLimiter;
  trackUrl: (ticketId: string, token: string) => string;
}

export type IssueOutcome = { ok: true; value: IssueTicketResponse } | { ok: false; error: HallError; retryAfterSeconds?: number };

/**
 * Answers of recent requests by idempotency key. The engine also remembers each key for the day
 * (journalled with the ticket, so it survives a restart); this map covers the moments before
 * that: a retry that arrives while the first request still waits for its fsync gets the same
 * answer, not an early one.
 */
const recentRequests = new WeakMap<IssueDeps['core'], Map<string, { at: number; outcome: Promise<IssueOutcome> }>>();
const REQUEST_TTL_MS = 10 * 60_000;

export function issueTicket(deps: IssueDeps, req: IssueTicketRequest, actor: Actor): Promise<IssueOutcome> {
  if (req.requestId === undefined) return issueOnce(deps, req, actor, undefined);
  let byKey = recentRequests.get(deps.core);
  if (!byKey) recentRequests.set(deps.core, (byKey = new Map()));
  const now = deps.core.now();
  const who = actor.kind === 'terminal' ? `t:${actor.terminalId}` : actor.kind === 'staff' ? `s:${actor.userId}` : 'x';
  const key = `${who}:${req.requestId}`;
  const seen = byKey.get(key);
  if (seen && now - seen.at < REQUEST_TTL_MS) return seen.outcome;
  if (byKey.size > 5000) for (const [k, v] of byKey) if (now - v.at >= REQUEST_TTL_MS) byKey.delete(k);
  const outcome = issueOnce(deps, req, actor, key);
  byKey.set(key, { at: now, outcome });
  // A refusal is not remembered: the same tap may succeed once the cause is gone.
  void outcome.then((o) => {
    if (!o.ok) byKey.delete(key);
  });
  return outcome;
}

async function issueOnce(deps: IssueDeps, req: IssueTicketRequest, actor: Actor, requestKey: string | undefined): Promise<IssueOutcome> {
  const { core } = deps;
  const now = core.now();
  const terminalId = actor.kind === 'terminal' ? actor.terminalId : null;
  // A retry of a request answered before a restart (the engine journals the key with the
  // ticket): the same ticket, before the card token (used up then) or the rate limit is asked.
  // Whether it printed is unknown; printing again could hand out two slips, so it does not.
  const earlier = requestKey === undefined ? undefined : core.state.requestKeys.get(requestKey);
  if (earlier !== undefined) return answer(deps, earlier, null);

  let holder: TicketHolderInput | undefined;
  if (req.idCardToken !== undefined) {
    holder = deps.cardTokens.take(req.idCardToken, terminalId, now);
    if (!holder) return { ok: false, error: hallError('QUEUE.ID_REQUIRED', 'the swiped card has expired; please swipe it again') };
  } else if (req.idCard) {
    const idNumber = req.idCard.idNumber.trim().toUpperCase();
    if (!isValidIdNumber(idNumber)) {
      return { ok: false, error: hallError('PROTOCOL.INVALID_ID_NUMBER', 'the ID number fails the GB 11643 checksum') };
    }
    // The birth date comes from the number itself, not from what the client claims.
    holder = { maskedName: maskName(req.idCard.name), idHash: idNumberHash(deps.idKey, idNumber), birthDate: birthDateOfIdNumber(idNumber) ?? null };
  }

  if (terminalId !== null) {
    const wait = await deps.terminalLimiter.consume(terminalId, core.viewContext().config.hall.terminalTicketsPerMinute);
    if (wait > 0) return { ok: false, error: hallError('RATE.LIMITED', 'too many tickets from this kiosk; please wait'), retryAfterSeconds: wait };
  }

  const res = await core.execute(
    {
      type: 'ticket.issue',
      serviceId: req.serviceId,
      ...(req.priority !== undefined ? { priority: req.priority } : {}),
      source: actor.kind === 'terminal' ? 'kiosk' : actor.kind === 'staff' ? 'staff' : 'api',
      ...(terminalId !== null ? { terminalId } : {}),
      ...(holder ? { holder } : {}),
      ...(requestKey !== undefined ? { requestKey } : {}),
    },
    actor,
  );
  if (!res.ok) return res;
  // No events: the engine knew the key (see above), so nothing new is printed either.
  return answer(deps, res.ticketId as string, res.events.length > 0 ? terminalId : null);
}

/** The 201 body for a ticket; printed at `printAt` (a kiosk terminal) when given. Appointment check-ins answer the same way. */
export function answer(deps: IssueDeps, ticketId: string, printAt: string | null): IssueOutcome {
  const { core } = deps;
  const ticket = ticketView(core.state, ticketId, core.viewContext());
  const trackToken = ticketTrackToken(core.state, ticketId) ?? '';
  if (!ticket) return { ok: false, error: hallError('SERVER.INTERNAL', 'issued ticket not found') };
  const trackUrl = deps.trackUrl(ticketId, trackToken);
  let print: IssueTicketResponse['print'] = 'none';
  if (printAt !== null) {
    try {
      print = deps.printer.printTicket(printAt, ticket, trackUrl);
    } catch {
      print = 'failed';
    }
  }
  return { ok: true, value: { ...ticket, trackToken, trackUrl, print } };
}

/** Reprints per ticket: a jammed or empty printer is worth a second try or two, not a slip dispenser. */
const MAX_REPRINTS = 3;
const reprints = new WeakMap<IssueDeps['core'], Map<string, number>>();

/**
 * `POST /api/tickets/:id/reprint`: the kiosk terminal that issued a ticket prints it again (after
 * paper out, say) while it still waits or is being called. Another terminal gets 404, as if the
 * ticket did not exist.
 */
export async function reprintTicket(deps: IssueDeps, ticketId: string, terminalId: string): Promise<{ ok: true; value: ReprintResponse } | { ok: false; error: HallError }> {
  const { core } = deps;
  // Paper was refilled since the failure, most likely: the printer is asked before it is chosen.
  await deps.printer.refreshPrinters?.(terminalId);
  const record = core.state.tickets.get(ticketId);
  if (!record || record.terminalId !== terminalId) return { ok: false, error: hallError('QUEUE.NOT_FOUND', 'no such ticket issued here') };
  if (record.status !== 'waiting' && record.status !== 'called') {
    return { ok: false, error: hallError('QUEUE.INVALID_STATE', `the ticket is ${record.status}`, { status: record.status }) };
  }
  let byTicket = reprints.get(core);
  if (!byTicket) reprints.set(core, (byTicket = new Map()));
  const done = byTicket.get(ticketId) ?? 0;
  if (done >= MAX_REPRINTS) return { ok: false, error: hallError('QUEUE.INVALID_STATE', 'this ticket was reprinted enough; please ask the staff', { reprints: done }) };
  const ticket = ticketView(core.state, ticketId, core.viewContext());
  if (!ticket) return { ok: false, error: hallError('QUEUE.NOT_FOUND', 'no such ticket') };
  let print: ReprintResponse['print'];
  try {
    print = deps.printer.printTicket(terminalId, ticket, deps.trackUrl(ticketId, record.trackToken));
  } catch {
    print = 'failed';
  }
  if (print === 'sent') byTicket.set(ticketId, done + 1);
  return { ok: true, value: { ticketId, print } };
}
