/**
 * One hall day's statistics as running totals: the cube (`stats_day`), hourly counts and the
 * minute histograms of waits and service times. DayFold adds what each ticket, mark and rating
 * contributes as it happens, and a flush writes only the rows that changed since the last one,
 * instead of folding the whole day again every flush (~50 ms of CPU at 10,000 tickets).
 * Totals only grow; a contribution that would have to be taken back makes DayFold count the day
 * again from its rows (see `DayFold.apply`).
 */
import { hallMidnight } from '@hall/protocol';
import type { StatsDayTable, StatsHistTable, StatsHourlyTable } from './schema';
import type { ServiceLimits } from './day-fold';

export type Attribution = { service: string; counter: string; clerk: string };

/** No counter or clerk (issued tickets, cancellations without a clerk). */
export const NONE = '';

export interface StatsRows {
  cube: StatsDayTable[];
  hourly: StatsHourlyTable[];
  hist: StatsHistTable[];
}

export interface DayStatsOptions {
  hallId: string;
  day: string;
  tz: string;
  limits: (serviceId: string) => ServiceLimits;
}

/** Counts per whole minute, written dense (`[n0, n1, …]`): short for waits of a hall day, fast to parse. */
class Histogram {
  readonly counts: number[] = [];
  add(seconds: number): void {
    const minute = Math.min(Math.floor(seconds / 60), 24 * 60);
    while (this.counts.length <= minute) this.counts.push(0);
    this.counts[minute]!++;
  }
  toJson(): string {
    return JSON.stringify(this.counts);
  }
}

interface Dim {
  row: StatsHistTable;
  wait: Histogram;
  service: Histogram;
}

export class DayStats {
  private readonly cells = new Map<string, StatsDayTable>();
  private readonly hours = new Map<string, StatsHourlyTable>();
  private readonly dims = new Map<string, Dim>();
  private changed = { cells: new Set<string>(), hours: new Set<string>(), dims: new Set<string>() };
  private readonly midnight: number;

  constructor(private readonly o: DayStatsOptions) {
    this.midnight = hallMidnight(o.day, o.tz);
  }

  /** A ticket issued for `service` at `at` (epoch ms). */
  issued(service: string, at: number): void {
    this.cell({ service, counter: NONE, clerk: NONE }).issued++;
    this.hour(service, at).arrivals++;
  }

  /** The wait of a ticket (issue to first call), where it was first called. */
  waited(a: Attribution, seconds: number): void {
    const c = this.cell(a);
    c.wait_n++;
    c.wait_sum_s += seconds;
    c.wait_max_s = Math.max(c.wait_max_s, seconds);
    if (seconds < this.o.limits(a.service).waitMinutes * 60) c.wait_within++;
    this.histAdd('wait', a, seconds);
  }

  /** A ticket served where it finished; its service time when it has one. */
  served(a: Attribution, endedAt: number | null, seconds: number | null): void {
    const c = this.cell(a);
    c.served++;
    if (endedAt !== null) this.hour(a.service, endedAt).served++;
    if (seconds === null) return;
    c.service_n++;
    c.service_sum_s += seconds;
    c.service_max_s = Math.max(c.service_max_s, seconds);
    if (seconds < this.o.limits(a.service).serviceMinutes * 60) c.service_within++;
    this.histAdd('service', a, seconds);
  }

  /** A ticket that ended without service (counted without a clerk), or a no-show or transfer mark. */
  counted(kind: 'cancelled' | 'expired' | 'no_show' | 'transferred', a: Attribution): void {
    this.cell(a)[kind]++;
  }

  rated(a: Attribution, score: number): void {
    const c = this.cell(a);
    c.ratings++;
    if (score >= 4) c.satisfied++;
  }

  /** Every row. */
  rows(): StatsRows {
    return this.pick(new Set(this.cells.keys()), new Set(this.hours.keys()), new Set(this.dims.keys()));
  }

  /** The rows changed since the last call (or since the start), and forgets them. */
  takeChanged(): StatsRows {
    const { cells, hours, dims } = this.changed;
    this.changed = { cells: new Set(), hours: new Set(), dims: new Set() };
    return this.pick(cells, hours, dims);
  }

  private pick(cells: Set<string>, hours: Set<string>, dims: Set<string>): StatsRows {
    return {
      cube: [...cells].map((k) => ({ ...this.cells.get(k)! })),
      hourly: [...hours].map((k) => ({ ...this.hours.get(k)! })),
      hist: [...dims].map((k) => {
        const d = this.dims.get(k)!;
        return { ...d.row, wait_hist: d.wait.toJson(), service_hist: d.service.toJson() };
      }),
    };
  }

  private cell(a: Attribution): StatsDayTable {
    const key = `${a.service}\u0000${a.counter}\u0000${a.clerk}`;
    this.changed.cells.add(key);
    let c = this.cells.get(key);
    if (!c) {
      c = {
        hall_id: this.o.hallId,
        day: this.o.day,
        service_id: a.service,
        counter_id: a.counter,
        clerk_id: a.clerk,
        issued: 0,
        served: 0,
        no_show: 0,
        transferred: 0,
        cancelled: 0,
        expired: 0,
        wait_n: 0,
        wait_sum_s: 0,
        wait_max_s: 0,
        wait_within: 0,
        service_n: 0,
        service_sum_s: 0,
        service_max_s: 0,
        service_within: 0,
        ratings: 0,
        satisfied: 0,
      };
      this.cells.set(key, c);
    }
    return c;
  }

  private hour(service: string, at: number): StatsHourlyTable {
    // Hours from the day's midnight (Intl per ticket is slow); a zone's DST day shifts by one hour at most.
    const h = Math.min(23, Math.max(0, Math.floor((at - this.midnight) / 3_600_000)));
    const key = `${service}\u0000${h}`;
    this.changed.hours.add(key);
    let r = this.hours.get(key);
    if (!r) {
      r = { hall_id: this.o.hallId, day: this.o.day, service_id: service, hour: h, arrivals: 0, served: 0 };
      this.hours.set(key, r);
    }
    return r;
  }

  private histAdd(kind: 'wait' | 'service', a: Attribution, seconds: number): void {
    for (const [dim, id] of [['all', NONE], ['service', a.service], ['counter', a.counter], ['clerk', a.clerk]] as const) {
      if (dim !== 'all' && id === NONE) continue;
      const key = `${dim}\u0000${id}`;
      this.changed.dims.add(key);
      let d = this.dims.get(key);
      if (!d) {
        d = { row: { hall_id: this.o.hallId, day: this.o.day, dim, dim_id: id, wait_hist: '[]', service_hist: '[]' }, wait: new Histogram(), service: new Histogram() };
        this.dims.set(key, d);
      }
      d[kind].add(seconds);
    }
  }
}
