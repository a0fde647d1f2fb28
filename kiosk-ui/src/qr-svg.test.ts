import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { qrPath } from './qr-svg';

describe('qrPath', () => {
  it('draws every dark module of the code, inside a 4-module quiet zone', () => {
    const url = 'http://192.168.1.10:8080/ticket/AbCdEfGh123?token=tok-0123456789abcdef';
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const p = qrPath(url);
    expect(p.size).toBe(modules.size + 8);
    let dark = 0;
    for (let y = 0; y < modules.size; y++) for (let x = 0; x < modules.size; x++) dark += modules.get(y, x) ? 1 : 0;
    // Each run "M x y h w v1 h-w z" covers w modules.
    const covered = [...p.d.matchAll(/h(\d+)v1/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(covered).toBe(dark);
    const xs = [...p.d.matchAll(/M(\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(Math.min(...xs.map(([x]) => x))).toBe(4);
    expect(Math.min(...xs.map(([, y]) => y))).toBe(4);
  });
});
