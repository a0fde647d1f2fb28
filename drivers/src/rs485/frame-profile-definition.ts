/**
 * A vendor's RS-485 frame as an admin writes it from the vendor's protocol sheet (API.md
 * `PUT /api/frame-profiles/:id`): header, length field, address, function, data, checksum,
 * trailer, in that order, plus the command and key tables. `compileFrameProfile` checks one
 * and turns it into the engine's `FrameProfile` (a field layout). Pure; never throws.
 *
 *   header | LEN? (LEN again?) | afterLength? | ADDR (1|2) | FUNC | DATA | CHECKSUM? | trailer
 *   the checksum covers ADDR through DATA.
 */
import type { ChecksumKind } from './checksum';
import {
  checkFrameProfile,
  KEYPAD_KEY_NAMES,
  type EventAck,
  type FrameField,
  type FrameProfile,
  type FunctionCodes,
  type KeypadKeyName,
  type PayloadEncoding,
} from './frame-profile';

/** Hex bytes as written on protocol sheets: `"FF 68"`, `"ff68"`, `"0xAA"`; `""` for none. */
export type HexBytes = string;

export interface FrameProfileDefinition {
  /** The id devices name in `profile`. */
  name: string;
  description?: string;
  header: HexBytes;
  trailer: HexBytes;
  /**
   * `counts`: `data` = the data bytes; `address-to-data` = ADDR, FUNC and DATA;
   * `address-to-checksum` = ADDR up to and including the checksum. `repeat: 2`: the length is
   * sent twice (`FF 68 L L 68 …`, the DL/T 645 shape many Chinese boards and keypads use).
   */
  length: null | { bytes: 1 | 2; endian: 'big' | 'little'; counts: 'data' | 'address-to-data' | 'address-to-checksum'; repeat?: 1 | 2 };
  /** Fixed bytes between the length and the address (the second `68` of `FF 68 L L 68`). */
  afterLength?: HexBytes;
  addressBytes: 1 | 2;
  checksum: ChecksumKind;
  /** Byte order of a 16-bit checksum. Default `little` (low byte first, as Modbus sends it). */
  checksumEndian?: 'big' | 'little';
  /** Devices answer each host command with an ack frame. */
  acks: boolean;
  /** With `acks`: the ack's function code (default `7F`), wait (default 200 ms), retries (default 2). */
  ack?: { function?: HexBytes; timeoutMs?: number; retries?: number };
  /**
   * How the host confirms a key or rating the device sent: `ack` (an ack frame `[func, seq]`,
   * the default) or `echo` (the device's frame sent back unchanged). Without acks and echo,
   * events are not confirmed.
   */
  eventAck?: EventAck;
  /** Event payloads are `[value, seq]` (true, default) or `[value]` (false). */
  eventSeq?: boolean;
  /** The function code the host polls devices with; null = devices push their events. Default `7E` with acks, null without. */
  poll?: HexBytes | null;
  serial?: { baudRate?: number; dataBits?: 5 | 6 | 7 | 8; parity?: 'none' | 'even' | 'odd'; stopBits?: 1 | 2 };
  /** Largest data a device takes. Default 200. */
  maxData?: number;
  /** Function codes; `text` is how text is encoded (one encoding per profile). Only `show` and `clear` are required. */
  commands: Partial<Record<CommandName, { function: HexBytes; text?: 'gbk' | 'ascii' }>>;
  /** Key code (one hex byte) → key. A profile with keys need not have `show` and `clear` (a keypad without a text screen). */
  keys?: Record<HexBytes, KeypadKeyName>;
  /** Key frames are told by the keypad's address alone, whatever their function byte. Default false. */
  keysAnyFunction?: boolean;
}

/** Command names in a definition → the engine's function names. */
const COMMANDS = {
  show: 'showText',
  clear: 'clear',
  brightness: 'brightness',
  scroll: 'scrollText',
  keypadText: 'keypadDisplay',
  ratingStart: 'ratingStart',
  ratingCancel: 'ratingCancel',
  key: 'keyEvent',
  rating: 'ratingResult',
} as const satisfies Record<string, Exclude<keyof FunctionCodes, 'poll'>>;
export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
const COMMAND_OF_FUNCTION = Object.fromEntries(Object.entries(COMMANDS).map(([c, f]) => [f, c])) as Record<string, CommandName>;

export type FrameProfileCompile = { ok: true; profile: FrameProfile } | { ok: false; problems: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `"FF 68"` → [0xff, 0x68]; null when it is not whole hex bytes. */
export function parseHexBytes(value: unknown): number[] | null {
  if (typeof value !== 'string') return null;
  const compact = value.replace(/0x/gi, '').replace(/[\s,:-]/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(compact)) return null;
  return (compact.match(/../g) ?? []).map((b) => parseInt(b, 16));
}

/** `[0xff, 0x68]` → `"FF 68"`. */
export function toHex(bytes: Iterable<number>): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

const TOP_KEYS = new Set([
  'name',
  'description',
  'header',
  'trailer',
  'length',
  'addressBytes',
  'checksum',
  'checksumEndian',
  'acks',
  'ack',
  'eventAck',
  'eventSeq',
  'poll',
  'serial',
  'maxData',
  'commands',
  'keys',
  'afterLength',
  'keysAnyFunction',
]);

/**
 * Checks a definition (parsed JSON from an admin) and compiles it. Every problem is named by
 * its field, e.g. `length.bytes: must be 1 or 2`; nothing is half-applied. `id`: the name the
 * compiled profile is known by when it differs from the definition's `name` (the hall stores
 * definitions by id and lets `name` be a label such as 「某厂窗口屏」).
 */
export function compileFrameProfile(value: unknown, id?: string): FrameProfileCompile {
  const problems: string[] = [];
  const bad = (path: string, msg: string): void => void problems.push(`${path}: ${msg}`);
  if (!isObject(value)) return { ok: false, problems: ['profile: must be an object'] };
  const d = value;
  for (const key of Object.keys(d)) if (!TOP_KEYS.has(key)) bad(key, 'unknown field');

  const hexOf = (path: string, v: unknown, bytes?: number): number[] => {
    const parsed = parseHexBytes(v);
    if (!parsed) bad(path, 'must be hex bytes such as "AA" or "FF 68"');
    else if (bytes !== undefined && parsed.length !== bytes) bad(path, `must be ${bytes} hex byte${bytes === 1 ? '' : 's'}`);
    else if (parsed.length > 16) bad(path, 'at most 16 bytes');
    else return parsed;
    return [];
  };
  const header = hexOf('header', d.header);
  const trailer = hexOf('trailer', d.trailer);

  let lengthField: FrameField | null = null;
  let lengthRepeat = 1;
  const afterLength = d.afterLength === undefined ? [] : hexOf('afterLength', d.afterLength);
  if (afterLength.length > 0 && d.length === null) bad('afterLength', 'needs a length field');
  if (d.keysAnyFunction !== undefined && typeof d.keysAnyFunction !== 'boolean') bad('keysAnyFunction', 'must be true or false');
  if (d.length !== null) {
    if (!isObject(d.length)) bad('length', 'must be null or { bytes, endian, counts }');
    else {
      const l = d.length;
      if (l.bytes !== 1 && l.bytes !== 2) bad('length.bytes', 'must be 1 or 2');
      if (l.endian !== 'big' && l.endian !== 'little') bad('length.endian', "must be 'big' or 'little'");
      if (l.counts !== 'data' && l.counts !== 'address-to-data' && l.counts !== 'address-to-checksum') bad('length.counts', "must be 'data', 'address-to-data' or 'address-to-checksum'");
      if (l.counts === 'address-to-checksum' && d.checksum === 'none') bad('length.counts', "'address-to-checksum' needs a checksum");
      if (l.repeat !== undefined && l.repeat !== 1 && l.repeat !== 2) bad('length.repeat', 'must be 1 or 2');
      lengthField = {
        field: 'length',
        size: l.bytes === 2 ? 2 : 1,
        endian: l.endian === 'little' ? 'le' : 'be',
        counts: l.counts === 'address-to-checksum' ? 'address..checksum' : l.counts === 'address-to-data' ? 'address..data' : 'data',
      };
      lengthRepeat = l.repeat === 2 ? 2 : 1;
    }
  } else if (trailer.length === 0 && parseHexBytes(d.trailer)) bad('trailer', 'a frame without a length field needs a trailer to end it');

  if (d.addressBytes !== 1 && d.addressBytes !== 2) bad('addressBytes', 'must be 1 or 2');
  const checksum = d.checksum as ChecksumKind;
  if (!['none', 'sum8', 'xor8', 'crc16-modbus'].includes(checksum)) bad('checksum', "must be 'none', 'sum8', 'xor8' or 'crc16-modbus'");
  if (d.checksumEndian !== undefined && d.checksumEndian !== 'big' && d.checksumEndian !== 'little') bad('checksumEndian', "must be 'big' or 'little'");
  if (typeof d.acks !== 'boolean') bad('acks', 'must be true or false');

  let ack: FrameProfile['ack'] = null;
  if (d.ack !== undefined && !isObject(d.ack)) bad('ack', 'must be an object');
  const a = isObject(d.ack) ? d.ack : {};
  if (d.acks === true) {
    const func = a.function === undefined ? [0x7f] : hexOf('ack.function', a.function, 1);
    const timeoutMs = a.timeoutMs ?? 200;
    const retries = a.retries ?? 2;
    if (!(Number.isInteger(timeoutMs) && (timeoutMs as number) >= 5 && (timeoutMs as number) <= 10_000)) bad('ack.timeoutMs', 'must be an integer 5..10000');
    if (!(Number.isInteger(retries) && (retries as number) >= 0 && (retries as number) <= 10)) bad('ack.retries', 'must be an integer 0..10');
    ack = { func: func[0] ?? 0x7f, timeoutMs: timeoutMs as number, retries: retries as number };
  }

  const functions: FunctionCodes = {
    showText: null,
    clear: null,
    brightness: null,
    keyEvent: null,
    keypadDisplay: null,
    ratingStart: null,
    ratingResult: null,
    ratingCancel: null,
    scrollText: null,
    poll: null,
  };
  const encodings = new Set<PayloadEncoding>();
  if (!isObject(d.commands)) bad('commands', 'must be an object such as { show: { function: "01", text: "gbk" }, clear: { function: "02" } }');
  else {
    for (const [name, cmd] of Object.entries(d.commands)) {
      const at = `commands.${name}`;
      if (!(name in COMMANDS)) {
        bad(at, `unknown command (known: ${COMMAND_NAMES.join(', ')})`);
        continue;
      }
      if (!isObject(cmd)) {
        bad(at, 'must be { function: hex, text? }');
        continue;
      }
      const code = hexOf(`${at}.function`, cmd.function, 1);
      if (code.length === 1) functions[COMMANDS[name as CommandName]] = code[0] as number;
      if (cmd.text !== undefined) {
        if (cmd.text !== 'gbk' && cmd.text !== 'ascii') bad(`${at}.text`, "must be 'gbk' or 'ascii'");
        else encodings.add(cmd.text);
      }
    }
    // A board needs text and clear; a keypad without a text screen has keys instead.
    if (d.keys === undefined) for (const required of ['show', 'clear'] as const) if (!(required in d.commands)) bad(`commands.${required}`, 'is required');
  }
  if (encodings.size > 1) bad('commands', "all text commands of one profile must use the same 'text' encoding");

  if (d.poll !== undefined && d.poll !== null) {
    const code = hexOf('poll', d.poll, 1);
    if (code.length === 1) functions.poll = code[0] as number;
  } else if (d.poll === undefined && d.acks === true) functions.poll = 0x7e;

  const keyCodes: Partial<Record<KeypadKeyName, number>> = {};
  if (d.keys !== undefined) {
    if (!isObject(d.keys)) bad('keys', 'must be an object { "<hex code>": "<key>" }');
    else
      for (const [code, key] of Object.entries(d.keys)) {
        const at = `keys.${code}`;
        const bytes = hexOf(at, code, 1);
        if (!KEYPAD_KEY_NAMES.includes(key as KeypadKeyName)) bad(at, `unknown key "${String(key)}" (known: ${KEYPAD_KEY_NAMES.join(', ')})`);
        else if (keyCodes[key as KeypadKeyName] !== undefined) bad(at, `"${key}" already has a code`);
        else if (bytes.length === 1) keyCodes[key as KeypadKeyName] = bytes[0];
      }
  }

  if (d.eventAck !== undefined && d.eventAck !== 'ack' && d.eventAck !== 'echo') bad('eventAck', "must be 'ack' or 'echo'");
  if (d.eventSeq !== undefined && typeof d.eventSeq !== 'boolean') bad('eventSeq', 'must be true or false');
  if (d.serial !== undefined && !isObject(d.serial)) bad('serial', 'must be an object');
  const serial = isObject(d.serial) ? d.serial : {};
  if (problems.length) return { ok: false, problems };

  const addressAt = header.length + (lengthField ? (lengthField as { size: number }).size * lengthRepeat : 0) + afterLength.length;
  const layout: FrameField[] = [
    ...(header.length ? [{ field: 'const' as const, bytes: header }] : []),
    ...(lengthField ? Array.from({ length: lengthRepeat }, () => lengthField as FrameField) : []),
    ...(afterLength.length ? [{ field: 'const' as const, bytes: afterLength }] : []),
    { field: 'address', size: d.addressBytes as 1 | 2, endian: 'be' },
    { field: 'func' },
    { field: 'data' },
    ...(checksum === 'none' ? [] : [{ field: 'checksum' as const, kind: checksum, from: addressAt, endian: d.checksumEndian === 'big' ? ('be' as const) : ('le' as const) }]),
    ...(trailer.length ? [{ field: 'const' as const, bytes: trailer }] : []),
  ];
  const profile = {
    name: id ?? d.name,
    ...(d.description !== undefined ? { description: d.description } : id !== undefined && typeof d.name === 'string' ? { description: d.name } : {}),
    layout,
    encoding: [...encodings][0] ?? 'gbk',
    maxData: d.maxData ?? 200,
    serial: { baudRate: serial.baudRate ?? 9600, dataBits: serial.dataBits ?? 8, parity: serial.parity ?? 'none', stopBits: serial.stopBits ?? 1 },
    ack,
    functions,
    keyCodes,
    ...(d.eventAck !== undefined ? { eventAck: d.eventAck } : {}),
    ...(d.eventSeq !== undefined ? { eventSeq: d.eventSeq } : {}),
    ...(d.keysAnyFunction === true ? { keysAnyFunction: true } : {}),
  };
  // The engine's own check covers the rest (name, limits, clashing codes); its paths are
  // put back into the definition's words.
  const check = checkFrameProfile(profile);
  if (!check.ok) return { ok: false, problems: check.problems.map(inDefinitionTerms) };
  return check;
}

function inDefinitionTerms(problem: string): string {
  return problem
    .replace(/^functions\.poll/, 'poll')
    .replace(/functions\.(\w+)/g, (_, f: string) => `commands.${COMMAND_OF_FUNCTION[f] ?? f}.function`)
    .replace(/\back\.func\b/g, 'ack.function')
    .replace(/^layout\b.*$/, (m) => `profile: ${m}`);
}

/**
 * The caller keypad (呼叫器) protocol of a deployed public Chinese queue system:
 * JackQChen/QueueSystem, CallSystem/CallSystem/frmMain.cs (its serial reader and its SendBeep /
 * SendTicket / SendWait writers). The frame, as that host reads and writes it:
 *
 *   FF 68 LEN LEN 68 ADDR FUNC DATA CS 16   LEN = bytes of ADDR..DATA, CS = sum8(ADDR..DATA)
 *
 * The keypad pushes every key press unprompted; the host writes the same frame back (the
 * echo) and never looks at FUNC. DATA is the keys in the order pressed, the function key last:
 * 0C 呼叫 call, 0D 重呼 recall, 0B 评价 evaluate, 0E 取消 cancel (clears the digits), 12 等候
 * pause, 13 转移 transfer; digits 00..09 come before it. Not mapped: 0F 确认 (that host reads
 * "6 确认" as 弃号, "0 确认" as 挂起, "3 确认" as 回呼) and 11. The host's own commands (02: six
 * digits 0..9 or 0A blank for the keypad's display, 03: beep) have no text screen to match,
 * so `keypadText` is left out and a keypad on this profile answers display() `unsupported`.
 * FUNC 01 is what the simulator sends; any function byte is taken as a key frame.
 */
export const KEYPAD_ECHO_DEFINITION: FrameProfileDefinition = {
  name: 'keypad-echo',
  description: 'FF 68 L L 68 ADDR FUNC DATA CS 16, CS = sum8(ADDR..DATA); keys pushed unprompted, echoed back; as in JackQChen/QueueSystem CallSystem; 9600 8N1',
  header: 'FF 68',
  trailer: '16',
  length: { bytes: 1, endian: 'big', counts: 'address-to-data', repeat: 2 },
  afterLength: '68',
  addressBytes: 1,
  checksum: 'sum8',
  acks: false,
  eventAck: 'echo',
  eventSeq: false,
  poll: null,
  maxData: 16,
  keysAnyFunction: true,
  commands: {
    key: { function: '01' },
  },
  keys: {
    '0C': 'call-next', // 呼叫
    '0D': 'recall', // 重呼
    '0B': 'evaluate', // 评价
    '0E': 'clear', // 取消
    '12': 'pause', // 等候 (暂停)
    '13': 'transfer', // 转移
    '00': 'digit-0',
    '01': 'digit-1',
    '02': 'digit-2',
    '03': 'digit-3',
    '04': 'digit-4',
    '05': 'digit-5',
    '06': 'digit-6',
    '07': 'digit-7',
    '08': 'digit-8',
    '09': 'digit-9',
  },
};

function compileBuiltIn(def: FrameProfileDefinition): FrameProfile {
  const c = compileFrameProfile(def);
  if (!c.ok) throw new Error(`built-in frame profile ${def.name}: ${c.problems.join('; ')}`);
  return c.profile;
}

export const KEYPAD_ECHO_PROFILE: FrameProfile = compileBuiltIn(KEYPAD_ECHO_DEFINITION);
