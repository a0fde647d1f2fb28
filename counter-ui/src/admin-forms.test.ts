import { describe, expect, it } from 'vitest';
import {
  changedFields,
  counterForm,
  createCounterBody,
  createServiceBody,
  createTerminalBody,
  createUserBody,
  hallForm,
  patchCounterBody,
  patchHallBody,
  patchServiceBody,
  serviceForm,
  terminalUrl,
} from './admin-forms';

describe('changedFields', () => {
  it('keeps only what changed', () => {
    expect(changedFields({ a: 1, b: [1, 2], c: 'x' }, { a: 1, b: [1, 3], c: 'y' })).toEqual({ b: [1, 3], c: 'y' });
    expect(changedFields({ a: 1 }, { a: undefined as unknown as number })).toEqual({});
  });
});

describe('service form', () => {
  it('builds a create body with materials as lines and upper-case prefix', () => {
    const f = { ...serviceForm(), name: '社保业务', category: '社保', prefix: 'a', materials: '身份证原件\n\n 户口簿 \n', dailyQuota: '200' };
    expect(createServiceBody(f)).toEqual({
      ok: true,
      value: { name: '社保业务', category: '社保', prefix: 'A', materials: ['身份证原件', '户口簿'], dailyQuota: 200, idRequired: false, enabled: true },
    });
  });
  it('reports a bad field by name', () => {
    const r = createServiceBody({ ...serviceForm(), name: 'x', category: 'y', prefix: 'A1' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/prefix/);
    const q = createServiceBody({ ...serviceForm(), name: 'x', category: 'y', prefix: 'A', dailyQuota: 'abc' });
    expect(!q.ok && q.error).toMatch(/dailyQuota/);
  });
  it('patches only the changed fields', () => {
    const before = serviceForm({ name: '社保', category: '社保', prefix: 'A', waitLimitMinutes: 30, materials: ['身份证'] });
    const r = patchServiceBody(before, { ...before, waitLimitMinutes: '45', materials: '身份证\n照片' });
    expect(r).toEqual({ ok: true, value: { waitLimitMinutes: 45, materials: ['身份证', '照片'] } });
  });
});

describe('counter form', () => {
  it('creates and patches', () => {
    expect(createCounterBody({ ...counterForm(), number: '7', name: '7号窗口', serviceIds: ['b', 'a'] })).toEqual({
      ok: true,
      value: { number: 7, name: '7号窗口', serviceIds: ['a', 'b'], zone: null, enabled: true },
    });
    const before = counterForm({ number: 7, name: '7号窗口', serviceIds: ['a'] });
    expect(patchCounterBody(before, { ...before, serviceIds: ['a', 'c'] })).toEqual({ ok: true, value: { serviceIds: ['a', 'c'] } });
  });
});

describe('hall form', () => {
  const before = hallForm({ name: '县政务服务中心', level: 'county', hours: { open: { start: '09:00', end: '17:00' }, lunch: null, weekdays: [1, 2, 3, 4, 5], allDay: false } });
  it('sends the whole hours object when any part changed', () => {
    expect(patchHallBody(before, { ...before, lunchStart: '12:00', lunchEnd: '13:30' })).toEqual({
      ok: true,
      value: { hours: { open: { start: '09:00', end: '17:00' }, lunch: { start: '12:00', end: '13:30' }, weekdays: [1, 2, 3, 4, 5], allDay: false } },
    });
    expect(patchHallBody(before, { ...before, name: '乡镇便民服务中心' })).toEqual({ ok: true, value: { name: '乡镇便民服务中心' } });
  });
  it('refuses half a lunch break and a reversed day', () => {
    expect(patchHallBody(before, { ...before, lunchStart: '12:00' }).ok).toBe(false);
    expect(patchHallBody(before, { ...before, openStart: '18:00' }).ok).toBe(false);
  });
});

describe('users and terminals', () => {
  it('checks the user and terminal bodies', () => {
    expect(createUserBody({ username: 'li', name: '李四', staffNo: 'C02', role: 'clerk', password: 'short' }).ok).toBe(false);
    expect(createUserBody({ username: 'li', name: '李四', staffNo: 'C02', role: 'clerk', password: 'long-enough-1' }).ok).toBe(true);
    expect(createTerminalBody({ kind: 'kiosk', name: '大厅取号机 2', zone: '' })).toEqual({ ok: true, value: { kind: 'kiosk', name: '大厅取号机 2', zone: null } });
    expect(terminalUrl('http://10.0.0.2:8080/', 'kiosk', 'a b')).toBe('http://10.0.0.2:8080/kiosk?token=a%20b');
  });
});
