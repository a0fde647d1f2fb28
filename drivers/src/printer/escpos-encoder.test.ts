import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { cmd, encodeTicketOps, type EscposEncoderOptions } from './escpos-encoder';
import type { PrintOp } from './print-ops';
import { layoutTicket } from './ticket-layout';
import { exampleTicketJob } from './ticket-job';
import { blankRaster } from './raster-image';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** The bytes with every GS v 0 image payload cut out (bitmap bytes may be anything, '?' included). */
function withoutRasterData(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (;;) {
    const at = b.indexOf(Buffer.from([0x1d, 0x76, 0x30]), from);
    if (at < 0) break;
    const x = (b[at + 4] ?? 0) + (b[at + 5] ?? 0) * 256;
    const y = (b[at + 6] ?? 0) + (b[at + 7] ?? 0) * 256;
    parts.push(b.subarray(from, at + 8));
    from = at + 8 + x * y;
  }
  parts.push(b.subarray(from));
  return Buffer.concat(parts);
}

const opts: EscposEncoderOptions = { paperWidth: 58, qrMode: 'native', charset: 'gb2312' };

describe('ESC/POS commands', () => {
  it('QR: GS ( k fn 165/167/169/180/181 byte for byte', () => {
    expect(hex(cmd.qr('ABC', 6, 'M'))).toBe(
      [
        '1d286b0400314132' + '00', // model 2
        '1d286b03003143' + '06', // module size 6
        '1d286b03003145' + '31', // error correction M (49)
        '1d286b0600315030' + '414243', // store: pL = 3 + 3
        '1d286b0300315130', // print
      ].join(''),
    );
  });

  it('QR store: pL pH = (k + 3) little-endian for long data', () => {
    const data = 'x'.repeat(300);
    const bytes = cmd.qr(data, 3, 'L');
    const store = bytes.indexOf(Buffer.from([0x31, 0x50, 0x30]));
    // 300 + 3 = 303 = 0x012F
    expect([...bytes.subarray(store - 5, store)]).toEqual([0x1d, 0x28, 0x6b, 0x2f, 0x01]);
    expect(bytes.subarray(store + 3, store + 303).toString()).toBe(data);
    expect(hex(cmd.qr('y'.repeat(253), 3, 'L')).includes('1d286b0001315030')).toBe(true); // 256 = 0x0100
    expect(() => cmd.qr('z'.repeat(7090), 3, 'L')).toThrow(RangeError);
  });

  it('QR error correction levels map to 48..51', () => {
    for (const [level, byte] of [['L', 48], ['M', 49], ['Q', 50], ['H', 51]] as const) {
      const seq = cmd.qr('a', 3, level);
      const at = seq.indexOf(Buffer.from([0x31, 0x45]));
      expect(seq[at + 2]).toBe(byte);
    }
  });

  it('GS ! magnification, GS V 66 n partial cut, ESC a, ESC E, ESC d', () => {
    expect(hex(cmd.size(4, 4))).toBe('1d2133');
    expect(hex(cmd.size(5, 5))).toBe('1d2144');
    expect(hex(cmd.size(1, 2))).toBe('1d2101');
    expect(hex(cmd.size(9, 0))).toBe('1d2170');
    expect(hex(cmd.partialCut(16))).toBe('1d564210');
    expect(hex(cmd.align('center'))).toBe('1b6101');
    expect(hex(cmd.bold(true))).toBe('1b4501');
    expect(hex(cmd.feed(3))).toBe('1b6403');
    expect(hex(cmd.chineseOn())).toBe('1c26');
    expect(hex(cmd.chineseOff())).toBe('1c2e');
  });

  it('GS v 0: xL xH = bytes per row, yL yH = rows, then x·y data bytes', () => {
    const image = blankRaster(384, 300);
    const bytes = cmd.raster(image);
    // 384 dots = 48 bytes = 0x0030; 300 rows = 0x012C
    expect(hex(bytes.subarray(0, 8))).toBe('1d76300030002c01');
    expect(bytes.length).toBe(8 + 48 * 300);
    expect(hex(cmd.raster(blankRaster(576, 30)).subarray(0, 8))).toBe('1d763000480' + '01e00');
  });
});

describe('encodeTicketOps', () => {
  const job = exampleTicketJob();
  const bytes = encodeTicketOps(layoutTicket(job, { paperWidth: 58 }), opts);

  it('starts with ESC @ and ends with the cut', () => {
    expect(hex(bytes.subarray(0, 2))).toBe('1b40');
    expect(hex(bytes.subarray(-4))).toBe('1d564210');
  });

  it('enters Chinese mode before the first GB2312 text and leaves it before GS ( k', () => {
    const firstGb = bytes.indexOf(iconv.encode('青山县', 'gb18030'));
    const fsAmp = bytes.indexOf(Buffer.from([0x1c, 0x26]));
    const qr = bytes.indexOf(Buffer.from([0x1d, 0x28, 0x6b]));
    const fsDot = bytes.lastIndexOf(Buffer.from([0x1c, 0x2e]), qr);
    expect(fsAmp).toBeGreaterThan(0);
    expect(fsAmp).toBeLessThan(firstGb);
    expect(fsDot).toBeGreaterThan(fsAmp);
    expect(qr - fsDot).toBeLessThanOrEqual(2 + 3); // FS . then (at most) an ESC a before the QR
    // Chinese mode on again before the caption under the QR.
    const caption = bytes.indexOf(iconv.encode('扫码查看排队进度', 'gb18030'));
    const again = bytes.indexOf(Buffer.from([0x1c, 0x26]), qr);
    expect(again).toBeGreaterThan(qr);
    expect(again).toBeLessThan(caption);
  });

  it('prints the number after GS ! 0x33 on 58 mm and 0x44 on 80 mm', () => {
    expect(bytes.indexOf(Buffer.from('1d2133', 'hex'))).toBeLessThan(bytes.indexOf(Buffer.from('A001\n')));
    const wide = encodeTicketOps(layoutTicket(job, { paperWidth: 80 }), { ...opts, paperWidth: 80 });
    const at = wide.indexOf(Buffer.from('A001\n'));
    expect(wide.lastIndexOf(Buffer.from('1d2144', 'hex'), at)).toBeGreaterThan(0);
    expect(wide.lastIndexOf(Buffer.from('1d2144', 'hex'), at)).toBeGreaterThan(wide.lastIndexOf(Buffer.from('1d2100', 'hex'), at));
  });

  it('stores the tracking URL in the QR symbol', () => {
    const url = Buffer.from(job.trackUrl);
    const at = bytes.indexOf(url);
    expect(hex(bytes.subarray(at - 8, at))).toBe('1d286b' + (url.length + 3).toString(16).padStart(2, '0') + '00315030');
  });

  it('never substitutes "?" for a character outside the charset: that line becomes GS v 0', () => {
    const ops: PrintOp[] = [{ op: 'align', align: 'left' }, { op: 'text', text: '取号人：王*䶮' }];
    const out = encodeTicketOps(ops, opts);
    expect(withoutRasterData(out).includes(0x3f)).toBe(false);
    expect(out.indexOf(Buffer.from([0x1d, 0x76, 0x30, 0x00, 48, 0, 30, 0]))).toBeGreaterThan(0);
    expect(out.includes(iconv.encode('取号人', 'gb18030'))).toBe(false);
  });

  it('prints 䶮 as text on a GB18030 printer but 𠮷 and emoji as raster', () => {
    const gb18030: EscposEncoderOptions = { ...opts, charset: 'gb18030' };
    const rare = encodeTicketOps([{ op: 'text', text: '王*䶮' }], gb18030);
    expect(rare.includes(iconv.encode('王*䶮', 'gb18030'))).toBe(true);
    expect(rare.includes(Buffer.from([0x1d, 0x76, 0x30]))).toBe(false);
    for (const text of ['吉𠮷', '好😀']) {
      const out = encodeTicketOps([{ op: 'text', text }], gb18030);
      expect(out.includes(Buffer.from([0x1d, 0x76, 0x30]))).toBe(true);
      expect(withoutRasterData(out).includes(0x3f)).toBe(false);
    }
  });

  it('qrMode raster sends the QR as GS v 0 and no GS ( k', () => {
    const out = encodeTicketOps(layoutTicket(job, { paperWidth: 58 }), { ...opts, qrMode: 'raster' });
    expect(out.includes(Buffer.from([0x1d, 0x28, 0x6b]))).toBe(false);
    const at = out.indexOf(Buffer.from([0x1d, 0x76, 0x30, 0x00]));
    expect(at).toBeGreaterThan(0);
    expect(out[at + 4]).toBe(48); // full 58 mm width: 384 dots
    expect(out.lastIndexOf(Buffer.from([0x1c, 0x2e]), at)).toBeGreaterThan(0);
  });
});
