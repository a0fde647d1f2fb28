import { describe, expect, it } from 'vitest';
import { EMPTY_TAIL, checkBatch, parseBatch, type ReceivedRecord } from './chain-check';
import { chainLines } from './network-test-support';

const parsed = (lines: string[]): ReceivedRecord[] => {
  const p = parseBatch(lines);
  if (!p.ok) throw new Error(p.refusal.message);
  return p.records;
};

describe('chain check', () => {
  const lines = chainLines(6);
  const all = parsed(lines);
  const held = new Map(all.map((r) => [r.seq, r.hash]));
  const tailAt = (n: number) => ({ lastSeq: n, lastHash: all[n - 1]!.hash });

  it('accepts the start of a chain and its continuation', () => {
    const v = checkBatch(EMPTY_TAIL, all.slice(0, 3), () => undefined);
    expect(v).toMatchObject({ ok: true, duplicates: 0 });
    expect(v.ok && v.fresh.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(checkBatch(tailAt(3), all.slice(3), (s) => held.get(s))).toMatchObject({ ok: true, duplicates: 0 });
  });

  it('acknowledges a replayed batch without anything fresh, and an overlapping one with only the new part', () => {
    expect(checkBatch(tailAt(6), all.slice(0, 3), (s) => held.get(s))).toEqual({ ok: true, fresh: [], duplicates: 3 });
    const v = checkBatch(tailAt(4), all.slice(2), (s) => held.get(s));
    expect(v.ok && [v.fresh.map((r) => r.seq), v.duplicates]).toEqual([[5, 6], 2]);
  });

  it('refuses a gap with where to resume', () => {
    expect(checkBatch(tailAt(2), all.slice(3), (s) => held.get(s))).toMatchObject({ ok: false, refusal: { code: 'NETWORK.GAP', details: { expectedSeq: 3 } } });
    expect(checkBatch(EMPTY_TAIL, all.slice(1), () => undefined)).toMatchObject({ ok: false, refusal: { code: 'NETWORK.GAP', details: { expectedSeq: 1 } } });
  });

  it('refuses a fork: another record at a seq already held, or a new record not linked to the tail', () => {
    const other = parsed(chainLines(6, undefined, 'b'));
    expect(checkBatch(tailAt(3), other.slice(0, 4), (s) => held.get(s))).toMatchObject({ ok: false, refusal: { code: 'NETWORK.FORK', details: { seq: 1 } } });
    const branch = parsed(chainLines(2, { seq: 3, hash: 'f'.repeat(64) }));
    expect(checkBatch(tailAt(3), branch, (s) => held.get(s))).toMatchObject({ ok: false, refusal: { code: 'NETWORK.FORK', details: { seq: 4 } } });
  });

  it('refuses records out of order or not linked to each other', () => {
    expect(checkBatch(EMPTY_TAIL, [all[0]!, all[2]!, all[1]!], () => undefined)).toMatchObject({ ok: false, refusal: { code: 'NETWORK.CHAIN_BROKEN' } });
    const stranger = parsed(chainLines(2, { seq: 1, hash: 'e'.repeat(64) }));
    expect(checkBatch(EMPTY_TAIL, [all[0]!, stranger[0]!], () => undefined)).toMatchObject({ ok: false, refusal: { code: 'NETWORK.CHAIN_BROKEN', details: { index: 1 } } });
  });

  it('refuses a forged record (changed after hashing) as a broken chain, and a malformed line as invalid', () => {
    const forged = lines[1]!.replace('张三', '李四').replace('\\u5f20\\u4e09', '\\u674e\\u56db');
    expect(forged).not.toBe(lines[1]);
    expect(parseBatch([lines[0]!, forged])).toMatchObject({ ok: false, refusal: { code: 'NETWORK.CHAIN_BROKEN', details: { index: 1 } } });
    expect(parseBatch(['{"seq":1}'])).toMatchObject({ ok: false, refusal: { code: 'PROTOCOL.INVALID_PAYLOAD' } });
    expect(parseBatch([`${lines[0]}\n${lines[1]}`])).toMatchObject({ ok: false, refusal: { code: 'PROTOCOL.INVALID_PAYLOAD' } });
  });
});
