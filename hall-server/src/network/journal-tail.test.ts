import { describe, expect, it } from 'vitest';
import { appendFile, readFile } from 'node:fs/promises';
import { Journal, archiveOldJournals } from '../journal';
import { tempJournalDir } from '../journal/journal-test-support';
import { JournalTail, seqOfLine } from './journal-tail';

const t = tempJournalDir('journal-tail-');
const ev = (i: number) => ({ type: 'test.event', id: `e${i}`, at: '2026-03-02T10:00:00+08:00' });

async function writeDays(days: Array<[string, number]>): Promise<void> {
  let n = 0;
  const first = await Journal.open<{ type: string }>(t.dir, days[0]![0]);
  const j = first.journal;
  for (const [i, [day, count]] of days.entries()) {
    if (i > 0) await j.rollover(day);
    await j.append(Array.from({ length: count }, () => ev(++n)));
  }
  await j.close();
}

describe('journal tail', () => {
  it('reads records after a seq across days, archived days included, byte-exact and in order', async () => {
    await writeDays([
      ['2026-01-01', 3],
      ['2026-01-02', 0],
      ['2026-03-01', 4],
      ['2026-03-02', 5],
    ]);
    expect(await archiveOldJournals(t.dir, '2026-03-02', 30)).toEqual(['2026-01-01', '2026-01-02']);
    const tail = new JournalTail(t.dir);
    const all = await tail.after(0, 100, 100);
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const live = (await readFile(t.fileOf('2026-03-02'), 'utf8')).split('\n').filter(Boolean);
    expect(all.slice(7).map((r) => r.line)).toEqual(live);
    // Batches: a cap on records, and the durable seq as the end.
    expect((await tail.after(2, 100, 3)).map((r) => r.seq)).toEqual([3, 4, 5]);
    expect((await tail.after(5, 9, 100)).map((r) => r.seq)).toEqual([6, 7, 8, 9]);
    expect(await tail.after(12, 12, 100)).toEqual([]);
  });

  it('reads on from where it stopped as the live day grows, and leaves an unfinished line out', async () => {
    const { journal } = await Journal.open<{ type: string }>(t.dir, '2026-03-02');
    await journal.append([ev(1), ev(2)]);
    const tail = new JournalTail(t.dir);
    expect((await tail.after(0, 2, 10)).map((r) => r.seq)).toEqual([1, 2]);
    await journal.append([ev(3), ev(4)]);
    expect((await tail.after(2, 4, 10)).map((r) => r.seq)).toEqual([3, 4]);
    await journal.rollover('2026-03-03');
    await journal.append([ev(5)]);
    expect((await tail.after(4, 5, 10)).map((r) => r.seq)).toEqual([5]);
    // Asked again from an earlier seq (the upstream lost records): read from the start.
    expect((await tail.after(1, 5, 10)).map((r) => r.seq)).toEqual([2, 3, 4, 5]);
    await journal.close();
    await appendFile(t.fileOf('2026-03-03'), '{"seq":6,"prev":"00');
    expect((await tail.after(4, 6, 10)).map((r) => r.seq)).toEqual([5]);
    expect(seqOfLine('{"seq":17,"prev":"')).toBe(17);
    expect(seqOfLine('garbage')).toBeNull();
  });

  it('sends a big day batch by batch, live and archived, every line once and in order', async () => {
    // ~1.5 MB a day: more than one read window of the live file.
    const big = (i: number) => ({ ...ev(i), note: 'x'.repeat(200) });
    const { journal } = await Journal.open<{ type: string }>(t.dir, '2026-01-05');
    await journal.append(Array.from({ length: 6000 }, (_, i) => big(i + 1)));
    await journal.rollover('2026-03-02');
    await journal.append(Array.from({ length: 6000 }, (_, i) => big(i + 6001)));
    await journal.close();
    expect(await archiveOldJournals(t.dir, '2026-03-02', 30)).toEqual(['2026-01-05']);
    const tail = new JournalTail(t.dir);
    const got: string[] = [];
    for (let after = 0; ; ) {
      const batch = await tail.after(after, 12_000, 700);
      if (batch.length === 0) break;
      expect(batch[0]!.seq).toBe(after + 1);
      got.push(...batch.map((r) => r.line));
      after = batch.at(-1)!.seq;
    }
    expect(got).toHaveLength(12_000);
    expect(got.slice(6000)).toEqual((await readFile(t.fileOf('2026-03-02'), 'utf8')).split('\n').filter(Boolean));
    expect(got.map((l) => seqOfLine(l))).toEqual(Array.from({ length: 12_000 }, (_, i) => i + 1));
  });
});
