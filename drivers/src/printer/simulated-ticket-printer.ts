/**
 * A simulated ESC/POS ticket printer: the device end of a Transport (the device side of a memory
 * link, or the other pty of a socat pair). It decodes what the driver sends with the independent
 * decoder, keeps the printed tickets, and answers DLE EOT like an Epson-compatible printer.
 */
import { EventEmitter } from 'node:events';
import { MemoryTransport } from '../transport/memory-transport';
import type { Transport } from '../transport/transport';
import { EscposDecoder } from './escpos-decoder';
import { PaperModel, type PrintedTicket } from './printed-ticket';
import type { PaperWidth } from './ticket-job';

export interface SimulatedTicketPrinterOptions {
  /** Paper for the plain-text view of tickets (32 or 48 columns). Default 58. */
  paperWidth?: PaperWidth;
  /** Chinese mode after power-on / ESC @ (a memory switch on real printers). Default false. */
  chineseModeAfterInit?: boolean;
  /** false: behave like a printer that never answers DLE EOT. Default true. */
  answersStatus?: boolean;
  /** Tickets kept in `tickets` (oldest dropped). Default 200. */
  keepTickets?: number;
}

export interface SimulatedPrinterState {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** An unrecoverable error (cutter jam, head overheat…). */
  fault: boolean;
}

export type MidTicketFault = 'paper-out' | 'cover-open';

export interface SimulatedTicketPrinterEvents {
  ticket: [ticket: PrintedTicket];
}

export class SimulatedTicketPrinter extends EventEmitter<SimulatedTicketPrinterEvents> {
  /** Printed tickets, oldest first, one per cut. */
  readonly tickets: PrintedTicket[] = [];
  /** How many DLE EOT requests arrived. */
  statusQueries = 0;
  /** Bytes received in total. */
  bytesReceived = 0;
  answersStatus: boolean;
  private readonly decoder: EscposDecoder;
  private readonly paper: PaperModel;
  private readonly keep: number;
  private readonly held: PrintedTicket[] = [];
  private readonly current: SimulatedPrinterState = { paperOut: false, paperNearEnd: false, coverOpen: false, fault: false };
  /** Armed by failMidTicket(): after this many more bytes, the fault happens. */
  private trip: { fault: MidTicketFault; afterBytes: number } | null = null;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onClose = (): void => this.decoder.reset();

  constructor(
    readonly transport: Transport,
    options: SimulatedTicketPrinterOptions = {},
  ) {
    super();
    this.answersStatus = options.answersStatus ?? true;
    this.keep = options.keepTickets ?? 200;
    this.decoder = new EscposDecoder({ chineseModeAfterInit: options.chineseModeAfterInit ?? false });
    this.paper = new PaperModel((options.paperWidth ?? 58) === 80 ? 48 : 32, (t) => this.printed(t));
    transport.on('data', this.onData);
    transport.on('close', this.onClose);
  }

  /** Opens the device end if it is not open yet. */
  async start(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
  }

  async stop(): Promise<void> {
    this.transport.off('data', this.onData);
    this.transport.off('close', this.onClose);
    await this.transport.close();
  }

  get state(): Readonly<SimulatedPrinterState> {
    return { ...this.current };
  }

  /** Test control: the roll runs out (true) or is replaced (false). */
  paperOut(on = true): void {
    this.current.paperOut = on;
    this.release();
  }

  paperNearEnd(on = true): void {
    this.current.paperNearEnd = on;
  }

  coverOpen(on = true): void {
    this.current.coverOpen = on;
    this.release();
  }

  fault(on = true): void {
    this.current.fault = on;
    this.release();
  }

  /**
   * Test control: the roll runs out (or the cover is opened) after `afterBytes` more bytes, in
   * the middle of the next ticket; what is cut after that is held, as on a printer that stopped.
   */
  failMidTicket(fault: MidTicketFault, afterBytes: number): void {
    this.trip = { fault, afterBytes };
  }

  /** Test control: the cable is pulled. On a memory link both ends close and stay closed until replug(). */
  unplug(): void {
    if (this.transport instanceof MemoryTransport) this.transport.unplug();
    else void this.transport.close();
  }

  /** Test control: the cable is back; the device end opens again (the driver's end reopens itself). */
  async replug(): Promise<void> {
    if (this.transport instanceof MemoryTransport) this.transport.replug();
    if (!this.transport.isOpen) await this.transport.open();
  }

  /** Subscribes to printed tickets; returns the unsubscribe function. */
  onTicket(listener: (ticket: PrintedTicket) => void): () => void {
    this.on('ticket', listener);
    return () => this.off('ticket', listener);
  }

  /** Resolves with the next ticket cut. */
  nextTicket(timeoutMs = 5000): Promise<PrintedTicket> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('ticket', got);
        reject(new Error(`no ticket printed within ${timeoutMs} ms`));
      }, timeoutMs);
      const got = (t: PrintedTicket): void => {
        clearTimeout(timer);
        resolve(t);
      };
      this.once('ticket', got);
    });
  }

  lastTicket(): PrintedTicket | null {
    return this.tickets[this.tickets.length - 1] ?? null;
  }

  /** The last printed ticket as plain text (for the admin console), or null. */
  lastTicketText(): string | null {
    return this.lastTicket()?.text ?? null;
  }

  clear(): void {
    this.tickets.length = 0;
    this.held.length = 0;
  }

  /** The DLE EOT n answer byte (fixed bits 1 and 4 set, bit 0 and 7 clear). */
  statusByte(n: number): number {
    const s = this.current;
    const offline = s.paperOut || s.coverOpen || s.fault;
    switch (n) {
      case 1:
        return 0x12 | (offline ? 0x08 : 0);
      case 2:
        return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.fault ? 0x40 : 0);
      case 3:
        return 0x12 | (s.fault ? 0x20 : 0);
      default:
        return 0x12 | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    }
  }

  private receive(chunk: Buffer): void {
    const trip = this.trip;
    if (trip && chunk.length > trip.afterBytes) {
      this.trip = null;
      this.receive(chunk.subarray(0, trip.afterBytes));
      if (trip.fault === 'paper-out') this.paperOut(true);
      else this.coverOpen(true);
      this.receive(chunk.subarray(trip.afterBytes));
      return;
    }
    if (trip) trip.afterBytes -= chunk.length;
    this.bytesReceived += chunk.length;
    for (const command of this.decoder.push(chunk)) {
      if (command.type === 'status-query') {
        this.statusQueries++;
        if (this.answersStatus && this.transport.isOpen) {
          this.transport.write(Buffer.from([this.statusByte(command.n)])).catch(() => undefined);
        }
      } else {
        this.paper.apply(command);
      }
    }
  }

  private printed(ticket: PrintedTicket): void {
    // Like a real printer, data that arrives without paper waits in the buffer until it can print.
    if (this.current.paperOut || this.current.coverOpen || this.current.fault) this.held.push(ticket);
    else this.deliver(ticket);
  }

  private release(): void {
    if (this.current.paperOut || this.current.coverOpen || this.current.fault) return;
    for (const t of this.held.splice(0)) this.deliver(t);
  }

  private deliver(ticket: PrintedTicket): void {
    this.tickets.push(ticket);
    if (this.tickets.length > this.keep) this.tickets.splice(0, this.tickets.length - this.keep);
    this.emit('ticket', ticket);
  }
}
