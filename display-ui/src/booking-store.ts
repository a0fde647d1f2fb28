/**
 * The phone booking page's state (issue 16): service → day → slot → form → code, and looking a
 * booking up by its code to cancel it. The HTTP call is injected, so the steps are tested
 * without a DOM.
 */
import { batch, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import {
  apiRequest,
  toUiError,
  type AppointmentSlot,
  type AppointmentView,
  type BookableService,
  type BookedAppointment,
  type BookingDay,
  type BookingOptions,
  type UiError,
} from '@hall/protocol';
import { formProblems, type BookingForm } from './booking-view';

export type BookingStep =
  | { kind: 'loading' }
  | { kind: 'services' }
  | { kind: 'days'; service: BookableService; days: BookingDay[] }
  | { kind: 'slots'; service: BookableService; date: string; slots: AppointmentSlot[] }
  | { kind: 'form'; service: BookableService; slot: AppointmentSlot }
  | { kind: 'done'; booked: BookedAppointment }
  | { kind: 'lookup' }
  | { kind: 'found'; booking: AppointmentView; cancelled: boolean };

export type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

const browserRequest: Request = (method, path, body) => apiRequest(method, path, body === undefined ? {} : { body });

export function createBookingStore(initialCode: string | null, request: Request = browserRequest) {
  const step = signal<BookingStep>({ kind: 'loading' });
  const options = signal<BookingOptions | null>(null);
  const error = signal<UiError | null>(null);
  const busy = signal(false);
  const form = signal<BookingForm>({ name: '', idNumber: '', phone: '' });
  /** Shown once the citizen pressed submit. */
  const showProblems = signal(false);

  async function run(fn: () => Promise<void>): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = null;
    try {
      await fn();
    } catch (err) {
      error.value = toUiError(err);
    } finally {
      busy.value = false;
    }
  }

  async function start(): Promise<void> {
    await run(async () => {
      options.value = await request<BookingOptions>('GET', '/api/appointments/services');
    });
    if (initialCode) await lookUp(initialCode);
    else if (options.value) step.value = { kind: 'services' };
  }

  const chooseService = (service: BookableService): Promise<void> =>
    run(async () => {
      const days = await request<BookingDay[]>('GET', `/api/appointments/days?serviceId=${encodeURIComponent(service.id)}`);
      step.value = { kind: 'days', service, days };
    });

  const chooseDay = (service: BookableService, date: string): Promise<void> =>
    run(async () => {
      const slots = await request<AppointmentSlot[]>('GET', `/api/appointments/slots?serviceId=${encodeURIComponent(service.id)}&date=${date}`);
      step.value = { kind: 'slots', service, date, slots };
    });

  function chooseSlot(service: BookableService, slot: AppointmentSlot): void {
    batch(() => {
      error.value = null;
      showProblems.value = false;
      step.value = { kind: 'form', service, slot };
    });
  }

  function setField(field: keyof BookingForm, value: string): void {
    form.value = { ...form.value, [field]: value };
  }

  async function submit(): Promise<void> {
    const s = step.value;
    if (s.kind !== 'form') return;
    showProblems.value = true;
    if (Object.keys(formProblems(form.value)).length > 0) return;
    const f = form.value;
    await run(async () => {
      const booked = await request<BookedAppointment>('POST', '/api/appointments', {
        serviceId: s.service.id,
        start: s.slot.start,
        name: f.name.trim(),
        idNumber: f.idNumber.trim().toUpperCase(),
        ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
      });
      batch(() => {
        // The ID number leaves the page's memory once booked.
        form.value = { name: '', idNumber: '', phone: '' };
        step.value = { kind: 'done', booked };
      });
    });
    // A slot taken meanwhile: back to the slots of that day, counted again.
    const code = error.value?.code;
    if (code === 'APPOINTMENT.SLOT_FULL' || code === 'APPOINTMENT.SLOT_UNAVAILABLE') {
      const keep = error.value;
      await chooseDay(s.service, s.slot.start.slice(0, 10));
      error.value = keep;
    }
  }

  const lookUp = (code: string): Promise<void> =>
    run(async () => {
      const booking = await request<AppointmentView>('GET', `/api/appointments/${encodeURIComponent(code.replace(/\s+/g, ''))}`);
      step.value = { kind: 'found', booking, cancelled: false };
    });

  const cancel = (code: string): Promise<void> =>
    run(async () => {
      await request<void>('DELETE', `/api/appointments/${encodeURIComponent(code)}`);
      const booking = await request<AppointmentView>('GET', `/api/appointments/${encodeURIComponent(code)}`);
      step.value = { kind: 'found', booking, cancelled: true };
    });

  function go(next: BookingStep): void {
    batch(() => {
      error.value = null;
      step.value = next;
    });
  }

  return { step, options, error, busy, form, showProblems, start, chooseService, chooseDay, chooseSlot, setField, submit, lookUp, cancel, go };
}

export type BookingStore = ReturnType<typeof createBookingStore>;
export const BookingContext = createContext<BookingStore | null>(null);

export function useBooking(): BookingStore {
  const s = useContext(BookingContext);
  if (!s) throw new Error('BookingContext missing');
  return s;
}
