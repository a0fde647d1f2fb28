/**
 * What serial and HID scanners share: a Transport in, `scan` events out. Scanners answer no
 * commands, so health is the link's: online while it is open, offline when it is gone.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DeviceDriverEvents, DeviceHealth } from '../device';
import type { Transport } from '../transport/transport';
import type { ScanError, ScanEvent } from './scan-line-decoder';

export interface ScannerEvents extends DeviceDriverEvents {
  /**
   * One code scanned. The text may be personal (an appointment code, an ID number in a QR
   * code): pass it on, never log it.
   */
  scan: [text: string];
  /** A scan was dropped (too long, non-printable); the scanner keeps working. */
  scanError: [error: ScanError];
}

export abstract class TransportScanner extends EventEmitter<ScannerEvents> implements DeviceDriver {
  readonly stats = { scans: 0, rejected: 0 };
  private currentHealth: DeviceHealth = { status: 'offline', detail: 'not started' };
  private running = false;

  private readonly onData = (chunk: Buffer): void => {
    for (const ev of this.decode(chunk)) {
      if (ev.type === 'scan') {
        this.stats.scans++;
        this.emit('scan', ev.text);
      } else {
        this.stats.rejected++;
        this.emit('scanError', ev.error);
      }
    }
  };
  private readonly onOpen = (): void => {
    this.resetDecoder();
    this.setHealth('online', null);
  };
  private readonly onClose = (error?: Error): void => {
    this.resetDecoder();
    this.setHealth('offline', `${this.transport.description}: ${error ? error.message : 'closed'}`);
  };

  constructor(readonly transport: Transport) {
    super();
  }

  /** Decodes whatever the link delivered. */
  protected abstract decode(chunk: Buffer): ScanEvent[];
  /** Forgets a half scan. */
  protected abstract resetDecoder(): void;

  get health(): DeviceHealth {
    return this.currentHealth;
  }

  /** Typing only; see `IdCardReader.eventNames`. */
  override eventNames(): Array<'health'> {
    return super.eventNames() as Array<'health'>;
  }

  /** Opens the link if needed; never rejects (a missing port is `offline`). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.transport.on('data', this.onData);
    this.transport.on('open', this.onOpen);
    this.transport.on('close', this.onClose);
    this.resetDecoder();
    if (this.transport.isOpen) {
      this.setHealth('online', null);
      return;
    }
    try {
      await this.transport.open();
    } catch (err) {
      this.setHealth('offline', (err as Error).message);
    }
  }

  /** Closes the link. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.transport.off('data', this.onData);
    this.transport.off('open', this.onOpen);
    this.transport.off('close', this.onClose);
    await this.transport.close().catch(() => undefined);
    this.setHealth('offline', 'stopped');
  }

  private setHealth(status: DeviceHealth['status'], detail: string | null): void {
    if (this.currentHealth.status === status && this.currentHealth.detail === detail) return;
    this.currentHealth = { status, detail };
    this.emit('health', this.currentHealth);
  }
}
