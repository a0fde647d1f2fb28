/**
 * The little of RIFF/WAVE the call audio needs: read PCM WAV files (8/16/24/32-bit integer, any
 * rate, any channel count), bring them to one format (mono 16-bit at the pack's rate), join them
 * with silences, and write one PCM WAV file. No library: the format is small and well known, and
 * recorded voice packs come from many tools, so the parser skips chunks it does not know (LIST,
 * fact, bext…) instead of expecting the 44-byte canonical header.
 */

/** Mono 16-bit PCM samples at `sampleRate`. */
export interface Pcm {
  sampleRate: number;
  samples: Int16Array;
}

export class WavError extends Error {}

/** Reads a PCM WAV file and mixes it down to mono 16-bit (its own rate). */
export function parseWav(buf: Uint8Array): Pcm {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (at: number) => String.fromCharCode(buf[at] ?? 0, buf[at + 1] ?? 0, buf[at + 2] ?? 0, buf[at + 3] ?? 0);
  if (buf.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavError('not a RIFF/WAVE file');
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  let data: { at: number; size: number } | null = null;
  let at = 12;
  while (at + 8 <= buf.byteLength) {
    const id = tag(at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    // Streamed writers (espeak-ng to a pipe) leave 0 or 0xFFFFFFFF as the data size.
    if (id === 'data' && (size === 0 || size === 0xffffffff || body + size > buf.byteLength)) size = buf.byteLength - body;
    if (id === 'fmt ') {
      if (size < 16) throw new WavError('fmt chunk too short');
      let format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first 2 bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits };
    } else if (id === 'data') {
      data = { at: body, size };
      break;
    }
    at = body + size + (size % 2);
  }
  if (!fmt) throw new WavError('no fmt chunk');
  if (!data) throw new WavError('no data chunk');
  if (fmt.format !== 1) throw new WavError(`not integer PCM (format ${fmt.format})`);
  if (![8, 16, 24, 32].includes(fmt.bits)) throw new WavError(`unsupported bit depth ${fmt.bits}`);
  if (fmt.channels < 1 || fmt.rate < 1000) throw new WavError('bad channel count or sample rate');
  const bytes = fmt.bits / 8;
  const frame = bytes * fmt.channels;
  const frames = Math.floor(data.size / frame);
  const out = new Int16Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < fmt.channels; c++) {
      const p = data.at + i * frame + c * bytes;
      let v: number;
      if (fmt.bits === 8) v = (view.getUint8(p) - 128) << 8;
      else if (fmt.bits === 16) v = view.getInt16(p, true);
      else if (fmt.bits === 24) v = ((view.getUint8(p + 2) << 24) | (view.getUint8(p + 1) << 16) | (view.getUint8(p) << 8)) >> 16;
      else v = view.getInt32(p, true) >> 16;
      sum += v;
    }
    out[i] = Math.round(sum / fmt.channels);
  }
  return { sampleRate: fmt.rate, samples: out };
}

/** Linear resampling: good enough for speech clips recorded at another common rate. */
export function resample(pcm: Pcm, rate: number): Pcm {
  if (pcm.sampleRate === rate) return pcm;
  const n = Math.max(0, Math.round((pcm.samples.length * rate) / pcm.sampleRate));
  const out = new Int16Array(n);
  const step = pcm.sampleRate / rate;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const i0 = Math.floor(x);
    const a = pcm.samples[i0] ?? 0;
    const b = pcm.samples[i0 + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - i0));
  }
  return { sampleRate: rate, samples: out };
}

/** Drops leading and trailing near-silence, so joined clips do not leave gaps between words. */
export function trimSilence(pcm: Pcm, threshold = 300, keepMs = 15): Pcm {
  const s = pcm.samples;
  let start = 0;
  let end = s.length;
  while (start < end && Math.abs(s[start] ?? 0) < threshold) start++;
  while (end > start && Math.abs(s[end - 1] ?? 0) < threshold) end--;
  const keep = Math.round((pcm.sampleRate * keepMs) / 1000);
  return { sampleRate: pcm.sampleRate, samples: s.slice(Math.max(0, start - keep), Math.min(s.length, end + keep)) };
}

export function silence(rate: number, ms: number): Pcm {
  return { sampleRate: rate, samples: new Int16Array(Math.round((rate * ms) / 1000)) };
}

/** Joins pieces (each brought to `rate` first). */
export function concatPcm(pieces: readonly Pcm[], rate: number): Pcm {
  const parts = pieces.map((p) => resample(p, rate).samples);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { sampleRate: rate, samples: out };
}

/**
 * Joins clips that overlap by `overlapMs`, the first fading out as the next fades in: isolated
 * syllables (espeak-ng's above all) end in a long release that, said one after another, makes
 * a call slow and halting.
 */
export function crossfadeJoin(pieces: readonly Pcm[], rate: number, overlapMs: number): Pcm {
  const parts = pieces.map((p) => resample(p, rate).samples);
  const want = Math.round((rate * overlapMs) / 1000);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let end = 0;
  for (const p of parts) {
    const ov = Math.min(want, Math.floor(p.length / 3), end);
    const start = end - ov;
    for (let i = 0; i < ov; i++) {
      const w = (i + 1) / (ov + 1);
      out[start + i] = Math.max(-32768, Math.min(32767, Math.round((out[start + i] ?? 0) * (1 - w) + (p[i] ?? 0) * w)));
    }
    out.set(p.subarray(ov), end);
    end = start + p.length;
  }
  return { sampleRate: rate, samples: out.slice(0, end) };
}

/**
 * A two-note "ding-dong" (E6 then C6) with a soft decay: the chime before a call when the pack
 * has none of its own.
 */
export function chime(rate: number): Pcm {
  const note = (freq: number, ms: number): Int16Array => {
    const n = Math.round((rate * ms) / 1000);
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / rate;
      const env = Math.min(1, i / (rate * 0.005)) * Math.exp(-3.5 * (i / n));
      out[i] = Math.round(12000 * env * (Math.sin(2 * Math.PI * freq * t) + 0.3 * Math.sin(4 * Math.PI * freq * t)) / 1.3);
    }
    return out;
  };
  return concatPcm([{ sampleRate: rate, samples: note(1318.5, 350) }, { sampleRate: rate, samples: note(1046.5, 500) }], rate);
}

/** A canonical 44-byte-header PCM WAV, mono 16-bit. */
export function encodeWav(pcm: Pcm): Buffer {
  const dataBytes = pcm.samples.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(pcm.sampleRate, 24);
  buf.writeUInt32LE(pcm.sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < pcm.samples.length; i++) buf.writeInt16LE(pcm.samples[i] ?? 0, 44 + i * 2);
  return buf;
}

export function durationMs(pcm: Pcm): number {
  return (pcm.samples.length * 1000) / pcm.sampleRate;
}

/** Root mean square level of the samples (0 = silence, 32767 = full scale square wave). */
export function rms(pcm: Pcm): number {
  let sum = 0;
  for (const v of pcm.samples) sum += v * v;
  return pcm.samples.length ? Math.sqrt(sum / pcm.samples.length) : 0;
}
