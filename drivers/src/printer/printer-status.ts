/**
 * DLE EOT real-time status on the driver side: the request bytes, the answer bits, and what
 * they mean for health and for a print result.
 */
import type { DeviceHealth } from '../device';

/** DLE EOT 1 (printer), 2 (offline cause), 4 (roll paper sensor), sent together. */
export const STATUS_REQUEST = Buffer.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);
export const STATUS_REQUEST_KINDS = [1, 2, 4] as const;

/** Every DLE EOT answer byte has bits 1 and 4 set and bits 0 and 7 clear; XON/XOFF never match. */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export interface PrinterStatus {
  /** DLE EOT 1 bit 3. */
  offline: boolean;
  /** DLE EOT 2 bit 2. */
  coverOpen: boolean;
  /** DLE EOT 2 bit 5, or DLE EOT 4 bits 5–6. */
  paperOut: boolean;
  /** DLE EOT 4 bits 2–3. */
  paperNearEnd: boolean;
  /** DLE EOT 2 bit 6. */
  error: boolean;
}

/** Reads the answers to DLE EOT 1, 2, 4 in that order; missing answers count as "fine". */
export function parseStatus(answers: readonly number[]): PrinterStatus {
  const [printer = 0x12, cause = 0x12, roll = 0x12] = answers;
  return {
    offline: (printer & 0x08) !== 0,
    coverOpen: (cause & 0x04) !== 0,
    paperOut: (cause & 0x20) !== 0 || (roll & 0x60) === 0x60,
    paperNearEnd: (roll & 0x0c) === 0x0c,
    error: (cause & 0x40) !== 0,
  };
}

export type PrintFailureCode = 'PRINTER.OFFLINE' | 'PRINTER.PAPER_OUT' | 'PRINTER.COVER_OPEN' | 'PRINTER.ERROR';

/** Printed, but someone should act soon. */
export type PrintWarningCode = 'PRINTER.PAPER_NEAR_END';

/**
 * Where a failed job stopped. `before-print`: nothing was sent (the printer was already out of
 * paper, open or offline). `while-printing`: the bytes were sent but the printer reported a
 * fault after the cut, or the link broke while sending: the ticket is missing or torn.
 */
export type PrintStage = 'before-print' | 'while-printing';

/**
 * What became of one job. The driver sets `stage` on every failure; it is optional only so a
 * caller answering for a printer that is not running (nothing sent) may leave it out.
 */
export type PrintResult =
  | { ok: true; warning?: PrintWarningCode }
  | { ok: false; code: PrintFailureCode; message: string; stage?: PrintStage };

export const HEALTH_DETAIL = {
  offline: '未连接 offline',
  paperOut: '缺纸 paper out',
  coverOpen: '纸仓盖打开 cover open',
  error: '打印机故障 printer error',
  /** A warning: the printer is online and prints. */
  paperNearEnd: '纸将尽 paper near end',
} as const;

/** Why the printer cannot print now, or null when it can. Paper out wins over cover open. */
export function failureOf(status: PrinterStatus, stage: PrintStage): Extract<PrintResult, { ok: false }> | null {
  if (status.paperOut) return { ok: false, code: 'PRINTER.PAPER_OUT', message: HEALTH_DETAIL.paperOut, stage };
  if (status.coverOpen) return { ok: false, code: 'PRINTER.COVER_OPEN', message: HEALTH_DETAIL.coverOpen, stage };
  if (status.error || status.offline) return { ok: false, code: 'PRINTER.ERROR', message: HEALTH_DETAIL.error, stage };
  return null;
}

/** Online with `detail` set is a warning (paper near end): shown to supervisors, still printing. */
export function healthOf(status: PrinterStatus): DeviceHealth {
  const failure = failureOf(status, 'before-print');
  if (failure) return { status: 'error', detail: failure.message };
  return { status: 'online', detail: status.paperNearEnd ? HEALTH_DETAIL.paperNearEnd : null };
}
