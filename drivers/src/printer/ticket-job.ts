/**
 * What the hall server hands the printer for one queue ticket. Everything is display-ready:
 * the caller formats times and masks the holder's name; the printer never sees an ID number.
 */
export interface TicketPrintJob {
  /** 县政务服务中心, 某某镇便民服务中心… */
  hallName: string;
  serviceName: string;
  /** "A001" */
  ticketNumber: string;
  /** "老年人", "军人", "预约" … or null for a normal ticket. */
  priorityLabel: string | null;
  /** Tickets the policy would call before this one. */
  waitingAhead: number;
  estimatedWaitMinutes: number | null;
  /** Already formatted by the caller, e.g. "2024-05-06 09:31". */
  issuedAt: string;
  /** QR content: the phone tracking page. */
  trackUrl: string;
  /** 一次性告知: materials to bring, printed as a numbered list. */
  materials: readonly string[];
  /** Already masked (张*三); never an ID number. */
  maskedHolderName: string | null;
  /** e.g. "请留意叫号 过号请重新取号", "咨询电话 0123-1234567". */
  footerLines: readonly string[];
}

export type PaperWidth = 58 | 80;

/** Text columns (12-dot ASCII cells; a CJK character takes two) and dots across the paper. */
export const PAPER: Readonly<Record<PaperWidth, { columns: number; dots: number }>> = {
  58: { columns: 32, dots: 384 },
  80: { columns: 48, dots: 576 },
};

/** A plausible job for demos, benchmarks and tests (no real person). */
export function exampleTicketJob(overrides: Partial<TicketPrintJob> = {}): TicketPrintJob {
  return {
    hallName: '青山县政务服务中心',
    serviceName: '社会保障业务',
    ticketNumber: 'A001',
    priorityLabel: null,
    waitingAhead: 3,
    estimatedWaitMinutes: 12,
    issuedAt: '2024-05-06 09:31',
    trackUrl: 'http://192.168.1.10:8080/ticket/7f3a9c2e1b',
    materials: ['本人身份证原件及复印件', '户口簿原件', '近期一寸免冠照片两张'],
    maskedHolderName: '张*三',
    footerLines: ['请留意叫号 过号请重新取号', '咨询电话 0123-4567890'],
    ...overrides,
  };
}
