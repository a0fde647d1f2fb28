/**
 * The ticket as a list of print operations: pure, the same for every printer of a paper width
 * (the encoder decides native vs raster). Text is sanitised and wrapped here, so each text op
 * is exactly one printed line.
 */
import type { Align, PrintOp } from './print-ops';
import { PAPER, type PaperWidth, type TicketPrintJob } from './ticket-job';
import { sanitizeText, textColumns, wrapText } from './text-wrap';

export interface TicketLayoutOptions {
  paperWidth: PaperWidth;
}

/** Big-number magnification per paper: 4×4 (GS ! 0x33) on 58 mm, 5×5 (0x44) on 80 mm. */
export const TICKET_NUMBER_SIZE: Readonly<Record<PaperWidth, number>> = { 58: 4, 80: 5 };
/** QR module size in dots per paper. */
export const QR_MODULE_SIZE: Readonly<Record<PaperWidth, number>> = { 58: 6, 80: 8 };

export function layoutTicket(job: TicketPrintJob, options: TicketLayoutOptions): PrintOp[] {
  const { columns } = PAPER[options.paperWidth];
  const ops: PrintOp[] = [];
  const lines = (text: string, align: Align, size = 1, heightOnly = false, indent = 0): void => {
    ops.push({ op: 'align', align });
    ops.push({ op: 'size', width: heightOnly ? 1 : size, height: size });
    const cols = heightOnly ? columns : Math.floor(columns / size);
    for (const line of wrapText(redactIdNumbers(text), cols, indent)) ops.push({ op: 'text', text: line });
    if (size !== 1) ops.push({ op: 'size', width: 1, height: 1 });
  };
  const bold = (on: boolean): void => void ops.push({ op: 'bold', on });
  const rule = (): void => {
    ops.push({ op: 'align', align: 'left' });
    ops.push({ op: 'text', text: '-'.repeat(columns) });
  };

  bold(true);
  lines(job.hallName, 'center', 2, true);
  lines(job.serviceName, 'center');
  bold(false);
  ops.push({ op: 'feed', lines: 1 });

  const big = TICKET_NUMBER_SIZE[options.paperWidth];
  const number = sanitizeText(job.ticketNumber).trim();
  // A ticket number is short; if a long one would not fit at full size, shrink it instead of wrapping.
  const size = Math.max(1, Math.min(big, Math.floor(columns / Math.max(1, textColumns(number)))));
  bold(true);
  lines(number, 'center', size);
  bold(false);
  if (job.priorityLabel) lines(`【${job.priorityLabel}】优先`, 'center');
  ops.push({ op: 'feed', lines: 1 });

  lines(`您前面还有 ${formatCount(job.waitingAhead)} 人等候`, 'center');
  if (job.estimatedWaitMinutes !== null && Number.isFinite(job.estimatedWaitMinutes)) {
    lines(`预计等候约 ${formatCount(job.estimatedWaitMinutes)} 分钟`, 'center');
  }
  rule();
  lines(`取号时间：${job.issuedAt}`, 'left');
  if (job.maskedHolderName) lines(`取号人：${job.maskedHolderName}`, 'left');

  const materials = job.materials.map((m) => sanitizeText(m).trim()).filter((m) => m.length > 0);
  if (materials.length > 0) {
    rule();
    bold(true);
    lines('请备齐以下材料（一次性告知）：', 'left');
    bold(false);
    materials.forEach((m, i) => {
      const label = `${i + 1}. `;
      lines(label + m, 'left', 1, false, label.length);
    });
  }
  rule();

  const url = sanitizeText(job.trackUrl).trim();
  if (url) {
    ops.push({ op: 'align', align: 'center' });
    ops.push({ op: 'qr', data: url, moduleSize: QR_MODULE_SIZE[options.paperWidth], errorCorrection: 'M' });
    lines('扫码查看排队进度', 'center');
  }
  for (const footer of job.footerLines) {
    if (sanitizeText(footer).trim()) lines(footer, 'center');
  }
  ops.push({ op: 'feed', lines: 2 });
  ops.push({ op: 'cut', feed: 16 });
  return ops;
}

/**
 * A safety net: the printer is never given an ID number, but if a caller slips one into a text
 * field (a name, a note), it is masked like 1****************X before it reaches paper.
 */
export function redactIdNumbers(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g, (m) => m[0] + '*'.repeat(m.length - 2) + m[m.length - 1]);
}

function formatCount(n: number): string {
  return String(Math.max(0, Math.round(Number.isFinite(n) ? n : 0)));
}
