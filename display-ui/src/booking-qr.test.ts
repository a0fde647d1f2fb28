import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { bookingQrSvg } from './booking-qr';

describe('booking QR (issue 16)', () => {
  it('one unit square per dark module, inside a quiet zone', () => {
    const text = 'http://hall.local/book?code=1234567890';
    const svg = bookingQrSvg(text);
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const darkCount = Array.from({ length: modules.size * modules.size }, (_, i) => modules.get(Math.floor(i / modules.size), i % modules.size)).filter(Boolean).length;
    expect(svg.match(/h1v1h-1z/g)).toHaveLength(darkCount);
    expect(svg).toContain(`viewBox="0 0 ${modules.size + 8} ${modules.size + 8}"`);
    // The top-left finder pattern starts after the quiet zone.
    expect(svg).toContain('M4 4h1v1h-1z');
    expect(svg).not.toContain('M3 ');
  });
});
