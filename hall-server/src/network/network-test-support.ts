/** What the network's tests share: journal lines made the way the journal makes them. */
import { ZERO_HASH, eventToJson, formatRecord } from '../journal/journal-format';

/** A hall's journal lines 1..n, as the journal writes them. */
export function chainLines(n: number, from = { seq: 0, hash: ZERO_HASH }, tag = 'a'): string[] {
  const lines: string[] = [];
  let prev = from.hash;
  for (let seq = from.seq + 1; seq <= from.seq + n; seq++) {
    const r = formatRecord(prev, seq, eventToJson({ type: 'test.event', id: `${tag}${seq}`, at: '2026-11-26T10:00:00+08:00', 名: '张三' }));
    lines.push(r.line.slice(0, -1));
    prev = r.hash;
  }
  return lines;
}

