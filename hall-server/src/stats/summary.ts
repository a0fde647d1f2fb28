/**
 * `GET /api/stats/summary`: the hall's figures over a date range, in total and per day, service,
 * counter and clerk, from the read model's per-day cube (`stats_day`) and hourly counts. Sums
 * are SQL GROUP BYs written once in Kysely (SQLite and PostgreSQL); percentiles merge the cube's
 * minute histograms.
 */
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { ReadModelDb } from '../read-model/database';
import type { ReadModelSchema } from '../read-model/schema';
import type { DateRange } from './date-range';
import { mergeHistogram, quantile, round1, type MinuteHistogram } from './minute-histogram';
import type { StatsFigures, StatsSummary, TimeFigures } from './stats-types';

export interface SummaryQuery extends DateRange {
  /** Halls to count (a county hub); default every hall in the database. */
  hallIds?: string[] | undefined;
  /** Only this clerk's figures (a clerk reading their own statistics). */
  clerkId?: string | undefined;
}

/** Display names of what the cube names by id. */
export interface SummaryLabels {
  service(id: string): string;
  /** The catalogue code of a service adopted from the 统一事项清单; null for the hall's own. */
  catalogueCode?(id: string): string | null;
  counter(id: string): { number: number | null; name: string };
  clerk(id: string): { name: string; staffNo: string };
}

type Eb = ExpressionBuilder<ReadModelSchema, 'stats_day'>;
type Dim = 'day' | 'service_id' | 'counter_id' | 'clerk_id';

const SUMS = ['issued', 'served', 'no_show', 'transferred', 'cancelled', 'expired', 'wait_n', 'wait_sum_s', 'wait_within', 'service_n', 'service_sum_s', 'service_within', 'ratings', 'satisfied'] as const;
type Sums = Record<(typeof SUMS)[number] | 'wait_max_s' | 'service_max_s', number>;

function sumSelections(eb: Eb) {
  return [
    ...SUMS.map((c) => eb.fn.sum<number>(c).as(c)),
    eb.fn.max<number>('wait_max_s').as('wait_max_s'),
    eb.fn.max<number>('service_max_s').as('service_max_s'),
  ];
}

function filtered(db: ReadModelDb, q: SummaryQuery): SelectQueryBuilder<ReadModelSchema, 'stats_day', object> {
  let s = db.selectFrom('stats_day').where('day', '>=', q.from).where('day', '<=', q.to);
  if (q.hallIds) s = s.where('hall_id', 'in', q.hallIds.length > 0 ? q.hallIds : ['\u0000']);
  if (q.clerkId !== undefined) s = s.where('clerk_id', '=', q.clerkId);
  return s;
}

function times(n: number, sumS: number, maxS: number, within: number, h: MinuteHistogram | undefined): TimeFigures {
  if (n === 0) return { mean: null, median: null, p90: null, max: null, withinLimit: null };
  return {
    mean: round1(sumS / n / 60),
    median: h ? quantile(h, 0.5) : null,
    p90: h ? quantile(h, 0.9) : null,
    max: round1(maxS / 60),
    withinLimit: Math.round((within / n) * 1000) / 1000,
  };
}

function figures(raw: Partial<Sums>, hist: { wait: MinuteHistogram; service: MinuteHistogram } | undefined): StatsFigures {
  const v = (k: keyof Sums): number => Number(raw[k] ?? 0);
  return {
    issued: v('issued'),
    served: v('served'),
    noShow: v('no_show'),
    transferred: v('transferred'),
    cancelled: v('cancelled'),
    expired: v('expired'),
    waitMinutes: times(v('wait_n'), v('wait_sum_s'), v('wait_max_s'), v('wait_within'), hist?.wait),
    serviceMinutes: times(v('service_n'), v('service_sum_s'), v('service_max_s'), v('service_within'), hist?.service),
    ratings: { count: v('ratings'), satisfaction: v('ratings') === 0 ? null : Math.round((v('satisfied') / v('ratings')) * 1000) / 1000 },
  };
}

type Hists = Map<string, { wait: MinuteHistogram; service: MinuteHistogram }>;

const at = (m: Hists, key: string) => {
  let h = m.get(key);
  if (!h) m.set(key, (h = { wait: [], service: [] }));
  return h;
};

/**
 * Percentile histograms per answer row, from the per-day, per-dimension table. For one clerk
 * (their own statistics) the clerk's rows serve the total, the days and the clerk; per service
 * and counter their percentiles stay null (means and maxima are there).
 */
async function histograms(db: ReadModelDb, q: SummaryQuery): Promise<Record<Dim | 'all', Hists>> {
  const out: Record<Dim | 'all', Hists> = { all: new Map(), day: new Map(), service_id: new Map(), counter_id: new Map(), clerk_id: new Map() };
  let s = db.selectFrom('stats_hist').where('day', '>=', q.from).where('day', '<=', q.to);
  if (q.hallIds) s = s.where('hall_id', 'in', q.hallIds.length > 0 ? q.hallIds : ['\u0000']);
  if (q.clerkId !== undefined) s = s.where('dim', '=', 'clerk').where('dim_id', '=', q.clerkId);
  const rows = await s.select(['day', 'dim', 'dim_id', 'wait_hist', 'service_hist']).execute();
  const target: Record<string, Hists> = { service: out.service_id, counter: out.counter_id, clerk: out.clerk_id };
  for (const r of rows) {
    const hs = r.dim === 'all' ? [at(out.all, ''), at(out.day, r.day)] : target[r.dim] ? [at(target[r.dim]!, r.dim_id)] : [];
    if (q.clerkId !== undefined) hs.push(at(out.all, ''), at(out.day, r.day));
    for (const h of hs) {
      mergeHistogram(h.wait, r.wait_hist);
      mergeHistogram(h.service, r.service_hist);
    }
  }
  return out;
}

async function grouped(db: ReadModelDb, q: SummaryQuery, dim: Dim): Promise<Array<Partial<Sums> & { key: string }>> {
  const rows = await filtered(db, q)
    .select((eb) => [eb.ref(dim).as('key'), ...sumSelections(eb)])
    .groupBy(dim)
    .orderBy(dim)
    .execute();
  return rows as unknown as Array<Partial<Sums> & { key: string }>;
}

export async function statsSummary(db: ReadModelDb, q: SummaryQuery, labels: SummaryLabels): Promise<StatsSummary> {
  const [total, byDay, byService, byCounter, byClerk, hists, hourly] = await Promise.all([
    filtered(db, q).select((eb) => sumSelections(eb)).executeTakeFirst(),
    grouped(db, q, 'day'),
    grouped(db, q, 'service_id'),
    grouped(db, q, 'counter_id'),
    grouped(db, q, 'clerk_id'),
    histograms(db, q),
    hourlyCounts(db, q),
  ]);
  return {
    from: q.from,
    to: q.to,
    ...figures((total ?? {}) as Partial<Sums>, hists.all.get('')),
    byDay: byDay.map((r) => ({ day: r.key, ...figures(r, hists.day.get(r.key)) })),
    byService: byService.filter((r) => r.key !== '').map((r) => ({ serviceId: r.key, name: labels.service(r.key), catalogueCode: labels.catalogueCode?.(r.key) ?? null, ...figures(r, hists.service_id.get(r.key)) })),
    byCounter: byCounter.filter((r) => r.key !== '').map((r) => ({ counterId: r.key, ...labels.counter(r.key), ...figures(r, hists.counter_id.get(r.key)) })),
    byClerk: byClerk.filter((r) => r.key !== '').map((r) => ({ clerkId: r.key, ...labels.clerk(r.key), ...figures(r, hists.clerk_id.get(r.key)) })),
    hourly,
  };
}

async function hourlyCounts(db: ReadModelDb, q: SummaryQuery): Promise<StatsSummary['hourly']> {
  if (q.clerkId !== undefined) return [];
  let s = db.selectFrom('stats_hourly').where('day', '>=', q.from).where('day', '<=', q.to);
  if (q.hallIds) s = s.where('hall_id', 'in', q.hallIds.length > 0 ? q.hallIds : ['\u0000']);
  const rows = await s
    .select((eb) => ['hour', eb.fn.sum<number>('arrivals').as('arrivals'), eb.fn.sum<number>('served').as('served')])
    .groupBy('hour')
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({ hour: Number(r.hour), arrivals: Number(r.arrivals), served: Number(r.served) }));
}
