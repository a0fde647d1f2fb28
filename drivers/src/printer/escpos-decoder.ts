/**
 * A streaming ESC/POS decoder: the printer's side of the wire, written independently of the
 * encoder (its own command table, its own GB18030 byte-structure parser) so that a round-trip
 * test checks the bytes against the printer command reference, not the encoder against itself.
 *
 * It accepts bytes in any chunking, waits for the rest of a command split across reads, and
 * turns garbage into `ignored` items; `push()` never throws.
 */
import iconv from 'iconv-lite';

export type DecodedCommand =
  | { type: 'text'; text: string }
  | { type: 'newline' }
  | { type: 'init' }
  /** ESC a: 0 left, 1 centre, 2 right. */
  | { type: 'align'; value: number }
  | { type: 'bold'; on: boolean }
  /** GS !: magnification 1–8. */
  | { type: 'size'; width: number; height: number }
  /** ESC !: the legacy print mode byte (bold bit 3, double height bit 4, double width bit 5). */
  | { type: 'print-mode'; value: number }
  /** FS & (on) / FS . (off). */
  | { type: 'chinese-mode'; on: boolean }
  | { type: 'feed-lines'; lines: number }
  | { type: 'feed-dots'; dots: number }
  /** GS ( k with cn 49 (QR): fn and the bytes after it. */
  | { type: 'qr'; fn: number; params: Buffer }
  /** GS v 0. */
  | { type: 'raster'; mode: number; bytesPerRow: number; height: number; data: Buffer }
  | { type: 'cut'; partial: boolean; feed: number }
  /** DLE EOT n: a real-time status request the printer answers at once. */
  | { type: 'status-query'; n: number }
  /** A command this model does not act on, or bytes that are no command at all. */
  | { type: 'ignored'; bytes: Buffer };

export interface EscposDecoderOptions {
  /** The printer's Chinese mode after power-on and ESC @ (a memory switch; Epson-like: off). */
  chineseModeAfterInit?: boolean;
  /** A GS v 0 header announcing more than this is treated as garbage. */
  maxRasterBytes?: number;
}

const NUL = 0x00;
const HT = 0x09;
const LF = 0x0a;
const DLE = 0x10;
const EOT = 0x04;
const ENQ = 0x05;
const DC4 = 0x14;
const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;

/** How many bytes a step consumed (> 0), or how many it needs from its start (< 0, negated). */
type Step = number;

export class EscposDecoder {
  chineseMode: boolean;
  private readonly chineseAfterInit: boolean;
  private readonly maxRaster: number;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private need = 1;

  constructor(options: EscposDecoderOptions = {}) {
    this.chineseAfterInit = options.chineseModeAfterInit ?? false;
    this.chineseMode = this.chineseAfterInit;
    this.maxRaster = options.maxRasterBytes ?? 1 << 20;
  }

  /** Bytes held back waiting for the rest of a command. */
  get buffered(): number {
    return this.pendingLength;
  }

  push(chunk: Uint8Array): DecodedCommand[] {
    if (chunk.length === 0) return [];
    this.pending.push(Buffer.from(chunk));
    this.pendingLength += chunk.length;
    // Waiting for a long command (a big raster) in small reads: do not re-parse every read.
    if (this.pendingLength < this.need) return [];
    const buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    const out: DecodedCommand[] = [];
    let pos = 0;
    let need = 1;
    while (pos < buf.length) {
      let step: Step;
      try {
        step = this.step(buf, pos, out);
      } catch {
        // Defensive: a bug in one command's parsing must not stop the printer model.
        out.push({ type: 'ignored', bytes: Buffer.from(buf.subarray(pos, pos + 1)) });
        step = 1;
      }
      if (step < 0) {
        need = -step;
        break;
      }
      pos += step;
    }
    const rest = buf.subarray(pos);
    this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.pendingLength = rest.length;
    this.need = rest.length > 0 ? need : 1;
    return out;
  }

  /** Forgets a half-received command (the line dropped). */
  reset(): void {
    this.pending = [];
    this.pendingLength = 0;
    this.need = 1;
    this.chineseMode = this.chineseAfterInit;
  }

  private step(buf: Buffer, pos: number, out: DecodedCommand[]): Step {
    const b = byteAt(buf, pos);
    if (b >= 0x20 && b !== 0x7f) return this.text(buf, pos, out);
    const avail = buf.length - pos;
    const ignore = (n: number): Step => {
      out.push({ type: 'ignored', bytes: Buffer.from(buf.subarray(pos, pos + n)) });
      return n;
    };
    switch (b) {
      case LF:
        out.push({ type: 'newline' });
        return 1;
      case HT:
        out.push({ type: 'text', text: ' ' });
        return 1;
      case DLE:
        return this.dle(buf, pos, avail, out, ignore);
      case ESC:
        return this.esc(buf, pos, avail, out, ignore);
      case GS:
        return this.gs(buf, pos, avail, out, ignore);
      case FS:
        return this.fs(buf, pos, avail, out, ignore);
      default:
        // CR, FF, stray control bytes, DEL.
        return ignore(1);
    }
  }

  private text(buf: Buffer, pos: number, out: DecodedCommand[]): Step {
    let text = '';
    let i = pos;
    let run = i;
    const flush = (end: number): void => {
      if (end > run) text += iconv.decode(buf.subarray(run, end), this.chineseMode ? 'gb18030' : 'cp437');
    };
    while (i < buf.length) {
      const b = byteAt(buf, i);
      if (b < 0x20 || b === 0x7f) break;
      if (b < 0x80 || !this.chineseMode) {
        i += 1;
        continue;
      }
      // GB18030: lead 81–FE, then 40–7E/80–FE (two bytes) or 30–39 81–FE 30–39 (four bytes).
      if (b === 0x80 || b === 0xff) {
        flush(i);
        text += '\uFFFD';
        i += 1;
        run = i;
        continue;
      }
      if (i + 1 >= buf.length) {
        if (i === pos) return -2;
        break;
      }
      const b2 = byteAt(buf, i + 1);
      if ((b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe)) {
        i += 2;
        continue;
      }
      if (b2 >= 0x30 && b2 <= 0x39) {
        if (i + 3 >= buf.length) {
          if (i === pos) return -4;
          break;
        }
        const b3 = byteAt(buf, i + 2);
        const b4 = byteAt(buf, i + 3);
        if (b3 >= 0x81 && b3 <= 0xfe && b4 >= 0x30 && b4 <= 0x39) {
          i += 4;
          continue;
        }
      }
      flush(i);
      text += '\uFFFD';
      i += 1;
      run = i;
    }
    flush(i);
    if (text) out.push({ type: 'text', text });
    return i - pos;
  }

  private dle(buf: Buffer, pos: number, avail: number, out: DecodedCommand[], ignore: (n: number) => Step): Step {
    if (avail < 2) return -2;
    const c = byteAt(buf, pos + 1);
    if (c === EOT) {
      if (avail < 3) return -3;
      const n = byteAt(buf, pos + 2);
      if (n >= 1 && n <= 4) {
        out.push({ type: 'status-query', n });
        return 3;
      }
      if (n === 7 || n === 8) return avail < 4 ? -4 : ignore(4);
      return ignore(3);
    }
    if (c === ENQ) return avail < 3 ? -3 : ignore(3);
    if (c === DC4) {
      if (avail < 3) return -3;
      const fn = byteAt(buf, pos + 2);
      const len = fn === 1 || fn === 2 ? 5 : fn === 7 ? 4 : fn === 8 ? 10 : 3;
      return avail < len ? -len : ignore(len);
    }
    return ignore(1);
  }

  private esc(buf: Buffer, pos: number, avail: number, out: DecodedCommand[], ignore: (n: number) => Step): Step {
    if (avail < 2) return -2;
    const c = byteAt(buf, pos + 1);
    const arg = (k: number): number => byteAt(buf, pos + 2 + k);
    const fixed = (len: number, make?: () => DecodedCommand): Step => {
      if (avail < len) return -len;
      if (!make) return ignore(len);
      out.push(make());
      return len;
    };
    switch (c) {
      case 0x40: // @
        return fixed(2, () => {
          this.chineseMode = this.chineseAfterInit;
          return { type: 'init' };
        });
      case 0x21: // !
        return fixed(3, () => ({ type: 'print-mode', value: arg(0) }));
      case 0x45: // E
        return fixed(3, () => ({ type: 'bold', on: (arg(0) & 1) === 1 }));
      case 0x61: // a
        return fixed(3, () => ({ type: 'align', value: arg(0) >= 0x30 ? arg(0) - 0x30 : arg(0) }));
      case 0x64: // d
        return fixed(3, () => ({ type: 'feed-lines', lines: arg(0) }));
      case 0x4a: // J
        return fixed(3, () => ({ type: 'feed-dots', dots: arg(0) }));
      case 0x69: // i: full cut (legacy)
        return fixed(2, () => ({ type: 'cut', partial: false, feed: 0 }));
      case 0x6d: // m: partial cut (legacy)
        return fixed(2, () => ({ type: 'cut', partial: true, feed: 0 }));
      case 0x32: // 2
      case 0x3c: // <
      case 0x4c: // L
      case 0x53: // S
        return fixed(2);
      case 0x20: // SP
      case 0x25: // %
      case 0x2d: // -
      case 0x33: // 3
      case 0x3d: // =
      case 0x3f: // ?
      case 0x47: // G
      case 0x4d: // M
      case 0x52: // R
      case 0x54: // T
      case 0x55: // U
      case 0x56: // V
      case 0x65: // e
      case 0x72: // r
      case 0x74: // t
      case 0x7b: // {
        return fixed(3);
      case 0x24: // $
      case 0x5c: // \
      case 0x63: // c (ESC c 3/4/5 n)
        return fixed(4);
      case 0x70: // p: drawer pulse
        return fixed(5);
      case 0x57: // W: print area in page mode
        return fixed(10);
      case 0x44: {
        // D: tab positions, NUL-terminated (at most 32).
        for (let i = pos + 2; i < pos + 2 + 33; i++) {
          if (i >= buf.length) return -(i - pos + 1);
          if (byteAt(buf, i) === NUL) return ignore(i - pos + 1);
        }
        return ignore(2);
      }
      case 0x2a: {
        // *: bit image, m nL nH then n (8-dot) or 3n (24-dot) columns.
        if (avail < 5) return -5;
        const m = arg(0);
        const n = arg(1) + arg(2) * 256;
        const len = 5 + (m === 32 || m === 33 ? 3 * n : n);
        return avail < len ? -len : ignore(len);
      }
      default:
        return ignore(2);
    }
  }

  private gs(buf: Buffer, pos: number, avail: number, out: DecodedCommand[], ignore: (n: number) => Step): Step {
    if (avail < 2) return -2;
    const c = byteAt(buf, pos + 1);
    const arg = (k: number): number => byteAt(buf, pos + 2 + k);
    switch (c) {
      case 0x21: {
        // !: character size, bits 4–6 width−1, bits 0–2 height−1.
        if (avail < 3) return -3;
        const n = arg(0);
        out.push({ type: 'size', width: ((n >> 4) & 7) + 1, height: (n & 7) + 1 });
        return 3;
      }
      case 0x56: {
        // V: cut. m 0/48 full, 1/49 partial; 65/66 (and 97/98, 103/104) take a feed byte.
        if (avail < 3) return -3;
        const m = arg(0);
        if (m === 0 || m === 48 || m === 1 || m === 49) {
          out.push({ type: 'cut', partial: m === 1 || m === 49, feed: 0 });
          return 3;
        }
        if (m === 65 || m === 66 || m === 97 || m === 98 || m === 103 || m === 104) {
          if (avail < 4) return -4;
          out.push({ type: 'cut', partial: m % 2 === 0, feed: arg(1) });
          return 4;
        }
        return ignore(3);
      }
      case 0x76: {
        // v 0 m xL xH yL yH d1…dk, k = x·y.
        if (avail < 3) return -3;
        if (arg(0) !== 0x30) return ignore(2);
        if (avail < 8) return -8;
        const mode = arg(1);
        const x = arg(2) + arg(3) * 256;
        const y = arg(4) + arg(5) * 256;
        const k = x * y;
        if (k > this.maxRaster || (mode > 3 && mode < 48) || mode > 51) return ignore(8);
        if (avail < 8 + k) return -(8 + k);
        out.push({ type: 'raster', mode: mode & 3, bytesPerRow: x, height: y, data: Buffer.from(buf.subarray(pos + 8, pos + 8 + k)) });
        return 8 + k;
      }
      case 0x28: {
        // ( x pL pH …: p bytes follow.
        if (avail < 5) return -5;
        const p = arg(1) + arg(2) * 256;
        if (avail < 5 + p) return -(5 + p);
        if (arg(0) === 0x6b && p >= 2 && arg(3) === 49) {
          out.push({ type: 'qr', fn: arg(4), params: Buffer.from(buf.subarray(pos + 7, pos + 5 + p)) });
          return 5 + p;
        }
        return ignore(5 + p);
      }
      case 0x6b: {
        // k: barcode. m 0–6 NUL-terminated; m 65–73 with a length byte.
        if (avail < 3) return -3;
        const m = arg(0);
        if (m <= 6) {
          for (let i = pos + 3; i < pos + 3 + 256; i++) {
            if (i >= buf.length) return -(i - pos + 1);
            if (byteAt(buf, i) === NUL) return ignore(i - pos + 1);
          }
          return ignore(3);
        }
        if (avail < 4) return -4;
        const len = 4 + arg(1);
        return avail < len ? -len : ignore(len);
      }
      case 0x2a: {
        // *: define downloaded bit image, x·y·8 bytes.
        if (avail < 4) return -4;
        const len = 4 + arg(0) * arg(1) * 8;
        return avail < len ? -len : ignore(len);
      }
      case 0x42: // B
      case 0x45: // E
      case 0x48: // H
      case 0x49: // I
      case 0x2f: // /
      case 0x54: // T
      case 0x61: // a
      case 0x62: // b
      case 0x66: // f
      case 0x68: // h
      case 0x72: // r
      case 0x77: // w
        return avail < 3 ? -3 : ignore(3);
      case 0x24: // $
      case 0x4c: // L
      case 0x50: // P
      case 0x57: // W
      case 0x5c: // \
        return avail < 4 ? -4 : ignore(4);
      default:
        return ignore(2);
    }
  }

  private fs(buf: Buffer, pos: number, avail: number, out: DecodedCommand[], ignore: (n: number) => Step): Step {
    if (avail < 2) return -2;
    const c = byteAt(buf, pos + 1);
    switch (c) {
      case 0x26: // &
        this.chineseMode = true;
        out.push({ type: 'chinese-mode', on: true });
        return 2;
      case 0x2e: // .
        this.chineseMode = false;
        out.push({ type: 'chinese-mode', on: false });
        return 2;
      case 0x21: // ! Chinese print mode
      case 0x2d: // - Chinese underline
      case 0x43: // C code system
      case 0x57: // W Chinese quadruple size
        return avail < 3 ? -3 : ignore(3);
      case 0x53: // S spacing
      case 0x70: // p NV image
      case 0x3f: // ? cancel user-defined
        return avail < 4 ? -4 : ignore(4);
      case 0x32: // 2 c1 c2 + 72 bytes: user-defined hanzi
        return avail < 76 ? -76 : ignore(76);
      default:
        return ignore(2);
    }
  }
}

function byteAt(buf: Buffer, i: number): number {
  return buf[i] ?? 0;
}
