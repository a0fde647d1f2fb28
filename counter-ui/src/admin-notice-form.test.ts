import { describe, expect, it } from 'vitest';
import { noticeRows, noticesBody, noticeState } from './admin-notice-form';

describe('notices form', () => {
  it('round-trips rows and keeps ids; new rows get none', () => {
    const rows = noticeRows([{ id: 'n1', text: '请携带身份证', zone: null, from: null, to: '2026-12-31' }]);
    expect(rows).toEqual([{ id: 'n1', text: '请携带身份证', from: '', to: '2026-12-31' }]);
    expect(noticesBody([...rows, { text: ' 元旦放假 ', from: '2026-12-30', to: '2027-01-01' }])).toEqual({
      ok: true,
      value: { notices: [{ id: 'n1', text: '请携带身份证', from: null, to: '2026-12-31' }, { text: '元旦放假', from: '2026-12-30', to: '2027-01-01' }] },
    });
  });
  it('refuses an empty notice, reversed dates and an over-long text, in Chinese', () => {
    expect(noticesBody([{ text: 'a', from: '', to: '' }, { text: ' ', from: '', to: '' }])).toEqual({ ok: false, error: '第 2 条公告没有内容 Notice 2 is empty' });
    expect(noticesBody([{ text: 'a', from: '2026-12-02', to: '2026-12-01' }])).toMatchObject({ ok: false, error: expect.stringMatching(/^第 1 条公告的结束日期早于开始日期/) });
    const long = noticesBody([{ text: 'x'.repeat(501), from: '', to: '' }]);
    expect(!long.ok && long.error).toMatch(/^公告内容（notices\[0\]\.text）：/);
  });
  it('says whether a notice shows today', () => {
    expect(noticeState({ from: '', to: '' }, '2026-11-26')).toBe('showing');
    expect(noticeState({ from: '2026-11-27', to: '' }, '2026-11-26')).toBe('upcoming');
    expect(noticeState({ from: '', to: '2026-11-25' }, '2026-11-26')).toBe('ended');
    expect(noticeState({ from: '2026-11-26', to: '2026-11-26' }, '2026-11-26')).toBe('showing');
  });
});
