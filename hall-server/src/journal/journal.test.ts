import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { appendFile, mkdir, open, readFile, readdir, readlink, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { DAY, NEXT, tempJournalDir } from './journal-test-support';
import {
  Journal,
  JournalError,
  MAX_WRITE_BYTES,
  PREALLOCATE_BYTES,
  ZERO_HASH,
  archiveOldJournals,
  listJournalDays,
  readJournalDay,
  verifyJournalDir,
  verifyJournalFile,
  verifyJournalRange,
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
    expect(b.tornLineDropped).toBe(false);
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
    await expect(journal.append([ev(9)])).rejects.toThrow(/sync failed/);
    expect(journal.lastSeq).toBe(1);
    await journal.close();
    // Nothing unacknowledged is left in the file (the batch was taken back).
    const reopened = await Journal.open<Ev>(tmp.dir, DAY);
    expect(reopened.events.map((e) => e.n)).toEqual([1]);
    expect(reopened.tornLineDropped).toBe(false);
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

  it.runIf(process.platform === 'linux')('writes the day file with O_DSYNC (each batch one durable write), also after a rollover', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1)]);
    const [flags] = await openFlagsOf(path.join(tmp.dir, `${DAY}.jsonl`));
    expect(flags! & fsConstants.O_DSYNC).toBe(fsConstants.O_DSYNC);
    // Records are written at their offsets, over the preallocated zeros.
    expect(flags! & fsConstants.O_APPEND).toBe(0);
    await journal.rollover(NEXT);
    const [next] = await openFlagsOf(path.join(tmp.dir, `${NEXT}.jsonl`));
    expect(next! & fsConstants.O_DSYNC).toBe(fsConstants.O_DSYNC);
    expect(journal.syncCount).toBe(1);
    await journal.close();
  });

  it.runIf(process.platform === 'linux')('with the test hook between write and sync, writes plainly and calls fdatasync', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY, { beforeSync: () => undefined });
    await journal.append([ev(1)]);
    const [flags] = await openFlagsOf(path.join(tmp.dir, `${DAY}.jsonl`));
    expect(flags! & fsConstants.O_DSYNC).toBe(0);
    await journal.close();
  });
});

describe('preallocation', () => {
  const file = (day = DAY): string => path.join(tmp.dir, `${day}.jsonl`);
  /** The day file's bytes after `from`, all zero? */
  const zerosAfter = async (from: number, day = DAY): Promise<boolean> => (await readFile(file(day))).subarray(from).every((b) => b === 0);
  /** Appends `events` and takes the day file as it is while the journal is open (what a power cut leaves); `records`: the bytes of records in it. */
  async function imageWhileOpen(events: Ev[]): Promise<{ image: Buffer; records: number; copy: string }> {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append(events);
    const image = await readFile(file());
    const records = journal.size;
    await journal.close();
    const copy = path.join(tmp.dir, 'copy');
    await mkdir(copy);
    return { image, records, copy };
  }

  it('keeps zeros ahead of the records while open, and cuts them off at close', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    expect((await stat(file())).size).toBe(PREALLOCATE_BYTES);
    await journal.append([ev(1), ev(2)]);
    expect((await stat(file())).size).toBe(PREALLOCATE_BYTES);
    expect(await zerosAfter(journal.size)).toBe(true);
    // A reader while the server runs sees the records and no torn tail.
    expect(await verifyJournalFile(file(), ZERO_HASH)).toMatchObject({ ok: true, records: 2, tornTail: false });
    expect((await readJournalDay<Ev>(tmp.dir, DAY)).map((e) => e.n)).toEqual([1, 2]);
    const size = journal.size;
    await journal.close();
    expect((await stat(file())).size).toBe(size);
  });

  it('zeroes the next stretch as the records reach it, across many stretches and a batch bigger than one', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY, { preallocateBytes: 4096 });
    let n = 0;
    for (let i = 0; i < 30; i++) await Promise.all(Array.from({ length: 5 }, () => journal.append([ev(++n)])));
    await journal.append(Array.from({ length: 60 }, () => ev(++n, { data: 'x'.repeat(100) }))); // ~17 KB in one batch
    for (let i = 0; i < 10; i++) await journal.append([ev(++n)]);
    // Let a stretch being zeroed finish, then look: records, then nothing but zeros.
    await new Promise((r) => setTimeout(r, 50));
    const size = (await stat(file())).size;
    expect(size).toBeGreaterThan(journal.size);
    expect(size - journal.size).toBeGreaterThanOrEqual(2048);
    expect(await zerosAfter(journal.size)).toBe(true);
    await journal.close();
    expect((await replay(DAY)).map((e) => e.n)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  it('a copy taken while open (a power cut) opens with every record and no torn tail, and continues', async () => {
    const { image, copy } = await imageWhileOpen([ev(1), ev(2), ev(3)]);
    await writeFile(path.join(copy, `${DAY}.jsonl`), image);
    const o = await Journal.open<Ev>(copy, DAY);
    expect(o.tornLineDropped).toBe(false);
    expect(o.events.map((e) => e.n)).toEqual([1, 2, 3]);
    await o.journal.append([ev(4)]);
    await o.journal.close();
    expect(await verifyJournalFile(path.join(copy, `${DAY}.jsonl`), ZERO_HASH)).toMatchObject({ ok: true, records: 4, tornTail: false });
  });

  it('day close cuts the old file to its records; the new day starts zeroed; a new day holding only zeros is no obstacle', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await writeFile(file(NEXT), Buffer.alloc(1000)); // a stop right after an earlier rollover into it
    await journal.append([ev(1)]);
    const size = journal.size;
    await journal.rollover(NEXT);
    expect((await stat(file())).size).toBe(size);
    await journal.append([ev(2)]);
    expect((await stat(file(NEXT))).size).toBe(PREALLOCATE_BYTES);
    await journal.close();
    expect((await readJournalDay<Ev>(tmp.dir, NEXT)).map((e) => e.n)).toEqual([2]);
    expect((await verifyJournalDir(tmp.dir)).map((r) => r.ok)).toEqual([true, true]);
  });

  it('a day left with its zeros (no clean stop) links the next day and archives without them', async () => {
    const { image, records, copy } = await imageWhileOpen([ev(1), ev(2)]);
    await writeFile(path.join(copy, `${DAY}.jsonl`), image);
    const next = await Journal.open<Ev>(copy, NEXT);
    await next.journal.append([ev(3)]);
    await next.journal.close();
    expect((await verifyJournalDir(copy)).map((r) => [r.ok, r.tornTail])).toEqual([[true, false], [true, false]]);
    expect(await archiveOldJournals(copy, NEXT, 0)).toEqual([DAY]);
    const archived = gunzipSync(await readFile(path.join(copy, 'archive', `${DAY}.jsonl.gz`)));
    expect(archived.length).toBe(records);
    expect((await readJournalDay<Ev>(copy, DAY)).map((e) => e.n)).toEqual([1, 2]);
  });

  it('without O_DSYNC, syncs a batch bigger than one write piece by piece, so an unfinished write stays within reach', async () => {
    const fhProto = Object.getPrototypeOf(await open(path.join(os.tmpdir(), '.'), 'r')) as { datasync: () => Promise<void> };
    const original = fhProto.datasync;
    let syncs = 0;
    let syncsAtHook = -1;
    fhProto.datasync = function (this: unknown) {
      syncs++;
      return original.call(this);
    };
    try {
      const { journal } = await Journal.open<Ev>(tmp.dir, DAY, { beforeSync: () => void (syncsAtHook = syncs) });
      const before = syncs;
      // ~3.3 pieces of MAX_WRITE_BYTES in one batch
      await journal.append(Array.from({ length: Math.ceil((3.3 * MAX_WRITE_BYTES) / 2100) }, (_, i) => ev(i + 1, { data: 'x'.repeat(2000) })));
      expect(syncsAtHook - before).toBe(3); // after each of the first three pieces
      expect(syncs - before).toBe(4); // and the batch's own
      await journal.close();
    } finally {
      fhProto.datasync = original;
    }
  });

  it("finds an earlier day's last record behind the pieces of an unfinished write, not in them", async () => {
    // Records 1–3 acknowledged; record 4 half written, then zeros where the disk had not yet
    // taken the write, then whole lines 5–8 of the same write that had; then preallocated zeros.
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY, { preallocateBytes: 0 });
    await journal.append([ev(1), ev(2), ev(3)]);
    await journal.append([ev(4, { data: 'p'.repeat(100_000) })]);
    await journal.append([ev(5), ev(6), ev(7), ev(8)]);
    await journal.close();
    const ls = await lines(DAY);
    const acked = Buffer.from(ls.slice(0, 3).map((l) => `${l}\n`).join(''), 'latin1');
    const half = Buffer.from(ls[3]!.slice(0, 90_000), 'latin1'); // longer than a 64 KiB look at the end
    const later = Buffer.from(ls.slice(4).map((l) => `${l}\n`).join(''), 'latin1');
    await writeFile(path.join(tmp.dir, `${DAY}.jsonl`), Buffer.concat([acked, half, Buffer.alloc(5000), later, Buffer.alloc(1 << 20)]));
    const next = await Journal.open<Ev>(tmp.dir, NEXT);
    expect(next.journal.lastSeq).toBe(3);
    await next.journal.append([ev(9)]);
    await next.journal.close();
    expect((await verifyJournalDir(tmp.dir)).map((r) => [r.ok, r.lastSeq])).toEqual([
      [true, 3],
      [true, 4],
    ]);
  });

  it('keeps the bytes it cuts off beside the day file', async () => {
    const { image, records: size, copy } = await imageWhileOpen([ev(1), ev(2)]);
    const unfinished = Buffer.from('{"seq":3,"prev":"abc', 'latin1');
    unfinished.copy(image, size);
    Buffer.from('{"seq":4}\n', 'latin1').copy(image, size + 5000);
    await writeFile(path.join(copy, `${DAY}.jsonl`), image);
    const o = await Journal.open<Ev>(copy, DAY);
    expect(o.tornLineDropped).toBe(true);
    expect(o.tornTail).toEqual({ file: path.join(copy, `${DAY}.jsonl.torn-1`), bytes: 5000 + 10 });
    const kept = await readFile(o.tornTail!.file);
    expect(kept.subarray(0, unfinished.length).equals(unfinished)).toBe(true);
    expect(kept.subarray(5000).toString('latin1')).toBe('{"seq":4}\n');
    expect(o.events.map((e) => e.n)).toEqual([1, 2]);
    await o.journal.close();
    expect(await listJournalDays(copy)).toEqual([DAY]);
  });

  it('refuses a preallocateBytes that is no whole number of bytes', async () => {
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(Journal.open<Ev>(tmp.dir, DAY, { preallocateBytes: bad })).rejects.toThrow(RangeError);
    }
  });

  it('preallocateBytes 0 writes without zeros ahead', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY, { preallocateBytes: 0 });
    await journal.append([ev(1)]);
    expect((await stat(file())).size).toBe(journal.size);
    await journal.close();
  });
});

describe('torn writes and tampering', () => {
  async function writeThree(): Promise<void> {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    await journal.append([ev(1), ev(2), ev(3)]);
    await journal.close();
  }

  it('drops a torn last line, keeps the rest, and the next append continues the chain', async () => {
    await writeThree();
    const full = await readFile(path.join(tmp.dir, `${DAY}.jsonl`), 'utf8');
    const lastLine = full.trimEnd().split('\n').at(-1)!;
    // Simulate a crash half-way through writing record 3.
    await writeFile(path.join(tmp.dir, `${DAY}.jsonl`), full.slice(0, full.length - 1 - Math.floor(lastLine.length / 2)));
    const vr = await verifyJournalFile(path.join(tmp.dir, `${DAY}.jsonl`));
    expect(vr).toMatchObject({ ok: true, tornTail: true, records: 2 });

    const { journal, events, tornLineDropped } = await Journal.open<Ev>(tmp.dir, DAY);
    expect(tornLineDropped).toBe(true);
    expect(events.map((e) => e.n)).toEqual([1, 2]);
    expect(journal.lastSeq).toBe(2);
    await journal.append([ev(30)]);
    await journal.close();
    const [report] = await verifyJournalDir(tmp.dir);
    expect(report).toMatchObject({ ok: true, tornTail: false, records: 3, lastSeq: 3 });
    expect((await replay(DAY)).map((e) => e.n)).toEqual([1, 2, 30]);
  });

  it('takes zeros after the last record for unused space, not a torn write, and cuts them at close', async () => {
    await writeThree();
    await appendFile(path.join(tmp.dir, `${DAY}.jsonl`), Buffer.alloc(300));
    const { events, tornLineDropped, journal } = await Journal.open<Ev>(tmp.dir, DAY);
    expect(tornLineDropped).toBe(false);
    expect(events).toHaveLength(3);
    await journal.close();
    expect((await stat(path.join(tmp.dir, `${DAY}.jsonl`))).size).toBe((await lines(DAY)).join('\n').length + 1);
  });

  it('drops a half-written record among the zeros, and the bytes of an unfinished write further on', async () => {
    await writeThree();
    const file = path.join(tmp.dir, `${DAY}.jsonl`);
    const before = await readFile(file);
    // What a crash in the middle of an O_DSYNC write over the zeros can leave: sectors of it
    // on disk in any order, zeros between them.
    const unfinished = Buffer.alloc(64 * 1024);
    unfinished.write('{"seq":4,"prev":"', 0, 'latin1');
    unfinished.write('a whole line from further on in the batch\n', 9000, 'latin1');
    await appendFile(file, unfinished);
    const { events, tornLineDropped, journal } = await Journal.open<Ev>(tmp.dir, DAY);
    expect(tornLineDropped).toBe(true);
    expect(events.map((e) => e.n)).toEqual([1, 2, 3]);
    await journal.append([ev(4)]);
    await journal.close();
    // Nothing of the unfinished write is left after the new record.
    const after = await readFile(file);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(after.includes('further on')).toBe(false);
    expect((await readJournalDay<Ev>(tmp.dir, DAY)).map((e) => e.n)).toEqual([1, 2, 3, 4]);
    expect((await verifyJournalFile(file, ZERO_HASH))).toMatchObject({ ok: true, tornTail: false, records: 4 });
  });

  it('refuses a zeroed stretch with records again more than one write further on: damage, not a crash', async () => {
    await writeThree();
    const file = path.join(tmp.dir, `${DAY}.jsonl`);
    const ls = await lines(DAY);
    await writeFile(file, Buffer.concat([Buffer.from(`${ls[0]}\n`, 'latin1'), Buffer.alloc(MAX_WRITE_BYTES + 1), Buffer.from(`${ls[1]}\n${ls[2]}\n`, 'latin1')]));
    await expect(Journal.open<Ev>(tmp.dir, DAY)).rejects.toThrow(/line 2: zero bytes from byte \d+ on, with data again/);
    expect(await verifyJournalFile(file, ZERO_HASH)).toMatchObject({ ok: false, badLine: 2, records: 1 });
    // Read in small pieces, as `hall-server verify` reads a big live file: the same verdict.
    for (const chunkBytes of [100, 4096, 300_000]) {
      expect(await verifyJournalRange(file, { expectedPrev: ZERO_HASH, expectedFirstSeq: 1, chunkBytes })).toMatchObject({ ok: false, badLine: 2, records: 1, lastSeq: null });
    }
    await expect(readJournalDay(tmp.dir, DAY)).rejects.toThrow(JournalError);
    // Up to a durable point the server reported (the background check after a start from a
    // snapshot), any zero byte is damage, however close to the end.
    const near = Buffer.concat([Buffer.from(`${ls[0]}\n`, 'latin1'), Buffer.alloc(ls[1]!.length + 1), Buffer.from(`${ls[2]}\n`, 'latin1')]);
    await writeFile(file, near);
    expect(await verifyJournalRange(file, { expectedPrev: ZERO_HASH, expectedFirstSeq: 1, bytes: near.length, chunkBytes: 100 })).toMatchObject({ ok: false, badLine: 2 });
    expect(await verifyJournalRange(file, { expectedPrev: ZERO_HASH, expectedFirstSeq: 1, bytes: near.length })).toMatchObject({ ok: false, badLine: 2 });
  });

  it('drops a complete but unparsable last line', async () => {
    await writeThree();
    await appendFile(path.join(tmp.dir, `${DAY}.jsonl`), '{"seq":4,"prev":"\n');
    const { events, tornLineDropped, journal } = await Journal.open<Ev>(tmp.dir, DAY);
    expect(tornLineDropped).toBe(true);
    expect(events).toHaveLength(3);
    await journal.close();
  });

  it('detects a changed middle line in verify and open, naming file and line', async () => {
    await writeThree();
    const file = path.join(tmp.dir, `${DAY}.jsonl`);
    const ls = await lines(DAY);
    ls[1] = ls[1]!.replace('"n":2', '"n":7');
    await writeFile(file, ls.join('\n') + '\n');
    const report = await verifyJournalFile(file);
    expect(report.ok).toBe(false);
    expect(report.badLine).toBe(2);
    expect(report.error).toMatch(/^line 2: hash does not match/);
    expect(report.records).toBe(1);
    const err = await Journal.open<Ev>(tmp.dir, DAY).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JournalError);
    expect((err as JournalError).file).toBe(file);
    expect((err as JournalError).line).toBe(2);
    expect((err as Error).message).toMatch(/line 2.*hall-server verify/);
    await expect(readJournalDay(tmp.dir, DAY)).rejects.toThrow(JournalError);
  });

  it('detects a removed, a reordered and a garbled middle line', async () => {
    await writeThree();
    const file = path.join(tmp.dir, `${DAY}.jsonl`);
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
    await writeThree();
    const file = path.join(tmp.dir, `${DAY}.jsonl`);
    const ls = await lines(DAY);
    ls[2] = ls[2]!.replace('"n":3', '"n":4');
    await writeFile(file, ls.join('\n') + '\n');
    await expect(Journal.open<Ev>(tmp.dir, DAY)).rejects.toThrow(/line 3/);
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
    await expect(Journal.open<Ev>(tmp.dir, NEXT)).rejects.toThrow(/does not continue the chain/);
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
  async function runAndKill(offset: number, preallocateBytes: number): Promise<number[]> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.fixture.ts'), tmp.dir, DAY, '8', String(offset), String(preallocateBytes)], {
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
      // Small stretches in one round, so that kills also land while the next one is being zeroed.
      const got = await runAndKill(round * 1_000_000, round === 1 ? 8192 : PREALLOCATE_BYTES);
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

describe('speed', () => {
  it('replays 100,000 events well under a second', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    const batch: Ev[] = [];
    for (let i = 1; i <= 100_000; i++) {
      batch.push(ev(i, { data: { ticket: `A${String(i % 1000).padStart(3, '0')}`, counter: 'ctr-1', service: 'svc-social', priority: 'normal' } }));
      if (batch.length === 10_000) {
        await journal.append(batch.splice(0));
      }
    }
    await journal.close();
    const size = (await stat(path.join(tmp.dir, `${DAY}.jsonl`))).size;
    // CPU time, not wall time: the test machine may be busy with other runs. Unloaded this is a
    // few hundred ms; the bound catches regressions (an O(n^2), a per-line re-read), not jitter.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { events, journal: j2 } = await Journal.open<Ev>(tmp.dir, DAY);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    await j2.close();
    expect(events).toHaveLength(100_000);
    console.log(`replay: 100000 events, ${(size / 1e6).toFixed(1)} MB, ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU`);
    expect(cpuMs).toBeLessThan(1500);
  });

  it('reaches >= 1000 durable appends/s with 20 concurrent callers', async () => {
    const { journal } = await Journal.open<Ev>(tmp.dir, DAY);
    const callers = 20;
    const perCaller = 100;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async (_, c) => {
        for (let i = 0; i < perCaller; i++) await journal.append([ev(c * perCaller + i, { data: { caller: c } })]);
      }),
    );
    const s = (performance.now() - t0) / 1000;
    const rate = (callers * perCaller) / s;
    console.log(`append: ${callers * perCaller} appends by ${callers} callers in ${(s * 1000).toFixed(0)} ms = ${rate.toFixed(0)}/s, ${journal.syncCount} syncs`);
    await journal.close();
    expect(rate).toBeGreaterThanOrEqual(1000);
  });
});
