/**
 * Opening a day file from a starting point (a state snapshot's seq, hash and byte offset), the
 * chunked verifier, and the chain check on a worker thread.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { DAY, NEXT, tempJournalDir } from './journal-test-support';
import { Journal, JournalError, ZERO_HASH, checkChainInBackground, verifyJournalFile, verifyJournalRange, type JournalStart } from './index';
import { scanJournal } from './journal-format';

interface Ev {
  type: string;
  n: number;
  pad?: string;
}
const ev = (n: number, pad = ''): Ev => ({ type: 'test.event', n, ...(pad ? { pad } : {}) });


const tmp = tempJournalDir('hall-journal-resume-');

const fileOf = tmp.fileOf;

/** Appends events 1..n to `day` (after `before` on the previous day) and returns the starting point after event `at`. */
async function writeDay(n: number, at: number, opts: { before?: number } = {}): Promise<JournalStart> {
  let day = DAY;
  if (opts.before) {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append(Array.from({ length: opts.before }, (_, i) => ev(-1 - i)));
    await journal.close();
    day = NEXT;
  }
  const { journal } = await Journal.open<Ev>(tmp.dir, day);
  let start: JournalStart | null = null;
  for (let i = 1; i <= n; i++) {
    await journal.append([ev(i)]);
    if (i === at) start = { seq: journal.lastSeq, hash: journal.lastHash, bytes: journal.size };
  }
  await journal.close();
  return start!;
}

describe('Journal.open from a starting point', () => {
  it('reads only the records after it and continues the chain', async () => {
    const from = await writeDay(10, 6);
    const full = await Journal.open<Ev>(tmp.dir, DAY);
    await full.journal.close();
    const records = (await stat(fileOf(DAY))).size;
    const o = await Journal.open<Ev>(tmp.dir, DAY, { from });
    expect(o).toMatchObject({ resumed: true, fromRejected: null, tornLineDropped: false });
    expect(o.events.map((e) => e.n)).toEqual([7, 8, 9, 10]);
    expect(o.journal.lastSeq).toBe(full.journal.lastSeq);
    expect(o.journal.lastHash).toBe(full.journal.lastHash);
    expect(o.journal.size).toBe(records);
    expect(o.unchecked).toEqual({ file: fileOf(DAY), expectedPrev: ZERO_HASH, expectedFirstSeq: 1, bytes: o.journal.size });
    await o.journal.append([ev(11)]);
    await o.journal.close();
    expect(await verifyJournalFile(fileOf(DAY), ZERO_HASH)).toMatchObject({ ok: true, records: 11 });
  });

  it('works at the very end of the file and on a day that continues an earlier one', async () => {
    const from = await writeDay(5, 5, { before: 3 });
    const o = await Journal.open<Ev>(tmp.dir, NEXT, { from });
    expect(o.resumed).toBe(true);
    expect(o.events).toEqual([]);
    expect(o.journal.lastSeq).toBe(8);
    expect(o.unchecked).toMatchObject({ expectedFirstSeq: 4 });
    await o.journal.close();
  });

  it('rejects a starting point the file does not hold, and reads the whole day instead', async () => {
    const from = await writeDay(6, 4);
    const size = (await stat(fileOf(DAY))).size;
    const cases: [JournalStart, RegExp][] = [
      [{ ...from, seq: 5 }, /not seq 5/],
      [{ ...from, hash: 'f'.repeat(64) }, /is not seq 4/],
      [{ ...from, bytes: from.bytes - 1 }, /no record ends at byte/],
      [{ ...from, bytes: size + 100 }, /fewer than/],
      [{ ...from, bytes: 0 }, /not a valid starting point/],
    ];
    for (const [bad, why] of cases) {
      const o = await Journal.open<Ev>(tmp.dir, DAY, { from: bad });
      expect(o.resumed).toBe(false);
      expect(o.fromRejected).toMatch(why);
      expect(o.unchecked).toBeNull();
      expect(o.events.map((e) => e.n)).toEqual([1, 2, 3, 4, 5, 6]);
      await o.journal.close();
    }
    const none = await Journal.open<Ev>(tmp.dir, '2026-03-09', { from });
    expect(none.fromRejected).toMatch(/does not exist/);
    await none.journal.close();
  });

  it('rejects a starting point beyond a journal cut back to an older copy', async () => {
    const from = await writeDay(8, 7);
    const text = await readFile(fileOf(DAY), 'utf8');
    const lines = text.split('\n');
    await writeFile(fileOf(DAY), lines.slice(0, 5).join('\n') + '\n');
    const o = await Journal.open<Ev>(tmp.dir, DAY, { from });
    expect(o.resumed).toBe(false);
    expect(o.events.map((e) => e.n)).toEqual([1, 2, 3, 4, 5]);
    await o.journal.close();
  });

  it('finds the starting line even when it is longer than the first read window', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1), ev(2, 'x'.repeat(20_000))]);
    const from = { seq: journal.lastSeq, hash: journal.lastHash, bytes: journal.size };
    await journal.append([ev(3)]);
    await journal.close();
    const o = await Journal.open<Ev>(tmp.dir, DAY, { from });
    expect(o.resumed).toBe(true);
    expect(o.events.map((e) => e.n)).toEqual([3]);
    await o.journal.close();
  });

  it('still drops a torn tail after the starting point', async () => {
    const from = await writeDay(5, 3);
    const text = await readFile(fileOf(DAY), 'utf8');
    await writeFile(fileOf(DAY), text.slice(0, text.length - 40));
    const o = await Journal.open<Ev>(tmp.dir, DAY, { from });
    expect(o).toMatchObject({ resumed: true, tornLineDropped: true });
    expect(o.events.map((e) => e.n)).toEqual([4]);
    expect(o.journal.lastSeq).toBe(4);
    await o.journal.append([ev(5)]);
    await o.journal.close();
    expect(await verifyJournalFile(fileOf(DAY))).toMatchObject({ ok: true, records: 5, tornTail: false });
  });

  it('refuses a broken record after the starting point, naming its line in the whole file', async () => {
    const from = await writeDay(6, 2);
    const lines = (await readFile(fileOf(DAY), 'utf8')).split('\n');
    lines[3] = lines[3]!.replace('"n":4', '"n":40');
    await writeFile(fileOf(DAY), lines.join('\n'));
    const err = await Journal.open<Ev>(tmp.dir, DAY, { from }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JournalError);
    expect((err as JournalError).line).toBe(4);
    expect((err as Error).message).toMatch(/line 4: hash does not match/);
  });

  it('does not look at the prefix: a change there is left to the background check', async () => {
    const from = await writeDay(6, 4);
    const lines = (await readFile(fileOf(DAY), 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"n":2', '"n":9'); // same length: the starting point stays where it was
    await writeFile(fileOf(DAY), lines.join('\n'));
    const o = await Journal.open<Ev>(tmp.dir, DAY, { from });
    expect(o.resumed).toBe(true);
    await o.journal.close();
    const check = checkChainInBackground(o.unchecked!.file, o.unchecked!);
    const report = await check.done;
    expect(report).toMatchObject({ ok: false, badLine: 2 });
    expect(report.error).toMatch(/^line 2: hash does not match/);
  });
});

describe('chunked verification', () => {
  it('gives the same report as scanning the whole file, for any chunk size and damage (property)', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    for (let i = 1; i <= 12; i++) await journal.append([ev(i, 'p'.repeat((i * 37) % 90))]);
    await journal.close();
    const good = await readFile(fileOf(DAY));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3000 }),
        fc.oneof(
          fc.constant({ kind: 'none' as const }),
          fc.record({ kind: fc.constant('cut' as const), at: fc.nat({ max: good.length }) }),
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat({ max: good.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ kind: fc.constant('zeros' as const), n: fc.integer({ min: 1, max: 700 }) }),
          // The rest of an unfinished write among preallocated zeros (journal-format.ts, "Zero-filled tail").
          fc.record({ kind: fc.constant('leftover' as const), cut: fc.nat({ max: good.length }), gap: fc.nat({ max: 700 }), at: fc.nat({ max: good.length - 1 }), n: fc.integer({ min: 1, max: 300 }) }),
        ),
        async (chunkBytes, damage) => {
          let buf = Buffer.from(good);
          if (damage.kind === 'cut') buf = buf.subarray(0, damage.at);
          if (damage.kind === 'flip') buf[damage.at] = damage.byte;
          if (damage.kind === 'zeros') buf = Buffer.concat([buf, Buffer.alloc(damage.n)]);
          if (damage.kind === 'leftover') {
            const bytes = good.subarray(damage.at, damage.at + damage.n);
            buf = Buffer.concat([good.subarray(0, damage.cut), Buffer.alloc(damage.gap), bytes, Buffer.alloc(damage.gap)]);
          }
          await writeFile(fileOf(DAY), buf);
          const whole = scanJournal(buf, { collect: false, expectedPrev: ZERO_HASH, expectedFirstSeq: 1 });
          const report = await verifyJournalRange(fileOf(DAY), { expectedPrev: ZERO_HASH, expectedFirstSeq: 1, chunkBytes });
          expect(report).toMatchObject({
            ok: whole.error === null,
            records: whole.records,
            firstSeq: whole.firstSeq,
            lastSeq: whole.lastSeq,
            lastHash: whole.lastHash,
            tornTail: whole.tornTail,
            badLine: whole.error?.line ?? null,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('checks only the first `bytes` of a file that grows meanwhile', async () => {
    await writeDay(4, 4);
    const bytes = (await stat(fileOf(DAY))).size;
    await writeFile(fileOf(DAY), Buffer.concat([await readFile(fileOf(DAY)), Buffer.from('{"seq":5,"half a rec')]));
    expect(await verifyJournalRange(fileOf(DAY), { bytes, chunkBytes: 100 })).toMatchObject({ ok: true, records: 4, tornTail: false });
    expect(await verifyJournalRange(fileOf(DAY), { bytes: bytes + 10_000 })).toMatchObject({ ok: false, error: expect.stringMatching(/the file ends at byte/) });
  });

  it('runs on a worker thread and can be stopped', async () => {
    await writeDay(20, 20);
    const report = await checkChainInBackground(fileOf(DAY), { expectedPrev: ZERO_HASH, expectedFirstSeq: 1 }).done;
    expect(report).toMatchObject({ ok: true, records: 20 });
    const stopped = checkChainInBackground(fileOf(DAY), {});
    await stopped.stop();
    await expect(stopped.done).rejects.toThrow();
  });
});
