import { describe, expect, it } from 'vitest';
import { syntheticDay } from '../read-model/synthetic-day';
import { replay } from '../queue';
import { HallFigures, dayOf } from './hall-figures';

const DAY = '2026-11-26';
const rec = (event: object) => ({ event: event as { type: string } });

describe('hall figures', () => {
  it("fold a hall's records with the queue engine: waiting, counters open, issued, served, satisfaction", () => {
    const events = syntheticDay({ day: DAY, tickets: 120, seed: 3 });
    const half = events.slice(0, Math.floor(events.length / 2));
    const f = new HallFigures();
    f.add('v1', half.map(rec));
    const state = replay(DAY, half);
    const row = f.row('v1', DAY);
    expect(row.today.issued).toBe(state.issued);
    expect(row.waiting).toBe([...state.tickets.values()].filter((t) => t.status === 'waiting').length);
    expect(row.countersOpen).toBe([...state.counters.values()].filter((c) => c.state === 'open').length);
    expect(row.today.served).toBe([...state.tickets.values()].filter((t) => t.status === 'done').length);
    const rated = half.filter((e) => e.type === 'ticket.rated') as Array<{ score: number }>;
    expect(row.satisfaction).toBe(rated.length ? Math.round((rated.filter((r) => r.score >= 4).length / rated.length) * 1000) / 1000 : null);
    expect(row.today.issued).toBeGreaterThan(0);
    // Another day than the upstream's today shows no live figures, but says which day it has.
    expect(f.row('v1', '2026-11-27')).toMatchObject({ day: DAY, waiting: 0, today: { issued: 0, served: 0 } });
    expect(f.row('unknown', DAY)).toMatchObject({ day: null, waiting: 0, alerts: { yellow: 0, red: 0 } });
  });

  it('start afresh on a new day, keep alerts across days until cleared, and skip late records of a closed day', () => {
    const f = new HallFigures();
    f.add('v1', [rec({ type: 'audit.alert-raised', alertId: 'a1', level: 'red', at: `${DAY}T10:00:00+08:00` }), rec({ type: 'audit.alert-raised', alertId: 'a2', level: 'yellow', at: `${DAY}T10:01:00+08:00` })]);
    f.add('v1', syntheticDay({ day: DAY, tickets: 10, seed: 1 }).map(rec));
    expect(f.row('v1', DAY).alerts).toEqual({ yellow: 1, red: 1 });
    const next = syntheticDay({ day: '2026-11-27', tickets: 5, seed: 2 });
    f.add('v1', [...next.map(rec), rec({ type: 'audit.alert-cleared', alertId: 'a1', at: '2026-11-27T12:00:00+08:00' })]);
    f.add('v1', syntheticDay({ day: DAY, tickets: 3, seed: 9 }).map(rec));
    const row = f.row('v1', '2026-11-27');
    expect(row.today.issued).toBe(replay('2026-11-27', next).issued);
    expect(row.alerts).toEqual({ yellow: 1, red: 0 });
    expect(dayOf({ at: '2026-11-27T00:00:01+08:00' })).toBe('2026-11-27');
    expect(dayOf({})).toBeNull();
  });
});
