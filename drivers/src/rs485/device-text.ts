/**
 * Text to device bytes. LED boards and keypads speak GBK; a character outside GBK (an emoji, a
 * rare 生僻字 that only GB18030 has) is shown as a full-width space and reported, never as
 * garbage or a stray `?`.
 */
import iconv from 'iconv-lite';
import type { PayloadEncoding } from './frame-profile';

export interface EncodedText {
  bytes: Buffer;
  /** Characters the device cannot show, in order of appearance (replaced on the wire). */
  replaced: string[];
  /** The text did not fit in `maxBytes` and was cut at a character boundary. */
  truncated: boolean;
}

const FULL_WIDTH_SPACE = Buffer.from([0xa1, 0xa1]);

function encodeChar(ch: string, encoding: PayloadEncoding): Buffer | null {
  const cp = ch.codePointAt(0) as number;
  // Control characters would be taken as commands or separators by the device.
  if (cp < 0x20 || cp === 0x7f) return null;
  if (encoding === 'ascii') return cp < 0x80 ? Buffer.from([cp]) : null;
  if (encoding === 'bytes') return Buffer.from(ch, 'utf8');
  if (cp < 0x80) return Buffer.from([cp]);
  const b = iconv.encode(ch, 'gbk');
  // iconv-lite writes '?' for what GBK lacks.
  return b.length === 1 && b[0] === 0x3f ? null : b;
}

export function encodeText(text: string, encoding: PayloadEncoding, maxBytes = Infinity): EncodedText {
  const parts: Buffer[] = [];
  const replaced: string[] = [];
  let size = 0;
  let truncated = false;
  for (const ch of text) {
    let b = encodeChar(ch, encoding);
    if (!b) {
      b = encoding === 'gbk' ? FULL_WIDTH_SPACE : Buffer.from([0x20]);
      replaced.push(ch);
    }
    if (size + b.length > maxBytes) {
      truncated = true;
      break;
    }
    parts.push(b);
    size += b.length;
  }
  return { bytes: Buffer.concat(parts), replaced, truncated };
}

export function decodeText(bytes: Uint8Array, encoding: PayloadEncoding): string {
  if (encoding === 'gbk') return iconv.decode(Buffer.from(bytes), 'gbk');
  if (encoding === 'ascii') return Buffer.from(bytes).toString('latin1');
  return Buffer.from(bytes).toString('utf8');
}
