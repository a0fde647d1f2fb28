import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charColumns, sanitizeText, textColumns, wrapText } from './text-wrap';

describe('column arithmetic', () => {
  it('counts ASCII as one column and every other character as two', () => {
    expect(charColumns('A')).toBe(1);
    expect(charColumns('中')).toBe(2);
    expect(charColumns('，')).toBe(2);
    expect(charColumns('𠮷')).toBe(2);
    expect(textColumns('A001号')).toBe(6);
  });

  it('strips control codes that would be ESC/POS commands, and bidi/zero-width marks', () => {
    expect(sanitizeText('张\x1b@三\x1dV\x00')).toBe('张@三V');
    expect(sanitizeText('a\u202eb\u200bc\ufeff')).toBe('abc');
    expect(sanitizeText('line1\nline2\tx')).toBe('line1 line2 x');
    expect(sanitizeText('\ud800x')).toBe('x');
  });
});

describe('wrapText', () => {
  it('fits 16 hanzi on a 32-column line and 24 on 48', () => {
    const text = '一'.repeat(40);
    expect(wrapText(text, 32).map((l) => [...l].length)).toEqual([16, 16, 8]);
    expect(wrapText(text, 48).map((l) => [...l].length)).toEqual([24, 16]);
  });

  it('breaks English at spaces and splits a word longer than the line', () => {
    expect(wrapText('bring your household register please', 16)).toEqual(['bring your', 'household', 'register please']);
    expect(wrapText('x'.repeat(20), 8)).toEqual(['xxxxxxxx', 'xxxxxxxx', 'xxxx']);
  });

  it('mixes hanzi and ASCII by columns', () => {
    const lines = wrapText('请携带2寸照片2张和身份证ID card', 16);
    for (const l of lines) expect(textColumns(l)).toBeLessThanOrEqual(16);
    expect(lines.join('').replace(/ /g, '')).toBe('请携带2寸照片2张和身份证IDcard');
  });

  it('does not start a line with closing punctuation', () => {
    // 15 hanzi then a comma: the 16th column pair is the comma → pull the last hanzi down.
    const lines = wrapText('一二三四五六七八九十甲乙丙丁戊己，庚', 32);
    expect(lines[1]?.startsWith('，')).toBe(false);
    expect(lines[1]).toBe('己，庚');
  });

  it('indents continuation lines for a numbered list', () => {
    const lines = wrapText('1. 本人身份证原件及复印件，委托办理的还需委托书', 32, 3);
    expect(lines[0]?.startsWith('1. ')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('   '))).toBe(true);
    for (const l of lines) expect(textColumns(l)).toBeLessThanOrEqual(32);
  });

  it('returns one empty line for empty text', () => {
    expect(wrapText('', 32)).toEqual(['']);
  });

  it('keeps a word on its line when it cannot move down with its closing punctuation', () => {
    // Found by the property below: a 2-column continuation cannot hold "BB1）".
    const lines = wrapText('中BB1）', 5, 3);
    for (const l of lines) expect(textColumns(l)).toBeLessThanOrEqual(5);
    expect(lines.join('').replace(/ /g, '')).toBe('中BB1）');
  });

  it('property: every line fits and no printable character is lost', () => {
    const chars = fc.constantFrom('中', '文', '，', '。', 'a', 'B', '1', ' ', '𠮷', '䶮', '😀', '-', '（', '）');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 120 }).map((a) => a.join('')), fc.integer({ min: 4, max: 48 }), fc.integer({ min: 0, max: 4 }), (text, cols, indent) => {
        const lines = wrapText(text, cols, indent);
        for (const l of lines) expect(textColumns(l)).toBeLessThanOrEqual(cols);
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
      }),
    );
  });
});
