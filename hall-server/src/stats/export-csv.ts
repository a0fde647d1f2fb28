/**
 * CSV export: UTF-8 with a byte-order mark (so WPS and Excel open the Chinese right), CRLF
 * lines, every table one after another with its title line between.
 */
import type { ExportTable } from './export-table';

const BOM = '\uFEFF';

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // Quote what would break the line, and what a spreadsheet would run as a formula.
  const guarded = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function toCsv(tables: readonly ExportTable[]): Buffer {
  const lines: string[] = [];
  for (const [i, t] of tables.entries()) {
    if (i > 0) lines.push('');
    lines.push(cell(t.title));
    lines.push(t.headers.map(cell).join(','));
    for (const r of t.rows) lines.push(r.map(cell).join(','));
  }
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}
