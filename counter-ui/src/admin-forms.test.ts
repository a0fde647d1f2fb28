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
  serverError,
  zhFieldErrors,
  type HallForm,
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
    expect(!r.ok && r.error).toMatch(/号码前缀（prefix）/);
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
  it('creates and patches, with each service\'s weight (rule 4)', () => {
    expect(createCounterBody({ ...counterForm(), number: '7', name: '7号窗口', serviceIds: ['b', 'a'], weights: { b: '2' } })).toEqual({
      ok: true,
      value: { number: 7, name: '7号窗口', services: [{ serviceId: 'a', weight: 1 }, { serviceId: 'b', weight: 2 }], zone: null, enabled: true },
    });
    const before = counterForm({ number: 7, name: '7号窗口', services: [{ serviceId: 'a', weight: 1.5 }] });
    expect(before.weights).toEqual({ a: '1.5' });
    expect(patchCounterBody(before, { ...before, serviceIds: ['a', 'c'] })).toEqual({ ok: true, value: { services: [{ serviceId: 'a', weight: 1.5 }, { serviceId: 'c', weight: 1 }] } });
    expect(patchCounterBody(before, { ...before, weights: { a: '3' } })).toEqual({ ok: true, value: { services: [{ serviceId: 'a', weight: 3 }] } });
    const bad = patchCounterBody(before, { ...before, weights: { a: '0' } });
    expect(!bad.ok && bad.error).toMatch(/weight/);
    expect(counterForm({ serviceIds: ['x'] }).weights).toEqual({ x: '1' });
  });
});

describe('hall form', () => {
  const before = hallForm({ name: '县政务服务中心', level: 'county', hours: { open: { start: '09:00', end: '17:00' }, lunch: null, weekdays: [1, 2, 3, 4, 5], allDay: false } });
  const withHours = (h: Partial<HallForm['hours']>): HallForm => ({ ...before, hours: { ...before.hours, ...h } });
  it('sends the whole hours object when any part changed', () => {
    expect(patchHallBody(before, withHours({ lunchStart: '12:00', lunchEnd: '13:30' }))).toEqual({
      ok: true,
      value: { hours: { open: { start: '09:00', end: '17:00' }, lunch: { start: '12:00', end: '13:30' }, weekdays: [1, 2, 3, 4, 5], allDay: false } },
    });
    expect(patchHallBody(before, { ...before, name: '乡镇便民服务中心' })).toEqual({ ok: true, value: { name: '乡镇便民服务中心' } });
  });
  it('sets and clears the public address of ticket QR codes', () => {
    expect(patchHallBody(before, { ...before, publicUrl: ' http://192.0.2.10:8080/ ' })).toEqual({ ok: true, value: { publicUrl: 'http://192.0.2.10:8080' } });
    const set = hallForm({ ...before, publicUrl: 'http://192.0.2.10:8080' } as never);
    expect(set.publicUrl).toBe('http://192.0.2.10:8080');
    const bad = patchHallBody(before, { ...before, publicUrl: 'not a url' });
    expect(!bad.ok && bad.error).toMatch(/^对外访问地址（publicUrl）：/);
  });
  it('refuses half a lunch break, a lunch outside the day, no weekday and a reversed day, in Chinese', () => {
    expect(patchHallBody(before, withHours({ lunchStart: '12:00' }))).toEqual({ ok: false, error: expect.stringMatching(/^午休须同时填写/) });
    expect(patchHallBody(before, withHours({ lunchStart: '08:00', lunchEnd: '09:30' }))).toEqual({ ok: false, error: expect.stringMatching(/^午休须在办公时间之内/) });
    expect(patchHallBody(before, withHours({ weekdays: [] }))).toEqual({ ok: false, error: expect.stringMatching(/^请至少选择一个工作日/) });
    const reversed = patchHallBody(before, withHours({ openStart: '18:00' }));
    expect(!reversed.ok && reversed.error).toMatch(/^办公时间（hours\.open）：/);
  });
});

describe('service ticket hours', () => {
  const base = { ...serviceForm(), name: '不动产登记', category: '不动产', prefix: 'B' };
  it('a new service without its own hours sends no ticketHours (the hall hours apply)', () => {
    const r = createServiceBody(base);
    expect(r.ok && 'ticketHours' in r.value).toBe(false);
  });
  it('own hours with a lunch break go as ticketHours; switching back sends null', () => {
    const own = { ...base, ownHours: true, hours: { ...base.hours, openStart: '08:30', openEnd: '16:00', lunchStart: '11:30', lunchEnd: '13:00' } };
    const created = createServiceBody(own);
    expect(created.ok && created.value.ticketHours).toEqual({ open: { start: '08:30', end: '16:00' }, lunch: { start: '11:30', end: '13:00' }, weekdays: [1, 2, 3, 4, 5], allDay: false });
    const saved = serviceForm({ name: '不动产登记', category: '不动产', prefix: 'B', ticketHours: { open: { start: '08:30', end: '16:00' }, lunch: null, weekdays: [1, 2], allDay: false } });
    expect(saved.ownHours).toBe(true);
    expect(patchServiceBody(saved, { ...saved, ownHours: false })).toEqual({ ok: true, value: { ticketHours: null } });
    expect(patchServiceBody(saved, { ...saved, hours: { ...saved.hours, lunchEnd: '12:00' } }).ok).toBe(false);
  });
  it('checks the number range', () => {
    const r = createServiceBody({ ...base, numberStart: '500', numberEnd: '100' });
    expect(!r.ok && r.error).toMatch(/结束号/);
  });
});

describe('serverError', () => {
  it("says the server's refusal in Chinese, naming the field, with the code", () => {
    expect(serverError({ code: 'PROTOCOL.INVALID_PAYLOAD', message: 'address: RS-485 devices need an address' })).toBe(
      '输入内容有误：总线地址（address）：RS-485 devices need an address（PROTOCOL.INVALID_PAYLOAD）',
    );
    expect(serverError({ code: 'CONFIG.CONFLICT', message: 'the hall must keep at least one enabled admin' })).toBe('与现有设置冲突：the hall must keep at least one enabled admin（CONFIG.CONFLICT）');
    expect(serverError({ code: 'DEVICE.NOT_FOUND', message: 'no device x' })).toBe('未找到该设备（DEVICE.NOT_FOUND）');
  });
});

describe('zhFieldErrors', () => {
  it('names fields in Chinese and keeps the rule', () => {
    expect(zhFieldErrors('transport.baudRate: Too small; notices[2].text: Required')).toBe('波特率（transport.baudRate）：Too small；公告内容（notices[2].text）：Required');
    expect(zhFieldErrors('something odd')).toBe('something odd');
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
