import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeText, encodeText } from './device-text';

describe('device text', () => {
  it('encodes Chinese in GBK', () => {
    const r = encodeText('请A001号到3号窗口', 'gbk');
    expect(r.replaced).toEqual([]);
    expect(r.bytes.equals(iconv.encode('请A001号到3号窗口', 'gbk'))).toBe(true);
    expect(decodeText(r.bytes, 'gbk')).toBe('请A001号到3号窗口');
  });

  it('a character outside GBK becomes a full-width space and is reported', () => {
    const r = encodeText('张😀三𠀀', 'gbk');
    expect(r.replaced).toEqual(['😀', '𠀀']);
    expect(decodeText(r.bytes, 'gbk')).toBe('张\u3000三\u3000');
    expect(r.bytes.includes(0x3f)).toBe(false);
  });

  it('keeps minority-name dots and full-width punctuation', () => {
    expect(encodeText('阿卜杜·热合曼（窗口）', 'gbk').replaced).toEqual([]);
  });

  it('control characters never reach the device', () => {
    const r = encodeText('A\u0000B\nC', 'gbk');
    expect(r.replaced).toEqual(['\u0000', '\n']);
    expect(r.bytes.includes(0)).toBe(false);
  });

  it('cuts at a character boundary', () => {
    const r = encodeText('请请请', 'gbk', 5);
    expect(r.truncated).toBe(true);
    expect(r.bytes.length).toBe(4);
    expect(decodeText(r.bytes, 'gbk')).toBe('请请');
  });

  it('ascii devices get a space for anything else', () => {
    const r = encodeText('A001号', 'ascii');
    expect(r.bytes.toString('latin1')).toBe('A001 ');
    expect(r.replaced).toEqual(['号']);
  });
});
