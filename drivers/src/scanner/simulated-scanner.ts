/**
 * The DEVICE side of a scanner, for tests and the demo hall: sits on the device end of a link
 * and "scans" codes on demand, as a serial line (text + suffix) or as HID keyboard reports.
 */
import iconv from 'iconv-lite';
import type { Transport } from '../transport/transport';
import { encodeKeyboardReports } from './hid-keyboard';
import type { ScanEncoding } from './scan-line-decoder';

export interface SimulatedScannerOptions {
  /** `serial`: bytes + suffix (USB-COM mode); `hid-keyboard`: 8-byte boot keyboard reports. */
  mode: 'serial' | 'hid-keyboard';
  /** Serial mode: what ends each scan. */
  suffix: '\r' | '\n' | '\r\n';
  /** Serial mode: how non-ASCII text is sent. */
  encoding: ScanEncoding;
}

export class SimulatedScanner {
  readonly options: SimulatedScannerOptions;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly transport: Transport,
    options: Partial<SimulatedScannerOptions> = {},
  ) {
    this.options = { mode: 'serial', suffix: '\r\n', encoding: 'utf8', ...options };
  }

  async start(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
  }

  async stop(): Promise<void> {
    await this.transport.close();
  }

  /** The bytes one scan of `text` puts on the line. */
  encode(text: string): Buffer {
    if (this.options.mode === 'hid-keyboard') return Buffer.concat(encodeKeyboardReports(text, 'enter'));
    const body = this.options.encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030');
    return Buffer.concat([body, Buffer.from(this.options.suffix, 'latin1')]);
  }

  /** Scans a code: writes it (with its suffix or Enter) to the host. */
  scan(text: string): Promise<void> {
    return this.sendRaw(this.encode(text));
  }

  /** Writes raw bytes (or raw reports) to the host, in order with scans. */
  sendRaw(bytes: Uint8Array): Promise<void> {
    this.queue = this.queue.then(() => (this.transport.isOpen ? this.transport.write(bytes).catch(() => undefined) : undefined));
    return this.queue;
  }
}
