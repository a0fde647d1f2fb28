/**
 * The printable day report (日报): a self-contained HTML page with a print stylesheet (A4, the
 * tables on white, no page furniture), laid out from the same tables as the exports.
 * Staff print it from the browser (打印 / Ctrl+P) or save it as PDF there.
 */
import { summaryTables } from './export-table';
import type { StatsSummary } from './stats-types';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function percent(v: number | null, header: string): string {
  if (v === null) return '—';
  return header.endsWith('率') ? `${(v * 100).toFixed(1)}%` : String(v);
}

const STYLE = `
  body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif; margin: 24px; color: #111; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 18px 0 6px; }
  .meta { color: #444; font-size: 12px; }
  table { border-collapse: collapse; width: 100%; font-size: 11px; }
  th, td { border: 1px solid #999; padding: 3px 5px; text-align: right; white-space: nowrap; }
  th:first-child, td:first-child { text-align: left; }
  th { background: #eee; }
  .sign { margin-top: 32px; display: flex; gap: 64px; font-size: 13px; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print { body { margin: 0; } th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; } h2 { break-after: avoid; } table { break-inside: auto; } tr { break-inside: avoid; } }
`;

/** The style element's content, for a Content-Security-Policy hash or nonce. */
export const DAY_REPORT_STYLE = STYLE;

export function dayReportHtml(s: StatsSummary, hallName: string, printedAt: string): string {
  const period = s.from === s.to ? s.from : `${s.from} 至 ${s.to}`;
  const tables = summaryTables(s).filter((t) => t.title !== '按日' || s.from !== s.to);
  const body = tables
    .map((t) => {
      const head = `<tr>${t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
      const rows = t.rows
        .map((r) => `<tr>${r.map((v, i) => `<td>${escapeHtml(typeof v === 'number' || v === null ? percent(v, t.headers[i] ?? '') : v)}</td>`).join('')}</tr>`)
        .join('');
      return `<h2>${escapeHtml(t.title)}</h2><table><thead>${head}</thead><tbody>${rows || `<tr><td colspan="${t.headers.length}">无数据 (no data)</td></tr>`}</tbody></table>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(hallName)} 统计日报 ${escapeHtml(period)}</title>
<style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(hallName)} 窗口服务统计报表</h1>
<div class="meta">统计期间 (period)：${escapeHtml(period)}　打印时间 (printed)：${escapeHtml(printedAt)}</div>
${body}
<div class="sign"><span>制表人：__________</span><span>审核人：__________</span></div>
</body></html>
`;
}
