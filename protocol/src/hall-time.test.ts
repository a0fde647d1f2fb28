import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, clockToMinutes, hallDate, hallMidnight, hallMinuteOfDay, hallWeekday, toHallIso, zoneOffsetMinutes } from './hall-time';

const at = (iso: string): number => Date.parse(iso);

describe('hall-local time', () => {
  it('gives date, minute, weekday and ISO time in the hall zone, whatever the server zone', () => {
    const t = at('2026-11-26T17:30:05Z'); // 01:30:05 on Friday 27 November in Shanghai
    expect(hallDate(t)).toBe('2026-11-27');
    expect(hallMinuteOfDay(t)).toBe(90);
    expect(hallWeekday(t)).toBe(5);
    expect(toHallIso(t)).toBe('2026-11-27T01:30:05+08:00');
    expect(toHallIso(t, 'America/New_York')).toBe('2026-11-26T12:30:05-05:00');
    expect(hallDate(t, 'America/New_York')).toBe('2026-11-26');
  });

  it('answers the same whatever was asked before (the per-second cache keys on zone and second)', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Urumqi', 'UTC'];
    const fresh = (t: number, tz: string): string => {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
      return f.format(new Date(t));
    };
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2030-12-31T00:00:00Z') }), tz: fc.constantFrom(...zones), repeatMs: fc.integer({ min: 0, max: 999 }) }), {
          minLength: 1,
          maxLength: 20,
        }),
        (asks) => {
          for (const { t, tz, repeatMs } of asks) {
            const second = Math.floor(t / 1000) * 1000;
            for (const x of [second, second + repeatMs]) {
              expect(hallDate(x, tz)).toBe(fresh(x, tz));
              const iso = toHallIso(x, tz);
              expect(Date.parse(iso)).toBe(second);
              expect(iso.slice(0, 10)).toBe(hallDate(x, tz));
              const off = zoneOffsetMinutes(x, tz);
              expect(iso.endsWith(`${off >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads HH:MM clock times, 24:00 included', () => {
    expect(clockToMinutes('00:00')).toBe(0);
    expect(clockToMinutes('08:30')).toBe(510);
    expect(clockToMinutes('12:05')).toBe(725);
    expect(clockToMinutes('24:00')).toBe(1440);
  });

  it('finds midnight and adds calendar days', () => {
    expect(toHallIso(hallMidnight('2026-11-27'))).toBe('2026-11-27T00:00:00+08:00');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});
