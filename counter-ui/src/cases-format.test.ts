import { describe, expect, it } from 'vitest';
import type { RectificationCase } from '@hall/protocol';
import { BOARD_COLUMNS, boardColumns, boardCounts, canAppeal, deadlineText, historyLine } from './cases-format';

const kase = (id: string, o: Partial<RectificationCase> = {}): RectificationCase => ({
  id,
  hallId: 'h',
  ticketId: `t-${id}`,
  ticketNumber: 'A001',
  serviceId: 'A',
  counterId: 'c1',
  clerkId: 'u1',
  score: 1,
  reasons: [],
  comment: null,
  status: 'pending',
  openedAt: '2026-12-01T10:00:00+08:00',
  deadline: '2026-12-20',
  overdue: false,
  closedAt: null,
  history: [],
  ...o,
});

describe('case board', () => {
  it('every status sits in exactly one column', () => {
    const all = BOARD_COLUMNS.flatMap((c) => c.statuses);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(['invalid', 'pending', 'rectified', 'rectifying', 'unrectifiable', 'valid']);
  });

  it('columns: overdue first, then the nearest deadline; closed newest first', () => {
    const cols = boardColumns([
      kase('p-late', { deadline: '2026-12-25' }),
      kase('p-soon', { deadline: '2026-12-10' }),
      kase('p-over', { deadline: '2026-12-01', overdue: true }),
      kase('r', { status: 'rectifying' }),
      kase('x-old', { status: 'invalid', closedAt: '2026-12-02T09:00:00+08:00' }),
      kase('x-new', { status: 'rectified', closedAt: '2026-12-05T09:00:00+08:00' }),
    ]);
    expect(cols.map((c) => [c.column.key, c.cases.map((x) => x.id)])).toEqual([
      ['pending', ['p-over', 'p-soon', 'p-late']],
      ['valid', []],
      ['rectifying', ['r']],
      ['closed', ['x-new', 'x-old']],
    ]);
    expect(boardCounts(cols.flatMap((c) => c.cases))).toEqual({ open: 4, overdue: 1 });
  });

  it.each([
    [{ status: 'pending', deadline: '2026-12-10', overdue: false }, '2026-12-03', '剩 7 天（期限 2026-12-10）', 'ok'],
    [{ status: 'valid', deadline: '2026-12-05', overdue: false }, '2026-12-03', '剩 2 天（期限 2026-12-05）', 'warn'],
    [{ status: 'rectifying', deadline: '2026-12-03', overdue: false }, '2026-12-03', '今日到期（2026-12-03）', 'warn'],
    [{ status: 'pending', deadline: '2026-12-01', overdue: true }, '2026-12-03', '已逾期 2 天（期限 2026-12-01）', 'bad'],
    [{ status: 'rectified', deadline: '2026-12-01', overdue: false }, '2026-12-03', '已办结（期限 2026-12-01）', 'done'],
  ] as const)('deadline %o on %s reads %s', (c, today, text, tone) => {
    expect(deadlineText(c, today)).toEqual({ text, tone });
  });

  it('history lines say who did what, with the note', () => {
    const names = (id: string) => (id === 'u-sup' ? '李监督' : null);
    expect(historyLine({ kind: 'transition', from: 'pending', to: 'valid', by: 'u-sup', at: '2026-12-03T10:05:00+08:00', note: '属实' }, names)).toBe(
      '2026-12-03 10:05 李监督 待核实 → 属实：属实',
    );
    expect(historyLine({ kind: 'appeal', from: null, to: null, by: 'u9', at: '2026-12-03T11:00:00+08:00', note: '群众未带材料' })).toBe('2026-12-03 11:00 u9 窗口人员申诉：群众未带材料');
    expect(historyLine({ kind: 'callback', from: null, to: null, by: 'u-sup', at: '2026-12-04T09:00:00+08:00', note: '', reached: false }, names)).toBe(
      '2026-12-04 09:00 李监督 回访（未联系上）',
    );
  });

  it('an appeal only while the case awaits its ruling', () => {
    expect(canAppeal({ status: 'pending' })).toBe(true);
    expect(canAppeal({ status: 'valid' })).toBe(false);
  });
});
