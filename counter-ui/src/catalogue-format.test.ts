import { describe, expect, it } from 'vitest';
import type { CatalogueEntry, CatalogueItem } from '@hall/protocol';
import { EMPTY_FORM, completionText, createBody, entryState, formOf, freePrefix, materialsOf, patchBody } from './catalogue-format';

const ITEM: CatalogueItem = {
  code: '320830-SB-001',
  name: '城乡居民养老保险参保登记',
  category: '社保',
  materials: ['居民身份证原件', '户口簿'],
  completionWorkingDays: 5,
  waitLimitMinutes: 30,
  serviceLimitMinutes: 20,
  version: 2,
  updatedAt: '2026-11-26T10:00:00+08:00',
  withdrawn: false,
};

describe('catalogue format', () => {
  it('reads the materials box one per line, without bullets or blank lines', () => {
    expect(materialsOf('1. 居民身份证原件\n\n  - 户口簿 \r\n2、结婚证\n• 照片')).toEqual(['居民身份证原件', '户口簿', '结婚证', '照片']);
  });

  it('makes a create request, or says which field is wrong', () => {
    const ok = createBody({ ...EMPTY_FORM, code: ' X-1 ', name: '养老', category: '社保', materials: '身份证', completionWorkingDays: '5' });
    expect(ok).toEqual({ ok: true, body: { code: 'X-1', name: '养老', category: '社保', materials: ['身份证'], completionWorkingDays: 5, waitLimitMinutes: 30, serviceLimitMinutes: 20 } });
    const noCode = createBody({ ...EMPTY_FORM, code: '', name: '养老', category: '社保' });
    expect(noCode.ok).toBe(false);
    expect(!noCode.ok && noCode.message).toMatch(/^事项编码有误/);
    const emptied = createBody({ ...EMPTY_FORM, code: 'X', name: '养老', category: '社保', waitLimitMinutes: '' });
    expect(!emptied.ok && emptied.message).toMatch(/^等候时限有误/);
    expect(createBody({ ...EMPTY_FORM, code: 'X', name: '养老', category: '社保', completionWorkingDays: '1.5' }).ok).toBe(false);
  });

  it('patches only what changed, and nothing when nothing did', () => {
    const form = formOf(ITEM);
    expect(patchBody(ITEM, form)).toEqual({ ok: true, body: null });
    expect(patchBody(ITEM, { ...form, materials: '居民身份证原件', completionWorkingDays: '3' })).toEqual({ ok: true, body: { materials: ['居民身份证原件'], completionWorkingDays: 3 } });
    expect(patchBody(ITEM, { ...form, name: '' }).ok).toBe(false);
  });

  it('names an item state at this hall: an outdated adoption first', () => {
    const entry = (extra: Partial<CatalogueEntry>): CatalogueEntry => ({ ...ITEM, origin: 'upstream', adoptedBy: [], ...extra });
    expect(entryState(entry({}))).toBe('not-adopted');
    expect(entryState(entry({ adoptedBy: [{ serviceId: 's', name: 's', version: 2, outdated: false }] }))).toBe('adopted');
    expect(entryState(entry({ withdrawn: true, adoptedBy: [{ serviceId: 's', name: 's', version: 1, outdated: true }] }))).toBe('outdated');
    expect(entryState(entry({ withdrawn: true }))).toBe('withdrawn');
  });

  it('words and prefixes', () => {
    expect(completionText(0)).toBe('即办');
    expect(completionText(5)).toBe('5 个工作日');
    expect(freePrefix(['A', 'B', 'D'])).toBe('C');
    expect(freePrefix(Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i)))).toBeNull();
  });
});
