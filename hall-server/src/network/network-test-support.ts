/** What the network's tests share: journal lines made the way the journal makes them. */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { ZERO_HASH, eventToJson, formatRecord } from '../journal/journal-format';
import { NetworkHub } from './network-hub';

export const quiet = { info() {}, warn() {} };

/** A hub over `dir/network.sqlite` (or PostgreSQL), with a clock that moves a second per id made. */
export function testHub(dir: string, databaseUrl?: string): NetworkHub {
  let n = 0;
  return new NetworkHub({
    sqliteFile: path.join(dir, 'network.sqlite'),
    databaseUrl,
    clock: () => Date.parse('2026-11-26T10:00:00+08:00') + n * 1000,
    newId: () => `${++n}-${randomBytes(3).toString('hex')}`,
    newToken: () => randomBytes(24).toString('base64url'),
    tokenHash: (t) => createHash('sha256').update(t).digest('hex'),
    log: quiet,
  });
}

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

