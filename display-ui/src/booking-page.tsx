/**
 * 预约办事 at /book (issue 16): a phone page the hall serves itself (LAN or its public URL).
 * Chinese first, large type: service → day → slot (places left) → name, ID number, phone →
 * the booking code and its QR code for the kiosk; `/book?code=…` shows a booking and cancels it.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AppointmentSlot, BookableService, BookedAppointment, BookingDay } from '@hall/protocol';
import { bookingMessage, dayLabel, dayPlacesLabel, formProblems, groupCode, placesLabel, slotBookable, slotLabel, STATUS_TEXT, whenLabel } from './booking-view';
import { bookingQrSvg } from './booking-qr';
import { useBooking } from './booking-store';
import type { Message } from './error-messages';
import './booking-styles.css';

function Bi({ m, inline = false }: { m: Message; inline?: boolean }) {
  return (
    <>
      <span lang="zh-CN">{m.zh}</span>
      {inline ? ' ' : null}
      <span class={inline ? 'en en-inline' : 'en'} lang="en">
        {m.en}
      </span>
    </>
  );
}

export function BookingPage() {
  const b = useBooking();
  const step = b.step.value;
  const err = b.error.value;
  useEffect(() => {
    void b.start();
  }, []);
  return (
    <div class="phone booking">
      <header class="ph-head">
        <div class="ph-hall">
          {b.options.value?.hallName ?? '政务服务中心'}
          <span class="en">Book an appointment</span>
        </div>
        <button class="ph-toggle" data-lookup onClick={() => b.go({ kind: 'lookup' })}>
          我的预约
          <span class="en">My booking</span>
        </button>
      </header>
      <main class="ph-main bk-main">
        {err && (
          <div class="ph-card bk-error" role="alert" data-error-code={err.code}>
            <Bi m={bookingMessage(err.code, err.details)} />
          </div>
        )}
        {step.kind === 'loading' && !err && (
          <div class="ph-card">
            正在加载… <span class="en">Loading…</span>
          </div>
        )}
        {step.kind === 'services' && <Services />}
        {step.kind === 'days' && <Days service={step.service} days={step.days} />}
        {step.kind === 'slots' && <Slots service={step.service} date={step.date} slots={step.slots} />}
        {step.kind === 'form' && <Form service={step.service} slot={step.slot} />}
        {step.kind === 'done' && <Done booked={step.booked} />}
        {step.kind === 'lookup' && <Lookup />}
        {step.kind === 'found' && <Found />}
      </main>
    </div>
  );
}

function Title({ zh, en }: Message) {
  return (
    <h1 class="bk-title">
      {zh}
      <span class="en">{en}</span>
    </h1>
  );
}

function Back({ onClick }: { onClick: () => void }) {
  return (
    <button class="bk-back" onClick={onClick}>
      ‹ 返回 <span class="en en-inline">Back</span>
    </button>
  );
}

function Services() {
  const b = useBooking();
  const services = b.options.value?.services ?? [];
  return (
    <section>
      <Title zh="请选择预约业务" en="Choose a service" />
      {services.length === 0 && (
        <div class="ph-card">
          暂无可预约业务 <span class="en">No service takes bookings</span>
        </div>
      )}
      <div class="bk-list">
        {services.map((s) => (
          <button key={s.id} class="bk-choice" data-service-id={s.id} disabled={b.busy.value} onClick={() => void b.chooseService(s)}>
            <span class="bk-choice-main">{s.name}</span>
            {s.nameEn && <span class="en">{s.nameEn}</span>}
          </button>
        ))}
      </div>
      <Rules />
    </section>
  );
}

function Rules() {
  const r = useBooking().options.value?.rules;
  if (!r) return null;
  return (
    <div class="ph-card bk-rules">
      <b>预约须知</b> <span class="en en-inline">Rules</span>
      <ul>
        <li>可预约今天起 {r.horizonDays} 天内的时段，时段开始前 {r.cutoffMinutes} 分钟截止预约。</li>
        <li>
          请于时段开始前 {r.checkInEarlyMinutes} 分钟起到自助取号机凭预约码、二维码或身份证签到
          {r.checkInLateMinutes > 0 ? `，时段结束后 ${r.checkInLateMinutes} 分钟截止` : '，时段结束即截止'}
          {r.lateArrival === 'normal-ticket' ? '；迟到可现场取普通号。' : '；迟到预约失效。'}
        </li>
        <li>时段开始前 {r.cancelMinutes} 分钟前可取消预约。</li>
        <li>
          {r.noShowWindowDays} 天内爽约 {r.noShowLimit} 次，{r.blockDays} 天内不能预约。
        </li>
      </ul>
    </div>
  );
}

function Days({ service, days }: { service: BookableService; days: BookingDay[] }) {
  const b = useBooking();
  const today = b.options.value?.today ?? days[0]?.date ?? '';
  return (
    <section>
      <Back onClick={() => b.go({ kind: 'services' })} />
      <Title zh={`${service.name}：请选择日期`} en={`${service.nameEn || service.name}: choose a day`} />
      <div class="bk-list">
        {days.map((d) => (
          <button key={d.date} class="bk-choice bk-row" data-date={d.date} disabled={!d.open || d.free === 0 || b.busy.value} onClick={() => void b.chooseDay(service, d.date)}>
            <span class="bk-choice-main">
              <Bi m={dayLabel(d.date, today)} inline />
            </span>
            <span class="bk-places">
              <Bi m={dayPlacesLabel(d)} inline />
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}

function Slots({ service, date, slots }: { service: BookableService; date: string; slots: AppointmentSlot[] }) {
  const b = useBooking();
  const today = b.options.value?.today ?? date;
  return (
    <section>
      <Back onClick={() => void b.chooseService(service)} />
      <Title zh={`${dayLabel(date, today).zh}：请选择时段`} en={`${dayLabel(date, today).en}: choose a time`} />
      <div class="bk-grid">
        {slots.map((s) => (
          <button key={s.start} class="bk-choice bk-slot" data-slot={s.start} disabled={!slotBookable(s)} onClick={() => b.chooseSlot(service, s)}>
            <span class="bk-choice-main">{slotLabel(s)}</span>
            <span class="bk-places">
              <Bi m={placesLabel(s)} inline />
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}

function Field({ id, label, value, problem, onInput, inputMode }: { id: string; label: Message; value: string; problem: Message | undefined; onInput: (v: string) => void; inputMode?: 'text' | 'tel' | 'numeric' }) {
  return (
    <label class="bk-field" for={id}>
      <span class="bk-label">
        <Bi m={label} inline />
      </span>
      <input id={id} name={id} type="text" inputMode={inputMode} value={value} autoComplete="off" onInput={(e) => onInput((e.target as HTMLInputElement).value)} aria-invalid={problem ? true : undefined} />
      {problem && (
        <span class="bk-problem" role="alert">
          <Bi m={problem} inline />
        </span>
      )}
    </label>
  );
}

function Form({ service, slot }: { service: BookableService; slot: AppointmentSlot }) {
  const b = useBooking();
  const f = b.form.value;
  const problems = b.showProblems.value ? formProblems(f) : {};
  return (
    <section>
      <Back onClick={() => void b.chooseDay(service, slot.start.slice(0, 10))} />
      <Title zh="填写预约人信息" en="Your details" />
      <div class="ph-card bk-summary">
        <div class="bk-choice-main">{service.name}</div>
        <div>{whenLabel(slot)}</div>
      </div>
      <form
        class="bk-form"
        onSubmit={(e) => {
          e.preventDefault();
          void b.submit();
        }}
      >
        <Field id="name" label={{ zh: '姓名', en: 'Name' }} value={f.name} problem={problems.name} onInput={(v) => b.setField('name', v)} />
        <Field id="idNumber" label={{ zh: '身份证号码', en: 'ID number' }} value={f.idNumber} problem={problems.idNumber} onInput={(v) => b.setField('idNumber', v)} />
        <Field id="phone" label={{ zh: '手机号码（选填）', en: 'Mobile (optional)' }} value={f.phone} problem={problems.phone} inputMode="tel" onInput={(v) => b.setField('phone', v)} />
        <p class="bk-privacy">身份证号码仅用于核验和预约次数限制，大厅只保存其加密摘要；姓名只显示首尾字。</p>
        <button class="bk-submit" type="submit" data-submit disabled={b.busy.value}>
          确认预约 <span class="en en-inline">Book</span>
        </button>
      </form>
    </section>
  );
}

function QrCode({ code }: { code: string }) {
  const svg = useMemo(() => bookingQrSvg(`${location.origin}/book?code=${code}`), [code]);
  // The SVG is made here from the code's digits by the bundled QR encoder: no outside markup.
  return <div class="bk-qr" data-qr aria-label="预约二维码 booking QR code" role="img" dangerouslySetInnerHTML={{ __html: svg }} />;
}

function Done({ booked }: { booked: BookedAppointment }) {
  const b = useBooking();
  return (
    <section class="bk-done" data-booked-code={booked.code}>
      <Title zh="预约成功" en="Booked" />
      <div class="ph-card bk-ticket">
        <div class="bk-label">预约码 Booking code</div>
        <div class="bk-code">{groupCode(booked.code)}</div>
        <QrCode code={booked.code} />
        <div class="bk-choice-main">{booked.serviceName}</div>
        <div class="bk-when">{whenLabel(booked)}</div>
        <div>预约人 {booked.name}</div>
      </div>
      <div class="ph-card bk-howto">
        请于 <b>{whenLabel({ start: booked.checkInFrom, end: booked.checkInUntil })}</b> 之间到大厅自助取号机扫描此二维码、输入预约码或刷身份证签到取号。
        <span class="en">Check in at a hall kiosk between these times: scan this QR code, type the code or swipe your ID card.</span>
        <div class="bk-note">请截图保存本页。{booked.cancelUntil.slice(11, 16)} 前可取消。</div>
      </div>
      <div class="bk-actions">
        <button class="bk-secondary" data-cancel onClick={() => void b.cancel(booked.code)} disabled={b.busy.value}>
          取消预约 <span class="en en-inline">Cancel</span>
        </button>
        <button class="bk-secondary" onClick={() => b.go({ kind: 'services' })}>
          继续预约 <span class="en en-inline">Book another</span>
        </button>
      </div>
    </section>
  );
}

function Lookup() {
  const b = useBooking();
  const [code, setCode] = useState('');
  return (
    <section>
      <Back onClick={() => b.go({ kind: 'services' })} />
      <Title zh="查询或取消预约" en="Find or cancel a booking" />
      <form
        class="bk-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.replace(/\s+/g, '')) void b.lookUp(code);
        }}
      >
        <Field id="code" label={{ zh: '预约码（10位数字）', en: 'Booking code (10 digits)' }} value={code} problem={undefined} inputMode="numeric" onInput={setCode} />
        <button class="bk-submit" type="submit" data-find disabled={b.busy.value}>
          查询 <span class="en en-inline">Find</span>
        </button>
      </form>
    </section>
  );
}

function Found() {
  const b = useBooking();
  const s = b.step.value;
  if (s.kind !== 'found') return null;
  const bk = s.booking;
  return (
    <section data-found-status={bk.status}>
      <Back onClick={() => b.go({ kind: 'services' })} />
      {s.cancelled && (
        <div class="ph-card bk-ok" role="status">
          预约已取消 <span class="en">The booking is cancelled</span>
        </div>
      )}
      <div class="ph-card bk-ticket">
        <div class="bk-label">预约码 Booking code</div>
        <div class="bk-code">{groupCode(bk.code)}</div>
        {bk.status === 'booked' && <QrCode code={bk.code} />}
        <div class="bk-choice-main">{bk.serviceName}</div>
        <div class="bk-when">{whenLabel(bk)}</div>
        <div>
          预约人 {bk.name} · <Bi m={STATUS_TEXT[bk.status]} inline />
        </div>
        {bk.ticketNumber && <div>号码 Ticket {bk.ticketNumber}</div>}
      </div>
      {bk.status === 'booked' && (
        <button class="bk-secondary" data-cancel onClick={() => void b.cancel(bk.code)} disabled={b.busy.value}>
          取消预约 <span class="en en-inline">Cancel</span>
        </button>
      )}
    </section>
  );
}
