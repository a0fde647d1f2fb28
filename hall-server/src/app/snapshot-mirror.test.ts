/**
 * The snapshot writer thread's work, run in-process: a copy that disagrees with what the server
 * reported is re-read (never written), a copy far behind is reported, a snapshot that does not
 * match the journal is not started from, and what it writes is the replay of the journal up to
 * the reported point. (With the real thread: hall-core-snapshots.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { isAuditEvent, type Actor, type QueueEvent } from '@hall/protocol';
import { openConfigStore } from '../config';
import { Journal, ZERO_HASH } from '../journal';
import { replay } from '../queue';
import { HallCore, type JournalEvent } from './hall-core';
import { SnapshotMirror, type FromMirror, type MirrorSettings } from './snapshot-mirror';
import { readSnapshot, type SnapshotPoint } from './state-snapshot';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-26';
const T0 = Date.parse(`${DAY}T10:00:00+08:00`);
const ADMIN: Actor = { kind: 'staff', userId: 'usr-admin', role: 'admin' };
const CODE = 'test-code';

let dataDir: string;
let settings: MirrorSettings;
let messages: FromMirror[];
let mirrors: SnapshotMirror[];
/** Durable points after each record of the day (index 0: the day's start). */
let points: SnapshotPoint[];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hall-mirror-'));
  settings = { dir: path.join(dataDir, 'snapshots'), journalDir: path.join(dataDir, 'journal'), code: CODE, records: 5, intervalMs: 0, retryMs: 10, behindRecords: 1e9 };
  messages = [];
  mirrors = [];
  // A real day: tickets issued and called through the core, no snapshots.
  const core = await HallCore.open({ config: await openConfigStore(dataDir), journalDir: settings.journalDir, tz: TZ, clock: () => T0, log: pino({ level: 'silent' }), snapshots: false });
  const cfg = core.config;
  const counter = cfg.counters.find((c) => c.services.length > 0)!;
  const clerk: Actor = { kind: 'staff', userId: 'usr-clerk', role: 'clerk' };
  await core.execute({ type: 'counter.sign-in', counterId: counter.id }, clerk);
  for (let i = 0; i < 30; i++) {
    await core.execute({ type: 'ticket.issue', serviceId: counter.services[0]!.serviceId, source: 'staff' }, ADMIN);
    if (i % 4 === 3) await core.execute({ type: 'counter.call-next', counterId: counter.id }, clerk);
  }
  await core.close();
  points = [{ day: DAY, seq: 0, hash: ZERO_HASH, bytes: 0 }];
  let bytes = 0;
  for (const line of (await readFile(path.join(settings.journalDir, `${DAY}.jsonl`), 'utf8')).split('\n').slice(0, -1)) {
    bytes += line.length + 1;
    const r = JSON.parse(line) as { seq: number; hash: string };
    points.push({ day: DAY, seq: r.seq, hash: r.hash, bytes });
  }
});
afterEach(async () => {
  for (const m of mirrors) m.receive({ type: 'stop', id: 0 });
  await rm(dataDir, { recursive: true, force: true });
});

function startMirror(durable: SnapshotPoint, extra: Partial<MirrorSettings> = {}): SnapshotMirror {
  const m = new SnapshotMirror({ ...settings, ...extra }, { day: DAY, dayStart: { seq: 0, hash: ZERO_HASH }, durable }, (msg) => messages.push(msg), (err) => {
    throw err;
  });
  mirrors.push(m);
  return m;
}

async function replayUpTo(seq: number): Promise<unknown> {
  const { journal, events } = await Journal.open<JournalEvent>(settings.journalDir, DAY);
  await journal.close();
  return replay(DAY, events.slice(0, seq).filter((e): e is QueueEvent => !isAuditEvent(e)));
}

const written = (): number[] => messages.flatMap((m) => (m.type === 'written' ? [m.seq] : []));
const logs = (level: string): string[] => messages.flatMap((m) => (m.type === 'log' && m.level === level ? [m.msg] : []));

describe('SnapshotMirror', () => {
  it('writes the replay of the journal up to the reported point, once enough records are past the last snapshot', async () => {
    const m = startMirror(points[3]!);
    m.receive({ type: 'durable', point: points[12]! });
    await vi.waitFor(() => expect(written()).toEqual([12]));
    m.receive({ type: 'durable', point: points[14]! }); // 2 past it: not yet
    m.receive({ type: 'durable', point: points[20]! });
    await vi.waitFor(() => expect(written()).toEqual([12, 20]));
    const snap = await readSnapshot(settings.dir, DAY, CODE);
    expect(snap.ok && snap.header).toMatchObject({ seq: 20, hash: points[20]!.hash, bytes: points[20]!.bytes });
    expect(snap.ok && snap.state).toStrictEqual(await replayUpTo(20));
    expect(m.copy.at).toEqual({ seq: 20, hash: points[20]!.hash, bytes: points[20]!.bytes });
  });

  it('does not write a copy that disagrees with the reported point: warns, reads again, and goes on from the next good point', async () => {
    const m = startMirror(points[8]!);
    await vi.waitFor(() => expect(written()).toEqual([8]));
    m.receive({ type: 'durable', point: { ...points[20]!, hash: 'f'.repeat(64) } });
    await vi.waitFor(() => expect(logs('warn')).toContain('snapshot writer: its copy does not match the journal the server reported; reading it again'));
    m.receive({ type: 'durable', point: points[25]! });
    await vi.waitFor(() => expect(written()).toEqual([8, 25]), { timeout: 10_000 });
    expect((await readSnapshot(settings.dir, DAY, CODE)).ok).toBe(true);
    expect(m.copy.state).toStrictEqual(await replayUpTo(25));
  });

  it('answers a flush with a snapshot up to the point it names, whatever the policy', async () => {
    const m = startMirror(points[2]!, { records: 1e9 });
    m.receive({ type: 'flush', id: 7, point: points[4]! });
    await vi.waitFor(() => expect(messages).toContainEqual({ type: 'flushed', id: 7, seq: 4 }));
    expect(written()).toEqual([4]);
    m.receive({ type: 'flush', id: 8, point: points[4]! }); // nothing new: no write
    await vi.waitFor(() => expect(messages).toContainEqual({ type: 'flushed', id: 8, seq: 4 }));
    expect(written()).toEqual([4]);
  });

  it('says when it is far behind the durable journal, and when it caught up', async () => {
    const m = startMirror(points[0]!, { behindRecords: 10, records: 1e9 });
    await vi.waitFor(() => expect(m.copy.at).not.toBeNull());
    m.receive({ type: 'durable', point: points[30]! });
    expect(logs('warn')).toEqual(['snapshot writer is behind the journal']);
    await vi.waitFor(() => expect(logs('info')).toContain('snapshot writer caught up with the journal'));
  });

  it('starts from the day start when the snapshot does not match the journal (journal restored from an older copy)', async () => {
    const m = startMirror(points[30]!);
    await vi.waitFor(() => expect(written()).toEqual([30]));
    m.receive({ type: 'stop', id: 1 });
    await vi.waitFor(() => expect(messages).toContainEqual({ type: 'stopped', id: 1 }));
    await truncate(path.join(settings.journalDir, `${DAY}.jsonl`), points[20]!.bytes);
    messages = [];
    const n = startMirror(points[20]!, { records: 1e9 });
    n.receive({ type: 'flush', id: 2, point: points[20]! });
    await vi.waitFor(() => expect(messages).toContainEqual({ type: 'flushed', id: 2, seq: 20 }));
    expect(messages).toContainEqual(expect.objectContaining({ type: 'log', level: 'info', msg: 'snapshot writer: the day is read from its start' }));
    expect(n.copy.state).toStrictEqual(await replayUpTo(20));
  });
});
