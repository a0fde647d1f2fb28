/**
 * HID scanners in keyboard mode send USB boot keyboard reports: 8 bytes, `modifier, reserved,
 * key1…key6`. A key typed is a report with its usage code, then one without it. Decoded with
 * the US layout (what scanners assume unless told otherwise); Enter ends a scan. Pure.
 */
import { finishScan, type ScanEvent } from './scan-line-decoder';

export const KEYBOARD_REPORT_SIZE = 8;

const MOD_CTRL = 0x01 | 0x10;
const MOD_SHIFT = 0x02 | 0x20;
const MOD_ALT = 0x04 | 0x40;
const MOD_GUI = 0x08 | 0x80;

const KEY_ENTER = 0x28;
const KEY_ESCAPE = 0x29;
const KEY_BACKSPACE = 0x2a;
const KEY_TAB = 0x2b;
const KEY_CAPS_LOCK = 0x39;
const KEY_PAD_ENTER = 0x58;
const ERROR_ROLL_OVER = 0x01;

/** Usage → [unshifted, shifted], US layout. */
const KEYS = new Map<number, readonly [string, string]>();
for (let i = 0; i < 26; i++) {
  const c = String.fromCharCode(0x61 + i);
  KEYS.set(0x04 + i, [c, c.toUpperCase()]);
}
'1234567890'.split('').forEach((d, i) => KEYS.set(0x1e + i, [d, '!@#$%^&*()'[i] as string]));
const PUNCT: Array<[number, string, string]> = [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x32, '#', '~'], // non-US # key
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  // keypad
  [0x54, '/', '/'],
  [0x55, '*', '*'],
  [0x56, '-', '-'],
  [0x57, '+', '+'],
  [0x63, '.', '.'],
];
for (const [k, a, b] of PUNCT) KEYS.set(k, [a, b]);
'1234567890'.split('').forEach((d, i) => KEYS.set(0x59 + i, [d, d]));

export interface HidKeyboardOptions {
  /** Keys that end a scan; Tab is a common alternative suffix. */
  terminator: 'enter' | 'enter-or-tab';
  /** Longest scan accepted, in characters. */
  maxLength: number;
}

export const DEFAULT_HID_KEYBOARD_OPTIONS: Readonly<HidKeyboardOptions> = Object.freeze({
  terminator: 'enter',
  maxLength: 4096,
});

export class HidKeyboardDecoder {
  readonly options: HidKeyboardOptions;
  private held = new Set<number>();
  private capsLock = false;
  private text = '';
  private length = 0;
  private overflow = false;
  private invalid = false;

  constructor(options: Partial<HidKeyboardOptions> = {}) {
    this.options = { ...DEFAULT_HID_KEYBOARD_OPTIONS, ...options };
  }

  reset(): void {
    this.held.clear();
    this.capsLock = false;
    this.clearScan();
  }

  /** One report; only keys newly pressed in it count. */
  push(report: Uint8Array): ScanEvent[] {
    if (report.length < KEYBOARD_REPORT_SIZE) {
      return [{ type: 'error', error: { code: 'SCAN.BAD_REPORT', message: `keyboard report of ${report.length} bytes`, length: report.length } }];
    }
    const modifiers = report[0] as number;
    const keys = Array.from(report.subarray(2, KEYBOARD_REPORT_SIZE)).filter((k) => k !== 0);
    // Too many keys at once: the report says nothing about which; keep the previous state.
    if (keys.includes(ERROR_ROLL_OVER)) return [];
    const events: ScanEvent[] = [];
    for (const key of keys) {
      if (this.held.has(key)) continue;
      this.press(key, modifiers, events);
    }
    this.held = new Set(keys);
    return events;
  }

  private press(key: number, modifiers: number, events: ScanEvent[]): void {
    if (key === KEY_ENTER || key === KEY_PAD_ENTER || (key === KEY_TAB && this.options.terminator === 'enter-or-tab')) {
      const ev: ScanEvent | null =
        this.invalid && !this.overflow
          ? { type: 'error', error: { code: 'SCAN.NON_PRINTABLE', message: 'scan contains non-printable keys', length: this.length } }
          : finishScan(this.text, this.length, this.overflow, this.options.maxLength);
      if (ev) events.push(ev);
      this.clearScan();
      return;
    }
    if (key === KEY_CAPS_LOCK) {
      this.capsLock = !this.capsLock;
      return;
    }
    this.length++;
    if (this.length > this.options.maxLength) {
      this.overflow = true;
      this.text = '';
      return;
    }
    const chars = KEYS.get(key);
    // Ctrl / Alt / GUI chords are how scanners type control codes; Esc, Backspace, F-keys,
    // arrows have no character: all of them spoil the scan.
    if (!chars || modifiers & (MOD_CTRL | MOD_ALT | MOD_GUI) || key === KEY_ESCAPE || key === KEY_BACKSPACE) {
      this.invalid = true;
      return;
    }
    const shift = (modifiers & MOD_SHIFT) !== 0;
    const letter = key >= 0x04 && key <= 0x1d;
    this.text += chars[(letter ? shift !== this.capsLock : shift) ? 1 : 0];
  }

  private clearScan(): void {
    this.text = '';
    this.length = 0;
    this.overflow = false;
    this.invalid = false;
  }
}

/** Reverse map for the simulator: character → [usage, shift]. */
const CHAR_TO_KEY = new Map<string, readonly [number, boolean]>();
for (const [key, [plain, shifted]] of KEYS) {
  if (key >= 0x54) continue; // prefer the main block over the keypad
  if (!CHAR_TO_KEY.has(plain)) CHAR_TO_KEY.set(plain, [key, false]);
  if (!CHAR_TO_KEY.has(shifted)) CHAR_TO_KEY.set(shifted, [key, true]);
}
CHAR_TO_KEY.set('\t', [KEY_TAB, false]);
CHAR_TO_KEY.set('\u001b', [KEY_ESCAPE, false]);
CHAR_TO_KEY.set('\b', [KEY_BACKSPACE, false]);

/**
 * The reports a scanner sends to type `text` and then Enter: a press and a release per key.
 * For simulators and tests; throws on a character the US layout cannot type.
 */
export function encodeKeyboardReports(text: string, terminator: 'enter' | 'tab' | 'none' = 'enter'): Buffer[] {
  const reports: Buffer[] = [];
  const type = (key: number, shift: boolean): void => {
    const press = Buffer.alloc(KEYBOARD_REPORT_SIZE);
    press[0] = shift ? 0x02 : 0;
    press[2] = key;
    reports.push(press, Buffer.alloc(KEYBOARD_REPORT_SIZE));
  };
  for (const ch of text) {
    const k = CHAR_TO_KEY.get(ch);
    if (!k) throw new RangeError(`a US keyboard cannot type U+${ch.codePointAt(0)?.toString(16).padStart(4, '0')}`);
    type(k[0], k[1]);
  }
  if (terminator === 'enter') type(KEY_ENTER, false);
  if (terminator === 'tab') type(KEY_TAB, false);
  return reports;
}
