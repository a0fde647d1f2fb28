/**
 * The doctor's findings as a page (`GET /api/doctor/report`): what the hall keeper sees from the
 * admin console, the same checks `hall-server doctor` prints, errors first. Self-contained (one
 * style element, no script), so it opens in a new tab and prints.
 */
import type { Finding, FindingLevel } from './doctor';

export const DOCTOR_PAGE_STYLE = [
  'body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:24px;color:#111;background:#fff;font-size:18px}',
  'h1{font-size:26px;margin:0 0 4px}',
  '.summary{font-size:20px;margin:12px 0 20px;padding:12px 16px;border-radius:6px}',
  '.summary.good{background:#e6f4ea}.summary.bad{background:#fdecea}',
  'table{border-collapse:collapse;width:100%}',
  'td{border-bottom:1px solid #ccc;padding:10px 8px;vertical-align:top}',
  '.level{white-space:nowrap;font-weight:bold}',
  '.error .level{color:#b00020}.warn .level{color:#8a5a00}.ok .level{color:#1e6b2e}.info .level{color:#444}',
  '.todo{margin-top:6px;color:#333}',
  '.check{color:#666;font-size:14px}',
].join('');

const LABEL: Record<FindingLevel, string> = { error: '错误 Error', warn: '注意 Warning', info: '提示 Info', ok: '正常 OK' };
const ORDER: Record<FindingLevel, number> = { error: 0, warn: 1, info: 2, ok: 3 };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface DoctorReport {
  /** Hall time of the check (ISO 8601 with the hall's offset). */
  checkedAt: string;
  findings: Finding[];
}

/** The JSON answer of `GET /api/doctor`: the findings plus counts a console can show at a glance. */
export function doctorSummary(r: DoctorReport): DoctorReport & { errors: number; warnings: number } {
  return { ...r, errors: r.findings.filter((f) => f.level === 'error').length, warnings: r.findings.filter((f) => f.level === 'warn').length };
}

export function doctorPageHtml(r: DoctorReport, hallName: string): string {
  const s = doctorSummary(r);
  const sorted = [...r.findings].sort((a, b) => ORDER[a.level] - ORDER[b.level]);
  const rows = sorted
    .map(
      (f) =>
        `<tr class="${f.level}"><td class="level">${LABEL[f.level]}</td><td>${escapeHtml(f.found)}${f.todo ? `<div class="todo">处理 / To do: ${escapeHtml(f.todo)}</div>` : ''}<div class="check">${escapeHtml(f.check)}</div></td></tr>`,
    )
    .join('');
  const summary = s.errors + s.warnings === 0 ? '一切正常 / All good' : `${s.errors} 个错误，${s.warnings} 个注意事项 / ${s.errors} error(s), ${s.warnings} warning(s)`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>系统体检 Health check — ${escapeHtml(hallName)}</title><style>${DOCTOR_PAGE_STYLE}</style></head><body><h1>系统体检 <small>Health check</small></h1><div>${escapeHtml(hallName)} · ${escapeHtml(r.checkedAt)}</div><div class="summary ${s.errors + s.warnings === 0 ? 'good' : 'bad'}">${summary}</div><table><tbody>${rows}</tbody></table></body></html>`;
}
