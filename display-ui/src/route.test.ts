import { describe, expect, it } from 'vitest';
import { parseRoute } from './route';

describe('parseRoute', () => {
  it('routes the phone page by path', () => {
    expect(parseRoute('/ticket/t-123', '?token=abc')).toEqual({ kind: 'ticket', ticketId: 't-123', token: 'abc' });
    expect(parseRoute('/ticket/t%2D1/', '')).toEqual({ kind: 'ticket', ticketId: 't-1', token: null });
  });
  it('falls back to the hall screen', () => {
    expect(parseRoute('/display', '')).toEqual({ kind: 'hall', token: null });
    expect(parseRoute('/display/', '?token=d1')).toEqual({ kind: 'hall', token: 'd1' });
    expect(parseRoute('/ticket/', '')).toEqual({ kind: 'hall', token: null });
  });
});
