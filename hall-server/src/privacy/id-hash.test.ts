import { describe, expect, it } from 'vitest';
import { idNumberHash } from './id-hash';

describe('idNumberHash', () => {
  const key = Buffer.alloc(32, 7);
  it('is stable, case-insensitive on X, and keyed', () => {
    const a = idNumberHash(key, '11010519491231002x');
    expect(a).toBe(idNumberHash(key, '11010519491231002X '));
    expect(a).not.toBe(idNumberHash(Buffer.alloc(32, 8), '11010519491231002X'));
    expect(a).not.toContain('110105');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
