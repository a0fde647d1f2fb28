import { describe, expect, it } from 'vitest';
import { Service, type CatalogueItem } from '@hall/protocol';
import { adoptable, adoptedFields, catalogueEntries, createItem, effectiveItems, patchItem } from './catalogue-items';

const AT = '2026-11-26T10:00:00+08:00';
const item = (code: string, extra: Partial<CatalogueItem> = {}): CatalogueItem => ({
  code,
  name: `事项${code}`,
  category: '社保',
  materials: ['身份证'],
  completionWorkingDays: 5,
  waitLimitMinutes: 30,
  serviceLimitMinutes: 20,
  version: 1,
  updatedAt: AT,
  withdrawn: false,
  ...extra,
});
const service = (id: string, catalogueCode: string | null, catalogueVersion: number | null) =>
  Service.parse({ id, name: id, category: '社保', prefix: 'A', catalogueCode, catalogueVersion });

describe('catalogue items', () => {
  it('creates version 1 with defaults, and refuses a code used here or upstream', () => {
    const r = createItem([], [], { code: 'X1', name: '养老', category: '社保' }, AT);
    expect(r).toEqual({ ok: true, value: { code: 'X1', name: '养老', category: '社保', materials: [], completionWorkingDays: 0, waitLimitMinutes: 30, serviceLimitMinutes: 20, version: 1, updatedAt: AT, withdrawn: false } });
    expect(createItem([item('X1')], [], { code: 'X1', name: 'a', category: 'b' }, AT)).toMatchObject({ ok: false, error: { code: 'CONFIG.CONFLICT' } });
    expect(createItem([], [item('X1')], { code: 'X1', name: 'a', category: 'b' }, AT)).toMatchObject({ ok: false, error: { code: 'CONFIG.CONFLICT' } });
  });

  it('bumps the version only when a patch changes something', () => {
    const i = item('X1');
    expect(patchItem(i, { materials: ['身份证'] }, 'later')).toBe(i);
    expect(patchItem(i, { materials: ['户口簿'], name: `事项X1` }, 'later')).toMatchObject({ version: 2, updatedAt: 'later', materials: ['户口簿'] });
  });

  it('offers the upstream items first, then local ones with other codes', () => {
    const eff = effectiveItems([item('L1'), item('U1', { name: 'local copy' })], [item('U1'), item('U2')]);
    expect(eff.map((i) => [i.code, i.origin, i.name])).toEqual([
      ['U1', 'upstream', '事项U1'],
      ['U2', 'upstream', '事项U2'],
      ['L1', 'local', '事项L1'],
    ]);
  });

  it('lists adopting services and flags those behind the item', () => {
    const entries = catalogueEntries([], [item('U1', { version: 3 })], [service('a', 'U1', 3), service('b', 'U1', 2), service('c', null, null)]);
    expect(entries[0]?.adoptedBy).toEqual([
      { serviceId: 'a', name: 'a', version: 3, outdated: false },
      { serviceId: 'b', name: 'b', version: 2, outdated: true },
    ]);
  });

  it('adopts what is offered; a withdrawn item only refreshes services already carrying it', () => {
    expect(adoptable(undefined, 'X', null)).toMatchObject({ ok: false, error: { code: 'CATALOGUE.NOT_FOUND' } });
    const w = item('W', { withdrawn: true });
    expect(adoptable(w, 'W', null)).toMatchObject({ ok: false, error: { code: 'CONFIG.CONFLICT' } });
    expect(adoptable(w, 'W', 'W').ok).toBe(true);
    const fields = adoptedFields(item('U1', { version: 4 }));
    expect(fields).toEqual({ name: '事项U1', category: '社保', materials: ['身份证'], completionWorkingDays: 5, waitLimitMinutes: 30, serviceLimitMinutes: 20, catalogueCode: 'U1', catalogueVersion: 4 });
    // What an adoption sets is a valid service.
    expect(Service.safeParse({ id: 's', prefix: 'B', ...fields }).success).toBe(true);
  });
});
