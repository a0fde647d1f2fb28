/**
 * The generic frame codec: `encodeFrame` builds a frame from a profile; `FrameParser` takes the
 * byte stream as it arrives (split frames, several per read, line noise) and emits whole frames
 * or typed errors. Pure apart from the parser's own buffer; the parser never throws.
 */
import { EventEmitter } from 'node:events';
import { checksumBytes } from './checksum';
import { layoutOf, type CompiledLayout, type FrameField, type FrameProfile } from './frame-profile';

export interface FrameFields {
  address: number;
  func: number;
  payload: Uint8Array;
}

export interface Frame {
  address: number;
  func: number;
  data: Buffer;
  /** The whole frame as received. */
  raw: Buffer;
}

export type FrameErrorCode =
  /** Bytes that are not part of any frame (noise, a torn frame before a good one). */
  | 'garbage'
  /** A fixed byte inside the frame (separator) is wrong. */
  | 'bad-separator'
  /** Two length fields disagree. */
  | 'length-mismatch'
  /** The length is impossible for this profile. */
  | 'bad-length'
  | 'bad-checksum'
  /** The trailer after data is wrong. */
  | 'bad-trailer';

export interface FrameError {
  code: FrameErrorCode;
  message: string;
  /** The offending bytes (at most 300). */
  bytes: Buffer;
}

export type ParseResult = { type: 'frame'; frame: Frame } | { type: 'error'; error: FrameError };

export class FrameEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameEncodeError';
  }
}

function putInt(out: number[], value: number, size: number, endian: 'be' | 'le' = 'be'): void {
  const bytes: number[] = [];
  for (let i = size - 1; i >= 0; i--) bytes.push((value >>> (8 * i)) & 0xff);
  out.push(...(endian === 'be' ? bytes : bytes.reverse()));
}

function readInt(buf: Uint8Array, at: number, size: number, endian: 'be' | 'le' = 'be'): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = (v << 8) | (buf[endian === 'be' ? at + i : at + size - 1 - i] as number);
  return v >>> 0;
}

/**
 * The bytes of one frame. Throws `FrameEncodeError` only for caller bugs (address or function
 * code out of range, payload longer than the profile allows); callers truncate text first.
 */
export function encodeFrame(profile: FrameProfile, fields: FrameFields): Buffer {
  const layout = layoutOf(profile);
  const { address, func, payload } = fields;
  if (!Number.isInteger(func) || func < 0 || func > 0xff) throw new FrameEncodeError(`function code ${func} out of range`);
  if (payload.length > layout.maxData)
    throw new FrameEncodeError(`payload of ${payload.length} bytes exceeds ${layout.maxData} for profile ${profile.name}`);
  const out: number[] = [];
  for (const f of profile.layout) {
    switch (f.field) {
      case 'const':
        out.push(...f.bytes);
        break;
      case 'length': {
        const value = payload.length + (layout.length?.countedFixed ?? 0) + (f.adjust ?? 0);
        putInt(out, value, f.size, f.endian);
        break;
      }
      case 'address': {
        const max = f.size === 1 ? 0xff : 0xffff;
        if (!Number.isInteger(address) || address < 0 || address > max) throw new FrameEncodeError(`address ${address} out of range`);
        putInt(out, address, f.size, f.endian);
        break;
      }
      case 'func':
        out.push(func);
        break;
      case 'data':
        for (const b of payload) out.push(b);
        break;
      case 'checksum':
        out.push(...checksumBytes(f.kind, Uint8Array.from(out.slice(f.from)), f.endian ?? 'le'));
        break;
    }
  }
  return Buffer.from(out);
}

type Attempt =
  | { status: 'frame'; frame: Frame; size: number }
  | { status: 'invalid'; code: FrameErrorCode; message: string; size: number }
  /** `problem`: no-length profiles, a trailer was seen but with a bad checksum. */
  | { status: 'need-more'; problem?: { code: FrameErrorCode; message: string } };

/** Tries to read one frame at the start of `buf`. */
function attempt(profile: FrameProfile, layout: CompiledLayout, buf: Buffer): Attempt {
  let pos = 0;
  let address = 0;
  let func = 0;
  let dataLen: number | undefined;
  for (let i = 0; i < layout.before.length; i++) {
    const f = layout.before[i] as FrameField;
    const size = f.field === 'const' ? f.bytes.length : f.field === 'func' ? 1 : f.field === 'data' || f.field === 'checksum' ? 0 : f.size;
    if (buf.length < pos + size) return { status: 'need-more' };
    switch (f.field) {
      case 'const':
        for (let k = 0; k < f.bytes.length; k++)
          if (buf[pos + k] !== f.bytes[k]) return { status: 'invalid', code: 'bad-separator', message: `expected ${hex(f.bytes)} at byte ${pos}`, size: pos + k + 1 };
        break;
      case 'length': {
        const lc = layout.length as NonNullable<CompiledLayout['length']>;
        const n = readInt(buf, pos, f.size, f.endian) - lc.adjust - lc.countedFixed;
        if (dataLen !== undefined && n !== dataLen)
          return { status: 'invalid', code: 'length-mismatch', message: `length fields disagree at byte ${pos}`, size: pos + size };
        if (n < 0 || n > layout.maxData)
          return { status: 'invalid', code: 'bad-length', message: `data length ${n} outside 0..${layout.maxData}`, size: pos + size };
        dataLen = n;
        break;
      }
      case 'address':
        address = readInt(buf, pos, f.size, f.endian);
        break;
      case 'func':
        func = buf[pos] as number;
        break;
    }
    pos += size;
  }
  const dataStart = pos;
  if (dataLen !== undefined) {
    const total = dataStart + dataLen + layout.fixedAfter;
    if (buf.length < total) return { status: 'need-more' };
    const problem = checkAfter(layout, buf, dataStart + dataLen);
    if (problem) return { status: 'invalid', ...problem, size: total };
    return { status: 'frame', frame: makeFrame(buf, address, func, dataStart, dataLen, total), size: total };
  }
  // No length field: the frame ends at the first trailer that comes with a good checksum.
  let lastProblem: { code: FrameErrorCode; message: string } | undefined;
  for (let n = 0; n <= layout.maxData; n++) {
    const total = dataStart + n + layout.fixedAfter;
    if (buf.length < total) return lastProblem && lastProblem.code !== 'bad-trailer' ? { status: 'need-more', problem: lastProblem } : { status: 'need-more' };
    const problem = checkAfter(layout, buf, dataStart + n);
    if (!problem) return { status: 'frame', frame: makeFrame(buf, address, func, dataStart, n, total), size: total };
    if (problem.code !== 'bad-trailer' || !lastProblem) lastProblem = problem;
  }
  const p = lastProblem ?? { code: 'bad-trailer' as const, message: 'no trailer' };
  return { status: 'invalid', ...p, message: `${p.message} within ${layout.maxData} bytes of data`, size: dataStart + layout.maxData + layout.fixedAfter };
}

/** Trailer first (cheap), then checksum. */
function checkAfter(layout: CompiledLayout, buf: Buffer, dataEnd: number): { code: FrameErrorCode; message: string } | null {
  let pos = dataEnd;
  let csAt = -1;
  for (const f of layout.after) {
    if (f.field === 'const') {
      for (let k = 0; k < f.bytes.length; k++)
        if (buf[pos + k] !== f.bytes[k]) return { code: 'bad-trailer', message: `expected ${hex(f.bytes)} at byte ${pos}` };
      pos += f.bytes.length;
    } else if (f.field === 'checksum' && layout.checksum) {
      csAt = pos;
      pos += layout.checksum.size;
    }
  }
  const cs = layout.checksum;
  if (cs && csAt >= 0) {
    const want = checksumBytes(cs.kind, buf.subarray(cs.from, csAt), cs.endian);
    for (let k = 0; k < want.length; k++)
      if (buf[csAt + k] !== want[k]) return { code: 'bad-checksum', message: `checksum ${hex([...buf.subarray(csAt, csAt + want.length)])} should be ${hex(want)}` };
  }
  return null;
}

function makeFrame(buf: Buffer, address: number, func: number, dataStart: number, dataLen: number, total: number): Frame {
  return { address, func, data: Buffer.from(buf.subarray(dataStart, dataStart + dataLen)), raw: Buffer.from(buf.subarray(0, total)) };
}

function hex(bytes: Iterable<number>): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

const MAX_ERROR_BYTES = 300;

export interface FrameParserEvents {
  frame: [frame: Frame];
  /** Not `error`: an unhandled `error` event would throw, and the parser never throws. */
  'frame-error': [error: FrameError];
}

/**
 * Incremental parser for one profile. `push()` returns what it found and also emits it.
 * Resync: on a bad frame it drops one byte and hunts for the next header (or, headerless, the
 * next offset that yields a valid frame); a frame that cannot complete does not block a good
 * one behind it.
 */
export class FrameParser extends EventEmitter<FrameParserEvents> {
  private buf: Buffer = Buffer.alloc(0);
  private readonly layout: CompiledLayout;
  /** Headerless profiles: bytes skipped while hunting, reported once as garbage. */
  private skipped: number[] = [];
  /** Headerless profiles: whether the next byte is where a frame should start. */
  private expectFrame = true;
  /** Bytes at the start of `buf` already reported as part of a bad frame. */
  private covered = 0;

  constructor(readonly profile: FrameProfile) {
    super();
    this.layout = layoutOf(profile);
  }

  /** Bytes held waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
    this.skipped = [];
    this.expectFrame = true;
    this.covered = 0;
  }

  /** Drops `n` bytes, reporting as garbage those not already reported. */
  private drop(n: number, results: ParseResult[], message = 'outside any frame', code: FrameErrorCode = 'garbage'): void {
    const fresh = n - Math.min(n, this.covered);
    if (fresh > 0) results.push(this.error(code, `${fresh} byte(s) ${message}`, this.buf.subarray(n - fresh, n)));
    this.covered = Math.max(0, this.covered - n);
    this.buf = this.buf.subarray(n);
  }

  push(chunk: Uint8Array): ParseResult[] {
    const results: ParseResult[] = [];
    try {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
      this.drain(results);
    } catch (err) {
      // Defensive only: a parser bug must not take the bus down with it.
      results.push(this.error('garbage', `parser fault: ${(err as Error).message}`, this.buf));
      this.reset();
    }
    for (const r of results) {
      if (r.type === 'frame') this.emit('frame', r.frame);
      else this.emit('frame-error', r.error);
    }
    return results;
  }

  private error(code: FrameErrorCode, message: string, bytes: Uint8Array): ParseResult {
    return { type: 'error', error: { code, message, bytes: Buffer.from(bytes.subarray(0, MAX_ERROR_BYTES)) } };
  }

  private flushSkipped(results: ParseResult[]): void {
    if (this.skipped.length === 0) return;
    results.push(this.error('garbage', `${this.skipped.length} byte(s) outside any frame`, Uint8Array.from(this.skipped)));
    this.skipped = [];
  }

  private drain(results: ParseResult[]): void {
    const { header } = this.layout;
    for (;;) {
      if (this.buf.length === 0) break;
      if (header) {
        const at = this.buf.indexOf(header);
        if (at < 0) {
          this.drop(this.buf.length - prefixOverlap(this.buf, header), results);
          break;
        }
        if (at > 0) this.drop(at, results);
      }
      const a = attempt(this.profile, this.layout, this.buf);
      if (a.status === 'frame') {
        this.flushSkipped(results);
        results.push({ type: 'frame', frame: a.frame });
        this.buf = this.buf.subarray(a.size);
        this.covered = Math.max(0, this.covered - a.size);
        this.expectFrame = true;
        continue;
      }
      if (a.status === 'invalid') {
        if ((header || this.expectFrame) && this.covered === 0) {
          this.flushSkipped(results);
          // With a header, everything up to the next header belongs to the bad frame.
          const next = header ? this.buf.indexOf(header, 1) : -1;
          const size = header ? Math.max(a.size, next < 0 ? this.buf.length : next) : a.size;
          results.push(this.error(a.code, a.message, this.buf.subarray(0, size)));
          this.covered = size;
        }
        // Headerless: hunting byte by byte; what was not reported above is collected as garbage.
        if (!header && this.covered === 0) this.skipped.push(this.buf[0] as number);
        this.expectFrame = false;
        this.covered = Math.max(0, this.covered - 1);
        this.buf = this.buf.subarray(1);
        continue;
      }
      // need-more: unless a complete frame already waits further on (the start was torn).
      const later = this.lookAhead();
      if (later === undefined) break;
      this.flushSkipped(results);
      if (a.problem && this.covered === 0) this.drop(later, results, `of a bad frame: ${a.problem.message}`, a.problem.code);
      else this.drop(later, results, 'of a torn frame');
    }
    this.flushSkipped(results);
    // Detach from the big concatenated chunk so a long session does not pin old buffers.
    this.buf = Buffer.from(this.buf);
  }

  private lookAhead(): number | undefined {
    const { header } = this.layout;
    for (let off = 1; off < this.buf.length; off++) {
      if (header) {
        off = this.buf.indexOf(header, off);
        if (off < 0) return undefined;
      }
      if (attempt(this.profile, this.layout, this.buf.subarray(off)).status === 'frame') return off;
    }
    return undefined;
  }
}

/** How many trailing bytes of `buf` are a proper prefix of `header` (kept for the next chunk). */
function prefixOverlap(buf: Buffer, header: Uint8Array): number {
  for (let n = Math.min(header.length - 1, buf.length); n > 0; n--) {
    let match = true;
    for (let k = 0; k < n; k++)
      if (buf[buf.length - n + k] !== header[k]) {
        match = false;
        break;
      }
    if (match) return n;
  }
  return 0;
}
