/**
 * One RS-485 line shared by several addressed devices. The bus owns the transport: it sends one
 * request at a time and waits for its ack (retrying as the profile says), polls the devices for
 * their events and their health, routes device→host frames to the device object at that
 * address, and after the link drops and comes back asks every device to re-send its state.
 */
import { EventEmitter } from 'node:events';
import type { DeviceHealth } from '../device';
import type { Transport } from '../transport/transport';
import { encodeFrame, FrameParser, type Frame, type FrameError } from './frame-codec';
import { HALL_DEFAULT_PROFILE, type FrameProfile } from './frame-profile';

/** A device object on the bus (LedBoard, CallerKeypad…). */
export interface BusEndpoint {
  readonly address: number;
  /** For messages: `led-board@3`. */
  readonly label: string;
  /** Polled at `pollMs` (it has events to collect) rather than at the keep-alive rate. */
  readonly hasEvents: boolean;
  /**
   * Re-send the device's current state. Called whenever the address comes (back) online: first
   * answer after attach, after the link re-opens, after the device was silent (power cut).
   */
  restore(): void;
  /** A device→host frame other than an ack. Returns the ack payload to send back, or null. */
  onFrame(frame: Frame): Buffer | null;
  onHealth(health: DeviceHealth): void;
}

export interface Rs485BusOptions {
  profile?: FrameProfile;
  /** Poll period of devices with events (keypads, evaluators). Default 200 ms. */
  pollMs?: number;
  /** Poll period of the others (boards), only to track health. Default 3000 ms. */
  keepAliveMs?: number;
  /** Poll period of an offline device, to notice it coming back. Default 1000 ms. */
  offlinePollMs?: number;
  /** false: never poll (devices push); health then comes from command acks alone. Default true. */
  poll?: boolean;
  /** Consecutive unanswered attempts before an address is offline. Default 3. */
  offlineAfterMisses?: number;
  /** Retry period for opening a closed transport; null leaves re-opening to the caller. Default 1000 ms. */
  reopenMs?: number | null;
}

/** `unsupported`: the profile has no function code for this command (null in `functions`). */
export type SendResult = { delivered: true } | { delivered: false; reason: 'timeout' | 'closed' | 'stopped' | 'unsupported' };

export interface Rs485BusEvents {
  'frame-error': [error: FrameError];
  /** Something an admin may want to see in a log (unknown address, unknown key…). */
  warning: [message: string];
  health: [address: number, health: DeviceHealth];
}

/** How soon after our write a half-duplex adapter's copy of it arrives (USB-serial latency included). */
const OWN_ECHO_WINDOW_MS = 30;

type JobKind = 'command' | 'poll' | 'ack';
interface Job {
  address: number;
  func: number;
  payload: Uint8Array;
  kind: JobKind;
  /** Bytes to send as they are (an echoed event frame) instead of encoding the fields. */
  raw?: Buffer;
  resolve: (r: SendResult) => void;
}
type Outcome = 'answered' | 'timeout' | 'closed';
interface Awaiting {
  address: number;
  func: number;
  poll: boolean;
  settle: (o: Outcome) => void;
}
interface AddressState {
  health: DeviceHealth;
  misses: number;
  lastSeen: number | null;
  nextPollAt: number;
}

export class Rs485Bus extends EventEmitter<Rs485BusEvents> {
  readonly profile: FrameProfile;
  private readonly opts: Required<Omit<Rs485BusOptions, 'profile' | 'reopenMs'>> & { reopenMs: number | null };
  private readonly parser: FrameParser;
  private readonly endpoints = new Map<number, BusEndpoint>();
  private readonly states = new Map<number, AddressState>();
  private readonly queue: Job[] = [];
  private readonly urgent: Job[] = [];
  private running = false;
  private starting: Promise<void> | undefined;
  private busy = false;
  private awaiting: Awaiting | undefined;
  private lastWritten: Buffer | undefined;
  private lastWrittenAt = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private linkDetail = 'bus not started';

  constructor(
    readonly transport: Transport,
    options: Rs485BusOptions = {},
  ) {
    super();
    this.profile = options.profile ?? HALL_DEFAULT_PROFILE;
    this.opts = {
      pollMs: options.pollMs ?? 200,
      keepAliveMs: options.keepAliveMs ?? 3000,
      offlinePollMs: options.offlinePollMs ?? 1000,
      poll: options.poll ?? true,
      offlineAfterMisses: Math.max(1, options.offlineAfterMisses ?? 3),
      reopenMs: options.reopenMs === undefined ? 1000 : options.reopenMs,
    };
    this.parser = new FrameParser(this.profile);
    this.parser.on('frame', (f) => this.onFrame(f));
    this.parser.on('frame-error', (e) => this.emit('frame-error', e));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Addresses with a device object attached. */
  get addresses(): number[] {
    return [...this.endpoints.keys()];
  }

  healthOf(address: number): DeviceHealth {
    return this.states.get(address)?.health ?? { status: 'offline', detail: `no device attached at address ${address}` };
  }

  /** Adds a device object. Throws when the address is taken (a config error). */
  attach(endpoint: BusEndpoint): void {
    const other = this.endpoints.get(endpoint.address);
    if (other && other !== endpoint) throw new Error(`address ${endpoint.address} is already used by ${other.label}`);
    this.endpoints.set(endpoint.address, endpoint);
    const open = this.transport.isOpen && this.running;
    this.states.set(endpoint.address, {
      health: this.initialHealth(open),
      misses: 0,
      lastSeen: null,
      nextPollAt: Date.now(),
    });
    endpoint.onHealth(this.healthOf(endpoint.address));
    // Without acks an open link is all we know: the device counts as there and gets its state now.
    if (open && !this.profile.ack) endpoint.restore();
    if (open) this.pump();
  }

  detach(endpoint: BusEndpoint): void {
    if (this.endpoints.get(endpoint.address) !== endpoint) return;
    this.endpoints.delete(endpoint.address);
    this.states.delete(endpoint.address);
  }

  /** Opens the transport (idempotent). Never rejects: a missing port makes every device offline. */
  start(): Promise<void> {
    if (this.running) return this.starting ?? Promise.resolve();
    this.running = true;
    this.transport.on('open', this.onOpen);
    this.transport.on('close', this.onClose);
    this.transport.on('data', this.onData);
    this.starting = (this.transport.isOpen ? Promise.resolve(this.onOpen()) : this.tryOpen()).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops polling, fails what is queued and closes the transport. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.pollTimer);
    clearTimeout(this.reopenTimer);
    this.transport.off('open', this.onOpen);
    this.transport.off('close', this.onClose);
    this.transport.off('data', this.onData);
    this.awaiting?.settle('closed');
    this.failQueued('stopped');
    this.setAll({ status: 'offline', detail: 'bus stopped' });
    await this.transport.close().catch(() => undefined);
  }

  /**
   * Sends one command and waits for its ack. Resolves `delivered: true` when acked (or written,
   * on a profile without acks); never rejects. A device that is offline gets one attempt, not
   * the profile's retries, so it does not hold up the rest of the bus.
   */
  send(address: number, func: number | null, payload: Uint8Array = new Uint8Array()): Promise<SendResult> {
    return new Promise((resolve) => {
      if (func === null) return resolve({ delivered: false, reason: 'unsupported' });
      if (!this.running) return resolve({ delivered: false, reason: 'stopped' });
      if (!this.transport.isOpen) return resolve({ delivered: false, reason: 'closed' });
      this.queue.push({ address, func, payload, kind: 'command', resolve });
      this.pump();
    });
  }

  private initialHealth(open: boolean): DeviceHealth {
    if (!open) return { status: 'offline', detail: this.linkDetail };
    if (!this.profile.ack) return { status: 'online', detail: null };
    return { status: 'offline', detail: 'waiting for the first answer' };
  }

  private readonly onData = (chunk: Buffer): void => {
    this.parser.push(chunk);
  };

  private readonly onOpen = (): void => {
    if (!this.running) return;
    clearTimeout(this.reopenTimer);
    this.parser.reset();
    this.linkDetail = 'link open';
    const now = Date.now();
    for (const [address, st] of this.states) {
      st.misses = 0;
      st.nextPollAt = now;
      // Without acks nothing can prove a device is there: an open link is the best we know.
      if (!this.profile.ack) this.setHealth(address, { status: 'online', detail: null });
      else this.setHealth(address, { status: 'offline', detail: 'link open, waiting for the first answer' });
    }
    // With acks, each device gets its state back when it first answers (setHealth → restore).
    this.pump();
  };

  private readonly onClose = (error?: Error): void => {
    if (!this.running) return;
    this.linkDetail = `link closed${error ? `: ${error.message}` : ''} (${this.transport.description})`;
    this.awaiting?.settle('closed');
    this.failQueued('closed');
    this.parser.reset();
    this.setAll({ status: 'offline', detail: this.linkDetail });
    this.scheduleReopen();
  };

  private async tryOpen(): Promise<void> {
    try {
      await this.transport.open();
    } catch (err) {
      this.linkDetail = (err as Error).message;
      this.setAll({ status: 'offline', detail: this.linkDetail });
      this.scheduleReopen();
    }
  }

  private scheduleReopen(): void {
    const ms = this.opts.reopenMs;
    if (ms === null || !this.running) return;
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => {
      if (this.running && !this.transport.isOpen) void this.tryOpen();
    }, ms);
    this.reopenTimer.unref();
  }

  private failQueued(reason: 'closed' | 'stopped'): void {
    for (const job of [...this.urgent.splice(0), ...this.queue.splice(0)]) job.resolve({ delivered: false, reason });
  }

  private setAll(health: DeviceHealth): void {
    for (const address of this.states.keys()) this.setHealth(address, health);
  }

  private setHealth(address: number, health: DeviceHealth): void {
    const st = this.states.get(address);
    if (!st) return;
    if (st.health.status === health.status && st.health.detail === health.detail) return;
    const cameBack = st.health.status !== 'online' && health.status === 'online';
    st.health = health;
    const ep = this.endpoints.get(address);
    ep?.onHealth(health);
    this.emit('health', address, health);
    // Back after a replug, a power cut or a silence: it may have lost what it showed.
    if (cameBack && ep) ep.restore();
  }

  private seen(address: number): void {
    const st = this.states.get(address);
    if (!st) return;
    st.misses = 0;
    st.lastSeen = Date.now();
    this.setHealth(address, { status: 'online', detail: null });
  }

  private miss(address: number): void {
    const st = this.states.get(address);
    if (!st) return;
    st.misses++;
    if (st.misses >= this.opts.offlineAfterMisses)
      this.setHealth(address, { status: 'offline', detail: `no answer from address ${address} (${st.misses} tries)` });
  }

  /** Missed enough in a row to count as gone (not merely not heard from yet). */
  private givenUp(address: number): boolean {
    const st = this.states.get(address);
    return !!st && st.misses >= this.opts.offlineAfterMisses;
  }

  private isOffline(address: number): boolean {
    return this.states.get(address)?.health.status !== 'online';
  }

  private onFrame(frame: Frame): void {
    if (this.isOwnEcho(frame)) return;
    const ep = this.endpoints.get(frame.address);
    if (!ep) {
      this.emit('warning', `frame from unknown address ${frame.address} (function 0x${frame.func.toString(16)})`);
      return;
    }
    this.seen(frame.address);
    const aw = this.awaiting;
    const ack = this.profile.ack;
    if (ack && frame.func === ack.func) {
      if (aw && aw.address === frame.address && (frame.data.length === 0 || frame.data[0] === aw.func)) aw.settle('answered');
      return;
    }
    if (aw?.poll && aw.address === frame.address) aw.settle('answered');
    let reply: Buffer | null = null;
    try {
      reply = ep.onFrame(frame);
    } catch (err) {
      this.emit('warning', `${ep.label}: ${(err as Error).message}`);
    }
    if (!reply) return;
    if (this.profile.eventAck === 'echo') {
      this.urgent.push({ address: frame.address, func: frame.func, payload: frame.data, raw: frame.raw, kind: 'ack', resolve: () => undefined });
      this.pump();
    } else if (ack) {
      this.urgent.push({ address: frame.address, func: ack.func, payload: reply, kind: 'ack', resolve: () => undefined });
      this.pump();
    }
  }

  /**
   * Half-duplex adapters hear their own transmission. On an echo profile the host's echo of a
   * key equals the key frame itself, and a keypad that missed our echo resends that very frame:
   * there only a copy arriving right after our write is ours, a later one is the device's.
   */
  private isOwnEcho(frame: Frame): boolean {
    if (!this.lastWritten || !frame.raw.equals(this.lastWritten)) return false;
    if (this.profile.eventAck !== 'echo') return true;
    return Date.now() - this.lastWrittenAt <= OWN_ECHO_WINDOW_MS;
  }

  private pump(): void {
    if (this.busy || !this.running || !this.transport.isOpen) return;
    const job = this.urgent.shift() ?? this.queue.shift() ?? this.duePoll();
    if (!job) return this.schedulePoll();
    this.busy = true;
    void this.run(job).finally(() => {
      this.busy = false;
      this.pump();
    });
  }

  private pollPeriod(address: number): number {
    const ep = this.endpoints.get(address);
    if (this.isOffline(address)) return Math.min(this.opts.offlinePollMs, this.opts.keepAliveMs);
    return ep?.hasEvents ? this.opts.pollMs : this.opts.keepAliveMs;
  }

  private duePoll(): Job | undefined {
    const func = this.profile.functions.poll;
    if (!this.opts.poll || !this.profile.ack || func === null) return undefined;
    const now = Date.now();
    let best: [number, AddressState] | undefined;
    for (const entry of this.states) if (entry[1].nextPollAt <= now && (!best || entry[1].nextPollAt < best[1].nextPollAt)) best = entry;
    if (!best) return undefined;
    const [address, st] = best;
    st.nextPollAt = now + this.pollPeriod(address);
    return { address, func, payload: new Uint8Array(), kind: 'poll', resolve: () => undefined };
  }

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    if (!this.opts.poll || !this.profile.ack || this.profile.functions.poll === null || this.states.size === 0) return;
    let next = Infinity;
    for (const st of this.states.values()) next = Math.min(next, st.nextPollAt);
    this.pollTimer = setTimeout(() => this.pump(), Math.max(0, next - Date.now()));
    this.pollTimer.unref();
  }

  private async run(job: Job): Promise<void> {
    let frame: Buffer;
    try {
      frame = job.raw ?? encodeFrame(this.profile, job);
    } catch (err) {
      this.emit('warning', `cannot encode for address ${job.address}: ${(err as Error).message}`);
      return job.resolve({ delivered: false, reason: 'closed' });
    }
    const ack = job.kind === 'ack' ? null : this.profile.ack;
    const attempts = ack && job.kind === 'command' && !this.givenUp(job.address) ? 1 + ack.retries : 1;
    for (let i = 0; i < attempts; i++) {
      if (!this.running) return job.resolve({ delivered: false, reason: 'stopped' });
      let settle: (o: Outcome) => void = () => undefined;
      const outcome = ack
        ? new Promise<Outcome>((resolve) => {
            settle = resolve;
          })
        : undefined;
      if (ack) this.awaiting = { address: job.address, func: job.func, poll: job.kind === 'poll', settle };
      try {
        this.lastWritten = frame;
        await this.transport.write(frame);
        this.lastWrittenAt = Date.now();
      } catch {
        this.awaiting = undefined;
        return job.resolve({ delivered: false, reason: this.running ? 'closed' : 'stopped' });
      }
      if (!ack || !outcome) return job.resolve({ delivered: true });
      const timer = setTimeout(() => settle('timeout'), ack.timeoutMs);
      const result = await outcome;
      clearTimeout(timer);
      this.awaiting = undefined;
      if (result === 'answered') return job.resolve({ delivered: true });
      if (result === 'closed') return job.resolve({ delivered: false, reason: this.running ? 'closed' : 'stopped' });
      // Counted per attempt; the request still gets the retries it started with.
      this.miss(job.address);
    }
    job.resolve({ delivered: false, reason: 'timeout' });
  }
}
