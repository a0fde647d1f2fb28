/**
 * Which characters the printer's own font can print. Checked by round-trip through iconv-lite;
 * anything else goes to the raster fallback, never to '?' or mojibake.
 */
import iconv from 'iconv-lite';

/** gb2312: the common cheap-printer font (6763 hanzi); gb18030: printers with the full GB18030 font. */
export type PrinterCharset = 'gb2312' | 'gb18030';

const cache: Record<PrinterCharset, Map<number, boolean>> = { gb2312: new Map(), gb18030: new Map() };

export function canPrintChar(ch: string, charset: PrinterCharset): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return cp >= 0x20 && cp !== 0x7f;
  const memo = cache[charset];
  const known = memo.get(cp);
  if (known !== undefined) return known;
  const ok = charset === 'gb2312' ? inGb2312(ch) : inGb18030Font(ch, cp);
  if (memo.size < 50_000) memo.set(cp, ok);
  return ok;
}

export function canPrintText(text: string, charset: PrinterCharset): boolean {
  for (const ch of text) if (!canPrintChar(ch, charset)) return false;
  return true;
}

/** iconv-lite's "gb2312" is really GBK (cp936), so also check the bytes fall in the GB2312 rows. */
function inGb2312(ch: string): boolean {
  const bytes = iconv.encode(ch, 'gbk');
  if (bytes.length !== 2) return false;
  const lead = bytes[0] ?? 0;
  const trail = bytes[1] ?? 0;
  const row = (lead >= 0xa1 && lead <= 0xa9) || (lead >= 0xb0 && lead <= 0xf7);
  if (!row || trail < 0xa1 || trail > 0xfe) return false;
  return iconv.decode(bytes, 'gbk') === ch;
}

/** GB18030 printer fonts cover the BMP part (GB18030-2000 with Ext A), not the private use area
 * nor the supplementary planes (Ext B such as 𠮷, emoji), although the encoding can express them. */
function inGb18030Font(ch: string, cp: number): boolean {
  if (cp > 0xffff || (cp >= 0xe000 && cp <= 0xf8ff)) return false;
  const bytes = iconv.encode(ch, 'gb18030');
  return iconv.decode(bytes, 'gb18030') === ch;
}

/** Bytes for a line already known printable: GB2312 ⊂ GBK ⊂ GB18030 share their codes. */
export function encodeGbText(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}
