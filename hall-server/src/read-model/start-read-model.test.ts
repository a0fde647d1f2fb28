import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDemoConfig } from '../config/demo-config';
import { startReadModel, type RunningReadModel } from './start-read-model';
import { syntheticDay } from './synthetic-day';
import { writeJournalDay } from './journal-source';
import type { SupervisionEvent } from '../supervision/supervision-events';

const DAY = '2026-12-02';
const NOW = Date.parse(`${DAY}T18:00:00+08:00`);
const events = syntheticDay({ day: DAY, tickets: 300, seed: 3 });
const system = { kind: 'system' as const };
const supervisor = { kind: 'staff' as const, userId: 'usr-sup', role: 'supervisor' as const };
let dir = '';
let running: RunningReadModel | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'read-model-worker-'));
  await writeJournalDay(path.join(dir, 'journal'), DAY, events);
});
afterEach(async () => {
  await running?.port.close();
  running = undefined;
  await rm(dir, { recursive: true, force: true });
});

type Draft<T> = T extends unknown ? Omit<T, 'at'> : never;
const audit = (e: Draft<SupervisionEvent>): SupervisionEvent => ({ at: `${DAY}T18:00:00+08:00`, ...e }) as SupervisionEvent;

for (const inProcess of [false, true]) {
  describe(`read model ${inProcess ? 'in-process' : 'on a worker thread'}`, () => {
    it('catches up, answers summaries and exports, and follows live events', async () => {
      const config = createDemoConfig();
      const logs: string[] = [];
      running = await startReadModel({
        dataDir: dir,
        journalDir: path.join(dir, 'journal'),
        tz: 'Asia/Shanghai',
        config: () => config,
        clock: () => NOW,
        log: { info: (_o, m) => logs.push(m), warn: (_o, m) => logs.push(m), error: (_o, m) => logs.push(m) },
        inProcess,
        flushMs: 5,
      });
      await running.caughtUp;
      const { port } = running;
      expect(await port.status()).toMatchObject({ state: 'ready', dialect: 'sqlite' });
      const s = await port.summary({ from: DAY, to: DAY });
      expect(s.issued).toBe(300);

      const xlsx = await port.exportFile({ from: DAY, to: DAY }, 'xlsx');
      expect(Buffer.isBuffer(xlsx.body)).toBe(true);
      expect(xlsx.body.subarray(0, 2).toString()).toBe('PK');

      const more = syntheticDay({ day: DAY, tickets: 10, seed: 99 }).map((e) => ({ ...e, id: `live-${e.id}`, ...('ticketId' in e ? { ticketId: `live-${e.ticketId}` } : {}) }));
      port.push(more);
      await port.flush();
      expect((await port.summary({ from: DAY, to: DAY })).issued).toBe(310);

      const [first] = await port.cases({ status: 'pending' });
      expect(first).toMatchObject({ status: 'pending', overdue: false, history: [] });
      port.push([audit({ id: 'ev-1', type: 'audit.case-transitioned', actor: supervisor, caseId: first!.id, from: 'pending', to: 'valid', note: '属实' })]);
      port.push([audit({ id: 'ev-1', type: 'audit.case-transitioned', actor: supervisor, caseId: first!.id, from: 'pending', to: 'valid', note: '属实' })]);
      port.push([audit({ id: 'ev-2', type: 'audit.case-callback', actor: supervisor, caseId: first!.id, reached: true, note: '已回访' })]);
      await port.flush();
      const [after] = await port.cases({ caseId: first!.id });
      expect(after!.status).toBe('valid');
      expect(after!.history.map((h) => h.kind)).toEqual(['transition', 'callback']);

      port.push([audit({ id: 'ev-3', type: 'audit.alert-raised', actor: system, alertId: 'al-1', rule: 'counter-paused', level: 'yellow', subject: { kind: 'counter', id: 'c1', label: '1号窗口' } })]);
      await port.flush();
      expect((await port.alerts({ active: true })).map((a) => a.id)).toEqual(['al-1']);
      port.push([
        audit({ id: 'ev-4', type: 'audit.alert-acknowledged', actor: supervisor, alertId: 'al-1', note: '已提醒' }),
        audit({ id: 'ev-5', type: 'audit.alert-cleared', actor: system, alertId: 'al-1' }),
      ]);
      await port.flush();
      expect(await port.alerts({ active: true })).toEqual([]);
      const [cleared] = await port.alerts({ active: false });
      expect(cleared).toMatchObject({ id: 'al-1', acknowledgedBy: 'usr-sup', note: '已提醒', clearedAt: expect.stringContaining(DAY) });
    });
  });
}

describe('a read model that cannot be opened', () => {
  it('leaves the hall a port that answers SERVER.UNAVAILABLE', async () => {
    const { startReadModelForHall } = await import('./start-read-model');
    const errors: string[] = [];
    const r = await startReadModelForHall({
      dataDir: dir,
      journalDir: path.join(dir, 'journal'),
      databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
      tz: 'Asia/Shanghai',
      config: () => createDemoConfig(),
      clock: () => NOW,
      log: { info() {}, warn() {}, error: (_o, m) => errors.push(m) },
      inProcess: true,
    });
    running = r;
    r.port.push(events.slice(0, 3));
    await expect(r.port.summary({ from: DAY, to: DAY })).rejects.toMatchObject({ code: 'SERVER.UNAVAILABLE' });
    expect(errors.some((m) => m.includes('cannot be opened'))).toBe(true);
  });
});
