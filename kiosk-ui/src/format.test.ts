import { describe, expect, it } from 'vitest';
import { closedLabel, formatAhead, formatWait, groupCode, paginate, slotLabel, tilesPerPage } from './format';

describe('formatWait', () => {
  it('has no estimate without history', () => {
    expect(formatWait(null)).toEqual({ zh: '暂无估计', en: 'No estimate yet' });
  });
  it('rounds minutes and switches to hours', () => {
    expect(formatWait(0.2).zh).toBe('即将叫号');
    expect(formatWait(12.4).zh).toBe('约 12 分钟');
    expect(formatWait(60).zh).toBe('约 1 小时');
    expect(formatWait(95)).toEqual({ zh: '约 1 小时 35 分钟', en: 'About 1 h 35 min' });
  });
});

describe('formatAhead', () => {
  it('counts people ahead', () => {
    expect(formatAhead(3).zh).toBe('前面还有 3 人');
    expect(formatAhead(1).en).toBe('1 person ahead of you');
    expect(formatAhead(0).zh).toContain('前面没有人');
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  it('cuts pages and clamps the page number', () => {
    expect(paginate(items, 4, 0)).toEqual({ items: [0, 1, 2, 3], page: 0, pages: 3 });
    expect(paginate(items, 4, 2).items).toEqual([8, 9]);
    expect(paginate(items, 4, 7).page).toBe(2);
    expect(paginate([], 4, 1)).toEqual({ items: [], page: 0, pages: 1 });
  });
  it('shows fewer tiles in elderly mode', () => {
    expect(tilesPerPage(true, false)).toBeLessThan(tilesPerPage(false, false));
    expect(tilesPerPage(true, true)).toBeLessThan(tilesPerPage(false, true));
  });

  it('says on a closed tile why it is closed', () => {
    expect(closedLabel('quota')).toEqual({ zh: '今日号已取完', en: 'All taken today' });
    expect(closedLabel('hours').zh).toBe('非取号时间');
    expect(closedLabel(undefined).zh).toBe('暂停取号');
  });
});

describe('appointment check-in (issue 16)', () => {
  it('slot label and grouped code', () => {
    expect(slotLabel('2026-11-26T10:00:00+08:00', '2026-11-26T10:30:00+08:00')).toBe('10:00–10:30');
    expect(groupCode('1234567890')).toBe('1234 5678 90');
    expect(groupCode('12345678')).toBe('1234 5678');
    expect(groupCode('')).toBe('');
  });
});
