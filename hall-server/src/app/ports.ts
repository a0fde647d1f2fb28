/**
 * The hall as the edges (HTTP, sockets, devices) see it: small interfaces over the core and the
 * config store, so an edge names what it uses. main.ts, the one composition root, builds them.
 */
import type { PrintOutcome, Ticket } from '@hall/protocol';
import type { ConfigStore } from '../config';
import type { Logger } from '../logging';
import type { CardTokens } from './card-tokens';
import type { Principal } from './gateway';
import type { HallCore } from './hall-core';

/** HallCore's public API. */
export type CorePort = Pick<HallCore, 'execute' | 'record' | 'state' | 'now' | 'viewContext' | 'health' | 'on' | 'off'>;
export type ConfigPort = Pick<ConfigStore, 'data' | 'update' | 'onChange'>;

export interface TicketPrintPort {
  /**
   * Queues the ticket on the first online printer attached to the terminal and answers at
   * once: `sent` (queued), `failed` (a printer is attached but none is online), `none`.
   * Never waits for paper to move: printing never delays a ticket's 201.
   */
  printTicket(terminalId: string, ticket: Ticket, trackUrl: string): PrintOutcome;
  /** Asks the terminal's printers for their status now, so a refilled roll is known before a reprint. */
  refreshPrinters?(terminalId: string): Promise<void>;
}

export const noPrinters: TicketPrintPort = { printTicket: () => 'none' };

/** What the device side uses of the hall. */
export interface DeviceHallPort {
  config: ConfigStore;
  core: HallCore;
  log: Logger;
  idKey: Buffer;
  cardTokens: CardTokens;
  /** The bearer token's principal (the simulator routes' guard). */
  resolve(token: string | undefined): Principal;
}
