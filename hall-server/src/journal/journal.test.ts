import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { appendFile, mkdir, readFile, readdir, readlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DAY, NEXT, tempJournalDir } from './journal-test-support';
import {
  Journal,
  JournalError,
  ZERO_HASH,
  archiveOldJournals,
  listJournalDays,
  readJournalDay,
  repairJournal,
  verifyJournalDir,
  verifyJournalFile,
} from './index';

interface Ev {
  type: string;
  id: string;
  at: string;
  n: number;
  data?: unknown;
}

const ev = (n: number, extra: Partial<Ev> = {}): Ev => ({
  type: 'ticket.issued',
  id: `ev-${n}`,
  at: `2026-03-02T09:${String(n % 60).padStart(2, '0')}:00+08:00`,
  n,
  ...extra,
});


const tmp = tempJournalDir('hall-journal-');

/** Open, take the replayed events, close. */
async function replay(day: string): Promise<Ev[]> {
  const { journal, events } = await Journal.open<Ev>(tmp.dir, day);
  await journal.close();
  return events;
}

async function lines(day: string): Promise<string[]> {
  const text = await readFile(path.join(tmp.dir, `${day}.jsonl`), 'utf8');
  return text.split('\n').filter((l) => l.length > 0);
}

describe('journal format', () => {
  it('writes the documented line layout; hash = sha256 of the line before ,"hash":"', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1), ev(2, { data: { name: '张*三', note: 'a\nb "q"' } })]);
    await journal.close();
    const [l1, l2] = await lines(DAY);
    type Rec = { seq: number; prev: string; hash: string; event: Ev };
    const r1 = JSON.parse(l1!) as Rec;
    const r2 = JSON.parse(l2!) as Rec;
    expect(Object.keys(r1)).toEqual(['seq', 'prev', 'event', 'hash']);
    expect(l1).toBe(`{"seq":1,"prev":"${ZERO_HASH}","event":${JSON.stringify(ev(1))},"hash":"${r1.hash}"}`);
    expect(r1.hash).toBe(createHash('sha256').update(l1!.slice(0, -75)).digest('hex'));
    expect(l1!.slice(-75, -66)).toBe(',"hash":"');
    expect(r2).toMatchObject({ seq: 2, prev: r1.hash });
    expect(r2.hash).toBe(createHash('sha256').update(`{"seq":2,"prev":"${r1.hash}","event":${l2!.slice(l2!.indexOf('"event":') + 8, -75)}`).digest('hex'));
    expect(r2.event.data).toEqual({ name: '张*三', note: 'a\nb "q"' });
    // Files are pure ASCII: non-ASCII is written as \uXXXX escapes.
    expect(l2).toContain('"name":"\\u5f20*\\u4e09"');
    expect(/^[\x00-\x7f]*$/.test(await readFile(path.join(tmp.dir, `${DAY}.jsonl`), 'latin1'))).toBe(true);
  });

  it('reads a valid record written by another tool in raw UTF-8', async () => {
    const body = `{"seq":1,"prev":"${ZERO_HASH}","event":{"type":"note","text":"午休"}`;
    const hash = createHash('sha256').update(body, 'utf8').digest('hex');
    await mkdir(tmp.dir, { recursive: true });
    await writeFile(path.join(tmp.dir, `${DAY}.jsonl`), `${body},"hash":"${hash}"}\n`);
    const { journal, events } = await Journal.open<{ type: string; text: string }>(tmp.dir, DAY);
    await journal.close();
    expect(events).toEqual([{ type: 'note', text: '午休' }]);
  });
});

describe('Journal append and replay', () => {
  it('round-trips events and continues seq and chain after reopen', async () => {
    const a = await Journal.open<Ev>(tmp.dir, DAY);
    expect(a.events).toEqual([]);
    expect(a.journal.lastSeq).toBe(0);
    expect(a.journal.lastHash).toBe(ZERO_HASH);
    expect(a.journal.day).toBe(DAY);
    await a.journal.append([ev(1)]);
    await a.journal.append([ev(2), ev(3)]);
    await a.journal.append([]);
    expect(a.journal.lastSeq).toBe(3);
    const hash3 = a.journal.lastHash;
    await a.journal.close();

    const b = await Journal.open<Ev>(tmp.dir, DAY);
    expect(b.events).toEqual([ev(1), ev(2), ev(3)]);
    expect(b.tornBytes).toBe(0);
    expect(b.journal.lastSeq).toBe(3);
    expect(b.journal.lastHash).toBe(hash3);
    await b.journal.append([ev(4)]);
    await b.journal.close();
    expect((await replay(DAY)).map((e) => e.n)).toEqual([1, 2, 3, 4]);
    const reports = await verifyJournalDir(tmp.dir);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ ok: true, records: 4, firstSeq: 1, lastSeq: 4, day: DAY, tornTail: false });
  });

  it('records any JSON payload exactly (property)', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    const written: Ev[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ stringUnit: 'binary' }), { minLength: 1, maxLength: 5 }), async (payloads) => {
        const events = payloads.map((data, i) => ({ ...ev(written.length + i), data }));
        await journal.append(events);
        // What a reader gets back is what JSON makes of it (-0 becomes 0).
        written.push(...(JSON.parse(JSON.stringify(events)) as Ev[]));
      }),
      { numRuns: 60 },
    );
    await journal.close();
    expect(await replay(DAY)).toEqual(written);
    expect((await verifyJournalDir(tmp.dir))[0]!.ok).toBe(true);
  });

  it('serialises an event at call time and rejects a non-event without touching the batch', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    const e = ev(1);
    const p = journal.append([e]);
    e.n = 99;
    const bad = journal.append([{ type: 'x', id: 'y', at: 'z', n: 1, data: 10n } as unknown as Ev]);
    const notEvent = journal.append([{ nope: true } as unknown as Ev]);
    const outcomes = await Promise.allSettled([p, bad, notEvent]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
    await journal.close();
    expect(await replay(DAY)).toEqual([ev(1)]);
  });

  it('turns an unusable folder into a JournalError, not a bare errno', async () => {
    await mkdir(path.dirname(tmp.dir), { recursive: true });
    await writeFile(tmp.dir, 'not a folder');
    await expect(Journal.open<Ev>(tmp.dir, DAY)).rejects.toThrow(JournalError);
    await expect(Journal.open<Ev>(tmp.dir, 'tomorrow')).rejects.toThrow(RangeError);
  });

  it('rejects appends after close', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    const before = journal.append([ev(1)]);
    const closing = journal.close();
    await expect(journal.append([ev(2)])).rejects.toThrow(JournalError);
    await before;
    await closing;
    await journal.close();
    expect(await replay(DAY)).toEqual([ev(1)]);
  });
});

describe('group commit', () => {
  it('batches concurrent appends into fewer syncs, keeping call order', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    const N = 200;
    await Promise.all(Array.from({ length: N }, (_, i) => journal.append([ev(i + 1)])));
    expect(journal.lastSeq).toBe(N);
    expect(journal.syncCount).toBeLessThan(N / 4);
    expect(journal.syncCount).toBeGreaterThanOrEqual(1);
    await journal.close();
    const events = await replay(DAY);
    expect(events.map((e) => e.n)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  });

  it('appends made while a sync is in flight go into the next single write+sync', async () => {
    let release!: () => void;
    let gate: Promise<void> | null = new Promise<void>((r) => (release = r));
    const batches: number[] = [];
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY, {
      beforeSync: async (records) => {
        batches.push(records);
        if (gate) await gate;
      },
    });
    const first = journal.append([ev(1)]);
    await new Promise((r) => setTimeout(r, 10)); // first is now stuck in its sync
    const rest = Array.from({ length: 10 }, (_, i) => journal.append([ev(i + 2)]));
    let settled = false;
    void first.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    gate = null;
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([1, 10]);
    expect(journal.syncCount).toBe(2);
    await journal.close();
  });

  it('a failed sync rejects every caller in the batch and refuses later appends', async () => {
    let fail = false;
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY, {
      beforeSync: () => {
        if (fail) throw new Error('EIO (injected)');
      },
    });
    await journal.append([ev(1)]);
    fail = true;
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => journal.append([ev(i + 2)])));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(journal.failure).toBeInstanceOf(JournalError);
    await expect(journal.append([ev(9)])).rejects.toThrow(/write failed \(EIO \(injected\)\)/);
    expect(journal.lastSeq).toBe(1);
    await journal.close();
    // Nothing unacknowledged is left in the file (the batch was taken back).
    const reopened = await Journal.open<Ev>(tmp.dir, DAY);
    expect(reopened.events.map((e) => e.n)).toEqual([1]);
    expect(reopened.tornBytes).toBe(0);
    await reopened.journal.close();
  });
});

describe('durable writes', () => {
  /** The open flags (octal, from /proc) of this process's descriptors of `file`. */
  async function openFlagsOf(file: string): Promise<number[]> {
    const flags: number[] = [];
    for (const fd of await readdir('/proc/self/fd')) {
      const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
      if (target !== file) continue;
      const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
      const m = /^flags:\s*([0-7]+)/m.exec(info);
      if (m) flags.push(parseInt(m[1]!, 8));
    }
    return flags;
  }

  it.runIf(process.platform === 'linux')('appends to the day file (O_APPEND), also after a rollover, one write+sync per batch', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1), ev(2)]);
    const [flags] = await openFlagsOf(path.join(tmp.dir, `${DAY}.jsonl`));
    expect(flags! & fsConstants.O_APPEND).toBe(fsConstants.O_APPEND);
    await journal.rollover(NEXT);
    const [next] = await openFlagsOf(path.join(tmp.dir, `${NEXT}.jsonl`));
    expect(next! & fsConstants.O_APPEND).toBe(fsConstants.O_APPEND);
    expect(journal.syncCount).toBe(1);
    await journal.close();
  });
});

describe('torn writes and tampering', () => {
  async function writeThree(): Promise<string> {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1), ev(2), ev(3)]);
    await journal.close();
    return path.join(tmp.dir, `${DAY}.jsonl`);
  }

  /** The JournalError Journal.open throws (fails the test when it opens). */
  async function openError(day = DAY): Promise<JournalError> {
    const err = await Journal.open<Ev>(tmp.dir, day).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JournalError);
    return err as JournalError;
  }

  it('drops a torn last line, keeps the rest, and the next append continues the chain', async () => {
    const file = await writeThree();
    const full = await readFile(file, 'utf8');
    const lastLine = full.trimEnd().split('\n').at(-1)!;
    // Simulate a crash half-way through writing record 3.
    await writeFile(file, full.slice(0, full.length - 1 - Math.floor(lastLine.length / 2)));
    const vr = await verifyJournalFile(file);
    expect(vr).toMatchObject({ ok: true, tornTail: true, records: 2 });

    const { journal, events, tornBytes } = await Journal.open<Ev>(tmp.dir, DAY);
    expect(tornBytes).toBe(lastLine.length - Math.floor(lastLine.length / 2));
    expect(events.map((e) => e.n)).toEqual([1, 2]);
    expect(journal.lastSeq).toBe(2);
    await journal.append([ev(30)]);
    await journal.close();
    const [report] = await verifyJournalDir(tmp.dir);
    expect(report).toMatchObject({ ok: true, tornTail: false, records: 3, lastSeq: 3 });
    expect((await replay(DAY)).map((e) => e.n)).toEqual([1, 2, 30]);
    // Nothing is kept beside the day file.
    expect(await readdir(tmp.dir)).toEqual([`${DAY}.jsonl`]);
  });

  it('refuses zero bytes, at the end or in the middle: damage, not an unfinished write', async () => {
    const file = await writeThree();
    const good = await readFile(file);
    await appendFile(file, Buffer.alloc(300));
    expect((await openError()).line).toBe(4);
    expect(await verifyJournalFile(file, ZERO_HASH)).toMatchObject({ ok: false, badLine: 4, records: 3 });
    // The start of a record followed by zeros (the end of a write lost, its start kept).
    await writeFile(file, Buffer.concat([good, Buffer.from('{"seq":4,"prev":"'), Buffer.alloc(100)]));
    expect((await openError()).line).toBe(4);
    const ls = await lines(DAY);
    await writeFile(file, Buffer.concat([Buffer.from(`${ls[0]}\n`), Buffer.alloc(ls[1]!.length), Buffer.from(`\n${ls[2]}\n`)]));
    expect((await openError()).line).toBe(2);
    await expect(readJournalDay(tmp.dir, DAY)).rejects.toThrow(JournalError);
  });

  it('refuses a complete last line that is not a record, and a torn line that is not the start of one', async () => {
    const file = await writeThree();
    await appendFile(file, '{"seq":4,"prev":"\n');
    expect((await openError()).line).toBe(4);
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\{"seq":4,"prev":"\n$/, 'garbage'));
    expect((await openError()).line).toBe(4);
  });

  it('detects a changed middle line in verify and open, naming file and line', async () => {
    const file = await writeThree();
    const ls = await lines(DAY);
    ls[1] = ls[1]!.replace('"n":2', '"n":7');
    await writeFile(file, ls.join('\n') + '\n');
    const report = await verifyJournalFile(file);
    expect(report.ok).toBe(false);
    expect(report.badLine).toBe(2);
    expect(report.error).toMatch(/^line 2: hash does not match/);
    expect(report.records).toBe(1);
    const err = await openError();
    expect(err.file).toBe(file);
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/line 2.*hall-server repair/);
    await expect(readJournalDay(tmp.dir, DAY)).rejects.toThrow(JournalError);
  });

  it('detects a removed, a reordered and a garbled middle line', async () => {
    const file = await writeThree();
    const ls = await lines(DAY);
    await writeFile(file, [ls[0], ls[2]].join('\n') + '\n');
    expect((await verifyJournalFile(file)).badLine).toBe(2);
    await writeFile(file, [ls[1], ls[0], ls[2]].join('\n') + '\n');
    expect((await verifyJournalFile(file, ZERO_HASH)).badLine).toBe(1);
    await writeFile(file, [ls[0], 'garbage', ls[2]].join('\n') + '\n');
    expect((await verifyJournalFile(file)).error).toMatch(/^line 2: not a journal record/);
    await expect(Journal.open<Ev>(tmp.dir, DAY)).rejects.toThrow(/line 2/);
  });

  it('a last line that parses but breaks the chain is tampering, not a torn write', async () => {
    const file = await writeThree();
    const ls = await lines(DAY);
    ls[2] = ls[2]!.replace('"n":3', '"n":4');
    await writeFile(file, ls.join('\n') + '\n');
    await expect(Journal.open<Ev>(tmp.dir, DAY)).rejects.toThrow(/line 3/);
  });
});

describe('hall-server repair', () => {
  it('keeps the good records, moves the rest aside beside the day file, and the journal opens again', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1), ev(2), ev(3), ev(4)]);
    await journal.close();
    const file = path.join(tmp.dir, `${DAY}.jsonl`);
    const ls = await lines(DAY);
    const damaged = [ls[0], ls[1], ls[2]!.replace('"n":3', '"n":9'), ls[3]].join('\n') + '\n';
    await writeFile(file, damaged);
    await expect(Journal.open<Ev>(tmp.dir, DAY)).rejects.toThrow(/line 3/);

    const { steps, tornBytes } = await repairJournal(tmp.dir);
    expect(tornBytes).toBe(0);
    expect(steps).toEqual([{ file, reason: expect.stringMatching(/line 3: hash does not match/), keptLines: 2, movedTo: `${file}.damaged-1`, movedBytes: damaged.length - ls[0]!.length - ls[1]!.length - 2 }]);
    expect(await readFile(`${file}.damaged-1`, 'utf8')).toBe(damaged.slice(ls[0]!.length + ls[1]!.length + 2));
    const reopened = await Journal.open<Ev>(tmp.dir, DAY);
    expect(reopened.events.map((e) => e.n)).toEqual([1, 2]);
    await reopened.journal.append([ev(5)]);
    await reopened.journal.close();
    expect((await verifyJournalDir(tmp.dir)).map((r) => r.ok)).toEqual([true]);
    expect(await repairJournal(tmp.dir)).toEqual({ steps: [], tornBytes: 0 });
  });

  it("cuts an earlier day at its damage; the next day, which no longer links to it, is moved aside whole; a second damage goes to damaged-2", async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1), ev(2)]);
    await journal.rollover(NEXT);
    await journal.append([ev(3)]);
    await journal.close();
    const first = path.join(tmp.dir, `${DAY}.jsonl`);
    const second = path.join(tmp.dir, `${NEXT}.jsonl`);
    await writeFile(`${second}.damaged-1`, 'from an earlier repair');
    const ls = await lines(DAY);
    await writeFile(first, `${ls[0]}\n${ls[1]!.replace('"n":2', '"n":8')}\n`);
    const { steps } = await repairJournal(tmp.dir);
    expect(steps.map((s) => [s.file, s.keptLines, s.movedTo])).toEqual([
      [first, 1, `${first}.damaged-1`],
      [second, 0, `${second}.damaged-2`],
    ]);
    expect(await readFile(`${second}.damaged-1`, 'utf8')).toBe('from an earlier repair');
    const reopened = await Journal.open<Ev>(tmp.dir, NEXT);
    expect(reopened.events).toEqual([]);
    expect(reopened.journal.lastSeq).toBe(1);
    await reopened.journal.close();
  });
});

describe('days', () => {
  it('continues the chain and seq across rollover, in call order', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    const a = journal.append([ev(1)]);
    const b = journal.append([ev(2)]);
    const roll = journal.rollover(NEXT);
    const c = journal.append([ev(3)]);
    await Promise.all([a, b, roll, c]);
    expect(journal.day).toBe(NEXT);
    await journal.append([ev(4)]);
    expect(journal.lastSeq).toBe(4);
    await journal.close();

    expect(await listJournalDays(tmp.dir)).toEqual([DAY, NEXT]);
    expect((await readJournalDay<Ev>(tmp.dir, DAY)).map((e) => e.n)).toEqual([1, 2]);
    expect((await readJournalDay<Ev>(tmp.dir, NEXT)).map((e) => e.n)).toEqual([3, 4]);
    expect(await readJournalDay(tmp.dir, '2026-01-01')).toEqual([]);
    const reports = await verifyJournalDir(tmp.dir);
    expect(reports.map((r) => [r.day, r.ok, r.firstSeq, r.lastSeq])).toEqual([
      [DAY, true, 1, 2],
      [NEXT, true, 3, 4],
    ]);
    expect(reports[1]!.firstPrev).toBe(reports[0]!.lastHash);

    const reopened = await Journal.open<Ev>(tmp.dir, NEXT);
    expect(reopened.events.map((e) => e.n)).toEqual([3, 4]);
    await reopened.journal.close();
  });

  it('links a new day opened at start-up to the last record of an earlier day, skipping empty days', async () => {
    const first = await Journal.open<Ev>(tmp.dir, DAY);
    await first.journal.append([ev(1), ev(2)]);
    await first.journal.rollover(NEXT); // an empty day file
    await first.journal.close();
    const later = await Journal.open<Ev>(tmp.dir, '2026-03-05');
    expect(later.journal.lastSeq).toBe(2);
    await later.journal.append([ev(3)]);
    await later.journal.close();
    const reports = await verifyJournalDir(tmp.dir);
    expect(reports.map((r) => r.ok)).toEqual([true, true, true]);
    expect(reports[2]!.firstSeq).toBe(3);
  });

  it('refuses to open a day that does not link to the earlier days', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1)]);
    await journal.rollover(NEXT);
    await journal.append([ev(2)]);
    await journal.close();
    await unlink(path.join(tmp.dir, `${DAY}.jsonl`));
    await expect(Journal.open<Ev>(tmp.dir, NEXT)).rejects.toThrow(/line 1: seq 2 where 1 was expected/);
    const reports = await verifyJournalDir(tmp.dir);
    expect(reports[0]).toMatchObject({ ok: false, badLine: 1, error: expect.stringMatching(/^line 1: seq 2 where 1 was expected/) });
  });

  it('rejects rolling back to an earlier day and keeps working', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, NEXT);
    await expect(journal.rollover(DAY)).rejects.toThrow(RangeError);
    await expect(journal.rollover('2026-13-01')).rejects.toThrow(RangeError);
    await journal.append([ev(1)]);
    await journal.close();
    expect(await listJournalDays(tmp.dir)).toEqual([NEXT]);
  });

  it('archives days older than keepDays into gzip, still verifiable and readable', async () => {
    const days = ['2025-08-01', '2025-08-02', '2025-09-30', '2026-03-01'];
    const { journal } = await Journal.open<Ev>(tmp.dir, days[0]!);
    let n = 0;
    for (const [i, d] of days.entries()) {
      if (i > 0) await journal.rollover(d);
      await journal.append([ev(++n), ev(++n)]);
    }
    await journal.close();
    const archived = await archiveOldJournals(tmp.dir, '2026-03-02');
    // 190 days before 2026-03-02 is 2025-08-24.
    expect(archived).toEqual(['2025-08-01', '2025-08-02']);
    expect(await listJournalDays(tmp.dir)).toEqual(['2025-09-30', '2026-03-01']);
    expect((await readdir(path.join(tmp.dir, 'archive'))).sort()).toEqual(['2025-08-01.jsonl.gz', '2025-08-02.jsonl.gz']);
    const reports = await verifyJournalDir(tmp.dir);
    expect(reports.map((r) => [r.day, r.ok])).toEqual(days.map((d) => [d, true]));
    expect((await readJournalDay<Ev>(tmp.dir, '2025-08-02')).map((e) => e.n)).toEqual([3, 4]);
    expect(await archiveOldJournals(tmp.dir, '2026-03-02')).toEqual([]);

    // Everything archived: a new day still links to the archived tail.
    expect(await archiveOldJournals(tmp.dir, '2026-03-02', 0)).toEqual(['2025-09-30', '2026-03-01']);
    const next = await Journal.open<Ev>(tmp.dir, '2026-03-02');
    expect(next.journal.lastSeq).toBe(8);
    await next.journal.append([ev(9)]);
    await next.journal.close();
    expect((await verifyJournalDir(tmp.dir)).every((r) => r.ok)).toBe(true);
  });
});

describe('crash safety', () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repoRoot = path.resolve(here, '../../..');

  /** Run the writer child for ~300 ms, SIGKILL it, return the n of every acknowledged append. */
  async function runAndKill(offset: number): Promise<number[]> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.fixture.ts'), tmp.dir, DAY, '8', String(offset)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 15000;
    while (!out.includes('ready\n') && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`writer exited early: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // ~300 ms of appends; on a very busy machine wait for at least 50 acknowledgements.
    await new Promise((r) => setTimeout(r, 300));
    while ((out.match(/\n/g) ?? []).length < 51 && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    return out
      .slice(0, out.lastIndexOf('\n'))
      .split('\n')
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
  }

  it('keeps every acknowledged append when the writer is killed with SIGKILL, again and again', async () => {
    const acked: number[] = [];
    for (let round = 0; round < 3; round++) {
      const got = await runAndKill(round * 1_000_000);
      expect(got.length).toBeGreaterThan(50);
      acked.push(...got);
      const { journal, events } = await Journal.open<{ type: string; n: number }>(tmp.dir, DAY);
      const present = new Set(events.map((e) => e.n));
      expect(acked.filter((n) => !present.has(n))).toEqual([]);
      expect(journal.lastSeq).toBe(events.length);
      await journal.close();
    }
    const { journal } = await Journal.open<{ type: string; n: number }>(tmp.dir, DAY);
    await journal.append([{ type: 'after.crash', n: -1 }]);
    await journal.close();
    expect((await verifyJournalDir(tmp.dir))[0]).toMatchObject({ ok: true, tornTail: false });
  });
});
