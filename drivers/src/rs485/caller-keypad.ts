/** Caller keypad (呼叫器): the clerk's keys, and a small screen with the current number and the waiting count. */
import type { DeviceDriver, DeviceDriverEvents } from '../device';
import { BusDevice, combine, type DisplayResult } from './bus-device';
import { ackPayload, keyFromCode, parseEvent, textPayload } from './command-set';
import type { Frame } from './frame-codec';
import { KEYPAD_KEYS, type KeypadKey } from './frame-profile';

export interface CallerKeypadEvents extends DeviceDriverEvents {
  /**
   * A counter-action key. `digits`: the number the clerk typed before it ('' when none), e.g.
   * `12` + call-next = call ticket 12, `2` + transfer = transfer to the second service.
   */
  key: [key: KeypadKey, digits: string];
  /** The evaluate key (评价): ask the citizen at this counter to rate the service now. */
  evaluate: [];
  /** The digits typed so far changed (a digit key, `clear`, or taken by a key). */
  digits: [digits: string];
}

/** Longest number a clerk types on the keypad (ticket numbers are 3–4 digits). */
const MAX_DIGITS = 6;

export class CallerKeypad extends BusDevice<CallerKeypadEvents> implements DeviceDriver {
  readonly kind: string = 'caller-keypad';
  readonly hasEvents = true;
  private text: string | null = null;
  private typed = '';

  /** Digits typed and not yet used by a key. */
  get digits(): string {
    return this.typed;
  }

  /** What the keypad screen should show. */
  get shown(): string {
    return this.text ?? '';
  }

  /** Text for the keypad's screen, e.g. 「A001 等候12人」. */
  display(text: string): Promise<DisplayResult> {
    this.text = text;
    return this.sendText(text);
  }

  restore(): void {
    if (this.text !== null) void this.sendText(this.text);
  }

  override onFrame(frame: Frame): Buffer | null {
    if (frame.func !== this.profile.functions.keyEvent && !this.profile.keysAnyFunction) {
      this.warn(`unexpected function 0x${frame.func.toString(16)}`);
      return null;
    }
    if (this.profile.eventSeq === false) {
      // No sequence byte: the data is keys in the order pressed, e.g. [01, 02, 0C] = 1, 2, call.
      if (frame.data.length === 0) return null;
      for (const code of frame.data) this.onKey(code);
      return ackPayload(frame.func);
    }
    const ev = parseEvent(frame.data);
    if (!ev) return null;
    if (!this.isRepeat(ev.seq)) this.onKey(ev.value);
    return ackPayload(frame.func, ev.seq);
  }

  private onKey(code: number): void {
    const key = keyFromCode(this.profile, code);
    if (!key) return this.warn(`unknown key code 0x${code.toString(16)}`);
    if (key.startsWith('digit-')) return this.setDigits((this.typed + key.slice(6)).slice(-MAX_DIGITS));
    if (key === 'clear') return this.setDigits('');
    if (key === 'evaluate') return void this.emit('evaluate');
    if ((KEYPAD_KEYS as readonly string[]).includes(key)) {
      const digits = this.typed;
      this.setDigits('');
      this.emit('key', key as KeypadKey, digits);
    }
  }

  private setDigits(digits: string): void {
    if (digits === this.typed) return;
    this.typed = digits;
    this.emit('digits', digits);
  }

  private async sendText(text: string): Promise<DisplayResult> {
    const p = textPayload(this.profile, text);
    return combine([await this.send(this.profile.functions.keypadDisplay, p.payload)], p);
  }
}
