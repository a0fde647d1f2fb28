/**
 * PrintOps → ESC/POS bytes.
 *
 * Written here rather than with @node-escpos/core: its Printer needs an Adapter (their published
 * adapters pull a second serialport), appends line ends and encodes inside `text()` without
 * Chinese mode control, sends QR codes as images instead of `GS ( k`, and loads images
 * asynchronously through get-pixels. A job must be encoded synchronously, byte-exactly and in
 * well under a millisecond, so the few commands a ticket needs are spelled out below.
 */
import { canPrintText, encodeGbText, type PrinterCharset } from './charset';
import type { Align, PrintOp, QrErrorCorrection } from './print-ops';
import { rasterizeQr } from './qr-raster';
import type { RasterImage } from './raster-image';
import { rasterizeTextLine } from './text-raster';
import { PAPER, type PaperWidth } from './ticket-job';

export type QrMode = 'native' | 'raster';

export interface EscposEncoderOptions {
  paperWidth: PaperWidth;
  /** 'raster' for printers without `GS ( k`. */
  qrMode: QrMode;
  /** The printer's hanzi font; characters outside it are printed as a raster line. */
  charset: PrinterCharset;
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

export const cmd = {
  init: (): Buffer => Buffer.from([ESC, 0x40]),
  /** FS & — Chinese (double-byte) character mode on. */
  chineseOn: (): Buffer => Buffer.from([FS, 0x26]),
  /** FS . — Chinese character mode off. */
  chineseOff: (): Buffer => Buffer.from([FS, 0x2e]),
  align: (align: Align): Buffer => Buffer.from([ESC, 0x61, align === 'left' ? 0 : align === 'center' ? 1 : 2]),
  bold: (on: boolean): Buffer => Buffer.from([ESC, 0x45, on ? 1 : 0]),
  /** GS ! n: high nibble width−1, low nibble height−1 (0x33 = 4×4, 0x44 = 5×5). */
  size: (width: number, height: number): Buffer => Buffer.from([GS, 0x21, ((clamp8(width) - 1) << 4) | (clamp8(height) - 1)]),
  feed: (lines: number): Buffer => Buffer.from([ESC, 0x64, clampByte(lines)]),
  /** GS V 66 n: feed to the cutter plus n motion units, then partial cut. */
  partialCut: (feed: number): Buffer => Buffer.from([GS, 0x56, 0x42, clampByte(feed)]),
  /** The Epson QR sequence (cn 49): model 2, module size, error correction, store, print. */
  qr: (data: string, moduleSize: number, ecc: QrErrorCorrection): Buffer => {
    const payload = Buffer.from(data, 'utf8');
    if (payload.length > 7089) throw new RangeError(`QR data too long (${payload.length} bytes)`);
    const store = payload.length + 3;
    return Buffer.concat([
      Buffer.from([GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]), // fn 165: model 2
      Buffer.from([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, Math.min(16, Math.max(1, Math.floor(moduleSize)))]), // fn 167
      Buffer.from([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, ECC_BYTE[ecc]]), // fn 169
      Buffer.from([GS, 0x28, 0x6b, store & 0xff, store >> 8, 0x31, 0x50, 0x30]), // fn 180: store
      payload,
      Buffer.from([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]), // fn 181: print
    ]);
  },
  /** GS v 0 m xL xH yL yH d…: x bytes per row, y rows. */
  raster: (image: RasterImage): Buffer => {
    const x = image.widthDots / 8;
    const y = image.height;
    if (!Number.isInteger(x) || x > 0xffff || y > 0xffff) throw new RangeError('raster image too large');
    return Buffer.concat([Buffer.from([GS, 0x76, 0x30, 0x00, x & 0xff, x >> 8, y & 0xff, y >> 8]), Buffer.from(image.data)]);
  },
};

const ECC_BYTE: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };

/**
 * Encodes a whole job. Starts with ESC @; enters Chinese mode (FS &) before the first line with
 * hanzi and leaves it (FS .) before every QR code or image, since the printer's power-on Chinese
 * mode is a memory switch we cannot know.
 */
export function encodeTicketOps(ops: readonly PrintOp[], options: EscposEncoderOptions): Buffer {
  const paperDots = PAPER[options.paperWidth].dots;
  const out: Buffer[] = [cmd.init()];
  let chinese: 'on' | 'off' | 'unknown' = 'unknown';
  let align: Align = 'left';
  let width = 1;
  let height = 1;
  let bold = false;
  const leaveChinese = (): void => {
    if (chinese !== 'off') out.push(cmd.chineseOff());
    chinese = 'off';
  };

  for (const op of ops) {
    switch (op.op) {
      case 'align':
        align = op.align;
        out.push(cmd.align(op.align));
        break;
      case 'size':
        width = clamp8(op.width);
        height = clamp8(op.height);
        out.push(cmd.size(width, height));
        break;
      case 'bold':
        bold = op.on;
        out.push(cmd.bold(op.on));
        break;
      case 'text': {
        if (canPrintText(op.text, options.charset)) {
          if (chinese !== 'on' && hasNonAscii(op.text)) {
            out.push(cmd.chineseOn());
            chinese = 'on';
          }
          out.push(encodeGbText(op.text), Buffer.from([LF]));
        } else {
          leaveChinese();
          const image = rasterizeTextLine(op.text, { paperDots, align, widthScale: width, heightScale: height, bold });
          out.push(cmd.raster(image));
        }
        break;
      }
      case 'qr':
        leaveChinese();
        if (options.qrMode === 'native') {
          out.push(cmd.qr(op.data, op.moduleSize, op.errorCorrection), Buffer.from([LF]));
        } else {
          out.push(cmd.raster(rasterizeQr(op.data, { moduleSize: op.moduleSize, errorCorrection: op.errorCorrection, paperDots, align })));
        }
        break;
      case 'feed':
        out.push(cmd.feed(op.lines));
        break;
      case 'cut':
        out.push(cmd.partialCut(op.feed));
        break;
    }
  }
  return Buffer.concat(out);
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

function clamp8(n: number): number {
  return Math.min(8, Math.max(1, Math.floor(n) || 1));
}

function clampByte(n: number): number {
  return Math.min(255, Math.max(0, Math.floor(n) || 0));
}
