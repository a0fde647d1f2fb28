/**
 * Ticket printer: layout, ESC/POS encoder, independent decoder, driver and simulator.
 * Generic names are exported with a printer prefix so `export *` from drivers/src/index.ts
 * cannot collide with the other device folders.
 */
export { exampleTicketJob, PAPER as TICKET_PAPER, type PaperWidth, type TicketPrintJob } from './ticket-job';
export type { Align as TicketAlign, PrintOp as TicketPrintOp, QrErrorCorrection } from './print-ops';
export { layoutTicket, redactIdNumbers, QR_MODULE_SIZE, TICKET_NUMBER_SIZE, type TicketLayoutOptions } from './ticket-layout';
export { wrapText as wrapTicketText, textColumns as ticketTextColumns } from './text-wrap';
export { canPrintText as printerCanPrintText, type PrinterCharset } from './charset';
export type { RasterImage as TicketRasterImage } from './raster-image';
export {
  ensureTicketFont,
  missingGlyphs,
  rasterizeTextLine,
  setTicketFontFinder,
  warmUpTextRaster,
  DEFAULT_TICKET_FONT,
  type TextRasterOptions,
} from './text-raster';
export { fontconfigFinder, systemFontFinder, windowsFontFinder, type FontFinder } from './font-finder';
export { rasterizeQr, type QrRasterOptions } from './qr-raster';
export { cmd as escposCommands, encodeTicketOps, type EscposEncoderOptions, type QrMode } from './escpos-encoder';
export { EscposDecoder, type DecodedCommand as EscposDecodedCommand, type EscposDecoderOptions } from './escpos-decoder';
export { PaperModel as PrintedPaperModel, type PaperAlign, type PrintedLine, type PrintedTicket } from './printed-ticket';
export {
  HEALTH_DETAIL as PRINTER_HEALTH_DETAIL,
  parseStatus as parsePrinterStatus,
  STATUS_REQUEST as PRINTER_STATUS_REQUEST,
  type PrinterStatus,
  type PrintFailureCode,
  type PrintResult,
  type PrintStage,
  type PrintWarningCode,
} from './printer-status';
export {
  EscposTicketPrinter,
  type EscposTicketPrinterEvents,
  type EscposTicketPrinterOptions,
  type PrintTiming,
} from './escpos-ticket-printer';
export {
  SimulatedTicketPrinter,
  type MidTicketFault,
  type SimulatedPrinterState,
  type SimulatedTicketPrinterEvents,
  type SimulatedTicketPrinterOptions,
} from './simulated-ticket-printer';
export { measurePrintLatency, type PrintLatency } from './print-latency';
