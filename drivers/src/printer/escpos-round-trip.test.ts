import fc from 'fast-check';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { canPrintText } from './charset';
import { encodeTicketOps, type EscposEncoderOptions } from './escpos-encoder';
import { EscposDecoder } from './escpos-decoder';
import { PaperModel, type PrintedTicket } from './printed-ticket';
import { getDot, countDots } from './raster-image';
import { layoutTicket } from './ticket-layout';
import { exampleTicketJob, type TicketPrintJob } from './ticket-job';

function printAndRead(job: TicketPrintJob, options: Partial<EscposEncoderOptions> = {}, chunk = 0): PrintedTicket[] {
  const o: EscposEncoderOptions = { paperWidth: 58, qrMode: 'native', charset: 'gb2312', ...options };
  const bytes = encodeTicketOps(layoutTicket(job, { paperWidth: o.paperWidth }), o);
  const tickets: PrintedTicket[] = [];
  const paper = new PaperModel(o.paperWidth === 58 ? 32 : 48, (t) => tickets.push(t));
  const decoder = new EscposDecoder();
  const step = chunk || bytes.length;
  for (let i = 0; i < bytes.length; i += step) for (const c of decoder.push(bytes.subarray(i, i + step))) paper.apply(c);
  return tickets;
}

describe('encode → independent decode', () => {
  const job = exampleTicketJob({ priorityLabel: '老年人' });

  it.each([58, 80] as const)('reads back the text, the big number and the QR URL (%i mm)', (paperWidth) => {
    const [ticket, ...more] = printAndRead(job, { paperWidth });
    expect(more).toEqual([]);
    expect(ticket?.cut).toBe('partial');
    const lines = ticket?.textLines ?? [];
    for (const t of ['青山县政务服务中心', '社会保障业务', 'A001', '【老年人】优先', '您前面还有 3 人等候', '取号人：张*三', '1. 本人身份证原件及复印件', '咨询电话 0123-4567890']) {
      expect(lines).toContain(t);
    }
    const number = ticket?.lines.find((l) => l.kind === 'text' && l.text === 'A001');
    expect(number).toMatchObject({ align: 'center', bold: true, width: paperWidth === 58 ? 4 : 5, height: paperWidth === 58 ? 4 : 5 });
    expect(ticket?.lines.find((l) => l.kind === 'text' && l.text === '取号人：张*三')).toMatchObject({ width: 1, height: 1, align: 'left' });
    expect(ticket?.qrCodes).toEqual([job.trackUrl]);
    expect(ticket?.lines.find((l) => l.kind === 'qr')).toMatchObject({ moduleSize: paperWidth === 58 ? 6 : 8, errorCorrection: 'M', align: 'center' });
    expect(ticket?.images).toEqual([]);
    expect(ticket?.text).toContain('A001');
  });

  it('survives one-byte chunks', () => {
    expect(printAndRead(job, {}, 1)[0]?.textLines).toEqual(printAndRead(job)[0]?.textLines);
  });

  it('prints an out-of-charset name as a raster line, never as "?"', () => {
    const [ticket] = printAndRead(exampleTicketJob({ maskedHolderName: '王*䶮' }));
    const all = ticket?.textLines.join('\n') ?? '';
    expect(all).not.toContain('取号人');
    expect(all).not.toContain('?');
    expect(all).not.toContain('\uFFFD');
    expect(ticket?.images).toHaveLength(1);
    const image = ticket?.images[0];
    expect(image).toMatchObject({ widthDots: 384, height: 30, align: 'left' });
    expect(countDots({ widthDots: image?.widthDots ?? 0, height: image?.height ?? 0, data: image?.data ?? new Uint8Array() })).toBeGreaterThan(200);
    // Left-aligned: ink in the left part of the line only (7 characters = 14 columns = 168 dots).
    const img = { widthDots: 384, height: 30, data: image?.data ?? new Uint8Array() };
    let rightmost = 0;
    for (let y = 0; y < 30; y++) for (let x = 0; x < 384; x++) if (getDot(img, x, y)) rightmost = Math.max(rightmost, x);
    expect(rightmost).toBeLessThan(14 * 12);
  });

  it('prints the same name as text on a GB18030 printer; 𠮷 and emoji still as raster', () => {
    expect(printAndRead(exampleTicketJob({ maskedHolderName: '王*䶮' }), { charset: 'gb18030' })[0]?.textLines).toContain('取号人：王*䶮');
    const [ticket] = printAndRead(exampleTicketJob({ maskedHolderName: '吉*𠮷', footerLines: ['祝您办事顺利😀'] }), { charset: 'gb18030' });
    expect(ticket?.images).toHaveLength(2);
    expect(ticket?.images[1]?.align).toBe('center');
  });

  it('qrMode raster: the image carries exactly the QR matrix of the tracking URL', () => {
    const [ticket] = printAndRead(job, { qrMode: 'raster' });
    expect(ticket?.qrCodes).toEqual([]);
    const image = ticket?.images[0];
    expect(image).toBeDefined();
    if (!image) return;
    const img = { widthDots: image.widthDots, height: image.height, data: image.data };
    const matrix = QRCode.create(job.trackUrl, { errorCorrectionLevel: 'M' }).modules;
    // Find the symbol's bounding box, derive the module size, sample every module's centre.
    let minX = Infinity, minY = Infinity, maxX = -1;
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.widthDots; x++) if (getDot(img, x, y)) {
      minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x);
    }
    const module = (maxX - minX + 1) / matrix.size;
    expect(module).toBe(6);
    expect(Math.abs(minX + (maxX - minX) / 2 - 192)).toBeLessThanOrEqual(4); // centred on the paper
    for (let r = 0; r < matrix.size; r++) {
      for (let c = 0; c < matrix.size; c++) {
        const dot = getDot(img, minX + c * module + module / 2, minY + r * module + module / 2);
        expect(dot, `module ${r},${c}`).toBe(matrix.get(r, c) === 1);
      }
    }
  });

  it('property: any text the layout produces comes back identical, or as one image per line', () => {
    const piece = fc.constantFrom('社', '保', '业', '务', '，', 'A', 'b', '9', ' ', '䶮', '𠮷', '😀', '(', '）', '·', 'é');
    const text = fc.array(piece, { minLength: 1, maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, fc.array(text, { maxLength: 3 }), fc.constantFrom(58, 80), fc.constantFrom('gb2312', 'gb18030'), (hall, name, materials, paperWidth, charset) => {
        const j = exampleTicketJob({ hallName: hall, maskedHolderName: name, materials });
        const ops = layoutTicket(j, { paperWidth });
        const texts = ops.flatMap((o) => (o.op === 'text' ? [o.text] : []));
        const [ticket] = printAndRead(j, { paperWidth, charset });
        const printable = texts.filter((t) => canPrintText(t, charset));
        expect(ticket?.textLines.filter((t) => t !== '')).toEqual(printable.filter((t) => t !== ''));
        expect(ticket?.images).toHaveLength(texts.length - printable.length);
      }),
      { numRuns: 60 },
    );
  });
});
