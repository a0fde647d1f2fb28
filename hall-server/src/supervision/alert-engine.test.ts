import { describe, expect, it } from 'vitest';
import type { Actor, QueueCommand, QueueEvent } from '@hall/protocol';
import { apply, decide, initialState, type QueueState } from '../queue';
import { createDemoConfig } from '../config/demo-config';
import { AlertEngine, type AlertRecord } from './alert-engine';
import type { WatchedCase } from './alert-rules';

const TZ = 'Asia/Shanghai';
const MIN = 60_000;
// Monday 2026-12-07, 09:00 hall time: within the demo hall's opening hours.
const T0 = Date.parse('2026-12-07T09:00:00+08:00');
const clerk: Actor = { kind: 'staff', userId: 'usr-c1', role: 'clerk' };

function hall() {
  const config = createDemoConfig();
  let now = T0;
  let state: QueueState = initialState('2026-12-07');
  let ids = 0;
  const recorded: AlertRecord[] = [];
  const cases: WatchedCase[] = [];
  const devices = [{ id: 'dev-led-1', name: '1号窗口屏', status: 'online' }];
  const run = (command: QueueCommand, actor: Actor = clerk): QueueEvent[] => {
    const r = decide(state, command, { now, tz: TZ, config, newId: () => `e${++ids}`, newToken: () => 'tok', actor });
    if (!r.ok) throw new Error(r.error.code);
    for (const e of r.events) state = apply(state, e);
    engine.observe(r.events);
    return r.events;
  };
  const engine = new AlertEngine({
    clock: () => now,
    tz: TZ,
    config: () => config,
    queue: () => state,
    devices: () => devices,
    openCases: () => Promise.resolve(cases),
    activeAlerts: () => Promise.resolve([]),
    record: (e) => {
      recorded.push(e);
      return Promise.resolve();
    },
    newId: () => `al-${++ids}`,
    log: { warn: () => undefined },
  });
  const summary = () => recorded.map((e) => (e.type === 'audit.alert-raised' ? `+${e.rule}:${e.level}:${e.subject.label}` : `-${e.alertId}`));
  return {
    engine,
    run,
    recorded,
    cases,
    devices,
    summary,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('alert engine', () => {
  it('raises yellow, then red (clearing yellow), then clears when the ticket is called', async () => {
    const h = hall();
    await h.engine.start(0);
    h.run({ type: 'counter.sign-in', counterId: 'ctr-1' });
    h.run({ type: 'counter.pause', counterId: 'ctr-1', reason: '休息' } as QueueCommand);
    // Counter 2 keeps the social service staffed, so no "unattended" alerts in this story.
    h.run({ type: 'counter.sign-in', counterId: 'ctr-2' }, { kind: 'staff', userId: 'usr-c2', role: 'clerk' });
    h.run({ type: 'ticket.issue', serviceId: 'svc-social', source: 'staff' });
    await h.engine.tick();
    expect(h.recorded).toEqual([]);

    h.advance(16 * MIN); // paused past 15 minutes; the wait (30-minute limit) is fine
    await h.engine.tick();
    expect(h.summary()).toEqual(['+counter-paused:yellow:1号窗口']);

    h.advance(15 * MIN); // 31 minutes: the wait is past its limit, the pause past twice its bound
    await h.engine.tick();
    expect(h.summary().slice(1)).toEqual([expect.stringMatching(/^-al-/), '+ticket-wait:yellow:A001', '+counter-paused:red:1号窗口']);

    h.advance(30 * MIN);
    await h.engine.tick();
    expect(h.summary().slice(4)).toEqual([expect.stringMatching(/^-al-/), '+ticket-wait:red:A001']);

    h.run({ type: 'counter.resume', counterId: 'ctr-1' });
    h.run({ type: 'counter.call-next', counterId: 'ctr-1' });
    await h.engine.tick();
    expect(h.summary().slice(6)).toEqual([expect.stringMatching(/^-al-/), expect.stringMatching(/^-al-/)]);
    expect(h.engine.activeNow()).toEqual([]);
    await h.engine.tick(); // nothing new while nothing changes
    expect(h.recorded).toHaveLength(8);
  });

  it('a closed counter whose waiting tickets nobody serves is unattended; a device down; a case overdue', async () => {
    const h = hall();
    await h.engine.start(0);
    h.run({ type: 'ticket.issue', serviceId: 'svc-land', source: 'staff' });
    h.devices[0]!.status = 'offline';
    h.cases.push({ id: 'case-1', ticketNumber: 'A009', open: true, deadline: '2026-12-04' });
    await h.engine.tick();
    expect(h.summary()).toEqual(['+case-overdue:red:A009']);
    h.advance(6 * MIN);
    await h.engine.tick();
    expect(h.summary().slice(1)).toEqual(['+device-down:yellow:1号窗口屏']);
    h.advance(5 * MIN);
    await h.engine.tick();
    // svc-land is served by counters 3 and 6, both closed.
    expect(h.summary().slice(2)).toEqual([expect.stringMatching(/^-al-/), '+counter-unattended:yellow:3号窗口', '+counter-unattended:yellow:6号窗口', '+device-down:red:1号窗口屏']);
    h.devices[0]!.status = 'online';
    h.run({ type: 'counter.sign-in', counterId: 'ctr-3' });
    await h.engine.tick();
    expect(h.summary().slice(6)).toHaveLength(3);
    expect(h.engine.activeNow().map((a) => a.rule)).toEqual(['case-overdue']);
  });

  it('evaluations do not overlap', async () => {
    const h = hall();
    await h.engine.start(0);
    h.run({ type: 'ticket.issue', serviceId: 'svc-social', source: 'staff' });
    h.run({ type: 'counter.sign-in', counterId: 'ctr-1' });
    h.advance(31 * MIN);
    await Promise.all([h.engine.tick(), h.engine.tick(), h.engine.tick()]);
    expect(h.summary()).toEqual(['+ticket-wait:yellow:A001']);
  });
});
