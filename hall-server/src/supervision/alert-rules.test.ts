import { describe, expect, it } from 'vitest';
import { alertKey, caseOverdueAlerts, counterAlerts, desiredAlerts, deviceDownAlerts, levelFor, serviceTimeAlerts, ticketWaitAlerts, type HallWatch, type WatchedTicket } from './alert-rules';
import { DEFAULT_SUPERVISION } from './supervision-settings';

const NOW = Date.parse('2026-12-07T10:00:00+08:00');
const MIN = 60_000;

function watch(over: Partial<HallWatch> = {}): HallWatch {
  return {
    now: NOW,
    today: '2026-12-07',
    openingHours: true,
    tickets: [],
    limits: () => ({ waitMinutes: 30, serviceMinutes: 20 }),
    counters: [],
    cases: [],
    devices: [],
    settings: DEFAULT_SUPERVISION,
    ...over,
  };
}

const ticket = (over: Partial<WatchedTicket>): WatchedTicket => ({
  id: 't1',
  number: 'A001',
  serviceId: 's1',
  status: 'waiting',
  waitingSince: NOW,
  servingSince: null,
  counterLabel: null,
  ...over,
});

describe('levelFor', () => {
  it.each([
    [29 * MIN, null],
    [30 * MIN, null],
    [30 * MIN + 1, 'yellow'],
    [60 * MIN, 'yellow'],
    [60 * MIN + 1, 'red'],
  ])('%i ms against a 30-minute limit: %s', (elapsed, level) => {
    expect(levelFor(elapsed, 30, 2)).toBe(level);
  });
});

describe('alert rules', () => {
  it.each([
    ['within the limit', ticket({ waitingSince: NOW - 10 * MIN }), []],
    ['past the limit', ticket({ waitingSince: NOW - 31 * MIN }), ['yellow']],
    ['past twice the limit', ticket({ waitingSince: NOW - 61 * MIN }), ['red']],
    ['called long after issue: no wait alert', ticket({ status: 'called', waitingSince: NOW - 90 * MIN, servingSince: NOW }), []],
  ])('ticket wait: %s', (_name, t, levels) => {
    expect(ticketWaitAlerts(watch({ tickets: [t] })).map((a) => a.level)).toEqual(levels);
  });

  it.each([
    ['serving within the limit', ticket({ status: 'serving', servingSince: NOW - 5 * MIN }), []],
    ['serving past the limit', ticket({ status: 'serving', servingSince: NOW - 25 * MIN, counterLabel: '3号窗口' }), ['yellow']],
    ['called and never started, past twice', ticket({ status: 'called', servingSince: NOW - 41 * MIN }), ['red']],
    ['waiting', ticket({ waitingSince: NOW - 100 * MIN }), []],
  ])('service time: %s', (_name, t, levels) => {
    expect(serviceTimeAlerts(watch({ tickets: [t] })).map((a) => a.level)).toEqual(levels);
  });

  it('service time names the ticket and the counter', () => {
    const [a] = serviceTimeAlerts(watch({ tickets: [ticket({ status: 'serving', servingSince: NOW - 25 * MIN, counterLabel: '3号窗口' })] }));
    expect(a!.subject).toEqual({ kind: 'ticket', id: 't1', label: 'A001 @ 3号窗口' });
  });

  it.each([
    ['paused briefly', { state: 'paused', pausedSince: NOW - 5 * MIN, unattendedSince: null }, true, []],
    ['paused past the bound', { state: 'paused', pausedSince: NOW - 16 * MIN, unattendedSince: null }, true, ['counter-paused:yellow']],
    ['paused past twice', { state: 'paused', pausedSince: NOW - 31 * MIN, unattendedSince: null }, true, ['counter-paused:red']],
    ['paused, outside opening hours', { state: 'paused', pausedSince: NOW - 31 * MIN, unattendedSince: null }, false, []],
    ['unattended past the bound', { state: 'closed', pausedSince: null, unattendedSince: NOW - 11 * MIN }, true, ['counter-unattended:yellow']],
    ['unattended past twice', { state: 'closed', pausedSince: null, unattendedSince: NOW - 21 * MIN }, true, ['counter-unattended:red']],
    ['open', { state: 'open', pausedSince: null, unattendedSince: null }, true, []],
  ] as const)('counter: %s', (_name, c, openingHours, expected) => {
    const alerts = counterAlerts(watch({ openingHours, counters: [{ id: 'c3', label: '3号窗口', ...c }] }));
    expect(alerts.map((a) => `${a.rule}:${a.level}`)).toEqual(expected);
  });

  it.each([
    ['before the deadline', true, '2026-12-08', []],
    ['on the deadline day', true, '2026-12-07', ['yellow']],
    ['past the deadline', true, '2026-12-04', ['red']],
    ['closed case past the deadline', false, '2026-12-04', []],
  ] as const)('case: %s', (_name, open, deadline, levels) => {
    expect(caseOverdueAlerts(watch({ cases: [{ id: 'k1', ticketNumber: 'B002', open, deadline }] })).map((a) => a.level)).toEqual(levels);
  });

  it.each([
    ['online', null, []],
    ['down briefly', NOW - 2 * MIN, []],
    ['down past the bound', NOW - 6 * MIN, ['yellow']],
    ['down past twice', NOW - 11 * MIN, ['red']],
  ])('device: %s', (_name, downSince, levels) => {
    expect(deviceDownAlerts(watch({ devices: [{ id: 'd1', name: '取号机打印机', downSince }] })).map((a) => a.level)).toEqual(levels);
  });

  it('thresholds come from the settings', () => {
    const settings = { ...DEFAULT_SUPERVISION, pausedMinutes: 60 };
    const w = watch({ settings, counters: [{ id: 'c3', label: '3号窗口', state: 'paused', pausedSince: NOW - 31 * MIN, unattendedSince: null }] });
    expect(counterAlerts(w)).toEqual([]);
  });

  it('desiredAlerts runs every rule; keys tell rule and subject apart', () => {
    const w = watch({
      tickets: [ticket({ waitingSince: NOW - 31 * MIN }), ticket({ id: 't2', status: 'serving', servingSince: NOW - 25 * MIN })],
      devices: [{ id: 'd1', name: 'p', downSince: NOW - 6 * MIN }],
    });
    const keys = desiredAlerts(w).map(alertKey);
    expect(keys).toEqual(['ticket-wait|ticket|t1', 'service-time|ticket|t2', 'device-down|device|d1']);
  });
});
