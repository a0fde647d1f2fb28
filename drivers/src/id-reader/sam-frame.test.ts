import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SamReplyParser,
  SamRequestParser,
  decodeReadData,
  encodeSamCommand,
  encodeSamReply,
  encodeSamRequest,
  formatSamId,
  type SamParseEvent,
  type SamReply,
} from './sam-frame';
import { SAM_STATUS, samStatusText } from './sam-status';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function frames<F>(events: SamParseEvent<F>[]): F[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
}

function readReply(): Buffer {
  const data = Buffer.alloc(4 + 256 + 1024);
  data.writeUInt16BE(256, 0);
  data.writeUInt16BE(1024, 2);
  data.fill(0x41, 4, 4 + 256);
  data.fill(0x57, 4 + 256);
  return encodeSamReply(SAM_STATUS.ok, data);
}

describe('SAM frame encoding', () => {
  it('matches the byte sequences vendors document', () => {
    expect(encodeSamCommand('findCard')).toEqual(hex('AA AA AA 96 69 00 03 20 01 22'));
    expect(encodeSamCommand('selectCard')).toEqual(hex('AA AA AA 96 69 00 03 20 02 21'));
    expect(encodeSamCommand('readBase')).toEqual(hex('AA AA AA 96 69 00 03 30 01 32'));
    expect(encodeSamCommand('samStatus')).toEqual(hex('AA AA AA 96 69 00 03 11 FF ED'));
    expect(encodeSamCommand('reset')).toEqual(hex('AA AA AA 96 69 00 03 10 FF EC'));
    expect(encodeSamCommand('samId')).toEqual(hex('AA AA AA 96 69 00 03 12 FF EE'));
    expect(encodeSamReply(SAM_STATUS.cardFound, new Uint8Array(4))).toEqual(hex('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97'));
    expect(encodeSamReply(SAM_STATUS.ok, new Uint8Array(8))).toEqual(hex('AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C'));
    expect(encodeSamReply(SAM_STATUS.noCardFound)).toEqual(hex('AA AA AA 96 69 00 04 00 00 80 84'));
    expect(encodeSamReply(SAM_STATUS.selectFailed)).toEqual(hex('AA AA AA 96 69 00 04 00 00 81 85'));
    expect(readReply().subarray(0, 14)).toEqual(hex('AA AA AA 96 69 05 08 00 00 90 01 00 04 00'));
    expect(readReply().length).toBe(1295); // 5 + 2 + 0x0508
  });

  it('round-trips requests with data', () => {
    const p = new SamRequestParser();
    const [ev] = p.push(encodeSamRequest(0x30, 0x11, Uint8Array.of(1, 2, 3)));
    expect(ev).toEqual({ type: 'frame', frame: { cmd: 0x30, para: 0x11, data: Buffer.from([1, 2, 3]) } });
  });

  it('names statuses', () => {
    expect(samStatusText(0x90)).toMatch(/ok/);
    expect(samStatusText(0x41)).toMatch(/read failed/);
    expect(samStatusText(0x77)).toBe('unknown SAM status 0x77');
  });
});

describe('SamReplyParser', () => {
  const stream = Buffer.concat([
    encodeSamReply(SAM_STATUS.cardFound, new Uint8Array(4)),
    encodeSamReply(SAM_STATUS.ok, new Uint8Array(8)),
    readReply(),
  ]);

  it('finds several frames in one read', () => {
    const got = frames(new SamReplyParser().push(stream));
    expect(got.map((f) => f.sw3)).toEqual([0x9f, 0x90, 0x90]);
    expect(got[2]?.data.length).toBe(1284);
  });

  it('finds every frame whatever the split point', () => {
    for (let i = 0; i <= stream.length; i++) {
      const p = new SamReplyParser();
      const events = [...p.push(stream.subarray(0, i)), ...p.push(stream.subarray(i))];
      expect(events.every((e) => e.type === 'frame')).toBe(true);
      expect(frames(events).map((f) => f.sw3)).toEqual([0x9f, 0x90, 0x90]);
      expect(p.buffered).toBe(0);
    }
  });

  it('finds every frame fed one byte at a time', () => {
    const p = new SamReplyParser();
    const got: SamReply[] = [];
    for (const b of stream) got.push(...frames(p.push(Uint8Array.of(b))));
    expect(got.map((f) => f.sw3)).toEqual([0x9f, 0x90, 0x90]);
  });

  it('reports garbage between frames as noise and resyncs on the preamble', () => {
    const p = new SamReplyParser();
    const events = p.push(
      Buffer.concat([hex('00 11 AA AA 96'), encodeSamReply(0x80), hex('FF AA AA'), encodeSamReply(0x9f, new Uint8Array(4))]),
    );
    expect(events).toEqual([
      { type: 'noise', bytes: 5 },
      { type: 'frame', frame: { sw1: 0, sw2: 0, sw3: 0x80, data: Buffer.alloc(0) } },
      { type: 'noise', bytes: 3 },
      { type: 'frame', frame: { sw1: 0, sw2: 0, sw3: 0x9f, data: Buffer.alloc(4) } },
    ]);
  });

  it('keeps a half preamble at the end of a read for the next one', () => {
    const p = new SamReplyParser();
    const f = encodeSamReply(0x80);
    expect(p.push(Buffer.concat([hex('01 02'), f.subarray(0, 4)]))).toEqual([{ type: 'noise', bytes: 2 }]);
    expect(p.buffered).toBe(4);
    expect(frames(p.push(f.subarray(4))).map((r) => r.sw3)).toEqual([0x80]);
  });

  it('reports a bad checksum and still finds the next frame', () => {
    const bad = encodeSamReply(SAM_STATUS.ok, new Uint8Array(8));
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0x01, bad.length - 1);
    const events = new SamReplyParser().push(Buffer.concat([bad, encodeSamReply(0x80)]));
    expect(events).toEqual([
      { type: 'error', error: { code: 'SAM.BAD_CHECKSUM', message: expect.any(String), bytes: bad.length } },
      { type: 'frame', frame: { sw1: 0, sw2: 0, sw3: 0x80, data: Buffer.alloc(0) } },
    ]);
  });

  it('finds a frame hidden inside a frame that failed its checksum', () => {
    // A stray preamble with a plausible length swallows the real reply; the parser rescans it.
    const stray = hex('AA AA AA 96 69 00 10 00');
    const events = new SamReplyParser().push(Buffer.concat([stray, encodeSamReply(0x80), Buffer.alloc(10)]));
    expect(events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.error.code)).toEqual(['SAM.BAD_CHECKSUM']);
    expect(frames(events).map((f) => f.sw3)).toEqual([0x80]);
  });

  it('reports impossible lengths and resyncs', () => {
    for (const len of ['00 00', '00 03', 'FF FF', '10 01']) {
      const events = new SamReplyParser().push(Buffer.concat([hex(`AA AA AA 96 69 ${len}`), encodeSamReply(0x9f, new Uint8Array(4))]));
      expect(events[0]).toEqual({ type: 'error', error: { code: 'SAM.BAD_LENGTH', message: expect.any(String), bytes: 7 } });
      expect(frames(events).map((f) => f.sw3)).toEqual([0x9f]);
    }
  });

  it('accepts a custom maximum length', () => {
    const events = new SamReplyParser({ maxLength: 100 }).push(readReply());
    expect(events[0]?.type).toBe('error');
    expect(frames(events)).toEqual([]);
  });

  it('forgets a half frame on reset', () => {
    const p = new SamReplyParser();
    p.push(readReply().subarray(0, 100));
    expect(p.buffered).toBe(100);
    p.reset();
    expect(frames(p.push(encodeSamReply(0x80))).length).toBe(1);
  });
});

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

describe('SAM parsers (properties)', () => {
  it('never throw on random bytes in random chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const reply = new SamReplyParser();
        const request = new SamRequestParser();
        for (const c of chunks) {
          for (const ev of [...reply.push(c), ...request.push(c)]) {
            expect(['frame', 'error', 'noise']).toContain(ev.type);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throw on byte soup made of preamble pieces and lengths', () => {
    const piece = fc.constantFrom(hex('AA'), hex('AA AA AA 96 69'), hex('96 69'), hex('00 04'), hex('00 03'), hex('FF'), hex('00'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
        const bytes = Buffer.concat(pieces);
        const p = new SamReplyParser();
        for (const c of chunked(bytes, cuts)) p.push(c);
        expect(p.buffered).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('find any valid frame surrounded by random garbage, however it is split', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (before, sw3, data, after, cuts) => {
          const frame = encodeSamReply(sw3, data);
          const all = Buffer.concat([before, frame, after]);
          const p = new SamReplyParser();
          const got: SamReply[] = [];
          for (const c of chunked(all, cuts)) got.push(...frames(p.push(c)));
          expect(got).toContainEqual({ sw1: 0, sw2: 0, sw3, data: Buffer.from(data) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('find any request frame surrounded by random garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(255), fc.nat(255), fc.uint8Array({ maxLength: 50 }), fc.uint8Array({ maxLength: 100 }), (before, cmd, para, data, after) => {
        const got = frames(new SamRequestParser().push(Buffer.concat([before, encodeSamRequest(cmd, para, data), after])));
        expect(got).toContainEqual({ cmd, para, data: Buffer.from(data) });
      }),
      { numRuns: 300 },
    );
  });
});

describe('read reply blocks', () => {
  it('splits text from photo (and fingerprint)', () => {
    const data = readReply().subarray(10, -1);
    const r = decodeReadData(data, false);
    expect(r.ok && r.value.text.length).toBe(256);
    expect(r.ok && r.value.photoLength).toBe(1024);
    expect(r.ok && r.value.text.every((b) => b === 0x41)).toBe(true);

    const withFp = Buffer.alloc(6 + 256 + 1024 + 1024);
    withFp.writeUInt16BE(256, 0);
    withFp.writeUInt16BE(1024, 2);
    withFp.writeUInt16BE(1024, 4);
    const f = decodeReadData(withFp, true);
    expect(f.ok && f.value.fingerprintLength).toBe(1024);
  });

  it('rejects blocks that do not add up', () => {
    expect(decodeReadData(Buffer.alloc(3), false).ok).toBe(false);
    const short = Buffer.alloc(4 + 256);
    short.writeUInt16BE(256, 0);
    short.writeUInt16BE(1024, 2);
    expect(decodeReadData(short, false)).toMatchObject({ ok: false, error: { code: 'SAM.BAD_LENGTH' } });
    const tiny = Buffer.alloc(4 + 10);
    tiny.writeUInt16BE(10, 0);
    expect(decodeReadData(tiny, false).ok).toBe(false);
  });

  it('formats the SAM id', () => {
    const id = Buffer.alloc(16);
    id.writeUInt16LE(5, 0);
    id.writeUInt16LE(1, 2);
    id.writeUInt32LE(20101001, 4);
    id.writeUInt32LE(12345678, 8);
    id.writeUInt32LE(1234567890, 12);
    expect(formatSamId(id)).toBe('05.01-20101001-0012345678-1234567890');
    expect(formatSamId(Buffer.alloc(3))).toBeUndefined();
  });
});
