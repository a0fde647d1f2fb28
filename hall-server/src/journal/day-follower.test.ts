/**
 * Following a day file while it grows (the snapshot writer thread's reader): the records come in
 * order, up to the byte offset asked and never past it, the chain continues from the starting
 * point across pieces of any size, and a record that does not continue it is an error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile, writeFile } from 'node:fs/promises';
import { DAY, NEXT, tempJournalDir } from './journal-test-support';
import { DayFileFollower, Journal, JournalError, ZERO_HASH, type ChainPoint } from './index';

interface Ev {
  type: string;
  n: number;
  pad?: string;
}

const tmp = tempJournalDir('hall-day-follower-');

const fileOf = tmp.fileOf;

/** Appends events one by one; returns the durable point after each (index 0: the day's start). */
async function writeDay(day: string, events: Ev[]): Promise<ChainPoint[]> {
  const { journal } = await Journal.open<Ev>(tmp.dir, day);
  const points: ChainPoint[] = [{ ...journal.dayStart, bytes: 0 }];
  for (const e of events) {
    await journal.append([e]);
    points.push({ seq: journal.lastSeq, hash: journal.lastHash, bytes: journal.size });
  }
  await journal.close();
  return points;
}

async function readAll(f: DayFileFollower, to: number): Promise<number[]> {
  const seen: number[] = [];
  await f.readTo(to, (events) => seen.push(...(events as Ev[]).map((e) => e.n)));
  return seen;
}

describe('DayFileFollower', () => {
  it('reads from any point to any later point in pieces of any size, exactly those records (property)', async () => {
    const events = Array.from({ length: 40 }, (_, i): Ev => ({ type: 'test.event', n: i + 1, ...(i % 7 === 0 ? { pad: 'x'.repeat(300) } : {}) }));
    const points = await writeDay(DAY, events);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 40 }), fc.nat({ max: 40 }), fc.nat({ max: 40 }), fc.integer({ min: 1, max: 2000 }), async (a, b, c, piece) => {
        const [from, mid, to] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
        const f = new DayFileFollower(fileOf(DAY), points[from]!, piece);
        try {
          const first = await readAll(f, points[mid]!.bytes);
          expect(f.at).toEqual(points[mid]);
          const second = await readAll(f, points[to]!.bytes);
          expect(f.at).toEqual(points[to]);
          expect([...first, ...second]).toEqual(events.slice(from, to).map((e) => e.n));
        } finally {
          await f.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('never reads past the offset it is given, though the file goes on', async () => {
    const points = await writeDay(DAY, [1, 2, 3, 4, 5].map((n) => ({ type: 'test.event', n })));
    await writeFile(fileOf(DAY), `${await readFile(fileOf(DAY), 'utf8')}{"seq":6,"prev":"not a record yet`);
    const f = new DayFileFollower(fileOf(DAY), points[0]!);
    expect(await readAll(f, points[3]!.bytes)).toEqual([1, 2, 3]);
    expect(await readAll(f, points[5]!.bytes)).toEqual([4, 5]);
    await f.close();
  });

  it('continues the chain from the previous day', async () => {
    await writeDay(DAY, [{ type: 'test.event', n: 1 }]);
    const points = await writeDay(NEXT, [{ type: 'test.event', n: 2 }]);
    expect(points[0]).toMatchObject({ seq: 1, bytes: 0 });
    expect(points[0]!.hash).not.toBe(ZERO_HASH);
    const f = new DayFileFollower(fileOf(NEXT), points[0]!);
    expect(await readAll(f, points[1]!.bytes)).toEqual([2]);
    await f.close();
    const wrongStart = new DayFileFollower(fileOf(NEXT), { seq: 0, hash: ZERO_HASH, bytes: 0 });
    await expect(readAll(wrongStart, points[1]!.bytes)).rejects.toThrow(/seq 2 where 1 was expected/);
    await wrongStart.close();
  });

  it('throws on a changed record, an offset that is no record end, and a file shorter than the offset; `at` stays at the last good piece', async () => {
    const points = await writeDay(DAY, [1, 2, 3, 4].map((n) => ({ type: 'test.event', n })));
    const text = await readFile(fileOf(DAY), 'utf8');
    await writeFile(fileOf(DAY), text.replace('"n":3', '"n":9'));
    const f = new DayFileFollower(fileOf(DAY), points[0]!, 1);
    await expect(readAll(f, points[4]!.bytes)).rejects.toThrow(JournalError);
    expect(f.at).toEqual(points[2]);
    await f.close();
    await writeFile(fileOf(DAY), text);
    const g = new DayFileFollower(fileOf(DAY), points[0]!);
    await expect(readAll(g, points[2]!.bytes - 3)).rejects.toThrow(/no record ends at byte/);
    await expect(readAll(g, points[4]!.bytes + 10)).rejects.toThrow(/the file ends at byte/);
    await g.close();
  });
});
