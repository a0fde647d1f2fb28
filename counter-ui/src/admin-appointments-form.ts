/** Admin forms of 预约服务 (issue 16), pure: a service's bookable slots and the hall's booking rules. */
import { AppointmentSettings, PatchHallRequest, PatchServiceRequest, type Hours, type ServiceAppointments } from '@hall/protocol';
import { check, hoursFields, hoursForm, hoursProblem, str, type Checked, type HoursForm } from './admin-forms';

export interface ServiceAppointmentsForm {
  bookable: boolean;
  slotMinutes: string;
  capacity: string;
  /** false: the service's ticket hours (else the hall's). */
  ownHours: boolean;
  hours: HoursForm;
}

export function serviceAppointmentsForm(a: ServiceAppointments | null | undefined): ServiceAppointmentsForm {
  return {
    bookable: !!a?.enabled,
    slotMinutes: str(a?.slotMinutes ?? 30),
    capacity: str(a?.capacity ?? 2),
    ownHours: !!a?.hours,
    hours: hoursForm(a?.hours as Hours | null | undefined),
  };
}

/** `PATCH /api/services/:id` body: `{ appointments }` (null: the service takes no bookings). */
export function serviceAppointmentsBody(f: ServiceAppointmentsForm): Checked<{ appointments: ServiceAppointments | null }> {
  if (!f.bookable) return check(PatchServiceRequest, { appointments: null }) as Checked<{ appointments: null }>;
  const problem = f.ownHours ? hoursProblem(f.hours) : null;
  if (problem) return { ok: false, error: problem };
  const body = { appointments: { enabled: true, slotMinutes: Number(f.slotMinutes), capacity: Number(f.capacity), hours: f.ownHours ? hoursFields(f.hours) : null } };
  const r = check(PatchServiceRequest, body);
  return r.ok ? { ok: true, value: { appointments: r.value.appointments ?? null } } : { ok: false, error: r.error.replace('appointments.slotMinutes', '时段长度').replace('appointments.capacity', '每时段名额') };
}

/** The hall's booking rules as form text. */
export type RulesForm = { [K in keyof AppointmentSettings]: string };

export function rulesForm(s: AppointmentSettings | undefined): RulesForm {
  const v = s ?? AppointmentSettings.parse({});
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) as RulesForm;
}

/** `PATCH /api/hall` body with the changed rules only. */
export function rulesBody(original: RulesForm, f: RulesForm): Checked<{ appointments: Partial<AppointmentSettings> }> {
  const changed: Record<string, string | number> = {};
  for (const k of Object.keys(f) as (keyof RulesForm)[]) if (f[k] !== original[k]) changed[k] = k === 'lateArrival' ? f[k] : Number(f[k]);
  const r = check(PatchHallRequest, { appointments: changed });
  return r.ok ? { ok: true, value: { appointments: r.value.appointments ?? {} } } : r;
}
