/**
 * The one way in for commands, from HTTP and sockets alike. It resolves the caller's credential
 * on every command (never once per connection), checks the role, then runs the command. It also
 * owns revocation and announces it, so a socket of a revoked credential is dropped at once
 * (API.md "Auth": revocation applies to every channel).
 */
import { EventEmitter } from 'node:events';
import {
  CounterAction,
  IssueTicketRequest,
  describeZodError,
  hallError,
  type Actor,
  type CounterActionResponse,
  type HallError,
  type IssueTicketResponse,
  type ReprintResponse,
  type Result,
  type Role,
  type Terminal,
  type User,
} from '@hall/protocol';
import type { ZodType } from 'zod';
import { hasRole } from '../auth/roles';
import { tokenHash, type SessionStore } from '../auth/sessions';
import { runCounterAction } from './counter-actions';
import { issueTicket, reprintTicket, type IssueDeps } from './issue-ticket';
import type { ConfigPort } from './ports';

export type Principal =
  | { kind: 'staff'; user: User; token: string }
  | { kind: 'terminal'; terminal: Terminal }
  | { kind: 'anonymous' };
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

/** Who may run a command: staff of at least a role, or a kiosk terminal or any staff. */
export type Access = Role | 'kiosk-or-staff';

export type CommandOutcome<T> = { ok: true; value: T } | { ok: false; error: HallError; retryAfterSeconds?: number };

export interface GatewayPorts {
  config: Pick<ConfigPort, 'data' | 'update'>;
  sessions: Pick<SessionStore, 'lookupHash' | 'revoke' | 'revokeUser'>;
  /** Issuing a ticket needs these; `issue.core` also runs counter actions. */
  issue: IssueDeps;
}

export function actorOf(p: Principal): Actor {
  if (p.kind === 'staff') return { kind: 'staff', userId: p.user.id, role: p.user.role };
  if (p.kind === 'terminal') return { kind: 'terminal', terminalId: p.terminal.id };
  return { kind: 'public' };
}

/** Why `p` may not do what `access` asks, or null when it may. */
export function refusal(p: Principal, access: Access): HallError | null {
  if (p.kind === 'anonymous') return hallError('AUTH.REQUIRED', 'sign in first');
  if (access === 'kiosk-or-staff') {
    return p.kind === 'terminal' && p.terminal.kind !== 'kiosk' ? hallError('AUTH.FORBIDDEN', 'display terminals cannot issue tickets') : null;
  }
  return p.kind === 'staff' && hasRole(p.user.role, access) ? null : hallError('AUTH.FORBIDDEN', `needs the ${access} role`);
}

function parse<T>(schema: ZodType<T>, input: unknown): CommandOutcome<T> {
  const r = schema.safeParse(input ?? {});
  return r.success ? { ok: true, value: r.data } : { ok: false, error: hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(r.error)) };
}

export class CommandGateway extends EventEmitter<{ revoked: [] }> {
  constructor(private readonly ports: GatewayPorts) {
    super();
  }

  /** The principal a bearer token stands for now: a live session of an enabled user, or a terminal not deleted. */
  resolve(token: string | undefined): Principal {
    if (!token) return { kind: 'anonymous' };
    const hash = tokenHash(token);
    const { users, terminals } = this.ports.config.data;
    const session = this.ports.sessions.lookupHash(hash, this.ports.issue.core.now());
    if (session) {
      const user = users.find((u) => u.id === session.userId);
      return user && !user.disabled ? { kind: 'staff', user, token } : { kind: 'anonymous' };
    }
    const terminal = terminals.find((t) => t.tokenHash === hash && !t.revoked);
    return terminal ? { kind: 'terminal', terminal } : { kind: 'anonymous' };
  }

  /** `POST /api/tickets` and the kiosk socket's `issue`. */
  async issueTicket(token: string | undefined, body: unknown): Promise<CommandOutcome<IssueTicketResponse>> {
    const p = this.resolve(token);
    const refused = refusal(p, 'kiosk-or-staff');
    if (refused) return { ok: false, error: refused };
    const req = parse(IssueTicketRequest, body);
    if (!req.ok) return req;
    return issueTicket(this.ports.issue, req.value, actorOf(p));
  }

  /** `POST /api/tickets/:id/reprint`: only the kiosk terminal that issued the ticket. */
  async reprintTicket(token: string | undefined, ticketId: string): Promise<CommandOutcome<ReprintResponse>> {
    const p = this.resolve(token);
    if (p.kind === 'anonymous') return { ok: false, error: hallError('AUTH.REQUIRED', 'a kiosk terminal token is needed') };
    if (p.kind !== 'terminal' || p.terminal.kind !== 'kiosk') return { ok: false, error: hallError('AUTH.FORBIDDEN', 'only the kiosk that issued a ticket reprints it') };
    return reprintTicket(this.ports.issue, ticketId, p.terminal.id);
  }

  /** `POST /api/counters/:counterId/<action>` with the action's other fields as `body`. */
  async counterAction(token: string | undefined, counterId: string, action: string, body: unknown): Promise<CommandOutcome<CounterActionResponse>> {
    const p = this.resolve(token);
    const refused = refusal(p, 'clerk');
    if (refused) return { ok: false, error: refused };
    const fields = body ?? {};
    if (typeof fields !== 'object' || Array.isArray(fields) || 'action' in fields || 'counterId' in fields) {
      return { ok: false, error: hallError('PROTOCOL.INVALID_PAYLOAD', 'the body is an object of the action\'s fields; the action and the counter come from the path') };
    }
    const req = parse(CounterAction, { ...fields, action, counterId });
    if (!req.ok) return req;
    return runCounterAction(this.ports.issue.core, req.value, actorOf(p));
  }

  async logout(token: string): Promise<void> {
    await this.ports.sessions.revoke(token);
    this.emit('revoked');
  }

  /** After a password or role change, or disabling: every session of the user ends (but `exceptToken`'s, when given). */
  async revokeUser(userId: string, exceptToken?: string): Promise<void> {
    await this.ports.sessions.revokeUser(userId, exceptToken);
    this.emit('revoked');
  }

  async revokeTerminal(terminalId: string): Promise<Result<null>> {
    if (!this.ports.config.data.terminals.some((t) => t.id === terminalId)) return { ok: false, error: hallError('TERMINAL.NOT_FOUND', 'no such terminal') };
    const r = await this.ports.config.update((d) => {
      const t = d.terminals.find((x) => x.id === terminalId);
      if (t) t.revoked = true;
    });
    if (!r.ok) return r;
    this.emit('revoked');
    return { ok: true, value: null };
  }
}
