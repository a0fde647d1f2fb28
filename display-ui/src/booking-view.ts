/** The phone booking page's words and checks, pure (tested without a DOM). */
import { isValidIdNumber, type AppointmentSlot, type AppointmentStatus, type BookingDay } from '@hall/protocol';
import type { Message } from './error-messages';

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `11月26日 周四` / `Thu 26 Nov`; today and tomorrow by name. */
export function dayLabel(date: string, today: string): Message {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const diff = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(ty, tm - 1, td)) / 86_400_000);
  const zhName = diff === 0 ? '今天' : diff === 1 ? '明天' : diff === 2 ? '后天' : WEEKDAYS_ZH[wd];
  const enName = diff === 0 ? 'Today' : diff === 1 ? 'Tomorrow' : WEEKDAYS_EN[wd];
  return { zh: `${m}月${d}日 ${zhName}`, en: `${enName} ${d}/${m}` };
}

/** `HH:MM` of a hall-offset ISO time, as written (the hall's wall clock). */
export const clockOf = (iso: string): string => iso.slice(11, 16);

export const slotLabel = (s: { start: string; end: string }): string => `${clockOf(s.start)}–${clockOf(s.end)}`;

/** `11月26日 10:00–10:30`. */
export function whenLabel(s: { start: string; end: string }): string {
  const m = Number(s.start.slice(5, 7));
  const d = Number(s.start.slice(8, 10));
  return `${m}月${d}日 ${slotLabel(s)}`;
}

/** Places left in a slot, or why it cannot be booked. */
export function placesLabel(s: AppointmentSlot): Message {
  const left = Math.max(0, s.capacity - s.booked);
  if (left === 0) return { zh: '已约满', en: 'Full' };
  if (!s.open) return { zh: '已截止', en: 'Closed' };
  return { zh: `余 ${left} 个`, en: `${left} left` };
}

export function dayPlacesLabel(d: BookingDay): Message {
  if (!d.open) return { zh: '不可预约', en: 'Closed' };
  if (d.free === 0) return { zh: d.booked >= d.capacity ? '已约满' : '已截止', en: d.booked >= d.capacity ? 'Full' : 'Closed' };
  return { zh: `余 ${d.free} 个`, en: `${d.free} left` };
}

export const slotBookable = (s: AppointmentSlot): boolean => s.open && s.booked < s.capacity;

/** A booking code in groups: `1234 5678 90`. */
export const groupCode = (code: string): string => code.replace(/(\d{4})(?=\d)/g, '$1 ');

export const STATUS_TEXT: Record<AppointmentStatus, Message> = {
  booked: { zh: '已预约', en: 'Booked' },
  'checked-in': { zh: '已签到', en: 'Checked in' },
  late: { zh: '迟到，已现场取号', en: 'Came late: took a ticket' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  'no-show': { zh: '已爽约', en: 'Missed' },
};

export interface BookingForm {
  name: string;
  idNumber: string;
  phone: string;
}

/** What is wrong with the form, field by field (empty when it can be sent). */
export function formProblems(f: BookingForm): Partial<Record<keyof BookingForm, Message>> {
  const out: Partial<Record<keyof BookingForm, Message>> = {};
  if (!f.name.trim()) out.name = { zh: '请填写姓名', en: 'Enter your name' };
  const id = f.idNumber.trim().toUpperCase();
  if (!id) out.idNumber = { zh: '请填写身份证号码', en: 'Enter your ID number' };
  else if (!isValidIdNumber(id)) out.idNumber = { zh: '身份证号码有误，请核对', en: 'This ID number is not valid' };
  const phone = f.phone.trim();
  if (phone && !/^\+?[0-9][0-9 -]{5,19}$/.test(phone)) out.phone = { zh: '手机号码格式有误', en: 'Invalid phone number' };
  return out;
}

/** Codes the booking page explains in its own words. */
const BOOKING_MESSAGES: Record<string, Message> = {
  'APPOINTMENT.SLOT_FULL': { zh: '该时段刚刚约满，请选择其他时段', en: 'This slot has just filled up: please choose another' },
  'APPOINTMENT.SLOT_UNAVAILABLE': { zh: '该时段已不可预约，请选择其他时段', en: 'This slot can no longer be booked: please choose another' },
  'APPOINTMENT.ID_LIMIT_REACHED': { zh: '该身份证预约次数已达上限（每天1次，未办结的预约最多3个）', en: 'This ID already holds its bookings' },
  'APPOINTMENT.BLOCKED': { zh: '因多次预约未到（爽约），暂停预约', en: 'Booking is paused after repeated no-shows' },
  'APPOINTMENT.CANCEL_DEADLINE': { zh: '已过取消时限，无法取消', en: 'Too late to cancel' },
  'APPOINTMENT.NOT_FOUND': { zh: '未找到该预约，请核对预约码', en: 'No booking with this code' },
  'APPOINTMENT.CANCELLED': { zh: '该预约已取消', en: 'This booking was cancelled' },
  'APPOINTMENT.USED': { zh: '该预约已签到，不能取消', en: 'Already checked in' },
  'PROTOCOL.INVALID_ID_NUMBER': { zh: '身份证号码有误，请核对', en: 'This ID number is not valid' },
  'SERVICE.NOT_FOUND': { zh: '该业务暂不可预约', en: 'This service cannot be booked' },
  'RATE.LIMITED': { zh: '操作太频繁，请稍后再试', en: 'Too many requests, please try again shortly' },
  'SERVER.UNAVAILABLE': { zh: '无法连接大厅服务器，请稍后再试', en: 'Cannot reach the hall, please try again' },
};

/** A refusal in the booking page's words; `until` (爽约) and the ID limit come from the details. */
export function bookingMessage(code: string, details?: Record<string, unknown>): Message {
  if (code === 'APPOINTMENT.BLOCKED' && typeof details?.until === 'string') {
    const until = details.until;
    return { zh: `因多次预约未到（爽约），${Number(until.slice(5, 7))}月${Number(until.slice(8, 10))}日前暂停预约`, en: `Booking is paused until ${until.slice(0, 10)} after repeated no-shows` };
  }
  if (code === 'APPOINTMENT.ID_LIMIT_REACHED' && details?.per === 'day') {
    return { zh: '该身份证当天已有预约', en: 'This ID already has a booking that day' };
  }
  return BOOKING_MESSAGES[code] ?? { zh: `操作未成功（${code}）`, en: `Something went wrong (${code})` };
}
