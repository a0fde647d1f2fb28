/**
 * Cards swiped on readers the hall server drives. The kiosk is told only a one-time token, a
 * masked name and the age class; the keyed hash stays here until the ticket is issued.
 */
import { randomBytes } from 'node:crypto';
import type { TicketHolderInput } from '@hall/protocol';

interface Entry {
  holder: TicketHolderInput;
  terminalId: string;
  expiresAt: number;
}

export class CardTokens {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly ttlMs = 3 * 60_000) {}

  register(holder: TicketHolderInput, terminalId: string, now: number): string {
    this.prune(now);
    const token = randomBytes(16).toString('base64url');
    this.entries.set(token, { holder, terminalId, expiresAt: now + this.ttlMs });
    return token;
  }

  /** One use only, and only from the terminal the card was swiped at (staff: any). */
  take(token: string, terminalId: string | null, now: number): TicketHolderInput | undefined {
    const holder = this.peek(token, terminalId, now);
    if (holder) this.entries.delete(token);
    return holder;
  }

  /** The holder without using the token up (the kiosk asks for the card's bookings first). */
  peek(token: string, terminalId: string | null, now: number): TicketHolderInput | undefined {
    const e = this.entries.get(token);
    if (!e || e.expiresAt <= now || (terminalId !== null && e.terminalId !== terminalId)) return undefined;
    return e.holder;
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}
