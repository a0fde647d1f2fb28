/**
 * 预约签到 on the kiosk (issue 16): the start screen's check-in button, the code keypad, and the
 * bookings of a swiped card. Scanning the booking's QR code needs no screen: the scanner checks
 * in from anywhere.
 */
import type { CardAppointment } from '@hall/protocol';
import { Bi } from './app';
import { groupCode, slotLabel } from './format';
import { APPOINTMENT_CODE_LENGTH, useKiosk } from './kiosk-store';

export function CheckInEntry() {
  const k = useKiosk();
  return (
    <button class="checkin-entry" data-checkin-entry onClick={() => k.openCodeEntry()}>
      <Bi zh="预约签到" en="Appointment check-in" />
    </button>
  );
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

export function CodeEntryView({ digits }: { digits: string }) {
  const k = useKiosk();
  const complete = digits.length === APPOINTMENT_CODE_LENGTH;
  return (
    <section class="code-entry" data-code-entry>
      <h1 class="prompt">
        <Bi zh="请输入10位预约码，或扫描预约二维码" en="Type your 10-digit booking code, or scan its QR code" />
      </h1>
      <div class="code-display" aria-live="polite" data-code={digits}>
        {digits ? groupCode(digits) : <span class="code-placeholder">—— —— ——</span>}
      </div>
      <div class="keypad">
        {KEYS.map((key) => (
          <button key={key} class={`key key-${key}`} data-key={key} onClick={() => k.typeCode(key)}>
            {key === 'clear' ? <Bi zh="清空" en="Clear" /> : key === 'back' ? <Bi zh="退格" en="Delete" /> : key}
          </button>
        ))}
      </div>
      <div class="code-actions">
        <button class="secondary" onClick={() => k.reset()}>
          <Bi zh={`返回（${k.secondsLeft.value}）`} en={`Back (${k.secondsLeft.value})`} />
        </button>
        <button class="primary" data-submit-code disabled={!complete} onClick={() => k.submitCode()}>
          <Bi zh="签到" en="Check in" />
        </button>
      </div>
    </section>
  );
}

export function CardAppointmentsView({ bookings }: { bookings: CardAppointment[] }) {
  const k = useKiosk();
  return (
    <section class="card-appointments" data-card-appointments>
      <h1 class="prompt">
        <Bi zh="您今天有预约，请点击签到" en="You have an appointment today: tap to check in" />
      </h1>
      <ul class="booking-list">
        {bookings.map((b) => (
          <li key={b.code}>
            <button class="booking" data-booking-code={b.code} onClick={() => k.checkInBooking(b.code)}>
              <span class="booking-service">{b.serviceName}</span>
              <span class="booking-slot">{slotLabel(b.start, b.end)}</span>
              <span class="booking-action">
                <Bi zh="签到" en="Check in" />
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button class="secondary" onClick={() => k.reset()}>
        <Bi zh={`不签到，现场取号（${k.secondsLeft.value}）`} en={`Take a ticket instead (${k.secondsLeft.value})`} />
      </button>
    </section>
  );
}
