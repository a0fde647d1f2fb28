/**
 * Issue 11 end to end on a real hall: tickets served and rated reach the statistics, a bad rating
 * opens a rectification case that runs the workflow, alerts are raised by the clock's ticks,
 * pushed to supervisors and acknowledged; a deleted read model is rebuilt at start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connectSocket, createStaff, nextEvent, startTestHall, type TestHall } from './harness';
import { reindexCommand } from '../src/read-model/reindex-command';

const DAY = '2026-11-26';
let t: TestHall | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A clock at the harness's weekday morning that a test can move forward. */
function steerableClock(start = `${DAY}T10:00:00+08:00`) {
  const t0 = Date.parse(start);
  const p0 = performance.now();
  let offset = 0;
  return { now: () => t0 + offset + Math.floor(performance.now() - p0), advance: (ms: number) => void (offset += ms) };
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || performance.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Summary {
  issued: number;
  served: number;
  ratings: { count: number; satisfaction: number | null };
  byClerk: Array<{ clerkId: string; served: number }>;
}

describe('statistics, 好差评 and 电子监察 on a running hall', () => {
  it('serves, rates, counts; a bad rating runs the rectification workflow; a clerk sees only their own', async () => {
    const clock = steerableClock();
    t = await startTestHall({ clock: clock.now });
    const kiosk = await t.kioskToken();
    const sup = await createStaff(t, 'sup1', 'supervisor');
    const clerk = await createStaff(t, 'clerk1', 'clerk');
    const other = await createStaff(t, 'clerk2', 'clerk');
    const issued: Array<{ id: string; trackToken: string }> = [];
    for (let i = 0; i < 3; i++) {
      const r = await t.api<{ id: string; trackToken: string }>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk);
      expect(r.status).toBe(201);
      issued.push(r.body);
    }
    expect((await t.api('POST', '/api/counters/ctr-1/sign-in', {}, clerk.token)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await t.api('POST', '/api/counters/ctr-1/call-next', {}, clerk.token)).status).toBe(200);
    expect((await t.api('POST', '/api/counters/ctr-1/finish', {}, clerk.token)).status).toBe(200);
    for (const [i, score] of [5, 1, 4].entries()) {
      const r = await t.api('POST', `/api/tickets/${issued[i]!.id}/rating?token=${issued[i]!.trackToken}`, score === 1 ? { score, comment: '等太久' } : { score });
      expect(r.status).toBe(201);
    }

    const s = await until(
      async () => (await t!.api<Summary>('GET', `/api/stats/summary?from=${DAY}&to=${DAY}`, undefined, sup.token)).body,
      (b) => b.ratings?.count === 3,
    );
    expect(s).toMatchObject({ issued: 3, served: 3, ratings: { count: 3, satisfaction: 0.667 } });
    expect(s.byClerk).toEqual([expect.objectContaining({ clerkId: clerk.id, served: 3 })]);

    const mine = await t.api<Summary>('GET', `/api/stats/summary?from=${DAY}&to=${DAY}`, undefined, other.token);
    expect(mine.status).toBe(200);
    expect(mine.body.served).toBe(0);
    expect((await t.api('GET', '/api/stats/summary?from=2026-12-01&to=2026-11-01', undefined, sup.token)).status).toBe(400);

    const cases = await t.api<Array<{ id: string; score: number; status: string; clerkId: string }>>('GET', '/api/rectifications', undefined, sup.token);
    expect(cases.body).toEqual([expect.objectContaining({ score: 1, status: 'pending', clerkId: clerk.id })]);
    const id = cases.body[0]!.id;
    expect((await t.api<unknown[]>('GET', '/api/rectifications', undefined, other.token)).body).toEqual([]);
    expect((await t.api<unknown[]>('GET', '/api/rectifications', undefined, clerk.token)).body).toHaveLength(1);
    expect((await t.api('POST', `/api/rectifications/${id}/appeal`, { note: '高峰时段' }, clerk.token)).status).toBe(200);
    expect((await t.api('POST', `/api/rectifications/${id}/transition`, { to: 'rectified' }, sup.token)).status).toBe(409);
    const valid = await t.api<{ status: string; history: unknown[] }>('POST', `/api/rectifications/${id}/transition`, { to: 'valid', note: '属实' }, sup.token);
    expect(valid.status).toBe(200);
    expect(valid.body.status).toBe('valid');
    expect(valid.body.history).toHaveLength(2);

    const xlsx = await fetch(`${t.url}/api/stats/export?from=${DAY}&format=xlsx`, { headers: { authorization: `Bearer ${sup.token}` } });
    expect(xlsx.status).toBe(200);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');

    // The read model is a cache: deleted, it is rebuilt from the journal at the next start.
    const dataDir = t.dataDir;
    await t.hall.close();
    await rm(join(dataDir, 'read-model.sqlite'), { force: true });
    await rm(join(dataDir, 'read-model.sqlite-wal'), { force: true });
    const out: string[] = [];
    expect(await reindexCommand({ dataDir, out: (l) => out.push(l) })).toBe(0);
    expect(out.at(-1)).toMatch(/rebuilt from the journal/);
    t = await startTestHall({ clock: clock.now, dataDir });
    const again = await until(
      async () => (await t!.api<Summary>('GET', `/api/stats/summary?from=${DAY}&to=${DAY}`, undefined, await t!.login('sup1', 'password-123'))).body,
      (b) => b.served === 3,
    );
    expect(again).toMatchObject({ issued: 3, served: 3, ratings: { count: 3 } });
    const after = await t.api<Array<{ status: string }>>('GET', '/api/rectifications', undefined, await t.login('sup1', 'password-123'));
    expect(after.body[0]?.status).toBe('valid');
  });

  it('raises a wait alert on a tick of the clock, pushes it to supervisors and takes an acknowledgment', async () => {
    const clock = steerableClock();
    t = await startTestHall({ clock: clock.now, supervisionTickSeconds: 0 });
    await t.hall.supervision.started;
    const kiosk = await t.kioskToken();
    const sup = await createStaff(t, 'sup1', 'supervisor');
    const clerk = await createStaff(t, 'clerk1', 'clerk');
    expect((await t.api('POST', '/api/counters/ctr-1/sign-in', {}, clerk.token)).status).toBe(200);
    const ticket = await t.api<{ number: string }>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk);
    const socket = connectSocket(t.url, '/counter', { token: sup.token });
    try {
      await nextEvent(socket, 'snapshot');
      const pushed = nextEvent<{ id: string; rule: string; level: string; subject: { label: string } }>(socket, 'alert', (a) => a.rule === 'ticket-wait');
      clock.advance(31 * 60_000);
      await t.hall.supervision.engine.tick();
      const alert = await pushed;
      expect(alert).toMatchObject({ level: 'yellow', subject: { label: ticket.body.number } });
      const active = await t.api<Array<{ id: string }>>('GET', '/api/alerts?active=true', undefined, sup.token);
      expect(active.body.map((a) => a.id)).toContain(alert.id);
      expect((await t.api('GET', '/api/alerts?active=true', undefined, clerk.token)).status).toBe(403);
      const ack = await t.api<{ acknowledgedBy: string; note: string }>('POST', `/api/alerts/${alert.id}/ack`, { note: '已安排' }, sup.token);
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ note: '已安排' });
      expect((await t.api('POST', '/api/counters/ctr-1/call-next', {}, clerk.token)).status).toBe(200);
      await t.hall.supervision.engine.tick();
      const cleared = await until(
        async () => (await t!.api<Array<{ id: string; clearedAt: string | null }>>('GET', '/api/alerts?active=false', undefined, sup.token)).body,
        (b) => b.some((a) => a.id === alert.id),
      );
      expect(cleared.find((a) => a.id === alert.id)?.clearedAt).toBeTruthy();
    } finally {
      socket.close();
    }
  });
});
