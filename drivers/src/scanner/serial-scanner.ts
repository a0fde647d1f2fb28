/** A barcode / QR scanner in USB-COM (virtual serial port) mode: one line per scan. */
import type { Transport } from '../transport/transport';
import { ScanLineDecoder, type ScanEvent, type ScanLineOptions } from './scan-line-decoder';
import { TransportScanner } from './transport-scanner';

export type SerialScannerOptions = Partial<ScanLineOptions>;

export class SerialScanner extends TransportScanner {
  private readonly decoder: ScanLineDecoder;

  constructor(transport: Transport, options: SerialScannerOptions = {}) {
    super(transport);
    this.decoder = new ScanLineDecoder(options);
  }

  get options(): ScanLineOptions {
    return this.decoder.options;
  }

  protected decode(chunk: Buffer): ScanEvent[] {
    return this.decoder.push(chunk);
  }

  protected resetDecoder(): void {
    this.decoder.reset();
  }
}
