/**
 * What comes out of the printer: decoded ESC/POS commands applied to a model of the paper,
 * cut into tickets. Device side only; shares nothing with the encoder but type names.
 */
import type { DecodedCommand } from './escpos-decoder';

export type PaperAlign = 'left' | 'center' | 'right';

export type PrintedLine =
  | { kind: 'text'; text: string; align: PaperAlign; width: number; height: number; bold: boolean }
  | { kind: 'qr'; data: string; moduleSize: number; errorCorrection: 'L' | 'M' | 'Q' | 'H'; align: PaperAlign }
  /** A raster bit image: `bytesPerRow · 8` dots wide, rows MSB-first, 1 = black. */
  | { kind: 'image'; widthDots: number; height: number; data: Buffer; align: PaperAlign };

export interface PrintedTicket {
  lines: PrintedLine[];
  cut: 'partial' | 'full';
  /** The ticket as plain text, aligned to the paper's columns (QR and images as placeholders). */
  text: string;
  /** Text lines only, without alignment padding. */
  textLines: string[];
  qrCodes: string[];
  images: Extract<PrintedLine, { kind: 'image' }>[];
}

const ALIGNS: readonly PaperAlign[] = ['left', 'center', 'right'];
const ECC: Record<number, 'L' | 'M' | 'Q' | 'H'> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

/** Applies decoded commands; calls `onTicket` at every cut that follows something printed. */
export class PaperModel {
  private lines: PrintedLine[] = [];
  private align: PaperAlign = 'left';
  private width = 1;
  private height = 1;
  private bold = false;
  private current: Extract<PrintedLine, { kind: 'text' }> | null = null;
  private qrData: Buffer | null = null;
  private qrModule = 3;
  private qrEcc: 'L' | 'M' | 'Q' | 'H' = 'L';

  constructor(
    private readonly columns: number,
    private readonly onTicket: (ticket: PrintedTicket) => void,
  ) {}

  apply(command: DecodedCommand): void {
    switch (command.type) {
      case 'init':
        this.current = null;
        this.align = 'left';
        this.width = 1;
        this.height = 1;
        this.bold = false;
        break;
      case 'text':
        if (!this.current) this.current = { kind: 'text', text: '', align: this.align, width: this.width, height: this.height, bold: this.bold };
        this.current.text += command.text;
        break;
      case 'newline':
        this.lines.push(this.current ?? { kind: 'text', text: '', align: this.align, width: this.width, height: this.height, bold: this.bold });
        this.current = null;
        break;
      case 'align':
        this.align = ALIGNS[command.value] ?? this.align;
        break;
      case 'bold':
        this.bold = command.on;
        break;
      case 'size':
        this.width = command.width;
        this.height = command.height;
        break;
      case 'print-mode':
        this.bold = (command.value & 0x08) !== 0;
        this.height = command.value & 0x10 ? 2 : 1;
        this.width = command.value & 0x20 ? 2 : 1;
        break;
      case 'feed-lines':
        this.flush();
        for (let i = 0; i < command.lines; i++) this.lines.push({ kind: 'text', text: '', align: this.align, width: 1, height: 1, bold: false });
        break;
      case 'feed-dots':
        this.flush();
        break;
      case 'qr':
        this.qr(command.fn, command.params);
        break;
      case 'raster': {
        this.flush();
        this.lines.push({ kind: 'image', widthDots: command.bytesPerRow * 8, height: command.height, data: command.data, align: this.align });
        break;
      }
      case 'cut': {
        this.flush();
        const lines = this.lines;
        this.lines = [];
        if (lines.some((l) => l.kind !== 'text' || l.text.trim() !== '')) this.onTicket(this.ticket(lines, command.partial ? 'partial' : 'full'));
        break;
      }
      default:
        break;
    }
  }

  /** Lines printed since the last cut. */
  get uncut(): readonly PrintedLine[] {
    return this.lines;
  }

  private qr(fn: number, params: Buffer): void {
    switch (fn) {
      case 67:
        this.qrModule = params[0] ?? this.qrModule;
        break;
      case 69:
        this.qrEcc = ECC[params[0] ?? 0] ?? this.qrEcc;
        break;
      case 80:
        // m = 48, then the symbol data.
        this.qrData = params[0] === 48 ? Buffer.from(params.subarray(1)) : null;
        break;
      case 81:
        this.flush();
        if (this.qrData) this.lines.push({ kind: 'qr', data: this.qrData.toString('utf8'), moduleSize: this.qrModule, errorCorrection: this.qrEcc, align: this.align });
        break;
      default:
        break;
    }
  }

  private flush(): void {
    if (this.current) this.lines.push(this.current);
    this.current = null;
  }

  private ticket(lines: PrintedLine[], cut: 'partial' | 'full'): PrintedTicket {
    const textLines: string[] = [];
    const shown: string[] = [];
    for (const line of lines) {
      if (line.kind === 'text') {
        textLines.push(line.text);
        shown.push(this.place(line.text, line.align));
      } else if (line.kind === 'qr') {
        shown.push(this.place(`[二维码 QR] ${line.data}`, line.align));
      } else {
        shown.push(this.place(`[图像 raster ${line.widthDots}×${line.height}]`, line.align));
      }
    }
    while (shown.length > 0 && shown[shown.length - 1]?.trim() === '') shown.pop();
    return {
      lines,
      cut,
      text: shown.join('\n'),
      textLines,
      qrCodes: lines.flatMap((l) => (l.kind === 'qr' ? [l.data] : [])),
      images: lines.flatMap((l) => (l.kind === 'image' ? [l] : [])),
    };
  }

  /** Pads a line so it reads centred/right in a plain-text view (magnified text shown at 1×). */
  private place(text: string, align: PaperAlign): string {
    let cols = 0;
    for (const ch of text) cols += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
    const free = Math.max(0, this.columns - cols);
    const pad = align === 'center' ? Math.floor(free / 2) : align === 'right' ? free : 0;
    return (' '.repeat(pad) + text).trimEnd();
  }
}
