/**
 * HallCore with state snapshots: a start from a snapshot plus the journal after it gives the
 * state a full replay gives; every kind of bad snapshot is ignored with the same result; when
 * snapshots are written; and the background chain check stopping a server on a tampered prefix.
 * Snapshots are written by the writer thread (snapshot-writer.ts); the tests wait for what it
 * does (files, logs, answers), never for an amount of time. The hall's clock is injected.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { isAuditEvent, type Actor, type QueueCommand, type QueueEvent } from '@hall/protocol';
import { openConfigStore, type ConfigStore } from '../config';
import { Journal, JournalError } from '../journal';
import { replay, type QueueState } from '../queue';
import { HallCore, type HallCoreOptions, type JournalEvent } from './hall-core';
import { snapshotPath } from './state-snapshot';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-26'; // a Thursday
const T0 = Date.parse(`${DAY}T10:00:00+08:00`);
const SERVICES = ['svc-social', 'svc-health', 'svc-land', 'svc-business', 'svc-agri', 'svc-finance', 'svc-build', 'svc-justice'];
const COUNTERS = ['ctr-1', 'ctr-2', 'ctr-3', 'ctr-4', 'ctr-5', 'ctr-6', 'ctr-7', 'ctr-8'];
const ADMIN: Actor = { kind: 'staff', userId: 'usr-admin', role: 'admin' };
const clerk = (c: number): Actor => ({ kind: 'staff', userId: `usr-clerk-${c}`, role: 'clerk' });

interface Env {
  dataDir: string;
  journalDir: string;
  snapDir: string;
  config: ConfigStore;
  now: number;
  logs: Array<{ level: number; msg: string; reason?: string; [k: string]: unknown }>;
  cores: HallCore[];
}
let env: Env;

beforeEach(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hall-core-snap-'));
  env = { dataDir, journalDir: path.join(dataDir, 'journal'), snapDir: path.join(dataDir, 'snapshots'), config: await openConfigStore(dataDir), now: T0, logs: [], cores: [] };
});
afterEach(async () => {
  for (const c of env.cores) await c.close().catch(() => undefined);
  await rm(env.dataDir, { recursive: true, force: true });
});

/** No idle or load snapshots unless a test asks for them: only close() writes one. */
const ONLY_ON_CLOSE = { records: 1e9, notifyMs: 0 };

async function openCore(extra: Partial<HallCoreOptions> = {}): Promise<HallCore> {
  const log = pino({ level: 'debug' }, { write: (line: string) => void env.logs.push(JSON.parse(line)) });
  const core = await HallCore.open({
    config: env.config,
    journalDir: env.journalDir,
    tz: TZ,
    clock: () => env.now,
    log,
    onFatal: () => undefined,
    snapshots: ONLY_ON_CLOSE,
    ...extra,
  });
  env.cores.push(core);
  return core;
}

async function closeCore(core: HallCore): Promise<void> {
  await core.close();
  env.cores = env.cores.filter((c) => c !== core);
}

/** The state a full replay of the day's journal gives (no snapshot involved). */
async function fullReplay(day = DAY): Promise<QueueState> {
  const { journal, events } = await Journal.open<JournalEvent>(env.journalDir, day);
  await journal.close();
  return replay(day, events.filter((e): e is QueueEvent => !isAuditEvent(e)));
}

async function journalLines(day = DAY): Promise<number> {
  return (await readFile(path.join(env.journalDir, `${day}.jsonl`), 'utf8')).split('\n').length - 1;
}

async function journalLastSeq(day = DAY): Promise<number> {
  const { journal } = await Journal.open<JournalEvent>(env.journalDir, day);
  await journal.close();
  return journal.lastSeq;
}

/** Maps as entry arrays, recursively: equality then also covers iteration order. */
function canon(v: unknown): unknown {
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [k, canon(x)]) };
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canon(x)]));
  return v;
}

const warnings = (): string[] => env.logs.filter((l) => l.level === 40).map((l) => `${l.msg}: ${l.reason ?? ''}`);
const resumedFrom = (): number | undefined => env.logs.filter((l) => l.msg === 'journal replayed').at(-1)?.snapshotSeq as number | undefined;

type Op =
  | { k: 'issue'; svc: number; holder: number }
  | { k: 'sign-in'; c: number }
  | { k: 'counter'; c: number; action: 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'pause' | 'resume' | 'sign-out' }
  | { k: 'transfer'; c: number; svc: number }
  | { k: 'cancel'; t: number }
  | { k: 'rate'; t: number; score: number }
  | { k: 'login'; c: number }
  | { k: 'advance'; s: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('issue' as const), svc: fc.nat({ max: SERVICES.length - 1 }), holder: fc.nat({ max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('sign-in' as const), c: fc.nat({ max: 3 }) }) },
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('counter' as const),
      c: fc.nat({ max: 3 }),
      action: fc.constantFrom('call-next', 'call-next', 'call-next', 'recall', 'start', 'finish', 'finish', 'no-show', 'pause', 'resume', 'sign-out'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('transfer' as const), c: fc.nat({ max: 3 }), svc: fc.nat({ max: SERVICES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), t: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('rate' as const), t: fc.nat(), score: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('login' as const), c: fc.nat({ max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('advance' as const), s: fc.integer({ min: 1, max: 900 }) }) },
);

/** Runs ops against the core; refused commands are fine (they change nothing). */
async function run(core: HallCore, ops: Op[]): Promise<void> {
  for (const op of ops) {
    const ids = [...core.state.tickets.keys()];
    const ticket = (t: number): string => (ids.length === 0 ? 'none' : ids[t % ids.length]!);
    let command: QueueCommand;
    let actor: Actor = ADMIN;
    switch (op.k) {
      case 'advance':
        env.now += op.s * 1000;
        continue;
      case 'login':
        await core.record({ type: 'audit.login', actor: clerk(op.c), userId: `usr-clerk-${op.c}` });
        continue;
      case 'issue':
        command = {
          type: 'ticket.issue',
          serviceId: SERVICES[op.svc]!,
          source: 'staff',
          ...(op.holder > 0 ? { holder: { maskedName: '张*三', idHash: `h${op.holder}`, birthDate: op.holder === 3 ? '1950-01-01' : '1990-01-01' } } : {}),
        };
        break;
      case 'sign-in':
        command = { type: 'counter.sign-in', counterId: COUNTERS[op.c]! };
        actor = clerk(op.c);
        break;
      case 'counter':
        command = op.action === 'pause' ? { type: 'counter.pause', counterId: COUNTERS[op.c]!, reason: '休息' } : ({ type: `counter.${op.action}`, counterId: COUNTERS[op.c]! } as QueueCommand);
        actor = clerk(op.c);
        break;
      case 'transfer':
        command = { type: 'counter.transfer', counterId: COUNTERS[op.c]!, serviceId: SERVICES[op.svc]! };
        actor = clerk(op.c);
        break;
      case 'cancel':
        command = { type: 'ticket.cancel', ticketId: ticket(op.t) };
        break;
      case 'rate':
        command = { type: 'ticket.rate', ticketId: ticket(op.t), score: op.score, reasons: [], comment: null };
        actor = { kind: 'public' };
        break;
    }
    await core.execute(command, actor);
  }
}

const busyDay: Op[] = [
  ...[0, 1, 2, 3].map((c) => ({ k: 'sign-in' as const, c })),
  ...Array.from({ length: 40 }, (_, i): Op => (i % 3 === 2 ? { k: 'counter', c: i % 4, action: 'call-next' } : { k: 'issue', svc: i % 8, holder: i % 4 })),
  { k: 'counter', c: 1, action: 'start' },
  { k: 'login', c: 2 },
];

async function readHeader(day = DAY): Promise<Record<string, unknown> | null> {
  const f = await readFile(snapshotPath(env.snapDir, day)).catch(() => null);
  return f ? (JSON.parse(f.toString('latin1', 12, 12 + f.readUInt32LE(8))) as Record<string, unknown>) : null;
}

/** Rewrites the snapshot file's header (the checksum covers only the payload). */
async function editHeader(day: string, edit: (h: Record<string, unknown>) => void): Promise<void> {
  const file = await readFile(snapshotPath(env.snapDir, day));
  const len = file.readUInt32LE(8);
  const header = JSON.parse(file.toString('latin1', 12, 12 + len)) as Record<string, unknown>;
  edit(header);
  const json = Buffer.from(JSON.stringify(header), 'latin1');
  const head = Buffer.alloc(12);
  file.copy(head, 0, 0, 8);
  head.writeUInt32LE(json.length, 8);
  await writeFile(snapshotPath(env.snapDir, day), Buffer.concat([head, json, file.subarray(12 + len)]));
}

/** A day with a snapshot after `busyDay`, then `more` ops after it (not in the snapshot). */
async function snapshotThenTail(more: Op[]): Promise<{ snapshotSeq: number }> {
  const a = await openCore();
  await run(a, busyDay);
  await closeCore(a); // writes the snapshot
  const header = (await readHeader())!;
  const saved = await readFile(snapshotPath(env.snapDir, DAY));
  const b = await openCore({ snapshots: false });
  await run(b, more);
  await closeCore(b);
  await writeFile(snapshotPath(env.snapDir, DAY), saved);
  return { snapshotSeq: header.seq as number };
}

describe('start from a snapshot', () => {
  it('equals the full replay for random days and snapshot points (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 150, size: 'medium' }), fc.nat(), fc.boolean(), async (ops, cut, tornTail) => {
        await rm(env.journalDir, { recursive: true, force: true });
        await rm(env.snapDir, { recursive: true, force: true });
        env.now = T0;
        const k = cut % (ops.length + 1);
        const a = await openCore();
        await run(a, ops.slice(0, k));
        await closeCore(a);
        const saved = await readFile(snapshotPath(env.snapDir, DAY)).catch(() => null);
        const b = await openCore();
        await run(b, ops.slice(k));
        const live = canon(b.state);
        await closeCore(b);
        if (saved) await writeFile(snapshotPath(env.snapDir, DAY), saved);
        else await rm(snapshotPath(env.snapDir, DAY), { force: true });
        if (tornTail) await appendFile(path.join(env.journalDir, `${DAY}.jsonl`), '{"seq":99999,"prev":"00');
        const c = await openCore();
        expect(resumedFrom() !== undefined).toBe(saved !== null);
        expect(canon(c.state)).toStrictEqual(canon(await fullReplay()));
        expect(canon(c.state)).toStrictEqual(live);
        await closeCore(c);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('reads the snapshot back exactly, tickets with every field', async () => {
    const a = await openCore();
    await run(a, busyDay);
    const before = canon(a.state);
    await closeCore(a);
    const b = await openCore();
    expect(resumedFrom()).toBe(await journalLastSeq());
    expect(canon(b.state)).toStrictEqual(before);
    expect(warnings()).toEqual([]);
  });

  it('replays the journal after the snapshot, and counts it as not covered', async () => {
    const { snapshotSeq } = await snapshotThenTail([{ k: 'issue', svc: 0, holder: 0 }, { k: 'counter', c: 0, action: 'call-next' }, { k: 'login', c: 1 }]);
    const c = await openCore();
    expect(resumedFrom()).toBe(snapshotSeq);
    expect(canon(c.state)).toStrictEqual(canon(await fullReplay()));
  });
});

describe('a bad snapshot is ignored: the whole day is replayed, with the same state', () => {
  const cases: Array<[string, () => Promise<void>, RegExp, Partial<HallCoreOptions>?]> = [
    ['flipped payload byte', async () => {
      const f = snapshotPath(env.snapDir, DAY);
      const b = await readFile(f);
      b[b.length - 10] = 0xff - b[b.length - 10]!;
      await writeFile(f, b);
    }, /checksum/],
    ['cut short (torn write)', async () => truncate(snapshotPath(env.snapDir, DAY), (await stat(snapshotPath(env.snapDir, DAY))).size - 100), /torn write/],
    ['cut inside the header', async () => truncate(snapshotPath(env.snapDir, DAY), 20), /header/],
    ['not a snapshot', async () => writeFile(snapshotPath(env.snapDir, DAY), 'hello'), /not a snapshot/],
    ['other V8 version', async () => editHeader(DAY, (h) => (h.v8 = '1.2.3')), /V8 1\.2\.3/],
    ['other format', async () => editHeader(DAY, (h) => (h.format = 99)), /format 99/],
    ['other server code', async () => undefined, /another version/, { snapshots: { ...ONLY_ON_CLOSE, code: 'other-build' } }],
    ['other day', async () => editHeader(DAY, (h) => (h.day = '2026-11-25')), /of day 2026-11-25/],
    ['payload that does not deserialize', async () => {
      const garbage = Buffer.from('\xff\x0fnot v8 at all', 'latin1');
      await editHeader(DAY, (h) => {
        h.payloadBytes = garbage.length;
        h.payloadSha256 = createHash('sha256').update(garbage).digest('hex');
      });
      const f = await readFile(snapshotPath(env.snapDir, DAY));
      const headerEnd = 12 + f.readUInt32LE(8);
      await writeFile(snapshotPath(env.snapDir, DAY), Buffer.concat([f.subarray(0, headerEnd), garbage]));
    }, /cannot be read/],
    ['journal seq and hash at its offset differ', async () => editHeader(DAY, (h) => (h.hash = 'a'.repeat(64))), /is not seq/],
    ['offset not at a record end', async () => editHeader(DAY, (h) => (h.bytes = (h.bytes as number) - 3)), /no record ends/],
  ];
  for (const [name, damage, reason, extra] of cases) {
    it(name, async () => {
      await snapshotThenTail([{ k: 'issue', svc: 1, holder: 1 }]);
      await damage();
      const c = await openCore(extra);
      expect(resumedFrom()).toBeUndefined();
      expect(warnings()).toEqual([expect.stringMatching(reason)]);
      expect(warnings()[0]).toMatch(/^state snapshot not used/);
      expect(canon(c.state)).toStrictEqual(canon(await fullReplay()));
    });
  }

  it('journal cut back before the snapshot (restored from an older backup)', async () => {
    await snapshotThenTail([]);
    const file = path.join(env.journalDir, `${DAY}.jsonl`);
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, lines.slice(0, 20).join('\n') + '\n');
    const c = await openCore();
    expect(resumedFrom()).toBeUndefined();
    expect(warnings()).toEqual([expect.stringMatching(/fewer than/)]);
    expect(c.state.issued).toBeLessThan(20);
    expect(canon(c.state)).toStrictEqual(canon(await fullReplay()));
  });

  it('a torn journal tail after the snapshot is still dropped', async () => {
    await snapshotThenTail([{ k: 'issue', svc: 2, holder: 0 }]);
    await appendFile(path.join(env.journalDir, `${DAY}.jsonl`), '{"seq":12345,"prev":"abc');
    const c = await openCore();
    expect(resumedFrom()).toBeDefined();
    expect(warnings()).toEqual(['journal: torn tail dropped (crash during a write); its bytes are kept beside the day file: ']);
    expect(canon(c.state)).toStrictEqual(canon(await fullReplay()));
  });

  it('a missing snapshot is worth a warning only when there was a day to replay', async () => {
    const a = await openCore({ snapshots: false });
    expect(warnings()).toEqual([]);
    await run(a, busyDay.slice(0, 5));
    await closeCore(a);
    await openCore();
    expect(warnings()).toEqual([expect.stringMatching(/no snapshot/)]);
  });
});

describe('when snapshots are written (by the writer thread)', () => {
  const snapSeq = async (day = DAY): Promise<number | null> => ((await readHeader(day))?.seq as number | undefined) ?? null;
  const issue = (core: HallCore): Promise<void> =>
    core.execute({ type: 'ticket.issue', serviceId: SERVICES[0]!, source: 'staff' }, ADMIN).then((r) => expect(r.ok).toBe(true));
  /** Snapshots by record count alone: no pause between writes, every durable batch reported at once. */
  const EAGER = { records: 10, intervalMs: 0, notifyMs: 0 };

  it('on graceful close when anything came after the last one, and not otherwise', async () => {
    const a = await openCore();
    await closeCore(a);
    expect(await snapSeq()).toBeNull();
    const b = await openCore();
    await run(b, busyDay.slice(0, 6));
    await closeCore(b);
    const first = await snapSeq();
    expect(first).toBe(await journalLastSeq());
    const mtime = (await stat(snapshotPath(env.snapDir, DAY))).mtimeMs;
    const c = await openCore();
    await closeCore(c);
    expect((await stat(snapshotPath(env.snapDir, DAY))).mtimeMs).toBe(mtime);
  });

  it('once enough records are past the last one, while commands keep coming (no idle moment needed)', async () => {
    const a = await openCore({ snapshots: EAGER });
    await run(a, busyDay.slice(0, 4));
    const seen: number[] = [];
    // Commands back to back; the snapshots appear meanwhile.
    for (let i = 0; i < 2000 && seen.length < 2; i++) {
      await issue(a);
      const seq = await snapSeq();
      if (seq !== null && seq !== seen.at(-1)) seen.push(seq);
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeGreaterThanOrEqual(10); // never before `records` were past the start of the day
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(10); // nor before `records` were past the last one
    expect(env.logs.filter((l) => l.msg === 'state snapshot written').every((l) => l.why === 'records')).toBe(true);
    await closeCore(a);
  });

  it('after a start that replayed the day without a snapshot, with no command at all', async () => {
    const a = await openCore({ snapshots: false });
    await run(a, busyDay.slice(0, 20));
    await closeCore(a);
    await openCore({ snapshots: EAGER });
    await vi.waitFor(async () => expect(await snapSeq()).toBe(await journalLines()), { timeout: 10_000 });
  });

  it('never holds a command: commands are answered while the thread is in the middle of a snapshot', async () => {
    const pause = new Int32Array(new SharedArrayBuffer(8));
    const release = (): void => {
      Atomics.store(pause, 1, 1);
      Atomics.notify(pause, 1);
    };
    try {
      const a = await openCore({ snapshots: { ...EAGER, pauseBeforeWrite: pause } });
      await run(a, busyDay.slice(0, 12));
      await vi.waitFor(() => expect(Atomics.load(pause, 0)).toBe(1), { timeout: 10_000 }); // the thread is about to encode, and waits
      const before = await journalLastSeq();
      await Promise.all(Array.from({ length: 20 }, () => issue(a)));
      await run(a, [{ k: 'counter', c: 0, action: 'call-next' }, { k: 'login', c: 1 }]);
      expect(await journalLastSeq()).toBe(before + 22);
      expect(Atomics.load(pause, 0)).toBe(1); // all of that while the snapshot was still under way
      expect(await snapSeq()).toBeNull();
      release();
      await vi.waitFor(async () => expect(await snapSeq()).toBeGreaterThanOrEqual(10), { timeout: 10_000 });
      await closeCore(a);
      expect(await snapSeq()).toBe(await journalLastSeq());
    } finally {
      release();
    }
  });

  it('never covers records that are not fsync\'d yet, and a start from it plus the tail equals the full replay', async () => {
    let hold: Promise<void> | undefined;
    let holding = false;
    let release = (): void => undefined;
    const beforeSync = (): Promise<void> | undefined => {
      if (hold) holding = true;
      return hold;
    };
    const a = await openCore({ snapshots: { ...EAGER, records: 1e9 }, beforeSync });
    await run(a, busyDay.slice(0, 4)); // records 1-4, durable
    hold = new Promise<void>((r) => (release = r));
    const held = Array.from({ length: 25 }, () => issue(a)); // records 5-29: written, their fsync held
    await vi.waitFor(async () => expect(await journalLines()).toBe(29));
    // The lines can be read before the journal has gone on from its write to the sync: wait until it holds.
    await vi.waitFor(() => expect(holding).toBe(true));
    hold = undefined;
    expect(await a.snapshots!.flush()).toBe(4); // a snapshot now, whatever the policy: only up to the durable point
    const header = (await readHeader())!;
    expect(header.seq).toBe(4);
    expect(header.bytes).toBeLessThan((await stat(path.join(env.journalDir, `${DAY}.jsonl`))).size);
    const saved = await readFile(snapshotPath(env.snapDir, DAY));
    release();
    await Promise.all(held);
    expect(await a.snapshots!.flush()).toBe(29);
    await closeCore(a);
    await writeFile(snapshotPath(env.snapDir, DAY), saved);
    const c = await openCore();
    expect(resumedFrom()).toBe(4);
    expect(canon(c.state)).toStrictEqual(canon(await fullReplay()));
  });

  it('a thread that dies is started again and snapshots resume; the server goes on regardless', async () => {
    let fatal: Error | undefined;
    const a = await openCore({ snapshots: { ...EAGER, restartMs: 10 }, onFatal: (e) => (fatal = e) });
    await run(a, busyDay.slice(0, 12));
    await vi.waitFor(async () => expect(await snapSeq()).toBeGreaterThanOrEqual(10), { timeout: 10_000 });
    const first = a.snapshots!.thread!;
    await first.terminate();
    expect(env.logs.some((l) => l.level === 50 && /snapshot writer thread stopped/.test(l.msg))).toBe(true);
    await run(a, busyDay.slice(12, 30)); // served while no thread runs
    await vi.waitFor(() => expect(a.snapshots!.thread).toBeDefined(), { timeout: 10_000 });
    expect(a.snapshots!.thread).not.toBe(first);
    await vi.waitFor(async () => expect(await snapSeq()).toBe(await journalLastSeq()), { timeout: 10_000 });
    expect(fatal).toBeUndefined();
    const live = canon(a.state);
    await closeCore(a);
    await openCore();
    expect(resumedFrom()).toBeDefined();
    expect(canon(env.cores.at(-1)!.state)).toStrictEqual(live);
  });

  it('a failed write is logged and tried again later, never fatal', async () => {
    let fatal: Error | undefined;
    await writeFile(env.snapDir, 'a file where the folder should be');
    const a = await openCore({ snapshots: { ...EAGER, records: 5, retryMs: 50 }, onFatal: (e) => (fatal = e) });
    await run(a, busyDay.slice(0, 10));
    await vi.waitFor(() => expect(warnings().some((w) => w.startsWith('state snapshot failed'))).toBe(true), { timeout: 10_000 });
    expect((await a.execute({ type: 'ticket.issue', serviceId: SERVICES[0]!, source: 'staff' }, ADMIN)).ok).toBe(true);
    await rm(env.snapDir);
    await vi.waitFor(async () => expect(await snapSeq()).toBeGreaterThan(5), { timeout: 10_000 });
    expect(fatal).toBeUndefined();
  });

  it('removes stray temp files at start, and earlier days’ snapshots after the day rolls over; the new day starts empty', async () => {
    const a = await openCore();
    await run(a, busyDay.slice(0, 6));
    await closeCore(a);
    await writeFile(path.join(env.snapDir, `.${DAY}.snap.tmp`), 'half a snapshot');
    const b = await openCore({ snapshots: { ...EAGER, records: 3 } });
    expect(await readdir(env.snapDir)).toEqual([`${DAY}.snap`]);
    env.now = Date.parse('2026-11-27T09:00:00+08:00');
    expect((await b.execute({ type: 'ticket.issue', serviceId: SERVICES[0]!, source: 'staff' }, ADMIN)).ok).toBe(true);
    expect(b.day).toBe('2026-11-27');
    await vi.waitFor(async () => expect(await readdir(env.snapDir)).toEqual([]), { timeout: 10_000 });
    await run(b, [{ k: 'sign-in', c: 0 }, { k: 'issue', svc: 0, holder: 0 }, { k: 'counter', c: 0, action: 'call-next' }]);
    await vi.waitFor(async () => expect(await readdir(env.snapDir)).toEqual(['2026-11-27.snap']), { timeout: 10_000 });
    const live = canon(b.state);
    await closeCore(b);
    expect(await snapSeq('2026-11-27')).toBe(await journalLastSeq('2026-11-27'));
    const c = await openCore();
    expect(resumedFrom()).toBe(await journalLastSeq('2026-11-27'));
    expect(canon(c.state)).toStrictEqual(live);
    expect(canon(c.state)).toStrictEqual(canon(await fullReplay('2026-11-27')));
  });

  it('a hall that was off at midnight loads the old day, closes it and starts today', async () => {
    const a = await openCore();
    await run(a, busyDay);
    await closeCore(a);
    env.now = Date.parse('2026-11-27T09:00:00+08:00');
    const b = await openCore();
    expect(resumedFrom()).toBeDefined();
    expect(b.day).toBe('2026-11-27');
    const closed = await fullReplay(DAY);
    expect(closed.closed).toBe(true);
    await vi.waitFor(async () => expect(await readdir(env.snapDir)).toEqual([]), { timeout: 10_000 });
  });
});

describe('background chain check after a snapshot start', () => {
  it('stops the server on a tampered prefix, with the error a start without the snapshot gives', async () => {
    await snapshotThenTail([{ k: 'issue', svc: 0, holder: 0 }]);
    const file = path.join(env.journalDir, `${DAY}.jsonl`);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines[9]).toContain('"number":"');
    lines[9] = lines[9]!.replace(/"number":"([A-Z])(\d)/, (_m, p: string, d: string) => `"number":"${p}${(Number(d) + 1) % 10}`);
    await writeFile(file, lines.join('\n'));
    let fatal: Error | undefined;
    const c = await openCore({ onFatal: (e) => (fatal = e) });
    expect(resumedFrom()).toBeDefined(); // the snapshot start itself cannot see the change
    await vi.waitFor(() => expect(fatal).toBeInstanceOf(JournalError), { timeout: 10_000 });
    const atStart = await Journal.open(env.journalDir, DAY).then(
      () => null,
      (e: unknown) => e as JournalError,
    );
    expect(atStart).toBeInstanceOf(JournalError);
    expect(fatal!.message).toBe(atStart!.message);
    expect((fatal as JournalError).line).toBe(10);
    expect(env.logs.find((l) => l.level === 60)).toMatchObject({ file, line: 10 });
    // The snapshot is gone, so the next start refuses like any start on this journal.
    await expect(stat(snapshotPath(env.snapDir, DAY))).rejects.toThrow();
    const r = await c.execute({ type: 'ticket.issue', serviceId: SERVICES[0]!, source: 'staff' }, ADMIN);
    expect(r.ok).toBe(false);
  });

  it('logs success and changes nothing on an intact journal', async () => {
    await snapshotThenTail([]);
    let fatal: Error | undefined;
    await openCore({ onFatal: (e) => (fatal = e) });
    await vi.waitFor(() => expect(env.logs.some((l) => l.msg === 'journal chain verified in the background')).toBe(true), { timeout: 10_000 });
    expect(fatal).toBeUndefined();
  });
});
