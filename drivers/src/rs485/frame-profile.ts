/**
 * A frame profile says how one vendor's RS-485 devices frame their messages. It is plain data
 * (JSON-serialisable) so an admin can pick a built-in one by name or define one in config; the
 * generic codec (`frame-codec.ts`) reads it, nothing else is vendor-specific.
 */
import { checksumSize, type ChecksumKind } from './checksum';

export type { ChecksumKind } from './checksum';

/**
 * What a length field counts, in layout order, inclusive. `frame` = every byte of the frame;
 * `address..checksum` = from the address up to and including the checksum.
 */
export type LengthCounts = 'data' | 'func..data' | 'address..data' | 'address..checksum' | 'frame';
export const LENGTH_COUNTS: readonly LengthCounts[] = ['data', 'func..data', 'address..data', 'address..checksum', 'frame'];

/**
 * One field of a frame, in wire order. Every layout has exactly one `address`, `func` and
 * `data`; all `length`, `address` and `func` fields come before `data`; after `data` only
 * `checksum` and `const` fields. A layout needs a `length` field or a `const` after `data`
 * (then the frame ends at the first trailer whose checksum matches).
 */
export type FrameField =
  /** Fixed bytes: header, separator or trailer. A leading `const` is the sync the parser hunts for. */
  | { field: 'const'; bytes: number[] }
  /** Length of part of the frame. Two length fields (DL/T 645 / FT1.2 style) must agree. */
  | { field: 'length'; size: 1 | 2; endian?: 'be' | 'le'; counts: LengthCounts; adjust?: number }
  | { field: 'address'; size: 1 | 2; endian?: 'be' | 'le' }
  | { field: 'func' }
  | { field: 'data' }
  /** Covers bytes from offset `from` (counted from the first byte of the frame) up to the checksum itself. */
  | { field: 'checksum'; kind: ChecksumKind; from: number; endian?: 'be' | 'le' };

export type PayloadEncoding = 'gbk' | 'ascii' | 'bytes';

export interface SerialSettings {
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export interface AckSettings {
  /** Function code of an acknowledgement, both directions. */
  func: number;
  /** How long the host waits for the ack of one attempt. */
  timeoutMs: number;
  /** Further attempts after the first when no ack comes. */
  retries: number;
}

/**
 * The command set: which function code means what. Payloads are in README.md. `null`: the
 * device has no such command (a keypad without a screen); sending it answers `unsupported`.
 */
export interface FunctionCodes {
  /** host→board: [line (1 = top), ...text] */
  showText: number | null;
  /** host→board: no data */
  clear: number | null;
  /** host→board: [level 0..15] */
  brightness: number | null;
  /** keypad→host: [key code, seq] */
  keyEvent: number | null;
  /** host→keypad: [...text] */
  keypadDisplay: number | null;
  /** host→evaluator: [...clerk name, 0x00, ...staff number] */
  ratingStart: number | null;
  /** evaluator→host: [score 1..5, seq] */
  ratingResult: number | null;
  /** host→evaluator: no data */
  ratingCancel: number | null;
  /** host→hall bar: [...text] */
  scrollText: number | null;
  /** host→device: no data; the device answers with its oldest unacknowledged event or an ack. */
  poll: number | null;
}

/** The keys that are counter actions. */
export type KeypadKey = 'call-next' | 'recall' | 'no-show' | 'start' | 'finish' | 'pause' | 'resume' | 'transfer';
export const KEYPAD_KEYS: readonly KeypadKey[] = ['call-next', 'recall', 'no-show', 'start', 'finish', 'pause', 'resume', 'transfer'];
export type DigitKey = `digit-${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`;
export const DIGIT_KEYS: readonly DigitKey[] = Array.from({ length: 10 }, (_, i) => `digit-${i}` as DigitKey);
/**
 * Every key a keypad may have: the counter actions, `evaluate` (ask the citizen to rate now),
 * digits (typed before a key: call that number, transfer to that service) and `clear` (drop
 * the digits typed so far).
 */
export type KeypadKeyName = KeypadKey | 'evaluate' | 'clear' | DigitKey;
export const KEYPAD_KEY_NAMES: readonly KeypadKeyName[] = [...KEYPAD_KEYS, 'evaluate', 'clear', ...DIGIT_KEYS];

/**
 * How the host confirms an event a device sent (a key, a rating): `ack` = an ack frame
 * `[func, seq]`; `echo` = the device's frame sent back unchanged (keypads that push keys).
 */
export type EventAck = 'ack' | 'echo';

export interface FrameProfile {
  /** Short id used in device config (`device.profile`). */
  name: string;
  description?: string;
  layout: FrameField[];
  /** How text commands turn text into payload bytes. `bytes` sends UTF-8 unchanged. */
  encoding: PayloadEncoding;
  /** Largest payload a device accepts (further capped by the length field's range). */
  maxData: number;
  serial: SerialSettings;
  /** null: devices never answer; commands are fire-and-forget, devices push their events. */
  ack: AckSettings | null;
  functions: FunctionCodes;
  /** The code each key sends; a keypad without some keys leaves them out. */
  keyCodes: Partial<Record<KeypadKeyName, number>>;
  /** How the host confirms device events. Default `ack`; with `ack: null` events are not confirmed at all. */
  eventAck?: EventAck;
  /** Whether event payloads carry a sequence byte after the value (`[value, seq]`). Default true. */
  eventSeq?: boolean;
  /**
   * A keypad's frames are key frames whatever their function byte (hosts of such keypads never
   * look at it). Default false: only `functions.keyEvent` frames are keys.
   */
  keysAnyFunction?: boolean;
}

export const DEFAULT_FUNCTION_CODES: FunctionCodes = {
  showText: 0x01,
  clear: 0x02,
  brightness: 0x03,
  keyEvent: 0x10,
  keypadDisplay: 0x11,
  ratingStart: 0x20,
  ratingResult: 0x21,
  ratingCancel: 0x22,
  scrollText: 0x30,
  poll: 0x7e,
};

export const DEFAULT_KEY_CODES: Partial<Record<KeypadKeyName, number>> = {
  'call-next': 0x01,
  recall: 0x02,
  'no-show': 0x03,
  start: 0x04,
  finish: 0x05,
  pause: 0x06,
  resume: 0x07,
  transfer: 0x08,
};

const SERIAL_9600_8N1: SerialSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

/** `FF 68 L L 68 ADDR FUNC DATA CS 16`: L = bytes of ADDR..DATA, CS = sum mod 256 over 68..DATA. */
export const HALL_DEFAULT_PROFILE: FrameProfile = {
  name: 'hall-default',
  description: 'FF 68 L L 68 ADDR FUNC DATA CS 16, L = len(ADDR..DATA) twice, CS = sum8(68..DATA), GBK, 9600 8N1, ack 7F',
  layout: [
    { field: 'const', bytes: [0xff, 0x68] },
    { field: 'length', size: 1, counts: 'address..data' },
    { field: 'length', size: 1, counts: 'address..data' },
    { field: 'const', bytes: [0x68] },
    { field: 'address', size: 1 },
    { field: 'func' },
    { field: 'data' },
    { field: 'checksum', kind: 'sum8', from: 1 },
    { field: 'const', bytes: [0x16] },
  ],
  encoding: 'gbk',
  maxData: 200,
  serial: SERIAL_9600_8N1,
  ack: { func: 0x7f, timeoutMs: 200, retries: 2 },
  functions: DEFAULT_FUNCTION_CODES,
  keyCodes: DEFAULT_KEY_CODES,
};

/** `ADDR FUNC LEN DATA CRC16` (CRC-16/MODBUS, low byte first): no header, resync by CRC. */
export const MODBUS_LIKE_PROFILE: FrameProfile = {
  name: 'modbus-like',
  description: 'ADDR FUNC LEN DATA CRC16(lo,hi) over ADDR..DATA, GBK, 9600 8N1, ack 7F',
  layout: [
    { field: 'address', size: 1 },
    { field: 'func' },
    { field: 'length', size: 1, counts: 'data' },
    { field: 'data' },
    { field: 'checksum', kind: 'crc16-modbus', from: 0, endian: 'le' },
  ],
  encoding: 'gbk',
  maxData: 200,
  serial: SERIAL_9600_8N1,
  ack: { func: 0x7f, timeoutMs: 200, retries: 2 },
  functions: DEFAULT_FUNCTION_CODES,
  keyCodes: DEFAULT_KEY_CODES,
};

/**
 * `02 ADDR FUNC DATA CRC16 03`: no length field (the frame ends at the first 03 whose CRC
 * matches), CRC-16/MODBUS over ADDR..DATA sent high byte first, no acks (devices push). A 16-bit
 * check keeps a 03 inside the data from ending a frame early; an 8-bit one would not.
 */
export const STX_ETX_PROFILE: FrameProfile = {
  name: 'stx-etx',
  description: '02 ADDR FUNC DATA CRC16(hi,lo) 03, CRC over ADDR..DATA, no length, no acks, GBK, 9600 8N1',
  layout: [
    { field: 'const', bytes: [0x02] },
    { field: 'address', size: 1 },
    { field: 'func' },
    { field: 'data' },
    { field: 'checksum', kind: 'crc16-modbus', from: 1, endian: 'be' },
    { field: 'const', bytes: [0x03] },
  ],
  encoding: 'gbk',
  maxData: 120,
  serial: SERIAL_9600_8N1,
  ack: null,
  functions: DEFAULT_FUNCTION_CODES,
  keyCodes: DEFAULT_KEY_CODES,
};

export type FrameProfileCheck = { ok: true; profile: FrameProfile } | { ok: false; problems: string[] };

const isByte = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates an admin-defined profile (parsed JSON). Never throws; on failure every problem is
 * named by its path, e.g. `layout[3].size: must be 1 or 2`.
 */
export function checkFrameProfile(value: unknown): FrameProfileCheck {
  const problems: string[] = [];
  const bad = (path: string, msg: string): void => void problems.push(`${path}: ${msg}`);
  if (!isObject(value)) return { ok: false, problems: ['profile: must be an object'] };
  const p = value;

  if (typeof p.name !== 'string' || p.name.length < 1 || p.name.length > 40) bad('name', 'must be a string of 1..40 characters');
  if (p.description !== undefined && typeof p.description !== 'string') bad('description', 'must be a string');

  if (!Array.isArray(p.layout) || p.layout.length === 0) bad('layout', 'must be a non-empty array');
  else {
    p.layout.forEach((f: unknown, i) => {
      const at = `layout[${i}]`;
      if (!isObject(f)) return bad(at, 'must be an object');
      const endianOk = f.endian === undefined || f.endian === 'be' || f.endian === 'le';
      if (!endianOk) bad(`${at}.endian`, "must be 'be' or 'le'");
      switch (f.field) {
        case 'const':
          if (!Array.isArray(f.bytes) || f.bytes.length === 0 || f.bytes.length > 16 || !f.bytes.every(isByte))
            bad(`${at}.bytes`, 'must be 1..16 bytes (0..255)');
          break;
        case 'length':
          if (f.size !== 1 && f.size !== 2) bad(`${at}.size`, 'must be 1 or 2');
          if (!LENGTH_COUNTS.includes(f.counts as LengthCounts)) bad(`${at}.counts`, `must be one of ${LENGTH_COUNTS.map((c) => `'${c}'`).join(', ')}`);
          if (f.adjust !== undefined && !(Number.isInteger(f.adjust) && Math.abs(f.adjust as number) <= 255))
            bad(`${at}.adjust`, 'must be an integer -255..255');
          break;
        case 'address':
          if (f.size !== 1 && f.size !== 2) bad(`${at}.size`, 'must be 1 or 2');
          break;
        case 'func':
        case 'data':
          break;
        case 'checksum':
          if (!['sum8', 'xor8', 'crc16-modbus', 'none'].includes(f.kind as string))
            bad(`${at}.kind`, "must be 'sum8', 'xor8', 'crc16-modbus' or 'none'");
          if (!(Number.isInteger(f.from) && (f.from as number) >= 0)) bad(`${at}.from`, 'must be a byte offset >= 0');
          break;
        default:
          bad(`${at}.field`, "must be 'const', 'length', 'address', 'func', 'data' or 'checksum'");
      }
    });
    if (problems.length === 0) problems.push(...layoutProblems(p.layout as FrameField[]));
  }

  if (!['gbk', 'ascii', 'bytes'].includes(p.encoding as string)) bad('encoding', "must be 'gbk', 'ascii' or 'bytes'");
  if (!(Number.isInteger(p.maxData) && (p.maxData as number) >= 1 && (p.maxData as number) <= 4096)) bad('maxData', 'must be an integer 1..4096');

  if (!isObject(p.serial)) bad('serial', 'must be an object');
  else {
    const s = p.serial;
    if (!(Number.isInteger(s.baudRate) && (s.baudRate as number) >= 300 && (s.baudRate as number) <= 4_000_000)) bad('serial.baudRate', 'must be an integer 300..4000000');
    if (![5, 6, 7, 8].includes(s.dataBits as number)) bad('serial.dataBits', 'must be 5, 6, 7 or 8');
    if (!['none', 'even', 'odd'].includes(s.parity as string)) bad('serial.parity', "must be 'none', 'even' or 'odd'");
    if (s.stopBits !== 1 && s.stopBits !== 2) bad('serial.stopBits', 'must be 1 or 2');
  }

  const codes: Array<[string, unknown]> = [];
  if (p.ack !== null) {
    if (!isObject(p.ack)) bad('ack', 'must be an object or null');
    else {
      if (!isByte(p.ack.func)) bad('ack.func', 'must be a byte');
      else codes.push(['ack.func', p.ack.func]);
      if (!(Number.isInteger(p.ack.timeoutMs) && (p.ack.timeoutMs as number) >= 5 && (p.ack.timeoutMs as number) <= 10_000)) bad('ack.timeoutMs', 'must be an integer 5..10000');
      if (!(Number.isInteger(p.ack.retries) && (p.ack.retries as number) >= 0 && (p.ack.retries as number) <= 10)) bad('ack.retries', 'must be an integer 0..10');
    }
  }
  if (!isObject(p.functions)) bad('functions', 'must be an object');
  else
    for (const key of Object.keys(DEFAULT_FUNCTION_CODES)) {
      const v = p.functions[key];
      if (v === null) continue;
      if (!isByte(v)) bad(`functions.${key}`, 'must be a byte or null (no such command)');
      else codes.push([`functions.${key}`, v]);
    }
  const seen = new Map<unknown, string>();
  for (const [path, v] of codes) {
    const other = seen.get(v);
    if (other) bad(path, `same code as ${other}`);
    else seen.set(v, path);
  }

  if (!isObject(p.keyCodes)) bad('keyCodes', 'must be an object');
  else {
    const keySeen = new Map<unknown, string>();
    for (const [key, v] of Object.entries(p.keyCodes)) {
      if (!KEYPAD_KEY_NAMES.includes(key as KeypadKeyName)) bad(`keyCodes.${key}`, `unknown key (known: ${KEYPAD_KEY_NAMES.join(', ')})`);
      else if (!isByte(v)) bad(`keyCodes.${key}`, 'must be a byte');
      else if (keySeen.has(v)) bad(`keyCodes.${key}`, `same code as ${keySeen.get(v)}`);
      else keySeen.set(v, key);
    }
  }
  if (p.eventAck !== undefined && p.eventAck !== 'ack' && p.eventAck !== 'echo') bad('eventAck', "must be 'ack' or 'echo'");
  if (p.eventSeq !== undefined && typeof p.eventSeq !== 'boolean') bad('eventSeq', 'must be a boolean');
  if (p.keysAnyFunction !== undefined && typeof p.keysAnyFunction !== 'boolean') bad('keysAnyFunction', 'must be a boolean');

  return problems.length ? { ok: false, problems } : { ok: true, profile: value as unknown as FrameProfile };
}

function layoutProblems(layout: FrameField[]): string[] {
  const problems: string[] = [];
  const count = (kind: FrameField['field']): number => layout.filter((f) => f.field === kind).length;
  for (const kind of ['address', 'func', 'data'] as const) if (count(kind) !== 1) problems.push(`layout: needs exactly one '${kind}' field`);
  if (count('checksum') > 1) problems.push("layout: at most one 'checksum' field");
  if (count('length') > 2) problems.push("layout: at most two 'length' fields");
  const lengths = layout.filter((f) => f.field === 'length');
  if (lengths.length === 2 && JSON.stringify(lengths[0]) !== JSON.stringify(lengths[1]))
    problems.push("layout: the two 'length' fields must be identical");
  if (problems.length) return problems;
  const dataAt = layout.findIndex((f) => f.field === 'data');
  layout.forEach((f, i) => {
    if (i < dataAt && f.field === 'checksum') problems.push(`layout[${i}]: the checksum must come after 'data'`);
    if (i > dataAt && f.field !== 'checksum' && f.field !== 'const') problems.push(`layout[${i}]: only 'checksum' and 'const' may follow 'data'`);
  });
  const after = layout.slice(dataAt + 1);
  if (lengths.length === 0 && !after.some((f) => f.field === 'const'))
    problems.push("layout: without a 'length' field a 'const' trailer must follow 'data'");
  if (lengths[0]?.counts === 'address..checksum' && count('checksum') === 0)
    problems.push("layout: a length that counts 'address..checksum' needs a 'checksum' field");
  const compiled = problems.length ? undefined : compileLayout(layout, 4096);
  if (compiled?.checksum && compiled.checksum.from > compiled.fixedBefore)
    problems.push(`layout: checksum.from (${compiled.checksum.from}) must not be past the start of 'data' (${compiled.fixedBefore})`);
  return problems;
}

/** A layout measured once: where data starts, what the length counts, the sync header. */
export interface CompiledLayout {
  before: FrameField[];
  after: FrameField[];
  /** Bytes before `data`. */
  fixedBefore: number;
  /** Bytes after `data`. */
  fixedAfter: number;
  /** The leading constant the parser hunts for; null = headerless (resync by checksum). */
  header: Uint8Array | null;
  length: { size: 1 | 2; endian: 'be' | 'le'; adjust: number; countedFixed: number } | null;
  checksum: { kind: ChecksumKind; from: number; endian: 'be' | 'le'; size: number } | null;
  /** Largest payload: the profile's maxData capped by what the length field can express. */
  maxData: number;
}

export function fieldSize(f: FrameField): number {
  switch (f.field) {
    case 'const':
      return f.bytes.length;
    case 'length':
    case 'address':
      return f.size;
    case 'func':
      return 1;
    case 'data':
      return 0;
    case 'checksum':
      return checksumSize(f.kind);
  }
}

const compiled = new WeakMap<FrameProfile, CompiledLayout>();

/** The compiled layout of a (valid) profile, cached per profile object. */
export function layoutOf(profile: FrameProfile): CompiledLayout {
  let c = compiled.get(profile);
  if (!c) {
    c = compileLayout(profile.layout, profile.maxData);
    compiled.set(profile, c);
  }
  return c;
}

function compileLayout(layout: FrameField[], maxData: number): CompiledLayout {
  const dataAt = layout.findIndex((f) => f.field === 'data');
  const before = layout.slice(0, dataAt);
  const after = layout.slice(dataAt + 1);
  const sum = (fs: FrameField[]): number => fs.reduce((n, f) => n + fieldSize(f), 0);
  const first = layout[0];
  const lengthField = layout.find((f): f is Extract<FrameField, { field: 'length' }> => f.field === 'length');
  let length: CompiledLayout['length'] = null;
  let cap = maxData;
  if (lengthField) {
    const { counts } = lengthField;
    const firstCounted = counts === 'data' ? 'data' : counts === 'func..data' ? 'func' : 'address';
    const from = counts === 'frame' ? 0 : layout.findIndex((f) => f.field === firstCounted);
    const to = counts === 'frame' ? layout.length - 1 : counts === 'address..checksum' ? layout.findIndex((f) => f.field === 'checksum') : dataAt;
    const countedFixed = sum(layout.slice(Math.max(0, from), to + 1));
    const adjust = lengthField.adjust ?? 0;
    length = { size: lengthField.size, endian: lengthField.endian ?? 'be', adjust, countedFixed };
    const maxValue = lengthField.size === 1 ? 0xff : 0xffff;
    cap = Math.min(cap, maxValue - adjust - countedFixed);
  }
  const cs = layout.find((f): f is Extract<FrameField, { field: 'checksum' }> => f.field === 'checksum');
  return {
    before,
    after,
    fixedBefore: sum(before),
    fixedAfter: sum(after),
    header: first?.field === 'const' ? Uint8Array.from(first.bytes) : null,
    length,
    checksum: cs && cs.kind !== 'none' ? { kind: cs.kind, from: cs.from, endian: cs.endian ?? 'le', size: checksumSize(cs.kind) } : null,
    maxData: Math.max(0, cap),
  };
}
