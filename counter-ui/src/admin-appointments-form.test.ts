import { describe, expect, it } from 'vitest';
import { AppointmentSettings } from '@hall/protocol';
import { rulesBody, rulesForm, serviceAppointmentsBody, serviceAppointmentsForm } from './admin-appointments-form';

describe('admin appointment forms (issue 16)', () => {
  it('a service: bookable with slot length and places, in its own hours or not; not bookable is null', () => {
    const f = serviceAppointmentsForm(null);
    expect(f).toMatchObject({ bookable: false, slotMinutes: '30', capacity: '2', ownHours: false });
    expect(serviceAppointmentsBody(f)).toEqual({ ok: true, value: { appointments: null } });
    expect(serviceAppointmentsBody({ ...f, bookable: true, capacity: '5' })).toEqual({ ok: true, value: { appointments: { enabled: true, slotMinutes: 30, capacity: 5, hours: null } } });
    const own = serviceAppointmentsBody({ ...f, bookable: true, ownHours: true, hours: { ...f.hours, lunchStart: '12:00', lunchEnd: '' } });
    expect(own.ok).toBe(false);
    const zero = serviceAppointmentsBody({ ...f, bookable: true, capacity: '0' });
    expect(zero.ok === false && zero.error).toContain('每时段名额');
  });

  it('the hall rules: only what changed is sent; bad numbers say so', () => {
    const original = rulesForm(AppointmentSettings.parse({}));
    expect(rulesBody(original, { ...original, horizonDays: '14', lateArrival: 'refuse' })).toEqual({ ok: true, value: { appointments: { horizonDays: 14, lateArrival: 'refuse' } } });
    expect(rulesBody(original, { ...original, noShowLimit: '0' }).ok).toBe(false);
  });
});
