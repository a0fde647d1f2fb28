/** Everything the edges (HTTP, sockets, devices) share; built once in main.ts. */
import type { Actor, HallConfig, Role, Terminal, User } from '@hall/protocol';
import type { DevicePort } from './device-port';
import type { ConfigStore } from '../config';
import type { Logger } from '../logging';
import type { LoginLockout } from '../auth/lockout';
import type { SessionStore } from '../auth/sessions';
import type { HallCore } from './hall-core';
import type { CardTokens } from './card-tokens';
import type { TicketPrintPort } from './ports';
import type { TerminalLimiter } from './terminal-limiter';
import type { IssueDeps } from './issue-ticket';
import { tokenHash } from '../auth/sessions';

export interface HallContext extends IssueDeps {
  config: ConfigStore;
  core: HallCore;
  sessions: SessionStore;
  lockout: LoginLockout;
  log: Logger;
  version: string;
  publicUrl: () => string;
  printer: TicketPrintPort;
  cardTokens: CardTokens;
  terminalLimiter: TerminalLimiter;
  /** Public endpoints: requests per minute per client address. */
  publicRatePerMinute: number;
  /** Login attempts per client address per minute (on top of the per-user lockout). */
  loginRatePerMinute: number;
  /** Device API and health; set when the device manager runs. */
  devices?: DevicePort;
}

export type Principal =
  | { kind: 'staff'; user: User; token: string }
  | { kind: 'terminal'; terminal: Terminal }
  | { kind: 'anonymous' };

/** Resolves a bearer token to a staff user or a paired terminal. */
export function resolveToken(ctx: HallContext, token: string | undefined): Principal {
  if (!token) return { kind: 'anonymous' };
  const now = ctx.core.now();
  const hash = tokenHash(token);
  const session = ctx.sessions.lookupHash(hash, now);
  const cfg: HallConfig = ctx.config.data;
  if (session) {
    const user = cfg.users.find((u) => u.id === session.userId);
    if (user && !user.disabled) return { kind: 'staff', user, token };
    return { kind: 'anonymous' };
  }
  const terminal = cfg.terminals.find((t) => t.tokenHash === hash && !t.revoked);
  return terminal ? { kind: 'terminal', terminal } : { kind: 'anonymous' };
}

export function actorOf(p: Principal): Actor {
  if (p.kind === 'staff') return { kind: 'staff', userId: p.user.id, role: p.user.role as Role };
  if (p.kind === 'terminal') return { kind: 'terminal', terminalId: p.terminal.id };
  return { kind: 'public' };
}
