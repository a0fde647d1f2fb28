/**
 * Serial (USB-COM mode) barcode / QR scanners send each code as one line: the code's bytes, then
 * a suffix (CR, LF or CR LF, set on the scanner). Pure, incremental, never throws.
 */
import iconv from 'iconv-lite';

export type ScanSuffix = 'CR' | 'LF' | 'CRLF' | 'any';

/** How the scanner encodes non-ASCII content (set on the scanner; most ship with UTF-8). */
export type ScanEncoding = 'utf8' | 'gb18030';

export type ScanErrorCode =
  /** Longer than `maxLength` before its suffix: dropped whole. */
  | 'SCAN.TOO_LONG'
  /** Control characters, or bytes that are not text in the configured encoding: dropped. */
  | 'SCAN.NON_PRINTABLE'
  /** A HID report too short to be a keyboard report. */
  | 'SCAN.BAD_REPORT';

/** Never carries the scanned content. */
export interface ScanError {
  code: ScanErrorCode;
  message: string;
  /** Length of the rejected scan, in bytes or keys. */
  length?: number;
}

export type ScanEvent = { type: 'scan'; text: string } | { type: 'error'; error: ScanError };

export interface ScanLineOptions {
  /** Which bytes end a scan. `any`: CR, LF or CR LF (empty lines are skipped). */
  suffix: ScanSuffix;
  /** Longest scan accepted, in bytes (a version-40 QR code holds 2953). */
  maxLength: number;
  encoding: ScanEncoding;
}

export const DEFAULT_SCAN_LINE_OPTIONS: Readonly<ScanLineOptions> = Object.freeze({
  suffix: 'any',
  maxLength: 4096,
  encoding: 'utf8',
});

const CR = 0x0d;
const LF = 0x0a;

/** C0 and C1 controls, DEL, and the replacement character left by undecodable bytes. */
const NON_PRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

/** Turns a finished scan into an event (shared with the HID keyboard decoder). */
export function finishScan(text: string, length: number, overflow: boolean, maxLength: number): ScanEvent | null {
  if (overflow) {
    return { type: 'error', error: { code: 'SCAN.TOO_LONG', message: `scan longer than ${maxLength}`, length } };
  }
  if (length === 0) return null;
  if (NON_PRINTABLE.test(text)) {
    return { type: 'error', error: { code: 'SCAN.NON_PRINTABLE', message: 'scan contains non-printable characters', length } };
  }
  return { type: 'scan', text };
}

export class ScanLineDecoder {
  readonly options: ScanLineOptions;
  private line: number[] = [];
  private length = 0;
  private overflow = false;
  private pendingCr = false;

  constructor(options: Partial<ScanLineOptions> = {}) {
    this.options = { ...DEFAULT_SCAN_LINE_OPTIONS, ...options };
  }

  /** Drops a half line (link reopened). */
  reset(): void {
    this.line = [];
    this.length = 0;
    this.overflow = false;
    this.pendingCr = false;
  }

  push(chunk: Uint8Array): ScanEvent[] {
    const events: ScanEvent[] = [];
    const { suffix } = this.options;
    for (const byte of chunk) {
      if (suffix === 'CRLF') {
        if (this.pendingCr) {
          this.pendingCr = false;
          if (byte === LF) {
            this.end(events);
            continue;
          }
          this.add(CR);
        }
        if (byte === CR) {
          this.pendingCr = true;
          continue;
        }
        this.add(byte);
      } else if ((suffix === 'CR' && byte === CR) || (suffix === 'LF' && byte === LF) || (suffix === 'any' && (byte === CR || byte === LF))) {
        this.end(events);
      } else {
        this.add(byte);
      }
    }
    return events;
  }

  private add(byte: number): void {
    this.length++;
    if (this.length > this.options.maxLength) {
      this.overflow = true;
      this.line = [];
      return;
    }
    this.line.push(byte);
  }

  private end(events: ScanEvent[]): void {
    const bytes = Buffer.from(this.line);
    const text = this.options.encoding === 'utf8' ? bytes.toString('utf8') : iconv.decode(bytes, 'gb18030');
    const ev = finishScan(text, this.length, this.overflow, this.options.maxLength);
    if (ev) events.push(ev);
    this.line = [];
    this.length = 0;
    this.overflow = false;
  }
}
