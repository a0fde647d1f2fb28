/** The booking page's steps with a fake server (issue 16); the route to it. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '@hall/protocol';
import { createBookingStore, type Request } from './booking-store';
import { parseRoute } from './route';

const service = { id: 'svc-social', name: '社保', nameEn: 'Social insurance', category: '社保', slotMinutes: 30, materials: [] };
const slot = { start: '2026-11-26T10:00:00+08:00', end: '2026-11-26T10:30:00+08:00', capacity: 2, booked: 1, open: true };
const booked = { id: 'b1', code: '1234567890', serviceId: 'svc-social', serviceName: '社保', start: slot.start, end: slot.end, name: '张*三', checkInFrom: '', checkInUntil: '', cancelUntil: '' };

function fakeServer(overrides: Record<string, () => unknown> = {}) {
  const calls: Array<{ method: string; path: string; body?: unknown }> = [];
  const request: Request = async (method, path, body) => {
    calls.push(body === undefined ? { method, path } : { method, path, body });
    const key = `${method} ${path.split('?')[0]}`;
    const answer = overrides[key] ?? DEFAULTS[key];
    if (!answer) throw new ApiError({ code: 'ROUTE.NOT_FOUND', message: key }, 404);
    return answer() as never;
  };
  return { calls, request };
}
const DEFAULTS: Record<string, () => unknown> = {
  'GET /api/appointments/services': () => ({ hallName: '大厅', today: '2026-11-26', services: [service], days: ['2026-11-26'], rules: {} }),
  'GET /api/appointments/days': () => [{ date: '2026-11-26', open: true, capacity: 2, booked: 1, free: 1 }],
  'GET /api/appointments/slots': () => [slot],
  'POST /api/appointments': () => booked,
  'GET /api/appointments/1234567890': () => ({ ...booked, status: 'booked' }),
  'DELETE /api/appointments/1234567890': () => undefined,
};
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the booking page (issue 16)', () => {
  it('service → day → slot → form → code; the form is checked before sending and cleared after', async () => {
    const srv = fakeServer();
    const b = createBookingStore(null, srv.request);
    await b.start();
    expect(b.step.value.kind).toBe('services');
    await b.chooseService(service);
    await b.chooseDay(service, '2026-11-26');
    b.chooseSlot(service, slot);
    await b.submit();
    expect(srv.calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect(b.showProblems.value).toBe(true);
    b.setField('name', ' 张小三 ');
    b.setField('idNumber', '110105199001010010');
    await b.submit();
    expect(srv.calls.at(-1)).toEqual({ method: 'POST', path: '/api/appointments', body: { serviceId: 'svc-social', start: slot.start, name: '张小三', idNumber: '110105199001010010' } });
    expect(b.step.value).toEqual({ kind: 'done', booked });
    expect(b.form.value.idNumber).toBe('');
  });

  it('a slot taken meanwhile: back to the day, counted again, with the reason', async () => {
    const srv = fakeServer({
      'POST /api/appointments': () => {
        throw new ApiError({ code: 'APPOINTMENT.SLOT_FULL', message: 'full' }, 409);
      },
    });
    const b = createBookingStore(null, srv.request);
    await b.start();
    b.chooseSlot(service, slot);
    b.setField('name', '张三');
    b.setField('idNumber', '110105199001010010');
    await b.submit();
    expect(b.step.value.kind).toBe('slots');
    expect(b.error.value?.code).toBe('APPOINTMENT.SLOT_FULL');
    expect(srv.calls.at(-1)?.path).toBe('/api/appointments/slots?serviceId=svc-social&date=2026-11-26');
  });

  it('a code in the link opens the booking; cancel shows it cancelled', async () => {
    let status = 'booked';
    const srv = fakeServer({ 'GET /api/appointments/1234567890': () => ({ ...booked, status }), 'DELETE /api/appointments/1234567890': () => void (status = 'cancelled') });
    const b = createBookingStore('1234567890', srv.request);
    await b.start();
    await flush();
    expect(b.step.value).toMatchObject({ kind: 'found', booking: { status: 'booked' }, cancelled: false });
    await b.cancel('1234567890');
    expect(b.step.value).toMatchObject({ kind: 'found', booking: { status: 'cancelled' }, cancelled: true });
  });

  it('an unknown code says so', async () => {
    const srv = fakeServer();
    const b = createBookingStore(null, srv.request);
    await b.start();
    await b.lookUp('1111 1111 11');
    expect(srv.calls.at(-1)?.path).toBe('/api/appointments/1111111111');
    expect(b.error.value?.code).toBe('ROUTE.NOT_FOUND');
  });

  it('the route: /book and /book?code=', () => {
    expect(parseRoute('/book', '')).toEqual({ kind: 'book', code: null });
    expect(parseRoute('/book/', '?code=1234567890')).toEqual({ kind: 'book', code: '1234567890' });
  });
});
