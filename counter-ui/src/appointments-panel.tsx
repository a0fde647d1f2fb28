/**
 * 预约 on the supervision page (issue 16): a day's bookings per slot per service (capacity,
 * booked, checked in, no-shows, cancelled) and the day's totals.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AppointmentOverview, AppointmentStats } from '@hall/protocol';
import { useStaff } from './staff-store';
import { useNow } from './use-now';

const hhmm = (iso: string): string => iso.slice(11, 16);

export function AppointmentsPanel() {
  const s = useStaff();
  // null: the hall's today, as the server says (the browser's clock may be on another day).
  const [picked, setPicked] = useState<string | null>(null);
  const [overview, setOverview] = useState<AppointmentOverview | null>(null);
  const [stats, setStats] = useState<AppointmentStats | null>(null);
  // Check-ins and no-shows change through the day: read again every minute.
  const tick = Math.floor(useNow(60_000) / 60_000);
  useEffect(() => {
    void s.call<AppointmentOverview>('GET', `/api/appointments/overview${picked ? `?date=${picked}` : ''}`, undefined, true).then((r) => {
      if (!r.ok) return;
      setOverview(r.value);
      void s.call<AppointmentStats>('GET', `/api/appointments/stats?from=${r.value.date}&to=${r.value.date}`, undefined, true).then((st) => st.ok && setStats(st.value));
    });
  }, [picked, tick]);
  const date = overview?.date ?? picked ?? '';
  return (
    <div class="panel appointments-panel" data-appointments-panel>
      <h2>
        预约情况 <small>Appointments per slot</small>
        <input type="date" aria-label="日期 Date" value={date} onChange={(e) => setPicked((e.target as HTMLInputElement).value || null)} />
      </h2>
      {stats && (
        <p class="appt-totals" data-appt-totals>
          预约 {stats.bookings - stats.cancelled} · 已签到 {stats.checkedIn} · 迟到取号 {stats.late} · 爽约 {stats.noShow} · 已取消 {stats.cancelled} · 待签到 {stats.pending}
        </p>
      )}
      {!overview || overview.services.length === 0 ? (
        <p class="muted">当日无可预约业务 No bookable service that day</p>
      ) : (
        overview.services.map((svc) => (
          <div key={svc.serviceId} class="appt-service" data-service-id={svc.serviceId}>
            <h3>{svc.serviceName}</h3>
            <table class="sv-table appt-slots">
              <thead>
                <tr>
                  <th>时段 Slot</th>
                  <th>已约/容量 Booked</th>
                  <th>已签到 In</th>
                  <th>爽约 Missed</th>
                  <th>取消 Cancelled</th>
                </tr>
              </thead>
              <tbody>
                {svc.slots.map((slot) => (
                  <tr key={slot.start} data-slot={slot.start} class={slot.booked >= slot.capacity ? 'appt-full' : ''}>
                    <td>
                      {hhmm(slot.start)}–{hhmm(slot.end)}
                    </td>
                    <td>
                      {slot.booked}/{slot.capacity}
                    </td>
                    <td>{slot.checkedIn}</td>
                    <td class={slot.noShow > 0 ? 'appt-missed' : ''}>{slot.noShow}</td>
                    <td>{slot.cancelled}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
    </div>
  );
}
