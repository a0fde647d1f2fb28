import { describe, expect, it } from 'vitest';
import { TOKEN_KEY, resolveToken } from './terminal-token';

function memory(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

describe('resolveToken', () => {
  it('stores a token from the address and strips it', () => {
    const s = memory();
    expect(resolveToken('?token=abc&x=1', s)).toEqual({ token: 'abc', cleanSearch: '?x=1' });
    expect(s.map.get(TOKEN_KEY)).toBe('abc');
    expect(resolveToken('?token=new', s)).toEqual({ token: 'new', cleanSearch: '' });
  });
  it('falls back to the stored token', () => {
    expect(resolveToken('', memory({ [TOKEN_KEY]: 'kept' }))).toEqual({ token: 'kept', cleanSearch: null });
    expect(resolveToken('?token=', memory())).toEqual({ token: null, cleanSearch: null });
  });
});
