/**
 * HallCore against its clock and its disk, with both injected: a clock stepped back across
 * midnight or a changed time zone never closes the day backwards; a journal that cannot be
 * written answers SERVER.UNAVAILABLE and resumes by itself; a damaged journal is refused at start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Actor } from '@hall/protocol';
import { openConfigStore, type ConfigStore } from '../config';
import { JournalError, listJournalDays, readJournalDay } from '../journal';
import { HallCore, type HallCoreOptions, type JournalEvent, type JournalHealth } from './hall-core';

const TZ = 'Asia/Shanghai';
const DAY = '2026-11-26'; // a Thursday
const NEXT = '2026-11-27';
const at = (iso: string): number => Date.parse(iso);
const ADMIN: Actor = { kind: 'staff', userId: 'usr-admin', role: 'admin' };

interface Env {
  dataDir: string;
  journalDir: string;
  config: ConfigStore;
  now: number;
  cores: HallCore[];
}
let env: Env;

beforeEach(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hall-core-'));
  env = { dataDir, journalDir: path.join(dataDir, 'journal'), config: await openConfigStore(dataDir), now: at(`${DAY}T10:00:00+08:00`), cores: [] };
});
afterEach(async () => {
  for (const c of env.cores) await c.close().catch(() => undefined);
  await rm(env.dataDir, { recursive: true, force: true });
});

async function openCore(extra: Partial<HallCoreOptions> = {}): Promise<HallCore> {
  const core = await HallCore.open({ config: env.config, journalDir: env.journalDir, tz: TZ, clock: () => env.now, log: pino({ level: 'silent' }), ...extra });
  env.cores.push(core);
  return core;
}

async function closeCore(core: HallCore): Promise<void> {
  await core.close();
  env.cores = env.cores.filter((c) => c !== core);
}

const serviceId = (): string => env.config.data.services[0]!.id;

/** Issues a ticket; its number and issue time, or the error code. */
async function issue(core: HallCore): Promise<{ number: string; issuedAt: string } | string> {
  const r = await core.execute({ type: 'ticket.issue', serviceId: serviceId(), source: 'staff' }, ADMIN);
  if (!r.ok) return r.error.code;
  const t = core.state.tickets.get(r.ticketId!)!;
  return { number: t.number, issuedAt: t.issuedAt };
}

describe('the hall clock', () => {
  it('a step back across midnight keeps the new day open, event times never go back, and a restart carries on', async () => {
    env.now = at(`${DAY}T23:59:30+08:00`);
    const core = await openCore();
    expect(await issue(core)).toMatchObject({ issuedAt: `${DAY}T23:59:30+08:00` });
    env.now = at(`${NEXT}T00:00:30+08:00`);
    const first = await issue(core);
    expect(core.day).toBe(NEXT);
    expect(first).toMatchObject({ issuedAt: `${NEXT}T00:00:30+08:00` });
    // NTP steps the clock back 90 s, to before midnight.
    env.now = at(`${DAY}T23:59:00+08:00`);
    const second = await issue(core);
    expect(second).toMatchObject({ issuedAt: `${NEXT}T00:00:30+08:00` });
    expect(core.day).toBe(NEXT);
    await core.ensureDay();
    expect(core.day).toBe(NEXT);
    await closeCore(core);

    // A restart with the clock still behind opens the journal's latest day and keeps it open.
    const again = await openCore();
    expect(again.day).toBe(NEXT);
    const third = await issue(again);
    expect(typeof third).toBe('object');
    expect(new Set([first, second, third].map((t) => (t as { number: string }).number)).size).toBe(3);
    expect((third as { issuedAt: string }).issuedAt >= `${NEXT}T00:00:30+08:00`).toBe(true);
    expect(await listJournalDays(env.journalDir)).toEqual([DAY, NEXT]);
    // Once the clock is past where it was, time runs again.
    env.now = at(`${NEXT}T00:05:00+08:00`);
    expect(await issue(again)).toMatchObject({ issuedAt: `${NEXT}T00:05:00+08:00` });
  });

  it('a forward step closes the day as usual', async () => {
    const core = await openCore();
    expect(await issue(core)).toMatchObject({ number: expect.stringMatching(/001$/) });
    env.now += 24 * 3600_000;
    expect(await issue(core)).toMatchObject({ number: expect.stringMatching(/001$/), issuedAt: `${NEXT}T10:00:00+08:00` });
    expect(core.day).toBe(NEXT);
    expect((await readJournalDay<JournalEvent>(env.journalDir, DAY)).at(-1)?.type).toBe('day.closed');
  });

  it('a hall that was off at midnight closes the old day at start and opens today', async () => {
    const core = await openCore();
    await issue(core);
    await closeCore(core);
    env.now = at(`${NEXT}T08:00:00+08:00`);
    const later = await openCore();
    expect(later.day).toBe(NEXT);
    expect((await readJournalDay<JournalEvent>(env.journalDir, DAY)).at(-1)?.type).toBe('day.closed');
  });

  it('a HALL_TZ change that makes the local date earlier keeps the latest day open', async () => {
    env.now = at(`${NEXT}T00:30:00+08:00`); // 16:30 on DAY in UTC
    const core = await openCore();
    expect(core.day).toBe(NEXT);
    await issue(core);
    await closeCore(core);
    const utc = await openCore({ tz: 'UTC' });
    expect(utc.day).toBe(NEXT);
    expect(await issue(utc)).toMatchObject({ number: expect.stringMatching(/002$/) });
    expect(await listJournalDays(env.journalDir)).toEqual([NEXT]);
  });
});

describe('a journal that cannot be written', () => {
  it('answers SERVER.UNAVAILABLE, keeps reads, says so, and resumes by itself with memory replayed from disk', async () => {
    let failing = false;
    let checks = 0;
    const beforeSync = (records: number): void => {
      if (records === 0) checks++; // the write check of a retry
      if (failing) throw Object.assign(new Error('ENOSPC: no space left on device (injected)'), { code: 'ENOSPC' });
    };
    const core = await openCore({ beforeSync, retryMs: 5 });
    const health: JournalHealth[] = [];
    core.on('health', (h) => health.push(h));
    expect(core.health).toEqual({ journal: 'ok', reason: null });
    expect(await issue(core)).toMatchObject({ number: expect.stringMatching(/001$/) });

    failing = true;
    expect(await issue(core)).toBe('SERVER.UNAVAILABLE');
    expect(core.health).toEqual({ journal: 'failed', reason: expect.stringMatching(/ENOSPC/) });
    expect(health).toEqual([core.health]);
    expect(await issue(core)).toBe('SERVER.UNAVAILABLE');
    const refused = await core.record({ type: 'audit.logout', actor: ADMIN, userId: 'usr-admin' }).catch((e: unknown) => e);
    // A HallError as the edges send it (`{ error }` as JSON): code and message.
    expect(JSON.parse(JSON.stringify({ error: refused }))).toEqual({ error: { code: 'SERVER.UNAVAILABLE', message: expect.stringMatching(/journal cannot be written/) } });
    // Reads go on.
    expect(core.state.tickets.size).toBeGreaterThan(0);
    // Still failing: the retries' write checks fail too, and the core stays unavailable.
    while (checks < 3) await new Promise((r) => setTimeout(r, 5));
    expect(core.health.journal).toBe('failed');

    failing = false;
    const resumed = new Promise<void>((r) => core.once('health', () => r()));
    await resumed;
    expect(core.health).toEqual({ journal: 'ok', reason: null });
    // The ticket that failed was never durable: it is gone, and its number is given again.
    expect([...core.state.tickets.values()].map((t) => t.number)).toHaveLength(1);
    expect(await issue(core)).toMatchObject({ number: expect.stringMatching(/002$/) });
    await closeCore(core);
    const events = await readJournalDay<JournalEvent>(env.journalDir, DAY);
    expect(events.filter((e) => e.type === 'ticket.issued')).toHaveLength(2);
  });
});

describe('a damaged journal', () => {
  it('is refused at start, naming file and line, and nothing is written to it', async () => {
    const core = await openCore();
    for (let i = 0; i < 5; i++) await issue(core);
    await closeCore(core);
    const file = path.join(env.journalDir, `${DAY}.jsonl`);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('"ticket.issued"', '"ticket.issueD"');
    await writeFile(file, lines.join('\n'));
    const before = await readFile(file);
    const err = await openCore().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JournalError);
    expect(err).toMatchObject({ file, line: 3 });
    expect((await readFile(file)).equals(before)).toBe(true);
  });
});
