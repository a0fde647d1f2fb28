/**
 * SAM protocol frames of the second-generation ID card reader (二代证), pure.
 *
 * Request: `AA AA AA 96 69 | LEN(2, BE) | CMD PARA | DATA | XOR`
 * Reply:   `AA AA AA 96 69 | LEN(2, BE) | SW1 SW2 SW3 | DATA | XOR`
 *
 * LEN counts every byte after itself, checksum included; XOR runs over LEN..DATA.
 * The same frames travel over serial (115200 8N1) and inside HID reports.
 */

export const SAM_PREAMBLE: Readonly<Uint8Array> = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);

/** Command and parameter bytes. */
export const SAM_COMMAND = {
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readBase: [0x30, 0x01],
  readWithFingerprint: [0x30, 0x10],
  samId: [0x12, 0xff],
  samStatus: [0x11, 0xff],
  reset: [0x10, 0xff],
} as const satisfies Record<string, readonly [number, number]>;

export type SamCommandName = keyof typeof SAM_COMMAND;

/** Largest LEN we accept; the biggest real reply (30 10 with fingerprint) is 2314. */
export const SAM_MAX_LENGTH = 4096;

export interface SamRequest {
  cmd: number;
  para: number;
  data: Buffer;
}

export interface SamReply {
  sw1: number;
  sw2: number;
  /** The status byte; see `SAM_STATUS`. */
  sw3: number;
  data: Buffer;
}

function xorOf(bytes: Uint8Array, from: number, to: number): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] as number;
  return x;
}

function frame(body: Uint8Array): Buffer {
  const len = body.length + 1;
  if (len > 0xffff) throw new RangeError(`SAM frame body too long: ${body.length}`);
  const out = Buffer.alloc(5 + 2 + len);
  out.set(SAM_PREAMBLE, 0);
  out.writeUInt16BE(len, 5);
  out.set(body, 7);
  out[out.length - 1] = xorOf(out, 5, out.length - 1);
  return out;
}

/** A request frame (host → reader). */
export function encodeSamRequest(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  const body = Buffer.alloc(2 + data.length);
  body[0] = cmd & 0xff;
  body[1] = para & 0xff;
  body.set(data, 2);
  return frame(body);
}

/** A request frame for a named command. */
export function encodeSamCommand(name: SamCommandName, data?: Uint8Array): Buffer {
  const [cmd, para] = SAM_COMMAND[name];
  return encodeSamRequest(cmd, para, data);
}

/** A reply frame (reader → host); used by the simulator and tests. */
export function encodeSamReply(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Buffer {
  const body = Buffer.alloc(3 + data.length);
  body[0] = sw1 & 0xff;
  body[1] = sw2 & 0xff;
  body[2] = sw3 & 0xff;
  body.set(data, 3);
  return frame(body);
}

export type SamFrameErrorCode = 'SAM.BAD_CHECKSUM' | 'SAM.BAD_LENGTH';

export interface SamFrameError {
  code: SamFrameErrorCode;
  message: string;
  /** Bytes given up on (the preamble of the rejected frame is rescanned after its first byte). */
  bytes: number;
}

export type SamParseEvent<F> =
  | { type: 'frame'; frame: F }
  | { type: 'error'; error: SamFrameError }
  /** Bytes outside any frame (line noise, padding of HID reports, half frames). */
  | { type: 'noise'; bytes: number };

export interface SamFrameParserOptions {
  /** Largest LEN accepted; longer ones are `SAM.BAD_LENGTH`. */
  maxLength?: number;
}

/**
 * Incremental frame finder. Feed it whatever the transport delivers; it hands back frames and
 * typed problems, resynchronising on the preamble. It never throws on input.
 */
abstract class SamFrameParser<F> {
  private buf: Buffer = Buffer.alloc(0);
  private readonly maxLength: number;
  /** Index in `buf` below which skipped bytes belong to an already reported bad frame. */
  private reportedUntil = 0;

  protected constructor(
    private readonly minBody: number,
    options: SamFrameParserOptions = {},
  ) {
    this.maxLength = options.maxLength ?? SAM_MAX_LENGTH;
  }

  protected abstract decode(body: Buffer): F;

  /** Bytes waiting for the rest of a frame. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Drops any half frame (after a timeout, or when the link reopens). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.reportedUntil = 0;
  }

  push(chunk: Uint8Array): SamParseEvent<F>[] {
    const buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const events: SamParseEvent<F>[] = [];
    let noise = 0;
    const skip = (from: number, to: number): void => {
      const counted = to - Math.max(from, Math.min(to, this.reportedUntil));
      if (counted > 0) noise += counted;
    };
    const flushNoise = (): void => {
      if (noise > 0) events.push({ type: 'noise', bytes: noise });
      noise = 0;
    };
    let pos = 0;
    for (;;) {
      const start = buf.indexOf(SAM_PREAMBLE, pos);
      if (start < 0) {
        const keep = partialPreambleAtEnd(buf, pos);
        skip(pos, buf.length - keep);
        pos = buf.length - keep;
        break;
      }
      skip(pos, start);
      if (buf.length < start + 7) {
        pos = start;
        break;
      }
      const len = buf.readUInt16BE(start + 5);
      if (len < this.minBody + 1 || len > this.maxLength) {
        flushNoise();
        events.push({
          type: 'error',
          error: { code: 'SAM.BAD_LENGTH', message: `impossible SAM frame length ${len}`, bytes: 7 },
        });
        this.reportedUntil = Math.max(this.reportedUntil, start + 7);
        pos = start + 1;
        continue;
      }
      const end = start + 7 + len;
      if (buf.length < end) {
        pos = start;
        break;
      }
      const check = buf[end - 1] as number;
      if (xorOf(buf, start + 5, end - 1) !== check) {
        flushNoise();
        events.push({
          type: 'error',
          error: { code: 'SAM.BAD_CHECKSUM', message: `SAM frame checksum mismatch (LEN ${len})`, bytes: 7 + len },
        });
        this.reportedUntil = Math.max(this.reportedUntil, end);
        pos = start + 1;
        continue;
      }
      flushNoise();
      events.push({ type: 'frame', frame: this.decode(Buffer.from(buf.subarray(start + 7, end - 1))) });
      pos = end;
    }
    flushNoise();
    this.buf = Buffer.from(buf.subarray(pos));
    this.reportedUntil = Math.max(0, this.reportedUntil - pos);
    return events;
  }
}

/** How many bytes at the end of `buf` (from `from`) could begin a preamble. */
function partialPreambleAtEnd(buf: Buffer, from: number): number {
  const max = Math.min(SAM_PREAMBLE.length - 1, buf.length - from);
  for (let n = max; n > 0; n--) {
    let match = true;
    for (let i = 0; i < n; i++) {
      if (buf[buf.length - n + i] !== SAM_PREAMBLE[i]) {
        match = false;
        break;
      }
    }
    if (match) return n;
  }
  return 0;
}

/** Host side: finds replies. */
export class SamReplyParser extends SamFrameParser<SamReply> {
  constructor(options?: SamFrameParserOptions) {
    super(3, options);
  }
  protected decode(body: Buffer): SamReply {
    return { sw1: body[0] as number, sw2: body[1] as number, sw3: body[2] as number, data: body.subarray(3) };
  }
}

/** Device side (simulator): finds requests. */
export class SamRequestParser extends SamFrameParser<SamRequest> {
  constructor(options?: SamFrameParserOptions) {
    super(2, options);
  }
  protected decode(body: Buffer): SamRequest {
    return { cmd: body[0] as number, para: body[1] as number, data: body.subarray(2) };
  }
}

/** The blocks of a read reply (30 01 / 30 10). The photo and fingerprint stay unread. */
export interface SamReadBlocks {
  /** The 256-byte UCS-2LE text block (a copy). */
  text: Buffer;
  photoLength: number;
  fingerprintLength: number;
}

export type SamReadDecode = { ok: true; value: SamReadBlocks } | { ok: false; error: SamFrameError };

/**
 * Splits the data of a successful read reply: text length(2) + photo length(2)
 * [+ fingerprint length(2) for 30 10] + text + photo [+ fingerprint]. Lengths are big-endian.
 * The caller may zero `data` afterwards: nothing returned points into it.
 */
export function decodeReadData(data: Uint8Array, withFingerprint: boolean): SamReadDecode {
  const head = withFingerprint ? 6 : 4;
  const bad = (message: string): SamReadDecode => ({
    ok: false,
    error: { code: 'SAM.BAD_LENGTH', message, bytes: data.length },
  });
  if (data.length < head) return bad('read reply shorter than its length header');
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const textLength = view.readUInt16BE(0);
  const photoLength = view.readUInt16BE(2);
  const fingerprintLength = withFingerprint ? view.readUInt16BE(4) : 0;
  if (textLength < 256) return bad(`text block of ${textLength} bytes, expected 256`);
  if (data.length !== head + textLength + photoLength + fingerprintLength) {
    return bad(`read reply of ${data.length} bytes does not match its length header`);
  }
  return {
    ok: true,
    value: { text: Buffer.from(view.subarray(head, head + 256)), photoLength, fingerprintLength },
  };
}

/**
 * The SAM module id as vendors print it: `05.01-20101001-0012345678-1234567890`
 * (two LE uint16, three LE uint32). Not personal data.
 */
export function formatSamId(data: Uint8Array): string | undefined {
  if (data.length < 16) return undefined;
  const v = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(v.readUInt16LE(0), 2)}.${pad(v.readUInt16LE(2), 2)}-${pad(v.readUInt32LE(4), 8)}-${pad(
    v.readUInt32LE(8),
    10,
  )}-${pad(v.readUInt32LE(12), 10)}`;
}
