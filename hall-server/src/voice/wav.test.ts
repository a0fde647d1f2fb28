import { describe, expect, it } from 'vitest';
import { chime, concatPcm, crossfadeJoin, durationMs, encodeWav, parseWav, resample, rms, silence, trimSilence } from './wav';

/** A WAV file by hand: any chunks, any format, so the parser meets what real tools write. */
function wavBytes(opts: { bits: number; channels: number; rate: number; frames: number[][]; extraChunk?: boolean; streamedSize?: boolean }): Uint8Array {
  const bytes = opts.bits / 8;
  const data = Buffer.alloc(opts.frames.length * bytes * opts.channels);
  opts.frames.forEach((frame, i) =>
    frame.forEach((v, c) => {
      const at = (i * opts.channels + c) * bytes;
      if (opts.bits === 8) data.writeUInt8(v + 128, at);
      else if (opts.bits === 16) data.writeInt16LE(v, at);
      else if (opts.bits === 24) data.writeIntLE(v, at, 3);
      else data.writeInt32LE(v, at);
    }),
  );
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(opts.channels, 10);
  fmt.writeUInt32LE(opts.rate, 12);
  fmt.writeUInt32LE(opts.rate * bytes * opts.channels, 16);
  fmt.writeUInt16LE(bytes * opts.channels, 20);
  fmt.writeUInt16LE(opts.bits, 22);
  const list = opts.extraChunk ? Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]) : Buffer.alloc(0);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(opts.streamedSize ? 0xffffffff : data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, list, dataHead, data]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(opts.streamedSize ? 0xffffffff : body.length, 4);
  return Buffer.concat([head, body]);
}

describe('parseWav', () => {
  it.each([
    ['16-bit mono', { bits: 16, channels: 1, frames: [[1000], [-1000], [32767]] }, [1000, -1000, 32767]],
    ['16-bit stereo is mixed down', { bits: 16, channels: 2, frames: [[1000, 3000], [-2000, 0]] }, [2000, -1000]],
    ['8-bit unsigned', { bits: 8, channels: 1, frames: [[0], [127], [-128]] }, [0, 127 << 8, -128 << 8]],
    ['24-bit', { bits: 24, channels: 1, frames: [[0x123456], [-0x100000]] }, [0x1234, -0x1000]],
    ['32-bit', { bits: 32, channels: 1, frames: [[0x12345678]] }, [0x1234]],
    ['unknown chunks are skipped', { bits: 16, channels: 1, frames: [[5], [6]], extraChunk: true }, [5, 6]],
    ['a streamed size (espeak-ng to a pipe) reads to the end', { bits: 16, channels: 1, frames: [[7], [8], [9]], streamedSize: true }, [7, 8, 9]],
  ])('%s', (_name, o, samples) => {
    const pcm = parseWav(wavBytes({ rate: 22050, ...o }));
    expect(pcm.sampleRate).toBe(22050);
    expect([...pcm.samples]).toEqual(samples);
  });

  it.each([
    ['not RIFF', Buffer.from('hello world, not a wav')],
    ['no data', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')])],
  ])('refuses %s', (_n, bytes) => expect(() => parseWav(bytes)).toThrow());

  it('round-trips what encodeWav writes', () => {
    const pcm = { sampleRate: 16000, samples: Int16Array.from([0, 1, -1, 32767, -32768]) };
    const back = parseWav(encodeWav(pcm));
    expect(back.sampleRate).toBe(16000);
    expect([...back.samples]).toEqual([...pcm.samples]);
    expect(encodeWav(pcm).length).toBe(44 + 10);
  });
});

describe('pcm helpers', () => {
  it('resamples by length and keeps levels', () => {
    const pcm = { sampleRate: 44100, samples: new Int16Array(44100).fill(1000) };
    const r = resample(pcm, 22050);
    expect(r.samples.length).toBe(22050);
    expect(r.samples[100]).toBe(1000);
  });
  it('trims silence at both ends only', () => {
    const s = Int16Array.from([0, 0, 0, 5000, 0, 5000, 0, 0]);
    expect([...trimSilence({ sampleRate: 1000, samples: s }, 300, 0).samples]).toEqual([5000, 0, 5000]);
  });
  it('joins pieces at one rate', () => {
    const joined = concatPcm([silence(8000, 250), { sampleRate: 16000, samples: new Int16Array(16000) }], 8000);
    expect(durationMs(joined)).toBe(1250);
  });
  it('the chime is about a second and audible', () => {
    const c = chime(22050);
    expect(durationMs(c)).toBeGreaterThan(700);
    expect(rms(c)).toBeGreaterThan(1000);
  });
});

describe('crossfadeJoin', () => {
  it('overlaps each join by the given time, fading one into the other', () => {
    const a = { sampleRate: 1000, samples: new Int16Array(100).fill(1000) };
    const b = { sampleRate: 1000, samples: new Int16Array(100).fill(-1000) };
    const j = crossfadeJoin([a, b, a], 1000, 20);
    expect(j.samples.length).toBe(300 - 40);
    expect(j.samples[79]).toBeGreaterThan(0);
    expect(j.samples[80]).toBeGreaterThan(-1000);
    expect(j.samples[100]).toBe(-1000);
  });
  it('never overlaps more than a third of a clip', () => {
    const short = { sampleRate: 1000, samples: new Int16Array(30).fill(1) };
    expect(crossfadeJoin([short, short], 1000, 100).samples.length).toBe(50);
  });
});
