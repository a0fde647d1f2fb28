import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EscposDecoder, type DecodedCommand } from './escpos-decoder';

/** Feeds `bytes` in pieces of the given sizes (cycled) and merges adjacent text items. */
function decode(bytes: Buffer, sizes: number[] = [bytes.length || 1], options = {}): DecodedCommand[] {
  const d = new EscposDecoder(options);
  const out: DecodedCommand[] = [];
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    out.push(...d.push(bytes.subarray(i, i + n)));
    i += n;
  }
  return merge(out);
}

function merge(items: DecodedCommand[]): DecodedCommand[] {
  const out: DecodedCommand[] = [];
  for (const c of items) {
    const prev = out[out.length - 1];
    if (c.type === 'text' && prev?.type === 'text') out[out.length - 1] = { type: 'text', text: prev.text + c.text };
    else out.push(c);
  }
  return out;
}

const b = (...parts: (number[] | string | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.isBuffer(p) ? p : Buffer.from(p))));

// 社保 in GB2312, 䶮 (2-byte FE9F in GB18030), 𠮷 (4-byte 9534 B235 in GB18030).
const SHEBAO = [0xc9, 0xe7, 0xb1, 0xa3];
const YAN = [0xfe, 0x9f];
const JI = [0x95, 0x34, 0xb2, 0x35];

describe('EscposDecoder', () => {
  const sample = b(
    [0x1b, 0x40, 0x1c, 0x26, 0x1b, 0x61, 0x01, 0x1d, 0x21, 0x33],
    'A001',
    [0x0a, 0x1d, 0x21, 0x00],
    SHEBAO,
    YAN,
    JI,
    [0x0a, 0x1c, 0x2e],
    [0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00],
    [0x1d, 0x28, 0x6b, 0x06, 0x00, 0x31, 0x50, 0x30],
    'URL',
    [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
    [0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00, 1, 2, 3, 4, 5, 6],
    [0x10, 0x04, 0x02],
    [0x1d, 0x56, 0x42, 0x10],
  );

  it('decodes text in Chinese mode, sizes, QR functions, raster, status request and cut', () => {
    expect(decode(sample)).toEqual([
      { type: 'init' },
      { type: 'chinese-mode', on: true },
      { type: 'align', value: 1 },
      { type: 'size', width: 4, height: 4 },
      { type: 'text', text: 'A001' },
      { type: 'newline' },
      { type: 'size', width: 1, height: 1 },
      { type: 'text', text: '社保䶮𠮷' },
      { type: 'newline' },
      { type: 'chinese-mode', on: false },
      { type: 'qr', fn: 65, params: Buffer.from([0x32, 0x00]) },
      { type: 'qr', fn: 80, params: Buffer.from('0URL') },
      { type: 'qr', fn: 81, params: Buffer.from('0') },
      { type: 'raster', mode: 0, bytesPerRow: 2, height: 3, data: Buffer.from([1, 2, 3, 4, 5, 6]) },
      { type: 'status-query', n: 2 },
      { type: 'cut', partial: true, feed: 16 },
    ]);
  });

  it.each([1, 2, 3, 5, 7, 64])('gives the same result when fed %i bytes at a time', (size) => {
    expect(decode(sample, [size])).toEqual(decode(sample));
  });

  it('waits for a four-byte GB18030 character split across reads', () => {
    const d = new EscposDecoder({ chineseModeAfterInit: true });
    expect(d.push(Buffer.from(JI.slice(0, 1)))).toEqual([]);
    expect(d.push(Buffer.from(JI.slice(1, 3)))).toEqual([]);
    expect(d.buffered).toBe(3);
    expect(d.push(Buffer.from([...JI.slice(3), 0x0a]))).toEqual([{ type: 'text', text: '𠮷' }, { type: 'newline' }]);
  });

  it('outside Chinese mode high bytes are single-byte code page characters, not hanzi', () => {
    const out = decode(b(SHEBAO, [0x0a]));
    expect(out[0]?.type).toBe('text');
    expect(out[0]).not.toEqual({ type: 'text', text: '社保' });
    expect([...((out[0] as { text: string }).text)]).toHaveLength(4);
  });

  it('follows FS & / FS . and ESC @ (which restores the power-on mode)', () => {
    expect(decode(b([0x1c, 0x26], SHEBAO, [0x1b, 0x40], SHEBAO), [100], { chineseModeAfterInit: false })[1]).toEqual({ type: 'text', text: '社保' });
    const d = new EscposDecoder({ chineseModeAfterInit: true });
    d.push(Buffer.from([0x1c, 0x2e, 0x1b, 0x40]));
    expect(d.chineseMode).toBe(true);
  });

  it('recognises DLE EOT 1–4 anywhere between commands', () => {
    const out = decode(b([0x10, 0x04, 0x01], 'ab', [0x10, 0x04, 0x04, 0x10, 0x04, 0x09]));
    expect(out.filter((c) => c.type === 'status-query')).toEqual([
      { type: 'status-query', n: 1 },
      { type: 'status-query', n: 4 },
    ]);
  });

  it('does not mistake raster payload bytes for commands', () => {
    const payload = [0x10, 0x04, 0x01, 0x1b, 0x40, 0x0a];
    const out = decode(b([0x1d, 0x76, 0x30, 0x00, 0x06, 0x00, 0x01, 0x00], payload, 'x'), [1]);
    expect(out).toEqual([
      { type: 'raster', mode: 0, bytesPerRow: 6, height: 1, data: Buffer.from(payload) },
      { type: 'text', text: 'x' },
    ]);
  });

  it('treats an impossible raster header as garbage instead of waiting for gigabytes', () => {
    const d = new EscposDecoder({ maxRasterBytes: 1000 });
    const out = d.push(Buffer.from([0x1d, 0x76, 0x30, 0x00, 0xff, 0xff, 0xff, 0xff, 0x41]));
    expect(out.map((c) => c.type)).toEqual(['ignored', 'text']);
    expect(d.buffered).toBe(0);
  });

  it('marks invalid GB18030 sequences with U+FFFD and keeps going', () => {
    const out = decode(b([0x1c, 0x26, 0x81, 0x0a, 0xff], 'ok', [0x0a]));
    expect(out).toEqual([
      { type: 'chinese-mode', on: true },
      { type: 'text', text: '\uFFFD' },
      { type: 'newline' },
      { type: 'text', text: '\uFFFDok' },
      { type: 'newline' },
    ]);
  });

  it('skips commands it does not model by their declared length', () => {
    const out = decode(b([0x1b, 0x2a, 0x00, 0x03, 0x00, 0x41, 0x42, 0x43], [0x1d, 0x6b, 0x04], '123', [0x00], [0x1b, 0x70, 0x00, 0x19, 0xfa], 'z'));
    expect(out.filter((c) => c.type !== 'ignored')).toEqual([{ type: 'text', text: 'z' }]);
  });

  it('property: random bytes in random chunks never throw and never hold more than one command back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), (bytes, sizes) => {
        const d = new EscposDecoder({ maxRasterBytes: 4096 });
        let i = 0;
        let k = 0;
        while (i < bytes.length) {
          const n = sizes[k++ % sizes.length] ?? 1;
          expect(() => d.push(bytes.subarray(i, i + n))).not.toThrow();
          i += n;
        }
        // At most one half-received command (≤ 5 + 65535 for GS ( … or a bounded raster).
        expect(d.buffered).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('property: command-shaped garbage (ESC/GS/FS/DLE-heavy) never throws', () => {
    const byte = fc.oneof(fc.constantFrom(0x10, 0x1b, 0x1c, 0x1d, 0x04, 0x28, 0x6b, 0x76, 0x30, 0x26, 0x2e, 0x0a, 0x81, 0xfe, 0x39), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 400 }), fc.integer({ min: 1, max: 9 }), (arr, size) => {
        expect(() => decode(Buffer.from(arr), [size], { maxRasterBytes: 2048 })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
