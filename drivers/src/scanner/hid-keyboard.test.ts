import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HidKeyboardDecoder, encodeKeyboardReports } from './hid-keyboard';
import type { ScanEvent } from './scan-line-decoder';

const scans = (events: ScanEvent[]): string[] => events.flatMap((e) => (e.type === 'scan' ? [e.text] : []));
const errors = (events: ScanEvent[]): string[] => events.flatMap((e) => (e.type === 'error' ? [e.error.code] : []));
const report = (mod: number, ...keys: number[]): Buffer => {
  const r = Buffer.alloc(8);
  r[0] = mod;
  keys.forEach((k, i) => (r[2 + i] = k));
  return r;
};
const feed = (d: HidKeyboardDecoder, reports: Buffer[]): ScanEvent[] => reports.flatMap((r) => d.push(r));

describe('HidKeyboardDecoder', () => {
  it('decodes letters, digits and shifted symbols (US layout); Enter ends the scan', () => {
    const d = new HidKeyboardDecoder();
    const reports = [
      report(0x02, 0x04), // A (left shift)
      report(0),
      report(0, 0x05), // b
      report(0),
      report(0x20, 0x1e), // ! (right shift + 1)
      report(0),
      report(0, 0x27), // 0
      report(0),
      report(0, 0x2d), // -
      report(0x02, 0x38), // ? while '-' is still held: only the new key counts
      report(0),
      report(0, 0x59), // keypad 1
      report(0),
      report(0, 0x28), // Enter
      report(0),
    ];
    expect(scans(feed(d, reports))).toEqual(['Ab!0-?1']);
  });

  it('types a doubled letter only when the key was released between', () => {
    const d = new HidKeyboardDecoder();
    const held = [report(0, 0x0f), report(0, 0x0f), report(0), report(0, 0x0f), report(0), report(0, 0x28)];
    expect(scans(feed(d, held))).toEqual(['ll']);
  });

  it('handles several new keys in one report, in order, and keypad Enter', () => {
    const d = new HidKeyboardDecoder();
    expect(scans(feed(d, [report(0, 0x04, 0x05, 0x06), report(0), report(0, 0x58)]))).toEqual(['abc']);
  });

  it('follows Caps Lock for letters only', () => {
    const d = new HidKeyboardDecoder();
    const r = [report(0, 0x39), report(0), report(0, 0x04), report(0), report(0x02, 0x05), report(0), report(0, 0x1f), report(0), report(0, 0x28)];
    expect(scans(feed(d, r))).toEqual(['Ab2']);
  });

  it('ignores error roll-over reports', () => {
    const d = new HidKeyboardDecoder();
    const r = [report(0, 0x04), report(0, 1, 1, 1, 1, 1, 1), report(0), report(0, 0x28)];
    expect(scans(feed(d, r))).toEqual(['a']);
  });

  it('spoils a scan holding Escape, Backspace, F-keys or Ctrl chords, and goes on', () => {
    const d = new HidKeyboardDecoder();
    for (const bad of [report(0, 0x29), report(0, 0x2a), report(0, 0x3a), report(0x01, 0x10), report(0x04, 0x04)]) {
      const events = feed(d, [report(0, 0x04), report(0), bad, report(0), report(0, 0x28), report(0)]);
      expect(errors(events)).toEqual(['SCAN.NON_PRINTABLE']);
      expect(scans(events)).toEqual([]);
    }
    expect(scans(feed(d, [report(0, 0x04), report(0), report(0, 0x28)]))).toEqual(['a']);
  });

  it('ends on Tab when told to, refuses a scan with Tab otherwise', () => {
    const tabEnds = new HidKeyboardDecoder({ terminator: 'enter-or-tab' });
    expect(scans(feed(tabEnds, encodeKeyboardReports('X1', 'tab')))).toEqual(['X1']);
    const enterOnly = new HidKeyboardDecoder();
    expect(errors(feed(enterOnly, encodeKeyboardReports('X\t1')))).toEqual(['SCAN.NON_PRINTABLE']);
  });

  it('rejects overlong scans and short reports', () => {
    const d = new HidKeyboardDecoder({ maxLength: 4 });
    const events = feed(d, [...encodeKeyboardReports('ABCDE'), ...encodeKeyboardReports('ABCD')]);
    expect(errors(events)).toEqual(['SCAN.TOO_LONG']);
    expect(scans(events)).toEqual(['ABCD']);
    expect(errors(d.push(Buffer.alloc(3)))).toEqual(['SCAN.BAD_REPORT']);
  });

  it('ignores an empty Enter', () => {
    expect(feed(new HidKeyboardDecoder(), encodeKeyboardReports(''))).toEqual([]);
  });

  it('decodes whatever the encoder types (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[\x20-\x7e]{1,60}$/), { minLength: 1, maxLength: 5 }), (codes) => {
        const d = new HidKeyboardDecoder();
        expect(scans(feed(d, codes.flatMap((c) => encodeKeyboardReports(c))))).toEqual(codes);
      }),
    );
  });

  it('never throws on random reports', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 10 }), { maxLength: 50 }), (reports) => {
        const d = new HidKeyboardDecoder({ maxLength: 20 });
        for (const r of reports) d.push(r);
      }),
    );
  });

  it('cannot be asked to type what a US keyboard has no key for', () => {
    expect(() => encodeKeyboardReports('预约')).toThrow(RangeError);
  });
});
