import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc16Modbus, sum8, xor8 } from './checksum';
import { encodeFrame, FrameEncodeError, FrameParser, type Frame, type ParseResult } from './frame-codec';
import { BUILT_IN_FRAME_PROFILES } from './built-in-profiles';
import { HALL_DEFAULT_PROFILE, layoutOf, MODBUS_LIKE_PROFILE, STX_ETX_PROFILE, type FrameProfile } from './frame-profile';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const frames = (rs: ParseResult[]): Frame[] => rs.flatMap((r) => (r.type === 'frame' ? [r.frame] : []));
const errors = (rs: ParseResult[]): string[] => rs.flatMap((r) => (r.type === 'error' ? [r.error.code] : []));
const profiles = Object.values(BUILT_IN_FRAME_PROFILES);

describe('checksums', () => {
  it('sum8 and xor8', () => {
    expect(sum8(hex('68 02 02 68 03 7E'))).toBe(0x55);
    expect(sum8(hex('FF FF 02'))).toBe(0x00);
    expect(xor8(hex('01 02 03'))).toBe(0x00);
    expect(xor8(hex('01 11'))).toBe(0x10);
  });

  it('crc16-modbus matches the catalogue check value', () => {
    expect(crc16Modbus(Buffer.from('123456789'))).toBe(0x4b37);
    // Modbus "read holding registers" example: 01 03 00 00 00 0A → C5 CD
    expect(crc16Modbus(hex('01 03 00 00 00 0A'))).toBe(0xcdc5);
  });
});

describe('encodeFrame, default profile FF 68 L L 68 ADDR FUNC DATA CS 16', () => {
  it('a poll to address 3: exact bytes', () => {
    const f = encodeFrame(HALL_DEFAULT_PROFILE, { address: 3, func: 0x7e, payload: new Uint8Array() });
    // L = 2 (ADDR FUNC); CS = 68+02+02+68+03+7E = 0x155 → 0x55
    expect(f.toString('hex')).toBe(hex('FF 68 02 02 68 03 7E 55 16').toString('hex'));
  });

  it('show 「请A001号」 on line 1 of board 1: exact bytes, GBK payload', () => {
    const payload = Buffer.concat([Buffer.from([1]), hex('C7EB 41 30 30 31 BAC5')]);
    const f = encodeFrame(HALL_DEFAULT_PROFILE, { address: 1, func: 0x01, payload });
    // L = 1 + 1 + 9 = 0x0B; CS = (68+0B+0B+68+01+01+01+C7+EB+41+30+30+31+BA+C5) & FF = 0x4EC & FF = 0xEC
    expect(f.toString('hex')).toBe(hex('FF 68 0B 0B 68 01 01 01 C7 EB 41 30 30 31 BA C5 EC 16').toString('hex'));
    expect(sum8(f.subarray(1, f.length - 2))).toBe(f[f.length - 2]);
  });

  it('refuses what cannot be framed', () => {
    expect(() => encodeFrame(HALL_DEFAULT_PROFILE, { address: 256, func: 1, payload: new Uint8Array() })).toThrow(FrameEncodeError);
    expect(() => encodeFrame(HALL_DEFAULT_PROFILE, { address: 1, func: 1, payload: new Uint8Array(254) })).toThrow(/exceeds/);
  });
});

describe('encodeFrame, other profiles', () => {
  it('modbus-like ADDR FUNC LEN DATA CRC16 (low byte first)', () => {
    const f = encodeFrame(MODBUS_LIKE_PROFILE, { address: 1, func: 0x03, payload: hex('00 00 00 0A') });
    const crc = crc16Modbus(hex('01 03 04 00 00 00 0A'));
    expect([...f]).toEqual([0x01, 0x03, 0x04, 0x00, 0x00, 0x00, 0x0a, crc & 0xff, crc >> 8]);
  });

  it('stx-etx 02 ADDR FUNC DATA CRC16(hi,lo) 03', () => {
    const f = encodeFrame(STX_ETX_PROFILE, { address: 5, func: 0x30, payload: Buffer.from('AB') });
    const crc = crc16Modbus(hex('05 30 41 42'));
    expect([...f]).toEqual([0x02, 0x05, 0x30, 0x41, 0x42, crc >> 8, crc & 0xff, 0x03]);
  });

  it('a no-length profile takes the first trailer whose checksum matches, so a trailer byte inside data survives', () => {
    const f = encodeFrame(STX_ETX_PROFILE, { address: 3, func: 0x10, payload: Buffer.from([0x03, 0x03]) });
    const rs = new FrameParser(STX_ETX_PROFILE).push(f);
    expect(frames(rs).map((x) => [...x.data])).toEqual([[3, 3]]);
  });

  it('a two-byte little-endian length counting the whole frame, two-byte address', () => {
    const p: FrameProfile = {
      ...HALL_DEFAULT_PROFILE,
      name: 'wide',
      layout: [
        { field: 'const', bytes: [0xaa, 0x55] },
        { field: 'length', size: 2, endian: 'le', counts: 'frame' },
        { field: 'address', size: 2 },
        { field: 'func' },
        { field: 'data' },
        { field: 'checksum', kind: 'xor8', from: 2 },
      ],
    };
    const f = encodeFrame(p, { address: 0x1234, func: 9, payload: Buffer.from([7]) });
    expect([...f.subarray(0, 7)]).toEqual([0xaa, 0x55, 9, 0, 0x12, 0x34, 9]);
    expect(f.length).toBe(9);
    expect(frames(new FrameParser(p).push(f))).toEqual([{ address: 0x1234, func: 9, data: Buffer.from([7]), raw: f }]);
  });
});

describe.each(profiles.map((p) => [p.name, p] as const))('FrameParser, %s', (_name, profile) => {
  const a = encodeFrame(profile, { address: 1, func: 0x01, payload: Buffer.concat([Buffer.from([1]), hex('C7EB 41 30 30 31 BAC5')]) });
  const b = encodeFrame(profile, { address: 2, func: 0x7e, payload: new Uint8Array() });
  const c = encodeFrame(profile, { address: 0xfe, func: 0x21, payload: Buffer.from([5, 3]) });

  it('decodes a frame', () => {
    const rs = new FrameParser(profile).push(a);
    expect(errors(rs)).toEqual([]);
    expect(frames(rs)).toHaveLength(1);
    expect(frames(rs)[0]).toMatchObject({ address: 1, func: 1 });
    expect(frames(rs)[0]?.data.toString('hex')).toBe('01c7eb41303031bac5');
  });

  it('finds the frame when split at every point, and byte by byte', () => {
    for (let i = 1; i < a.length; i++) {
      const p = new FrameParser(profile);
      const rs = [...p.push(a.subarray(0, i)), ...p.push(a.subarray(i))];
      expect(errors(rs), `split at ${i}`).toEqual([]);
      expect(frames(rs).map((f) => f.raw.toString('hex')), `split at ${i}`).toEqual([a.toString('hex')]);
    }
    const p = new FrameParser(profile);
    const rs = [...a].flatMap((byte) => p.push(Uint8Array.of(byte)));
    expect(frames(rs)).toHaveLength(1);
    expect(p.pending).toBe(0);
  });

  it('takes several frames from one read', () => {
    const rs = new FrameParser(profile).push(Buffer.concat([a, b, c]));
    expect(frames(rs).map((f) => f.address)).toEqual([1, 2, 0xfe]);
    expect(errors(rs)).toEqual([]);
  });

  it('skips garbage between frames and says so', () => {
    const noise = profile.name === 'modbus-like' ? hex('FF FF FF') : hex('00 13 37');
    const rs = new FrameParser(profile).push(Buffer.concat([noise, a, noise, b]));
    expect(frames(rs).map((f) => f.address)).toEqual([1, 2]);
    expect(errors(rs).length).toBeGreaterThan(0);
    // With a header the noise is plain garbage; headerless, noise where a frame should start reads as a bad frame.
    if (layoutOf(profile).header) expect(errors(rs).every((e) => e === 'garbage')).toBe(true);
  });

  it('reports a bad checksum and recovers at the next frame', () => {
    const bad = Buffer.from(b);
    const csAt = profile.name === 'modbus-like' ? bad.length - 1 : bad.length - 2;
    bad[csAt] = (bad[csAt] as number) ^ 0x5a;
    const rs = new FrameParser(profile).push(Buffer.concat([bad, c]));
    expect(frames(rs).map((f) => f.address)).toEqual([0xfe]);
    expect(errors(rs)[0]).toBe('bad-checksum');
  });

  it('a torn frame does not hide the good one behind it', () => {
    const rs = new FrameParser(profile).push(Buffer.concat([a.subarray(0, 6), b]));
    expect(frames(rs).map((f) => f.address)).toEqual([2]);
  });
});

describe('FrameParser, default-profile specifics', () => {
  it('length fields that disagree', () => {
    const f = encodeFrame(HALL_DEFAULT_PROFILE, { address: 3, func: 0x7e, payload: new Uint8Array() });
    const bad = Buffer.from(f);
    bad[3] = 0x03;
    const rs = new FrameParser(HALL_DEFAULT_PROFILE).push(Buffer.concat([bad, f]));
    expect(errors(rs)).toContain('length-mismatch');
    expect(frames(rs)).toHaveLength(1);
  });

  it('an impossible length', () => {
    const rs = new FrameParser(HALL_DEFAULT_PROFILE).push(hex('FF 68 01 01 68 03'));
    expect(errors(rs)).toEqual(['bad-length']);
  });

  it('a wrong trailer', () => {
    const f = Buffer.from(encodeFrame(HALL_DEFAULT_PROFILE, { address: 3, func: 0x7e, payload: new Uint8Array() }));
    f[f.length - 1] = 0x17;
    expect(errors(new FrameParser(HALL_DEFAULT_PROFILE).push(f))).toEqual(['bad-trailer']);
  });

  it('keeps a partial header across reads', () => {
    const f = encodeFrame(HALL_DEFAULT_PROFILE, { address: 3, func: 0x7e, payload: new Uint8Array() });
    const p = new FrameParser(HALL_DEFAULT_PROFILE);
    const rs = [...p.push(Buffer.concat([hex('12 34'), f.subarray(0, 1)])), ...p.push(f.subarray(1))];
    expect(frames(rs)).toHaveLength(1);
    expect(errors(rs)).toEqual(['garbage']);
  });

  it('emits typed events as well as returning them', () => {
    const p = new FrameParser(HALL_DEFAULT_PROFILE);
    const seen: string[] = [];
    p.on('frame', (f) => seen.push(`frame ${f.address}`));
    p.on('frame-error', (e) => seen.push(e.code));
    p.push(Buffer.concat([hex('00'), encodeFrame(HALL_DEFAULT_PROFILE, { address: 9, func: 1, payload: Buffer.from([1]) })]));
    expect(seen).toEqual(['garbage', 'frame 9']);
  });
});

describe('FrameParser properties', () => {
  const chunked = (bytes: Uint8Array, cuts: number[]): Uint8Array[] => {
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
    const out: Uint8Array[] = [];
    let prev = 0;
    for (const p of [...points, bytes.length]) {
      out.push(bytes.subarray(prev, p));
      prev = p;
    }
    return out;
  };

  it.each(profiles.map((p) => [p.name, p] as const))('random bytes never throw (%s)', (_n, profile) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const p = new FrameParser(profile);
        for (const chunk of chunked(bytes, cuts)) p.push(chunk);
        expect(p.pending).toBeLessThanOrEqual(layoutOf(profile).maxData + 40);
      }),
      { numRuns: 300 },
    );
  });

  it.each(profiles.map((p) => [p.name, p] as const))('a valid frame inside random garbage is found (%s)', (_n, profile) => {
    const layout = layoutOf(profile);
    const last = profile.layout[profile.layout.length - 1];
    const trailer = last?.field === 'const' ? last.bytes[0] : -1;
    const noise = fc.uint8Array({ maxLength: 40 });
    fc.assert(
      fc.property(
        noise,
        noise,
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        // Without a length field a trailer byte inside data could, by checksum chance, end the frame early.
        fc.uint8Array({ maxLength: 40 }).map((d) => (layout.length ? d : d.filter((x) => x !== trailer))),
        fc.array(fc.nat(), { maxLength: 6 }),
        (before, after, address, func, payload, cuts) => {
          const frame = encodeFrame(profile, { address, func, payload });
          const stream = Buffer.concat([before, frame, after]);
          const p = new FrameParser(profile);
          const found = chunked(stream, cuts).flatMap((c) => frames(p.push(c)));
          expect(found.some((f) => f.raw.equals(frame))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
