import { describe, expect, it } from 'vitest';
import { parseRoute } from './route';

describe('parseRoute', () => {
  it('routes the phone page by path', () => {
    expect(parseRoute('/ticket/t-123', '?token=abc')).toEqual({ kind: 'ticket', ticketId: 't-123', token: 'abc' });
    expect(parseRoute('/ticket/t%2D1/', '')).toEqual({ kind: 'ticket', ticketId: 't-1', token: null });
  });
  it('routes a counter screen by path, paired by its token', () => {
    expect(parseRoute('/display/counter/ctr-3', '')).toEqual({ kind: 'counter', counterId: 'ctr-3', token: null });
    expect(parseRoute('/display/counter/ctr-3/', '?token=d1')).toEqual({ kind: 'counter', counterId: 'ctr-3', token: 'd1' });
  });
  it('falls back to the hall screen, with a forced layout if asked', () => {
    expect(parseRoute('/display', '')).toEqual({ kind: 'hall', token: null, layout: null });
    expect(parseRoute('/display/', '?token=d1&layout=single')).toEqual({ kind: 'hall', token: 'd1', layout: 'single' });
    expect(parseRoute('/display', '?layout=bogus')).toEqual({ kind: 'hall', token: null, layout: null });
    expect(parseRoute('/ticket/', '')).toEqual({ kind: 'hall', token: null, layout: null });
    expect(parseRoute('/display/counter/', '')).toEqual({ kind: 'hall', token: null, layout: null });
  });
});
