/** XLSX export (exceljs): one sheet per table, Chinese headers, bold frozen header row. */
import type { ExportTable } from './export-table';

export async function toXlsx(tables: readonly ExportTable[], title: string): Promise<Buffer> {
  // Loaded on the first export, not with the server: exceljs is ~17 MB of the hall's RSS.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Hall';
  wb.title = title;
  for (const t of tables) {
    const ws = wb.addWorksheet(t.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(t.headers).font = { bold: true };
    for (const r of t.rows) ws.addRow(r);
    ws.columns.forEach((c, i) => {
      c.width = Math.max(10, Math.min(24, (t.headers[i]?.length ?? 4) * 2 + 2));
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
