/**
 * The device side of an RS-485 line: several simulated devices by address on one transport end
 * (a memory link's device end, or the other pty of a socat pair), speaking the profile byte for
 * byte. Cheap enough for the demo hall; test controls for the contract suites.
 */
import { EventEmitter } from 'node:events';
import { createMemoryLink, MemoryTransport } from '../transport/memory-transport';
import type { Transport } from '../transport/transport';
import { encodeFrame, FrameParser, type Frame, type FrameError } from './frame-codec';
import { fieldSize, HALL_DEFAULT_PROFILE, type FrameProfile } from './frame-profile';
import {
  SimulatedCallerKeypad,
  SimulatedEvaluator,
  SimulatedHallLedBar,
  SimulatedLedBoard,
  type SimulatedBusDevice,
  type SimReply,
  type SimulatedLine,
} from './simulated-devices';

export interface SimulatedRs485BusOptions {
  profile?: FrameProfile;
  /** Devices send events the moment a key is pressed, not only when polled. Default false. */
  push?: boolean;
}

export interface SimulatedRs485BusEvents {
  /** Every valid frame heard from the host (for any address). */
  frame: [frame: Frame];
  /** Every frame a simulated device sent (before any `corruptNext`). */
  sent: [address: number, reply: SimReply];
  'frame-error': [error: FrameError];
}

export class SimulatedRs485Bus extends EventEmitter<SimulatedRs485BusEvents> implements SimulatedLine {
  readonly profile: FrameProfile;
  readonly pushEvents: boolean;
  readonly devices = new Map<number, SimulatedBusDevice>();
  private readonly parser: FrameParser;
  private readonly silenced = new Set<number>();
  private corruptions = 0;
  private readonly ignoring: Array<(frame: Frame) => boolean> = [];

  constructor(
    readonly transport: Transport,
    options: SimulatedRs485BusOptions = {},
  ) {
    super();
    this.profile = options.profile ?? HALL_DEFAULT_PROFILE;
    this.pushEvents = options.push ?? false;
    this.parser = new FrameParser(this.profile);
    this.parser.on('frame', (f) => this.onFrame(f));
    this.parser.on('frame-error', (e) => this.emit('frame-error', e));
    transport.on('data', (chunk) => this.parser.push(chunk));
    transport.on('open', () => this.parser.reset());
  }

  /** Opens the device end if it is not open yet. */
  async start(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
  }

  async stop(): Promise<void> {
    await this.transport.close();
  }

  add<D extends SimulatedBusDevice>(device: D): D {
    if (this.devices.has(device.address)) throw new Error(`simulated address ${device.address} is taken`);
    device.connect(this);
    this.devices.set(device.address, device);
    return device;
  }

  addBoard(address: number, lineCount = 2): SimulatedLedBoard {
    return this.add(new SimulatedLedBoard(address, lineCount));
  }

  addHallBar(address: number): SimulatedHallLedBar {
    return this.add(new SimulatedHallLedBar(address));
  }

  addKeypad(address: number): SimulatedCallerKeypad {
    return this.add(new SimulatedCallerKeypad(address));
  }

  addEvaluator(address: number): SimulatedEvaluator {
    return this.add(new SimulatedEvaluator(address));
  }

  /** Test control: the device at `address` stops answering (or, with false, answers again). */
  silence(address: number, silent = true): void {
    if (silent) this.silenced.add(address);
    else this.silenced.delete(address);
  }

  /**
   * Test control: the next `count` frames from the host (that `match`, if given) are lost on
   * the way; no device hears them.
   */
  ignoreNext(count = 1, match: (frame: Frame) => boolean = () => true): void {
    for (let i = 0; i < count; i++) this.ignoring.push(match);
  }

  /** Test control: the next frame a device sends goes out with a broken checksum. */
  corruptNext(count = 1): void {
    this.corruptions += count;
  }

  /**
   * Test control: the cable is pulled and the devices lose power (blank displays). On a memory
   * link both ends see `close`; on another transport only this end closes (the test pulls the
   * rest, e.g. kills socat).
   */
  async unplug(): Promise<void> {
    if (this.transport instanceof MemoryTransport) this.transport.unplug();
    else await this.transport.close();
    for (const d of this.devices.values()) d.powerOff();
  }

  /** Test control: the cable is back; this end opens again (the host's bus re-opens its own end). */
  async replug(): Promise<void> {
    if (this.transport instanceof MemoryTransport) this.transport.replug();
    await this.transport.open();
  }

  /** SimulatedLine: a device sends on its own. */
  push(address: number, reply: SimReply): void {
    if (this.silenced.has(address)) return;
    this.write(address, reply);
  }

  private onFrame(frame: Frame): void {
    const lose = this.ignoring[0];
    if (lose?.(frame)) {
      this.ignoring.shift();
      return;
    }
    this.emit('frame', frame);
    const device = this.devices.get(frame.address);
    if (!device || this.silenced.has(frame.address)) return;
    const reply = device.handle(frame);
    if (reply) this.write(frame.address, reply);
  }

  private write(address: number, reply: SimReply): void {
    if (!this.transport.isOpen) return;
    const bytes = encodeFrame(this.profile, { address, func: reply.func, payload: reply.data });
    this.emit('sent', address, reply);
    if (this.corruptions > 0) {
      this.corruptions--;
      corrupt(this.profile, bytes);
    }
    this.transport.write(bytes).catch(() => undefined);
  }
}

/** Flips the checksum (or, without one, the last byte). */
function corrupt(profile: FrameProfile, bytes: Buffer): void {
  const at = profile.layout.findIndex((f) => f.field === 'checksum' && f.kind !== 'none');
  const afterChecksum = at < 0 ? 0 : profile.layout.slice(at + 1).reduce((n, f) => n + fieldSize(f), 0) + 1;
  const i = bytes.length - Math.max(1, afterChecksum);
  bytes[i] = (bytes[i] as number) ^ 0xff;
}

/**
 * A memory link with a started simulated bus on its device end. Give `host` to an `Rs485Bus`;
 * add simulated devices to `sim`. What the demo hall uses.
 */
export async function createSimulatedRs485Link(
  options: SimulatedRs485BusOptions & { name?: string } = {},
): Promise<{ host: MemoryTransport; sim: SimulatedRs485Bus }> {
  const { host, device } = createMemoryLink(options.name ?? 'rs485');
  const sim = new SimulatedRs485Bus(device, options);
  await sim.start();
  return { host, sim };
}
