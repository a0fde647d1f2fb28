/**
 * The summary as tables with Chinese headers: what both exports (CSV, XLSX) and the printed day
 * report lay out. One table per dimension; every row has the same figure columns.
 */
import type { StatsFigures, StatsSummary } from './stats-types';

export interface ExportTable {
  /** Sheet name / section title. */
  title: string;
  headers: string[];
  rows: Array<Array<string | number | null>>;
}

export const FIGURE_HEADERS = [
  '取号数',
  '办结数',
  '过号数',
  '转移数',
  '取消数',
  '作废数',
  '平均等候(分钟)',
  '等候中位数(分钟)',
  '等候P90(分钟)',
  '最长等候(分钟)',
  '等候达标率',
  '平均办理(分钟)',
  '办理中位数(分钟)',
  '办理P90(分钟)',
  '最长办理(分钟)',
  '办理达标率',
  '评价数',
  '满意率',
];

export function figureCells(f: StatsFigures): Array<number | null> {
  return [
    f.issued,
    f.served,
    f.noShow,
    f.transferred,
    f.cancelled,
    f.expired,
    f.waitMinutes.mean,
    f.waitMinutes.median,
    f.waitMinutes.p90,
    f.waitMinutes.max,
    f.waitMinutes.withinLimit,
    f.serviceMinutes.mean,
    f.serviceMinutes.median,
    f.serviceMinutes.p90,
    f.serviceMinutes.max,
    f.serviceMinutes.withinLimit,
    f.ratings.count,
    f.ratings.satisfaction,
  ];
}

export function summaryTables(s: StatsSummary): ExportTable[] {
  return [
    { title: '汇总', headers: ['统计期间', ...FIGURE_HEADERS], rows: [[`${s.from} 至 ${s.to}`, ...figureCells(s)]] },
    { title: '按日', headers: ['日期', ...FIGURE_HEADERS], rows: s.byDay.map((r) => [r.day, ...figureCells(r)]) },
    { title: '按业务', headers: ['业务', '事项编码', ...FIGURE_HEADERS], rows: s.byService.map((r) => [r.name, r.catalogueCode ?? '', ...figureCells(r)]) },
    {
      title: '按窗口',
      headers: ['窗口号', '窗口', ...FIGURE_HEADERS],
      rows: s.byCounter.map((r) => [r.number, r.name, ...figureCells(r)]),
    },
    { title: '按人员', headers: ['工号', '姓名', ...FIGURE_HEADERS], rows: s.byClerk.map((r) => [r.staffNo, r.name, ...figureCells(r)]) },
    { title: '分时段', headers: ['时段', '取号数', '办结数'], rows: s.hourly.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.arrivals, h.served]) },
  ];
}
