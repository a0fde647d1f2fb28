/**
 * A barcode / QR scanner in HID keyboard mode, read through a `HidTransport` (report size 8,
 * no report id) rather than typing into the focused window.
 */
import type { Transport } from '../transport/transport';
import { HidKeyboardDecoder, KEYBOARD_REPORT_SIZE, type HidKeyboardOptions } from './hid-keyboard';
import type { ScanEvent } from './scan-line-decoder';
import { TransportScanner } from './transport-scanner';

export type HidScannerOptions = Partial<HidKeyboardOptions>;

export class HidScanner extends TransportScanner {
  private readonly decoder: HidKeyboardDecoder;
  private partial: Buffer = Buffer.alloc(0);

  constructor(transport: Transport, options: HidScannerOptions = {}) {
    super(transport);
    this.decoder = new HidKeyboardDecoder(options);
  }

  get options(): HidKeyboardOptions {
    return this.decoder.options;
  }

  /** A chunk is normally one report; a link that coalesces reports is cut back into eights. */
  protected decode(chunk: Buffer): ScanEvent[] {
    const bytes = this.partial.length ? Buffer.concat([this.partial, chunk]) : chunk;
    const events: ScanEvent[] = [];
    let at = 0;
    for (; at + KEYBOARD_REPORT_SIZE <= bytes.length; at += KEYBOARD_REPORT_SIZE) {
      events.push(...this.decoder.push(bytes.subarray(at, at + KEYBOARD_REPORT_SIZE)));
    }
    this.partial = Buffer.from(bytes.subarray(at));
    return events;
  }

  protected resetDecoder(): void {
    this.partial = Buffer.alloc(0);
    this.decoder.reset();
  }
}
