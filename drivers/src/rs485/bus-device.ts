/** What every device object on an `Rs485Bus` shares: attach/detach, health, sending text. */
import { EventEmitter } from 'node:events';
import type { DeviceDriverEvents, DeviceHealth } from '../device';
import type { Frame } from './frame-codec';
import type { BusEndpoint, Rs485Bus, SendResult } from './rs485-bus';

/** The outcome of a display command. Never a rejection: an offline device keeps the state for later. */
export interface DisplayResult {
  /** Acknowledged by the device (or written, on a profile without acks). */
  delivered: boolean;
  /** Why not, when not delivered. */
  reason?: Extract<SendResult, { delivered: false }>['reason'];
  /** Characters outside the device's character set, shown as a full-width space. */
  replaced: string[];
  /** Text cut to fit the device's frame. */
  truncated: boolean;
}

/** Folds the send results of one display command into its `DisplayResult`. */
export function combine(results: SendResult[], text: { replaced: string[]; truncated: boolean }): DisplayResult {
  const failed = results.find((r): r is Extract<SendResult, { delivered: false }> => !r.delivered);
  return {
    delivered: !failed,
    ...(failed ? { reason: failed.reason } : {}),
    replaced: text.replaced,
    truncated: text.truncated,
  };
}

const REPEAT_WINDOW_MS = 5000;

/**
 * Base of LedBoard, HallLedBar, CallerKeypad and Evaluator. Each concrete class declares
 * `implements DeviceDriver` (the generic event map keeps this abstract one from doing so).
 */
export abstract class BusDevice<E extends Record<keyof E, unknown[]> & DeviceDriverEvents = DeviceDriverEvents>
  extends EventEmitter<E>
  implements BusEndpoint
{
  abstract readonly kind: string;
  abstract readonly hasEvents: boolean;
  private current: DeviceHealth = { status: 'offline', detail: 'not started' };
  private attached = false;
  private lastEvent: { seq: number; at: number } | undefined;

  constructor(
    readonly bus: Rs485Bus,
    readonly address: number,
  ) {
    super();
  }

  get label(): string {
    return `${this.kind}@${this.address}`;
  }

  get health(): DeviceHealth {
    return this.current;
  }

  /** Attaches to the bus and starts it. Never rejects; a taken address shows as `error` health. */
  async start(): Promise<void> {
    if (!this.attached) {
      try {
        this.bus.attach(this);
        this.attached = true;
      } catch (err) {
        this.onHealth({ status: 'error', detail: (err as Error).message });
        return;
      }
    }
    await this.bus.start();
  }

  /** Detaches; the last device to leave stops the bus and closes its transport. */
  async stop(): Promise<void> {
    if (!this.attached) return;
    this.attached = false;
    this.bus.detach(this);
    this.onHealth({ status: 'offline', detail: 'stopped' });
    if (this.bus.addresses.length === 0) await this.bus.stop();
  }

  onHealth(health: DeviceHealth): void {
    if (health.status === this.current.status && health.detail === this.current.detail) return;
    this.current = health;
    // A device that went away may come back rebooted, its sequence numbers starting over.
    if (health.status !== 'online') this.lastEvent = undefined;
    (this as EventEmitter<DeviceDriverEvents>).emit('health', health);
  }

  /** Re-sends the current state; the bus calls it whenever the device comes (back) online. */
  abstract restore(): void;

  onFrame(_frame: Frame): Buffer | null {
    return null;
  }

  /**
   * Whether a numbered event is the resend of one already taken (its ack was lost). A device
   * resends within a poll or two, so an equal seq long after is a new event from a rebooted device.
   */
  protected isRepeat(seq: number): boolean {
    const now = Date.now();
    const repeat = seq !== 0 && this.lastEvent?.seq === seq && now - this.lastEvent.at < REPEAT_WINDOW_MS;
    if (seq !== 0) this.lastEvent = { seq, at: now };
    return repeat;
  }

  protected warn(message: string): void {
    this.bus.emit('warning', `${this.label}: ${message}`);
  }

  protected send(func: number | null, payload?: Uint8Array): Promise<SendResult> {
    return this.bus.send(this.address, func, payload);
  }

  protected get profile() {
    return this.bus.profile;
  }
}
