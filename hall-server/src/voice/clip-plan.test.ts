import { describe, expect, it } from 'vitest';
import { baseVocabulary, chineseNumber, planClips, sayTicketNumber, spokenParts, templateLiterals, type CallValues } from './clip-plan';

const TEMPLATE = '请{number}号到{counter}号窗口办理';
const call = (over: Partial<CallValues> = {}): CallValues => ({ number: 'A001', counter: 3, counterName: '社保窗口', service: '社保', ...over });

describe('chineseNumber', () => {
  it.each([
    [0, '零'],
    [1, '一'],
    [10, '十'],
    [12, '十二'],
    [20, '二十'],
    [99, '九十九'],
    [100, '一百'],
    [101, '一百零一'],
    [110, '一百一十'],
    [1001, '一千零一'],
    [1010, '一千零一十'],
    [1100, '一千一百'],
    [9999, '九千九百九十九'],
    [10000, '一万'],
    [10001, '一万零一'],
    [120000, '十二万'],
  ])('%i → %s', (n, said) => expect(chineseNumber(n)).toBe(said));
});

describe('sayTicketNumber', () => {
  it.each([
    ['A001', 'digits', 'A零零一'],
    ['A001', 'number', 'A一'],
    ['B120', 'digits', 'B一二零'],
    ['B120', 'number', 'B一百二十'],
    ['AB1000', 'digits', 'AB一零零零'],
    ['AB1000', 'number', 'AB一千'],
    ['a015', 'number', 'A十五'],
    ['窗口', 'digits', '窗口'],
  ] as const)('%s read as %s → %s', (n, reading, said) => expect(sayTicketNumber(n, reading)).toBe(said));
});

describe('spokenParts', () => {
  it('fills the default template, numbers digit by digit, the counter as a number', () => {
    expect(spokenParts(TEMPLATE, call({ counter: 12 }), 'digits')).toEqual([
      { text: '请', from: 'template' },
      { text: 'A零零一', from: 'number' },
      { text: '号到', from: 'template' },
      { text: '十二', from: 'counter' },
      { text: '号窗口办理', from: 'template' },
    ]);
  });
  it('names come in whole, unknown slots stay as text', () => {
    const parts = spokenParts('{number}号请到{counterName}{x}', call(), 'number');
    expect(parts.map((p) => p.text)).toEqual(['A一', '号请到', '社保窗口', '{x}']);
    expect(parts[2]?.from).toBe('name');
  });
});

describe('templateLiterals', () => {
  it.each([
    [TEMPLATE, ['请', '号到', '号窗口办理']],
    ['请{number}号，到{counterName}办理', ['请', '号', '到', '办理']],
    ['{number}', []],
  ])('%s', (t, lits) => expect(templateLiterals(t)).toEqual(lits));
});

describe('planClips', () => {
  const base = new Set(baseVocabulary());
  const plan = (template: string, v: Partial<CallValues>, clips: ReadonlySet<string>, reading: 'digits' | 'number' = 'digits') =>
    planClips(spokenParts(template, call(v), reading), clips);

  it.each([
    [{}, 'digits', ['请', 'A', '零', '零', '一', '号', '到', '三', '号窗口', '办理']],
    [{ number: 'B105', counter: 12 }, 'digits', ['请', 'B', '一', '零', '五', '号', '到', '十', '二', '号窗口', '办理']],
    [{ number: 'B105', counter: 12 }, 'number', ['请', 'B', '一', '百', '零', '五', '号', '到', '十', '二', '号窗口', '办理']],
  ] as const)('base vocabulary: %o read as %s', (v, reading, clips) => {
    expect(plan(TEMPLATE, v, base, reading)).toEqual({ kind: 'clips', clips });
  });

  it('takes the longest clip the pack has', () => {
    const withLiterals = new Set([...base, ...templateLiterals(TEMPLATE)]);
    expect(plan(TEMPLATE, {}, withLiterals)).toEqual({ kind: 'clips', clips: ['请', 'A', '零', '零', '一', '号到', '三', '号窗口办理'] });
  });

  it('punctuation is one pause, never at the ends', () => {
    expect(plan('请{number}号，，到{counter}号窗口。', {}, base)).toEqual({
      kind: 'clips',
      clips: ['请', 'A', '零', '零', '一', '号', '|', '到', '三', '号窗口'],
    });
  });

  it('a name the pack cannot say makes the whole phrase synthesised', () => {
    expect(plan('请{number}号到{counterName}办理', { counterName: '不动产登记' }, base)).toEqual({
      kind: 'synthesize',
      text: '请A零零一号到不动产登记办理',
      missing: '不',
    });
  });

  it('a name made only of known clips is said clip by clip', () => {
    expect(plan('请{number}号到{counterName}', { counterName: '三号窗口' }, base)).toEqual({
      kind: 'clips',
      clips: ['请', 'A', '零', '零', '一', '号', '到', '三', '号窗口'],
    });
  });
});
