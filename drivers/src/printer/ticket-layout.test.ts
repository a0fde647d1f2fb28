import { describe, expect, it } from 'vitest';
import type { PrintOp } from './print-ops';
import { exampleTicketJob, PAPER, type PaperWidth } from './ticket-job';
import { layoutTicket, redactIdNumbers } from './ticket-layout';
import { textColumns } from './text-wrap';

function textsOf(ops: PrintOp[]): string[] {
  return ops.flatMap((o) => (o.op === 'text' ? [o.text] : []));
}

/** Replays size ops to check each text op fits the paper at its magnification. */
function widestOverflow(ops: PrintOp[], paper: PaperWidth): number {
  let width = 1;
  let worst = -Infinity;
  for (const o of ops) {
    if (o.op === 'size') width = o.width;
    if (o.op === 'text') worst = Math.max(worst, textColumns(o.text) * width - PAPER[paper].columns);
  }
  return worst;
}

describe('layoutTicket', () => {
  const job = exampleTicketJob({ priorityLabel: '老年人' });

  it.each([58, 80] as const)('fits every line on %i mm paper', (paper) => {
    const long = exampleTicketJob({
      hallName: '青山县某某镇人民政府便民服务中心（综合受理窗口）',
      materials: ['本人有效身份证件原件及复印件一份，如委托他人代为办理的，还需提供授权委托书及受托人身份证原件', 'A very long English material name that must wrap somewhere sensible'],
    });
    expect(widestOverflow(layoutTicket(long, { paperWidth: paper }), paper)).toBeLessThanOrEqual(0);
  });

  it('prints the big number at 4×4 on 58 mm and 5×5 on 80 mm', () => {
    for (const [paper, size] of [[58, 4], [80, 5]] as const) {
      const ops = layoutTicket(job, { paperWidth: paper });
      const i = ops.findIndex((o) => o.op === 'text' && o.text === 'A001');
      const sizeOp = ops.slice(0, i).reverse().find((o) => o.op === 'size');
      expect(sizeOp).toEqual({ op: 'size', width: size, height: size });
    }
  });

  it('has the service, wait, time, masked name, materials, QR, footer and a cut, in order', () => {
    const ops = layoutTicket(job, { paperWidth: 58 });
    const texts = textsOf(ops);
    const order = ['青山县政务服务中心', '社会保障业务', 'A001', '【老年人】优先', '您前面还有 3 人等候', '预计等候约 12 分钟', '取号时间：2024-05-06 09:31', '取号人：张*三', '请备齐以下材料（一次性告知）：', '1. 本人身份证原件及复印件', '2. 户口簿原件', '3. 近期一寸免冠照片两张', '扫码查看排队进度', '请留意叫号 过号请重新取号', '咨询电话 0123-4567890'];
    let last = -1;
    for (const t of order) {
      const at = texts.indexOf(t);
      expect(at, t).toBeGreaterThan(last);
      last = at;
    }
    expect(ops.filter((o) => o.op === 'qr')).toEqual([{ op: 'qr', data: job.trackUrl, moduleSize: 6, errorCorrection: 'M' }]);
    expect(ops[ops.length - 1]?.op).toBe('cut');
  });

  it('leaves out what the job does not have', () => {
    const texts = textsOf(layoutTicket(exampleTicketJob({ priorityLabel: null, estimatedWaitMinutes: null, maskedHolderName: null, materials: [] }), { paperWidth: 58 }));
    expect(texts.some((t) => t.includes('优先'))).toBe(false);
    expect(texts.some((t) => t.includes('预计'))).toBe(false);
    expect(texts.some((t) => t.includes('取号人'))).toBe(false);
    expect(texts.some((t) => t.includes('一次性告知'))).toBe(false);
  });

  it('numbers materials with a hanging indent', () => {
    const texts = textsOf(layoutTicket(exampleTicketJob({ materials: ['本人有效身份证件原件及复印件一份，委托办理的另需授权委托书', '照片'] }), { paperWidth: 58 }));
    const first = texts.findIndex((t) => t.startsWith('1. '));
    expect(texts[first + 1]?.startsWith('   ')).toBe(true);
    expect(texts).toContain('2. 照片');
  });

  it('uses full-width rules of 32 and 48 columns', () => {
    expect(textsOf(layoutTicket(job, { paperWidth: 58 }))).toContain('-'.repeat(32));
    expect(textsOf(layoutTicket(job, { paperWidth: 80 }))).toContain('-'.repeat(48));
  });

  it('strips control codes from caller text so they cannot become commands', () => {
    const texts = textsOf(layoutTicket(exampleTicketJob({ materials: ['身份证\x1dV\x42\x00原件'] }), { paperWidth: 58 }));
    expect(texts.join('')).not.toMatch(/[\x00-\x1f]/);
    expect(texts).toContain('1. 身份证VB原件');
  });

  it('masks anything shaped like an ID number', () => {
    expect(redactIdNumbers('张三 11010519491231002X')).toBe('张三 1****************X');
    expect(redactIdNumbers('电话 13800138000')).toBe('电话 13800138000');
    const texts = textsOf(layoutTicket(exampleTicketJob({ maskedHolderName: '110105194912310021' }), { paperWidth: 58 }));
    expect(texts.join('\n')).not.toContain('110105194912310021');
  });
});
