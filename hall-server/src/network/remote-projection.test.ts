import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ZERO_HASH, eventToJson, formatRecord } from '../journal/journal-format';
import { syntheticDay } from '../read-model/synthetic-day';
import type { NetworkHub } from './network-hub';
import { quiet, testHub } from './network-test-support';
import { RemoteProjection } from './remote-projection';
import type { JournalEventLike } from '../read-model/projector';
import { eventOfLine } from './journal-tail';

let dir = '';
let hub: NetworkHub;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'remote-projection-'));
  hub = testHub(dir);
});
afterEach(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

function lines(events: readonly object[], from = { seq: 0, hash: ZERO_HASH }): { lines: string[]; tail: { seq: number; hash: string } } {
  const out: string[] = [];
  let { seq, hash } = from;
  for (const e of events) {
    const r = formatRecord(hash, ++seq, eventToJson(e));
    out.push(r.line.slice(0, -1));
    hash = r.hash;
  }
  return { lines: out, tail: { seq, hash } };
}

describe('remote projection', () => {
  it("projects a hall's day whole the first time, live after that, and a late day whole again", async () => {
    const calls: Array<{ hallId: string; n: number; day?: string }> = [];
    const proj = new RemoteProjection(() => hub.store(), { pushRemote: (hallId, events, day) => calls.push({ hallId, n: events.length, ...(day ? { day } : {}) }) }, quiet);
    hub.events = { accepted: (h, fresh) => void proj.accept(h.id, fresh) };
    const { id, token } = await hub.register({ name: '村', level: 'village' });
    const d1 = syntheticDay({ day: '2026-11-25', tickets: 10, seed: 1 });
    const d2 = syntheticDay({ day: '2026-11-26', tickets: 10, seed: 2 });
    const a = lines(d1);
    const b = lines(d2, a.tail);
    expect(eventOfLine<{ type: string }>(a.lines[0]!).type).toBe(d1[0]!.type);
    await hub.ingest(token, { records: a.lines.slice(0, 20) });
    await hub.ingest(token, { records: a.lines.slice(20) });
    await hub.ingest(token, { records: [...b.lines.slice(0, 5)] });
    await hub.ingest(token, { records: b.lines.slice(5) });
    await proj.accept(id, []); // waits for the hall's chain of projections
    expect(calls).toEqual([
      { hallId: id, n: 20, day: '2026-11-25' },
      { hallId: id, n: a.lines.length - 20 },
      { hallId: id, n: 5, day: '2026-11-26' },
      { hallId: id, n: b.lines.length - 5 },
    ]);
    // After a restart: the latest day, whole.
    const again: Array<{ n: number; day?: string; first?: JournalEventLike }> = [];
    const restarted = new RemoteProjection(() => hub.store(), { pushRemote: (_h, events, day) => again.push({ n: events.length, ...(day ? { day } : {}), first: events[0] }) }, quiet);
    await restarted.start();
    expect(again).toMatchObject([{ n: b.lines.length, day: '2026-11-26', first: { id: d2[0]!.id } }]);
    // A read model that lacks an earlier day (rebuilt), or holds it with another count, gets it again.
    const days: string[] = [];
    const fake = (held: Array<{ day: string; events: number }>) =>
      new RemoteProjection(() => hub.store(), { pushRemote: (_h, _e, day) => void days.push(day!), remoteDays: async () => held }, quiet);
    await fake([{ day: '2026-11-25', events: a.lines.length }, { day: '2026-11-26', events: b.lines.length }]).start();
    expect(days).toEqual(['2026-11-26']);
    days.length = 0;
    await fake([{ day: '2026-11-25', events: 3 }]).start();
    expect(days).toEqual(['2026-11-25', '2026-11-26']);
    days.length = 0;
    await fake([]).start();
    expect(days).toEqual(['2026-11-25', '2026-11-26']);
  });
});
