/**
 * Keeps one transport open: when the port disappears (cable pulled, adapter replugged, printer
 * switched off, socat killed) it tries to open it again with exponential backoff, and remembers
 * why the last attempt failed so the admin sees it in the device's `detail`.
 *
 * Drivers never reopen a link themselves here (the printer's reopen-on-print is switched off, the
 * RS-485 bus gets `reopenMs: null`): one owner per port, so two opens never race.
 */
import type { Transport, TransportEvents } from '@hall/drivers';

export interface Backoff {
  /** First retry after this long. */
  initialMs: number;
  /** Retries slow down (×2 each) up to this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Readonly<Backoff> = Object.freeze({ initialMs: 500, maxMs: 5000 });

/**
 * A transport that remembers why its last open() failed; everything else is the inner
 * transport's (listeners are registered on it directly).
 */
export class ObservedTransport implements Transport {
  lastOpenError: string | null = null;
  constructor(readonly inner: Transport) {}

  get description(): string {
    return this.inner.description;
  }
  get canRead(): boolean {
    return this.inner.canRead;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  async open(): Promise<void> {
    try {
      await this.inner.open();
      this.lastOpenError = null;
    } catch (err) {
      this.lastOpenError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }
  write(data: Uint8Array): Promise<void> {
    return this.inner.write(data);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this {
    this.inner.on(event, listener);
    return this;
  }
  off<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this {
    this.inner.off(event, listener);
    return this;
  }
  once<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this {
    this.inner.once(event, listener);
    return this;
  }
}

export class LinkSupervisor {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private opening = false;
  /** Open attempts made by the supervisor (not the driver's first one). */
  attempts = 0;

  private readonly onClose = (): void => this.schedule();
  private readonly onOpen = (): void => {
    this.delay = this.backoff.initialMs;
  };

  constructor(
    readonly transport: ObservedTransport,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
    /** Told after every failed attempt (the device's detail may have changed). */
    private readonly onAttempt: () => void = () => undefined,
  ) {
    this.delay = backoff.initialMs;
  }

  /** Call after the driver's start(): from here on a closed link is reopened. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.transport.on('close', this.onClose);
    this.transport.on('open', this.onOpen);
    if (!this.transport.isOpen) this.schedule();
  }

  /** Call before the driver's stop(), so the port it closes stays closed. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.transport.off('close', this.onClose);
    this.transport.off('open', this.onOpen);
  }

  private schedule(): void {
    if (!this.running || this.timer || this.opening || this.transport.isOpen) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.backoff.maxMs);
    this.timer = setTimeout(() => void this.attempt(), wait);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    this.timer = undefined;
    if (!this.running || this.transport.isOpen) return;
    this.opening = true;
    this.attempts++;
    try {
      await this.transport.open();
    } catch {
      // The reason is in transport.lastOpenError; try again later.
    } finally {
      this.opening = false;
    }
    if (!this.running) {
      // Stopped while opening: release the port again.
      if (this.transport.isOpen) await this.transport.close().catch(() => undefined);
      return;
    }
    if (!this.transport.isOpen) {
      this.onAttempt();
      this.schedule();
    }
  }
}
