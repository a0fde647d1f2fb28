/**
 * The one small interface every device driver talks through. A transport moves bytes; it knows
 * nothing of frames. Drivers own framing, so the same driver runs over a real serial port, a
 * socat pty, TCP, a USB printer file, HID, or an in-memory link to a simulator.
 */
import { EventEmitter } from 'node:events';

export interface TransportEvents {
  /** The link is (again) open; drivers re-initialise the device (e.g. resend the board text). */
  open: [];
  /** Bytes arrived from the device (only on transports that read). */
  data: [chunk: Buffer];
  /** The link went away (port unplugged, socket closed, file gone). `error` says why if known. */
  close: [error?: Error];
}

export interface Transport {
  /** Human-readable, no personal data: `serial:/dev/ttyUSB0@9600`. */
  readonly description: string;
  /** Whether bytes can come back (serial, TCP, HID, memory); a USB printer file may not. */
  readonly canRead: boolean;
  readonly isOpen: boolean;
  /** Opens the link; rejects with a clear error when the port or host is missing. */
  open(): Promise<void>;
  /** Resolves when the bytes are handed to the OS (drained); rejects when the link is gone. */
  write(data: Uint8Array): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
  off<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
  once<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
}

/** Shared event plumbing for transports. */
export abstract class BaseTransport extends EventEmitter<TransportEvents> implements Transport {
  abstract readonly description: string;
  abstract readonly canRead: boolean;
  protected opened = false;
  get isOpen(): boolean {
    return this.opened;
  }
  abstract open(): Promise<void>;
  abstract write(data: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;

  /** Marks the link open and tells listeners. */
  protected markOpen(): void {
    this.opened = true;
    this.emit('open');
  }

  /** Marks the link closed once and tells listeners. */
  protected closed(error?: Error): void {
    if (!this.opened) return;
    this.opened = false;
    this.emit('close', error);
  }
}

export class TransportClosedError extends Error {
  constructor(description: string) {
    super(`${description}: not open`);
    this.name = 'TransportClosedError';
  }
}
