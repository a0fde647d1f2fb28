/**
 * The printer-neutral plan of a ticket: what the layout decides and the encoder turns into
 * bytes. Text ops are single printed lines, already wrapped to the paper.
 */
export type Align = 'left' | 'center' | 'right';
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export type PrintOp =
  | { op: 'align'; align: Align }
  /** Character magnification 1–8 across and down (both ASCII and CJK). */
  | { op: 'size'; width: number; height: number }
  | { op: 'bold'; on: boolean }
  /** One line; it fits the paper at the current size. The encoder ends it. */
  | { op: 'text'; text: string }
  /** moduleSize in dots (1–16). */
  | { op: 'qr'; data: string; moduleSize: number; errorCorrection: QrErrorCorrection }
  | { op: 'feed'; lines: number }
  /** Partial cut after feeding the last line past the cutter plus `feed` motion units. */
  | { op: 'cut'; feed: number };
