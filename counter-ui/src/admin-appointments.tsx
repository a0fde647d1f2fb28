/** Admin: 预约服务 (issue 16) — a service's bookable slots, and the hall's booking rules. */
import { useState } from 'preact/hooks';
import type { AppointmentSettings, Service } from '@hall/protocol';
import { rulesBody, rulesForm, serviceAppointmentsBody, serviceAppointmentsForm, type RulesForm, type ServiceAppointmentsForm } from './admin-appointments-form';
import { Check, FormError, HoursFields, SaveButton, Select, Text, sendForm, useForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';

export function ServiceAppointmentsEditor({ service, saved }: { service: Service; saved: () => void }) {
  const s = useStaff();
  const [f, field] = useForm<ServiceAppointmentsForm>(serviceAppointmentsForm(service.appointments));
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form"
      data-appointments-editor
      onSubmit={(e) => {
        e.preventDefault();
        void sendForm(s, 'PATCH', `/api/services/${encodeURIComponent(service.id)}`, serviceAppointmentsBody(f), setError, () => {
          s.toast('info', '预约设置已保存 Saved');
          saved();
        });
      }}
    >
      <h2>
        预约服务 <small>Appointments for {service.name}</small>
      </h2>
      <Check label="可网上预约 Takes bookings (phone page /book, provincial platform)" value={f.bookable} set={field('bookable')} name="bookable" />
      {f.bookable && (
        <>
          <div class="grid2">
            <Text label="时段长度（分钟） Slot minutes" type="number" min={5} max={240} value={f.slotMinutes} set={field('slotMinutes')} name="slot-minutes" />
            <Text label="每时段名额 Places per slot" type="number" min={1} max={500} value={f.capacity} set={field('capacity')} name="capacity" />
          </div>
          <Check label="单独设置可预约时间（不勾选则同取号时间） Own booking hours" value={f.ownHours} set={field('ownHours')} name="own-booking-hours" />
          {f.ownHours && <HoursFields f={f.hours} set={field('hours')} prefix="预约" />}
        </>
      )}
      <FormError error={error} />
      <SaveButton />
    </form>
  );
}

const NUMBERS: Array<[keyof RulesForm, string]> = [
  ['horizonDays', '可提前预约天数 Days ahead'],
  ['cutoffMinutes', '时段开始前多少分钟截止预约 Cut-off (min)'],
  ['perIdPerDay', '每证每天预约数 Per ID per day'],
  ['perIdOpen', '每证未办结预约数 Open per ID'],
  ['cancelMinutes', '时段开始前多少分钟可取消 Cancel until (min before)'],
  ['checkInEarlyMinutes', '提前多少分钟可签到 Check-in opens (min before)'],
  ['checkInLateMinutes', '时段结束后多少分钟内可签到 Check-in closes (min after end)'],
  ['noShowLimit', '爽约次数 No-shows'],
  ['noShowWindowDays', '统计天数 Within days'],
  ['blockDays', '暂停预约天数 Block days'],
];

export function BookingRulesEditor() {
  const s = useStaff();
  const [hall, reload] = useLoad<{ appointments?: AppointmentSettings }>('/api/hall');
  if (!hall) return <div class="panel">正在加载… Loading…</div>;
  return <RulesEditor key={JSON.stringify(hall.appointments)} original={rulesForm(hall.appointments)} saved={() => (s.toast('info', '预约规则已保存 Saved'), reload())} />;
}

function RulesEditor({ original, saved }: { original: RulesForm; saved: () => void }) {
  const s = useStaff();
  const [f, field] = useForm<RulesForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form"
      data-booking-rules
      onSubmit={(e) => {
        e.preventDefault();
        void sendForm(s, 'PATCH', '/api/hall', rulesBody(original, f), setError, saved);
      }}
    >
      <h2>
        预约规则 <small>Booking rules (every bookable service)</small>
      </h2>
      <div class="grid2">
        {NUMBERS.map(([k, label]) => (
          <Text key={k} label={label} type="number" min={0} value={f[k]} set={field(k)} name={k} />
        ))}
      </div>
      <Select
        label="迟到签到 Late arrival"
        value={f.lateArrival}
        set={field('lateArrival')}
        options={[
          ['normal-ticket', '改取普通号 A normal ticket'],
          ['refuse', '预约失效 Refused'],
        ]}
      />
      <FormError error={error} />
      <SaveButton />
    </form>
  );
}
