/** Hall LED bar (通屏): one line of scrolling text across the hall. */
import type { DeviceDriver } from '../device';
import { BusDevice, combine, type DisplayResult } from './bus-device';
import { textPayload } from './command-set';

export class HallLedBar extends BusDevice implements DeviceDriver {
  readonly kind: string = 'hall-led-bar';
  readonly hasEvents = false;
  private text: string | null = null;

  get shown(): string {
    return this.text ?? '';
  }

  scroll(text: string): Promise<DisplayResult> {
    this.text = text;
    return this.sendText(text);
  }

  restore(): void {
    if (this.text !== null) void this.sendText(this.text);
  }

  private async sendText(text: string): Promise<DisplayResult> {
    const p = textPayload(this.profile, text);
    return combine([await this.send(this.profile.functions.scrollText, p.payload)], p);
  }
}
