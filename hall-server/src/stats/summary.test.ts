import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createDemoConfig } from '../config/demo-config';
import { ReadModel } from '../read-model/read-model';
import { syntheticDay } from '../read-model/synthetic-day';
import { writeJournalDay, type ChainTail } from '../read-model/journal-source';
import { statsSummary, type SummaryLabels } from './summary';
import { summaryTables } from './export-table';
import { toCsv } from './export-csv';
import { toXlsx } from './export-xlsx';
import { dayReportHtml } from './day-report';
import type { StatsFigures } from './stats-types';

const DAYS = ['2026-12-01', '2026-12-02'];
const labels: SummaryLabels = {
  service: (id) => `业务${id}`,
  counter: (id) => ({ number: Number(id.split('-')[1]), name: `${id.split('-')[1]}号窗口` }),
  clerk: (id) => ({ name: `工作人员${id}`, staffNo: id }),
};
let dir = '';
let rm1: ReadModel;
const events = DAYS.map((day, i) => syntheticDay({ day, tickets: 300, seed: 10 + i }));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'stats-'));
  let tail: ChainTail | undefined;
  for (const [i, day] of DAYS.entries()) tail = await writeJournalDay(path.join(dir, 'journal'), day, events[i]!, tail);
  const config = createDemoConfig();
  rm1 = await ReadModel.open({ dataDir: dir, journalDir: path.join(dir, 'journal'), tz: 'Asia/Shanghai', config: () => config, log: { info() {}, warn() {}, error() {} } });
  await rm1.catchUp();
});
afterAll(async () => {
  await rm1.close();
  await rm(dir, { recursive: true, force: true });
});

const count = (type: string, day?: string): number =>
  events.flat().filter((e) => e.type === type && (day === undefined || e.at.startsWith(day))).length;

const sum = (rows: StatsFigures[], k: 'issued' | 'served' | 'noShow' | 'transferred'): number => rows.reduce((a, r) => a + r[k], 0);

describe('statistics summary', () => {
  it('counts what the journal holds, in total and per dimension', async () => {
    const s = await statsSummary(rm1.db, { from: DAYS[0]!, to: DAYS[1]! }, labels);
    expect(s.issued).toBe(600);
    expect(s.served).toBe(count('ticket.finished'));
    expect(s.noShow).toBe(count('ticket.no-show'));
    expect(s.transferred).toBe(count('ticket.transferred'));
    expect(s.cancelled).toBe(count('ticket.cancelled'));
    expect(s.ratings.count).toBe(count('ticket.rated'));
    for (const k of ['issued', 'served', 'noShow', 'transferred'] as const) {
      expect(sum(s.byDay, k), `byDay ${k}`).toBe(s[k]);
      expect(sum(s.byService, k), `byService ${k}`).toBe(s[k]);
    }
    expect(sum(s.byCounter, 'served')).toBe(s.served);
    expect(sum(s.byClerk, 'served')).toBe(s.served);
    expect(s.byDay.map((d) => d.issued)).toEqual([300, 300]);
    expect(s.hourly.reduce((a, h) => a + h.arrivals, 0)).toBe(600);
    const w = s.waitMinutes;
    expect(w.mean).not.toBeNull();
    expect(w.median!).toBeLessThanOrEqual(w.p90!);
    expect(w.p90!).toBeLessThanOrEqual(w.max! + 1);
    expect(w.withinLimit!).toBeGreaterThan(0);
    expect(w.withinLimit!).toBeLessThanOrEqual(1);
    expect(s.ratings.satisfaction!).toBeGreaterThan(0.5);
    expect(s.byCounter[0]).toMatchObject({ counterId: expect.any(String), name: expect.stringContaining('号窗口') });
  });

  it('names each service row\'s catalogue code, so halls compare by it (null for a hall\'s own service)', async () => {
    const first = (await statsSummary(rm1.db, { from: DAYS[0]!, to: DAYS[1]! }, labels)).byService.map((r) => r.serviceId);
    expect(first.length).toBeGreaterThan(1);
    const coded: SummaryLabels = { ...labels, catalogueCode: (id) => (id === first[0] ? '320830-SB-001' : null) };
    const s = await statsSummary(rm1.db, { from: DAYS[0]!, to: DAYS[1]! }, coded);
    expect(s.byService.map((r) => r.catalogueCode)).toEqual(first.map((id) => (id === first[0] ? '320830-SB-001' : null)));
    // Labels without codes (an older caller): every row says null.
    expect((await statsSummary(rm1.db, { from: DAYS[0]!, to: DAYS[0]! }, labels)).byService.every((r) => r.catalogueCode === null)).toBe(true);
  });

  it('a clerk sees only their own figures', async () => {
    const s = await statsSummary(rm1.db, { from: DAYS[0]!, to: DAYS[1]!, clerkId: 'clerk-3' }, labels);
    expect(s.byClerk.map((c) => c.clerkId)).toEqual(['clerk-3']);
    expect(s.issued).toBe(0);
    expect(s.served).toBe(s.byClerk[0]!.served);
    expect(s.hourly).toEqual([]);
  });

  it('a range with no data answers zeros and nulls', async () => {
    const s = await statsSummary(rm1.db, { from: '2025-01-01', to: '2025-01-31' }, labels);
    expect(s).toMatchObject({ issued: 0, served: 0, byDay: [], waitMinutes: { mean: null, median: null }, ratings: { count: 0, satisfaction: null } });
  });

  it('exports CSV with a BOM and XLSX with Chinese sheets, and prints a day report', async () => {
    const s = await statsSummary(rm1.db, { from: DAYS[0]!, to: DAYS[0]! }, labels);
    const tables = summaryTables(s);
    const csv = toCsv(tables);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    expect(text).toContain('取号数,办结数');
    expect(text).toContain('\r\n');

    const xlsx = await toXlsx(tables, '统计');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '按日', '按业务', '按窗口', '按人员', '分时段']);
    expect(wb.getWorksheet('汇总')!.getRow(2).getCell(2).value).toBe(300);

    const html = dayReportHtml(s, '示例<大厅>', '2026-12-02T08:00:00+08:00');
    expect(html).toContain('@media print');
    expect(html).toContain('示例&#60;大厅&#62;');
    expect(html).toContain('按业务');
  });
});
