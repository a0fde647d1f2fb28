/**
 * Device-side models of the RS-485 devices, for tests and the demo hall. Each keeps what a real
 * one would show, answers per the profile, and has test controls (`press`). They are driven by
 * a `SimulatedRs485Bus`, which does the framing.
 */
import { EventEmitter } from 'node:events';
import { ackPayload, eventPayload, nextSeq, parseRatingStart, parseShowText, type RatingScore } from './command-set';
import { decodeText } from './device-text';
import type { Frame } from './frame-codec';
import type { FrameProfile, KeypadKeyName } from './frame-profile';

export interface SimReply {
  func: number;
  data: Buffer;
}

/** What a simulated device needs from its bus. */
export interface SimulatedLine {
  readonly profile: FrameProfile;
  /** Sends an unsolicited frame now (push-mode devices, profiles without acks). */
  push(address: number, reply: SimReply): void;
  readonly pushEvents: boolean;
}

export interface SimulatedDeviceEvents {
  /** The device's visible state changed (text shown, rating started…). */
  changed: [];
}

export abstract class SimulatedBusDevice extends EventEmitter<SimulatedDeviceEvents> {
  abstract readonly kind: string;
  /** Commands the device took since it started (a count, not a list: a demo hall runs for months). */
  commandsTaken = 0;
  private line: SimulatedLine | undefined;
  /** Events not yet acked by the host; resent on every poll. */
  private pending: Array<{ func: number; value: number; seq: number }> = [];
  private seq = 0;

  constructor(readonly address: number) {
    super();
  }

  /** Called by the bus it is added to. */
  connect(line: SimulatedLine): void {
    this.line = line;
  }

  protected get profile(): FrameProfile {
    if (!this.line) throw new Error(`simulated ${this.kind}@${this.address} is not on a bus`);
    return this.line.profile;
  }

  /** Events waiting for the host to collect them. */
  get pendingEvents(): number {
    return this.pending.length;
  }

  /** Answers a frame addressed to this device; null = stay silent. */
  handle(frame: Frame): SimReply | null {
    const p = this.profile;
    const head = this.pending[0];
    // An echo profile confirms an event by sending the device's own frame back.
    if (p.eventAck === 'echo' && head && frame.func === head.func && frame.data.equals(this.eventData(head.value, head.seq))) {
      this.pending.shift();
      return null;
    }
    if (p.ack && frame.func === p.ack.func) {
      const head = this.pending[0];
      if (head && frame.data[0] === head.func && (frame.data.length < 2 || frame.data[1] === head.seq)) this.pending.shift();
      return null;
    }
    if (frame.func === p.functions.poll) {
      const head = this.pending[0];
      if (head) return { func: head.func, data: this.eventData(head.value, head.seq) };
      return p.ack ? { func: p.ack.func, data: ackPayload(frame.func) } : null;
    }
    if (!this.command(frame.func, frame.data)) return null;
    this.commandsTaken++;
    this.emit('changed');
    return p.ack ? { func: p.ack.func, data: ackPayload(frame.func) } : null;
  }

  /** Carries out a host command; false when this kind of device does not know it. */
  protected abstract command(func: number, data: Buffer): boolean;

  /** Power loss: the display goes blank, unsent events are lost. */
  powerOff(): void {
    this.pending = [];
    this.seq = 0;
    this.blank();
    this.emit('changed');
  }

  protected abstract blank(): void;

  protected queueEvent(func: number | null, value: number): void {
    const line = this.line;
    if (!line) throw new Error(`simulated ${this.kind}@${this.address} is not on a bus`);
    if (func === null) throw new Error(`profile ${line.profile.name} has no function code for this event`);
    this.seq = nextSeq(this.seq);
    const ev = { func, value, seq: this.seq };
    const confirmed = line.profile.ack !== null || line.profile.eventAck === 'echo';
    // Unless the host confirms events, nobody would ever take it off the queue: send once and forget.
    if (confirmed) this.pending.push(ev);
    if (line.pushEvents || !line.profile.ack) line.push(this.address, { func, data: this.eventData(value, ev.seq) });
  }

  /** Test control: sends the oldest unconfirmed event again (a device that missed the echo). */
  resendPending(): void {
    const head = this.pending[0];
    if (head) this.line?.push(this.address, { func: head.func, data: this.eventData(head.value, head.seq) });
  }

  private eventData(value: number, seq: number): Buffer {
    return this.profile.eventSeq === false ? Buffer.from([value & 0xff]) : eventPayload(value, seq);
  }
}

export class SimulatedLedBoard extends SimulatedBusDevice {
  readonly kind = 'led-board';
  lines: string[];
  brightness = 15;

  constructor(
    address: number,
    readonly lineCount = 2,
  ) {
    super(address);
    this.lines = Array.from({ length: lineCount }, () => '');
  }

  protected command(func: number, data: Buffer): boolean {
    const f = this.profile.functions;
    if (func === f.showText) {
      const cmd = parseShowText(this.profile, data);
      if (!cmd) return false;
      if (cmd.line >= 1 && cmd.line <= this.lineCount) this.lines[cmd.line - 1] = cmd.text;
      return true;
    }
    if (func === f.clear) {
      this.blank();
      return true;
    }
    if (func === f.brightness && data.length >= 1) {
      this.brightness = data[0] as number;
      return true;
    }
    return false;
  }

  protected blank(): void {
    this.lines = this.lines.map(() => '');
  }
}

export class SimulatedHallLedBar extends SimulatedBusDevice {
  readonly kind = 'hall-led-bar';
  text = '';

  protected command(func: number, data: Buffer): boolean {
    if (func !== this.profile.functions.scrollText) return false;
    this.text = decodeText(data, this.profile.encoding);
    return true;
  }

  protected blank(): void {
    this.text = '';
  }
}

export class SimulatedCallerKeypad extends SimulatedBusDevice {
  readonly kind = 'caller-keypad';
  /** The keypad's screen. */
  text = '';

  /** Test control: the clerk presses a key. */
  press(key: KeypadKeyName): void {
    const code = this.profile.keyCodes[key];
    if (code === undefined) throw new Error(`profile ${this.profile.name} has no key ${key}`);
    this.pressCode(code);
  }

  /** Test control: a raw key code (e.g. one the profile does not know). */
  pressCode(code: number): void {
    this.queueEvent(this.profile.functions.keyEvent, code);
  }

  protected command(func: number, data: Buffer): boolean {
    if (func !== this.profile.functions.keypadDisplay) return false;
    this.text = decodeText(data, this.profile.encoding);
    return true;
  }

  protected blank(): void {
    this.text = '';
  }
}

export class SimulatedEvaluator extends SimulatedBusDevice {
  readonly kind = 'evaluator';
  state: 'idle' | 'rating' = 'idle';
  clerkName = '';
  staffNo = '';

  /** Test control: the citizen presses a rating key. Keys are dead (false) unless a rating was asked for. */
  press(score: RatingScore): boolean {
    if (this.state !== 'rating') return false;
    this.state = 'idle';
    this.emit('changed');
    this.queueEvent(this.profile.functions.ratingResult, score);
    return true;
  }

  protected command(func: number, data: Buffer): boolean {
    const f = this.profile.functions;
    if (func === f.ratingStart) {
      const { clerkName, staffNo } = parseRatingStart(this.profile, data);
      Object.assign(this, { state: 'rating', clerkName, staffNo });
      return true;
    }
    if (func === f.ratingCancel) {
      this.state = 'idle';
      return true;
    }
    return false;
  }

  protected blank(): void {
    this.state = 'idle';
    this.clerkName = '';
    this.staffNo = '';
  }
}
