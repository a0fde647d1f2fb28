/** What the application needs from the device side, so the core never imports drivers. */
import type { PrintOutcome, Ticket } from '@hall/protocol';

export interface TicketPrintPort {
  /**
   * Queues the ticket on the first online printer attached to the terminal and answers at
   * once: `sent` (queued), `failed` (a printer is attached but none is online), `none`.
   * Never waits for paper to move: printing never delays a ticket's 201.
   */
  printTicket(terminalId: string, ticket: Ticket, trackUrl: string): PrintOutcome;
}

export const noPrinters: TicketPrintPort = { printTicket: () => 'none' };
