import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDemoConfig } from '../config/demo-config';
import { startReadModel, type RunningReadModel } from '../read-model/start-read-model';
import { syntheticDay } from '../read-model/synthetic-day';
import { writeJournalDay } from '../read-model/journal-source';
import { SupervisionActions, type Asker } from './supervision-actions';

const DAY = '2026-12-02';
const NOW = Date.parse('2026-12-03T10:00:00+08:00');
let dir = '';
let running: RunningReadModel;
let actions: SupervisionActions;
let n = 0;
const supervisor: Asker = { actor: { kind: 'staff', userId: 'usr-sup', role: 'supervisor' } };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'supervision-'));
  const events = syntheticDay({ day: DAY, tickets: 300, seed: 5 });
  events.push({ id: 'al-raise', type: 'audit.alert-raised', at: `${DAY}T10:00:00+08:00`, actor: { kind: 'system' }, alertId: 'al-1', rule: 'ticket-wait', level: 'yellow', subject: { kind: 'ticket', id: 't', label: 'A001' } } as never);
  await writeJournalDay(path.join(dir, 'journal'), DAY, events);
  const config = createDemoConfig();
  running = await startReadModel({ dataDir: dir, journalDir: path.join(dir, 'journal'), tz: 'Asia/Shanghai', config: () => config, clock: () => NOW, log: { info() {}, warn() {}, error() {} }, inProcess: true });
  await running.caughtUp;
  actions = new SupervisionActions({
    readModel: running.port,
    // What HallCore.record + connectReadModel do: the event, durable, reaches the read model.
    record: (e) => {
      running.port.push([{ ...e, id: `rec-${++n}`, at: new Date(NOW + n * 1000).toISOString() }]);
      return Promise.resolve();
    },
  });
});
afterAll(async () => {
  await running.port.close();
  await rm(dir, { recursive: true, force: true });
});

describe('supervision actions', () => {
  it('runs a case through the workflow and refuses moves it does not allow', async () => {
    const [c] = await running.port.cases({ status: 'pending' });
    expect(c).toBeDefined();
    expect(await actions.transition(c!.id, 'rectified', 'skip', supervisor)).toMatchObject({ ok: false, error: { code: 'QUEUE.INVALID_STATE' } });
    const v = await actions.transition(c!.id, 'valid', '属实', supervisor);
    expect(v).toMatchObject({ ok: true, value: { status: 'valid' } });
    await actions.transition(c!.id, 'rectifying', '整改中', supervisor);
    const done = await actions.transition(c!.id, 'rectified', '已整改', supervisor);
    expect(done.ok && done.value.history.map((h) => `${h.from}→${h.to}`)).toEqual(['pending→valid', 'valid→rectifying', 'rectifying→rectified']);
    expect(done.ok && done.value.closedAt).toBeTruthy();
    expect(await actions.transition(c!.id, 'valid', 'again', supervisor)).toMatchObject({ ok: false, error: { code: 'QUEUE.INVALID_STATE' } });
  });

  it('two concurrent rulings on one case: one wins, the other is refused', async () => {
    const [c] = await running.port.cases({ status: 'pending' });
    const results = await Promise.all([actions.transition(c!.id, 'valid', 'a', supervisor), actions.transition(c!.id, 'invalid', 'b', supervisor)]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
  });

  it('a clerk appeals a case about them, and cannot see others', async () => {
    const [c] = await running.port.cases({ status: 'pending' });
    const own: Asker = { actor: { kind: 'staff', userId: c!.clerkId!, role: 'clerk' } };
    const other: Asker = { actor: { kind: 'staff', userId: 'usr-nobody', role: 'clerk' } };
    expect(await actions.appeal(c!.id, '顾客误解', other)).toMatchObject({ ok: false, error: { code: 'RECTIFICATION.NOT_FOUND' } });
    const r = await actions.appeal(c!.id, '顾客误解', own);
    expect(r.ok && r.value.history.at(-1)).toMatchObject({ kind: 'appeal', by: c!.clerkId, note: '顾客误解' });
    const cb = await actions.callback(c!.id, true, '已电话回访', supervisor);
    expect(cb.ok && cb.value.history.at(-1)).toMatchObject({ kind: 'callback', reached: true, note: '已电话回访' });
  });

  it('acknowledges an alert with a note; an unknown alert is not found', async () => {
    const r = await actions.acknowledge('al-1', '已提醒窗口', supervisor);
    expect(r).toMatchObject({ ok: true, value: { id: 'al-1', acknowledgedBy: 'usr-sup', note: '已提醒窗口' } });
    expect(await actions.acknowledge('nope', 'x', supervisor)).toMatchObject({ ok: false, error: { code: 'ALERT.NOT_FOUND' } });
  });
});
