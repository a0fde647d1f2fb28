import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { ScanLineDecoder, type ScanEvent } from './scan-line-decoder';

const scans = (events: ScanEvent[]): string[] => events.flatMap((e) => (e.type === 'scan' ? [e.text] : []));
const errors = (events: ScanEvent[]): string[] => events.flatMap((e) => (e.type === 'error' ? [e.error.code] : []));

describe('ScanLineDecoder', () => {
  it('ends scans on CR, LF or CR LF by default, skipping empty lines', () => {
    const d = new ScanLineDecoder();
    expect(scans(d.push(Buffer.from('A001\r\nhttps://hall.example/t/42\rXYZ\n\n\r\n')))).toEqual([
      'A001',
      'https://hall.example/t/42',
      'XYZ',
    ]);
  });

  it('finds every scan whatever the split point', () => {
    const stream = Buffer.from('APPT-2024-0001\r\n预约码：B-7\r\nlast\r\n', 'utf8');
    for (let i = 0; i <= stream.length; i++) {
      for (const suffix of ['any', 'CRLF'] as const) {
        const d = new ScanLineDecoder({ suffix });
        const events = [...d.push(stream.subarray(0, i)), ...d.push(stream.subarray(i))];
        expect(scans(events)).toEqual(['APPT-2024-0001', '预约码：B-7', 'last']);
        expect(errors(events)).toEqual([]);
      }
    }
  });

  it('honours a configured suffix', () => {
    expect(scans(new ScanLineDecoder({ suffix: 'CR' }).push(Buffer.from('AB\rCD\r')))).toEqual(['AB', 'CD']);
    expect(scans(new ScanLineDecoder({ suffix: 'LF' }).push(Buffer.from('AB\nCD\n')))).toEqual(['AB', 'CD']);
    // With CR only, an LF is not a suffix but a control character: the next scan is refused.
    const cr = new ScanLineDecoder({ suffix: 'CR' }).push(Buffer.from('AB\r\nCD\r'));
    expect(scans(cr)).toEqual(['AB']);
    expect(errors(cr)).toEqual(['SCAN.NON_PRINTABLE']);
    // With CR LF, a lone CR inside a line spoils it.
    const crlf = new ScanLineDecoder({ suffix: 'CRLF' }).push(Buffer.from('A\rB\r\nOK\r\n'));
    expect(errors(crlf)).toEqual(['SCAN.NON_PRINTABLE']);
    expect(scans(crlf)).toEqual(['OK']);
  });

  it('rejects a scan longer than maxLength, whole, and goes on', () => {
    const d = new ScanLineDecoder({ maxLength: 8 });
    const events = d.push(Buffer.from('12345678\r\n123456789\r\nshort\r\n'));
    expect(scans(events)).toEqual(['12345678', 'short']);
    expect(events.find((e) => e.type === 'error')).toEqual({
      type: 'error',
      error: { code: 'SCAN.TOO_LONG', message: 'scan longer than 8', length: 9 },
    });
  });

  it('rejects control characters and undecodable bytes, without echoing them', () => {
    const d = new ScanLineDecoder();
    const events = d.push(Buffer.concat([Buffer.from('QZ\x07W\r\n\x1b[2J\r\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0d]), Buffer.from('fine\r')]));
    expect(errors(events)).toEqual(['SCAN.NON_PRINTABLE', 'SCAN.NON_PRINTABLE', 'SCAN.NON_PRINTABLE']);
    expect(scans(events)).toEqual(['fine']);
    expect(JSON.stringify(events)).not.toContain('QZ');
  });

  it('decodes GB18030 scanners', () => {
    const d = new ScanLineDecoder({ encoding: 'gb18030' });
    expect(scans(d.push(Buffer.concat([iconv.encode('政务服务中心 A-12', 'gb18030'), Buffer.from('\r\n')])))).toEqual(['政务服务中心 A-12']);
  });

  it('forgets a half line on reset', () => {
    const d = new ScanLineDecoder();
    d.push(Buffer.from('half'));
    d.reset();
    expect(scans(d.push(Buffer.from('whole\r\n')))).toEqual(['whole']);
  });

  it('never throws, and every printable ASCII line comes back as it was (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const d = new ScanLineDecoder({ maxLength: 100 });
        for (const c of chunks) d.push(c);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[\x20-\x7e]{1,40}$/), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (lines, cuts) => {
          const bytes = Buffer.from(lines.map((l) => `${l}\r\n`).join(''));
          const d = new ScanLineDecoder();
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const got: ScanEvent[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            got.push(...d.push(bytes.subarray(prev, p)));
            prev = p;
          }
          expect(scans(got)).toEqual(lines);
        },
      ),
    );
  });
});
