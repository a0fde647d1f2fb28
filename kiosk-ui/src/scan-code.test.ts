import { describe, expect, it } from 'vitest';
import { parseScan } from './scan-code';

describe('parseScan', () => {
  it('takes a bare code', () => {
    expect(parseScan(' YY7K3Q9A ')).toEqual({ kind: 'appointment', code: 'YY7K3Q9A' });
  });
  it('takes the code out of a link', () => {
    expect(parseScan('http://hall.local:8080/appointments/AB12CD34')).toEqual({ kind: 'appointment', code: 'AB12CD34' });
    expect(parseScan('https://x.gov.cn/checkin?appointment=Q1W2E3R4')).toEqual({ kind: 'appointment', code: 'Q1W2E3R4' });
    expect(parseScan('https://x.gov.cn/a?code=ZZZZ9999')).toEqual({ kind: 'appointment', code: 'ZZZZ9999' });
  });
  it('recognises a ticket link', () => {
    expect(parseScan('http://10.0.0.2:8080/ticket/t_42?token=abc')).toEqual({ kind: 'ticket', ticketId: 't_42' });
  });
  it('rejects anything else', () => {
    expect(parseScan('hello world')).toEqual({ kind: 'unknown' });
    expect(parseScan('abc')).toEqual({ kind: 'unknown' });
    expect(parseScan('https://example.com/')).toEqual({ kind: 'unknown' });
    expect(parseScan('http://[bad')).toEqual({ kind: 'unknown' });
  });
});
