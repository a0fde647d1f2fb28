import { describe, expect, it } from 'vitest';
import { pickVoice, speechTimeoutMs } from './pick-voice';

const v = (name: string, lang: string, localService = true, isDefault = false) => ({ name, lang, localService, default: isDefault });

describe('pickVoice', () => {
  it('prefers a local zh-CN voice', () => {
    expect(pickVoice([v('en', 'en-US'), v('hk', 'zh-HK'), v('cn', 'zh-CN')])?.name).toBe('cn');
    expect(pickVoice([v('en', 'en-US'), v('cmn', 'cmn')])?.name).toBe('cmn');
    expect(pickVoice([v('tw', 'zh_TW')])?.name).toBe('tw');
  });
  it('never picks an online voice', () => {
    expect(pickVoice([v('Google 普通话', 'zh-CN', false)])).toBeNull();
    expect(pickVoice([v('Google 普通话', 'zh-CN', false), v('local', 'zh', true)])?.name).toBe('local');
  });
  it('has no voice for a machine without Chinese', () => {
    expect(pickVoice([v('en', 'en-US'), v('de', 'de-DE')])).toBeNull();
    expect(pickVoice([])).toBeNull();
  });
  it('bounds the time a phrase may take', () => {
    expect(speechTimeoutMs('请A001号到3号窗口办理')).toBeGreaterThan(5000);
  });
});
