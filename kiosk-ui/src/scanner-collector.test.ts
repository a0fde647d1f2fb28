import { describe, expect, it } from 'vitest';
import { ScannerCollector } from './scanner-collector';

function typeAll(c: ScannerCollector, text: string, start: number, gap: number): number {
  let t = start;
  for (const ch of text) {
    c.key(ch, t);
    t += gap;
  }
  return t;
}

describe('ScannerCollector', () => {
  it('reports a fast run ended by Enter', () => {
    const scans: string[] = [];
    const c = new ScannerCollector({ onScan: (s) => scans.push(s) });
    const t = typeAll(c, 'YY20261126A7', 1000, 8);
    expect(c.key('Enter', t)).toBe(true);
    expect(scans).toEqual(['YY20261126A7']);
  });

  it('ignores a person typing slowly', () => {
    const scans: string[] = [];
    const c = new ScannerCollector({ onScan: (s) => scans.push(s) });
    const t = typeAll(c, 'hello', 0, 120);
    expect(c.key('Enter', t)).toBe(false);
    expect(scans).toEqual([]);
  });

  it('drops the slow keys before a scan and keeps the scan', () => {
    const scans: string[] = [];
    const c = new ScannerCollector({ onScan: (s) => scans.push(s) });
    typeAll(c, 'ab', 0, 300);
    const t = typeAll(c, 'CODE1234', 2000, 10);
    c.key('Enter', t);
    expect(scans).toEqual(['CODE1234']);
  });

  it('skips modifier keys without breaking the run', () => {
    const scans: string[] = [];
    const c = new ScannerCollector({ onScan: (s) => scans.push(s) });
    c.key('Shift', 0);
    c.key('A', 5);
    c.key('Shift', 10);
    c.key('B', 15);
    typeAll(c, '123', 20, 5);
    c.key('Enter', 40);
    expect(scans).toEqual(['AB123']);
  });

  it('needs Enter soon after the last key and a minimum length', () => {
    const scans: string[] = [];
    const c = new ScannerCollector({ onScan: (s) => scans.push(s), minLength: 4 });
    typeAll(c, 'ABCDEF', 0, 5);
    c.key('Enter', 500);
    typeAll(c, 'AB', 1000, 5);
    c.key('Enter', 1010);
    expect(scans).toEqual([]);
  });
});
