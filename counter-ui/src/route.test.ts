import { describe, expect, it } from 'vitest';
import { parsePage, pathOf } from './route';

describe('counter-ui routes', () => {
  it('maps paths to pages and back', () => {
    expect(parsePage('/counter')).toBe('clerk');
    expect(parsePage('/counter/')).toBe('clerk');
    expect(parsePage('/counter/supervise')).toBe('supervise');
    expect(parsePage('/counter/admin/')).toBe('admin');
    expect(parsePage('/counter/whatever')).toBe('clerk');
    expect(pathOf('admin')).toBe('/counter/admin');
    expect(pathOf('clerk')).toBe('/counter');
    expect(parsePage('/counter/ratings')).toBe('ratings');
    expect(parsePage('/counter/cases')).toBe('cases');
    expect(parsePage('/counter/my-cases')).toBe('my-cases');
    expect(pathOf('my-cases')).toBe('/counter/my-cases');
    expect(parsePage('/counter/county')).toBe('county');
    expect(parsePage('/counter/catalogue/')).toBe('catalogue');
    expect(pathOf('county')).toBe('/counter/county');
    expect(parsePage('/counter/account')).toBe('account');
    expect(pathOf('account')).toBe('/counter/account');
  });
});
