/**
 * The phone page's QR code drawn on screen when no slip came out (issue 13 item 3): one SVG path
 * of dark modules, with the 4-module quiet zone scanners need. Bundled `qrcode` (no CDN).
 */
import QRCode from 'qrcode';

export interface QrPath {
  /** Width and height of the viewBox in modules, quiet zone included. */
  size: number;
  /** `M x y h1 v1 h-1 z` per dark module, joined along rows. */
  d: string;
}

const QUIET = 4;

export function qrPath(text: string): QrPath {
  // Level M: a phone reads it off a screen at arm's length, with room for a long hall URL.
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const parts: string[] = [];
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && modules.get(y, x)) x++;
      parts.push(`M${start + QUIET} ${y + QUIET}h${x - start}v1h-${x - start}z`);
    }
  }
  return { size: n + 2 * QUIET, d: parts.join('') };
}
