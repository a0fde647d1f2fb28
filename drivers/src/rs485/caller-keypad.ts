/** Caller keypad (呼叫器): the clerk's keys, and a small screen with the current number and the waiting count. */
import type { DeviceDriver, DeviceDriverEvents } from '../device';
import { BusDevice, combine, type DisplayResult } from './bus-device';
import { ackPayload, keyFromCode, parseEvent, textPayload } from './command-set';
import type { Frame } from './frame-codec';
import type { KeypadKey } from './frame-profile';

export interface CallerKeypadEvents extends DeviceDriverEvents {
  key: [key: KeypadKey];
}

export class CallerKeypad extends BusDevice<CallerKeypadEvents> implements DeviceDriver {
  readonly kind: string = 'caller-keypad';
  readonly hasEvents = true;
  private text: string | null = null;

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
    if (frame.func !== this.profile.functions.keyEvent) {
      this.warn(`unexpected function 0x${frame.func.toString(16)}`);
      return null;
    }
    const ev = parseEvent(frame.data);
    if (!ev) return null;
    if (!this.isRepeat(ev.seq)) {
      const key = keyFromCode(this.profile, ev.value);
      if (key) this.emit('key', key);
      else this.warn(`unknown key code 0x${ev.value.toString(16)}`);
    }
    return ackPayload(frame.func, ev.seq);
  }

  private async sendText(text: string): Promise<DisplayResult> {
    const p = textPayload(this.profile, text);
    return combine([await this.send(this.profile.functions.keypadDisplay, p.payload)], p);
  }
}
