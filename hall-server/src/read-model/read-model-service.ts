/**
 * What the rest of the server asks of the read model (the port), and its in-process
 * implementation. The server runs it on a worker thread (read-model-client.ts) so that neither
 * projection nor a year's query ever holds up a ticket; tests and the CLI use it directly.
 */
import { hallDate, toHallIso, type HallConfig } from '@hall/protocol';
import { ReadModel, type ReadModelLog, type ReadModelStatus } from './read-model';
import type { JournalEventLike } from './projector';
import { statsSummary, type SummaryLabels, type SummaryQuery } from '../stats/summary';
import type { StatsSummary } from '../stats/stats-types';
import { summaryTables } from '../stats/export-table';
import { toCsv } from '../stats/export-csv';
import { dayReportHtml } from '../stats/day-report';
import { listAlerts, listCases, listRatings, type AlertFilter, type AlertView, type CaseFilter, type RatingFilter, type RatingView, type RectificationCase } from '../supervision/supervision-queries';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

export interface ReadModelPort {
  /** Durable journal events, in order; never blocks, never throws. */
  push(events: readonly JournalEventLike[]): void;
  /** A downstream hall's received events (network/remote-projection.ts); `wholeDay`: all of that day's. */
  pushRemote(hallId: string, events: readonly JournalEventLike[], wholeDay?: string): void;
  /** The days of a downstream hall in the tables, with how many events each was projected from. */
  remoteDays(hallId: string): Promise<Array<{ day: string; events: number }>>;
  /** Config changed (service limits, calendar, names). */
  setConfig(config: HallConfig): void;
  status(): Promise<ReadModelStatus>;
  /** Resolves once everything pushed so far is in the tables. */
  flush(): Promise<void>;
  summary(q: SummaryQuery): Promise<StatsSummary>;
  exportFile(q: SummaryQuery, format: ExportFormat): Promise<ExportFile>;
  /** The printable report page (HTML). */
  report(q: SummaryQuery): Promise<string>;
  cases(f: CaseFilter): Promise<RectificationCase[]>;
  alerts(f: AlertFilter): Promise<AlertView[]>;
  ratings(f: RatingFilter): Promise<RatingView[]>;
  reindex(): Promise<{ days: number; events: number }>;
  close(): Promise<void>;
}

export interface ReadModelServiceOptions {
  dataDir: string;
  journalDir: string;
  databaseUrl?: string | undefined;
  tz: string;
  config: HallConfig;
  clock: () => number;
  log: ReadModelLog;
  flushMs?: number;
  /** false: no catch-up at open (a reindex follows). */
  catchUp?: boolean;
}

/** Names for the summary's rows: services, counters (number and name), staff (name and staff number, 挂牌上岗). */
export function labelsOf(config: HallConfig): SummaryLabels {
  const services = new Map(config.services.map((s) => [s.id, s.name]));
  const codes = new Map(config.services.map((s) => [s.id, s.catalogueCode]));
  const counters = new Map(config.counters.map((c) => [c.id, { number: c.number, name: c.name }]));
  const users = new Map(config.users.map((u) => [u.id, { name: u.name, staffNo: u.staffNo }]));
  return {
    service: (id) => services.get(id) ?? id,
    catalogueCode: (id) => codes.get(id) ?? null,
    counter: (id) => counters.get(id) ?? { number: null, name: id },
    clerk: (id) => users.get(id) ?? { name: id, staffNo: '' },
  };
}

export class InProcessReadModel implements ReadModelPort {
  private config: HallConfig;

  private constructor(readonly model: ReadModel, private readonly opts: ReadModelServiceOptions) {
    this.config = opts.config;
  }

  /** Opens the database; catch-up runs in the background (`caughtUp`). */
  static async open(opts: ReadModelServiceOptions): Promise<{ service: InProcessReadModel; caughtUp: Promise<unknown> }> {
    const holder: { service?: InProcessReadModel } = {};
    const model = await ReadModel.open({
      dataDir: opts.dataDir,
      journalDir: opts.journalDir,
      databaseUrl: opts.databaseUrl,
      tz: opts.tz,
      config: () => holder.service?.config ?? opts.config,
      log: opts.log,
      ...(opts.flushMs !== undefined ? { flushMs: opts.flushMs } : {}),
    });
    const service = (holder.service = new InProcessReadModel(model, opts));
    const caughtUp = opts.catchUp === false ? Promise.resolve() : model.catchUp().catch(() => undefined);
    return { service, caughtUp };
  }

  private today(): string {
    return hallDate(this.opts.clock(), this.opts.tz);
  }

  push(events: readonly JournalEventLike[]): void {
    this.model.push(events);
  }

  pushRemote(hallId: string, events: readonly JournalEventLike[], wholeDay?: string): void {
    this.model.pushRemote(hallId, events, wholeDay);
  }

  async remoteDays(hallId: string): Promise<Array<{ day: string; events: number }>> {
    const rows = await this.model.db.selectFrom('projected_days').select(['day', 'events']).where('hall_id', '=', hallId).execute();
    return rows.map((r) => ({ day: r.day, events: Number(r.events) }));
  }

  setConfig(config: HallConfig): void {
    this.config = config;
  }

  status(): Promise<ReadModelStatus> {
    return Promise.resolve(this.model.status());
  }

  flush(): Promise<void> {
    return this.model.flushNow();
  }

  summary(q: SummaryQuery): Promise<StatsSummary> {
    return statsSummary(this.model.db, q, labelsOf(this.config));
  }

  async exportFile(q: SummaryQuery, format: ExportFormat): Promise<ExportFile> {
    const s = await this.summary(q);
    const tables = summaryTables(s);
    const name = `hall-stats-${q.from}_${q.to}`;
    if (format === 'csv') return { body: toCsv(tables), contentType: 'text/csv; charset=utf-8', filename: `${name}.csv` };
    return {
      // exceljs loads on the first XLSX export: most days nobody asks, and it is megabytes of heap.
      body: await (await import('../stats/export-xlsx')).toXlsx(tables, `${this.config.hall.name} ${q.from}–${q.to}`),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename: `${name}.xlsx`,
    };
  }

  async report(q: SummaryQuery): Promise<string> {
    const s = await this.summary(q);
    return dayReportHtml(s, this.config.hall.name, toHallIso(this.opts.clock(), this.opts.tz));
  }

  cases(f: CaseFilter): Promise<RectificationCase[]> {
    return listCases(this.model.db, f, this.today(), this.opts.tz);
  }

  alerts(f: AlertFilter): Promise<AlertView[]> {
    return listAlerts(this.model.db, f, this.opts.tz);
  }

  ratings(f: RatingFilter): Promise<RatingView[]> {
    return listRatings(this.model.db, f, this.opts.tz);
  }

  reindex(): Promise<{ days: number; events: number }> {
    return this.model.reindex();
  }

  close(): Promise<void> {
    return this.model.close();
  }
}
