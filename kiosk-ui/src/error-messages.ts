/**
 * What a citizen reads when the kiosk cannot do what was asked: one short Chinese sentence and
 * its English line, chosen by the stable error code. Unknown codes still get a sentence.
 */
import type { ErrorCode } from '@hall/protocol';

export interface Message {
  zh: string;
  en: string;
}

/** Failures the kiosk finds itself, without asking the server. */
export type KioskErrorCode = 'SCAN.UNKNOWN' | 'SCAN.TICKET' | 'ID_CARD.READ_FAILED';

// Keyed by the protocol's codes, so a renamed or misspelt code fails the type check.
const MESSAGES: { [C in ErrorCode | KioskErrorCode]?: Message } = {
  'QUEUE.SERVICE_CLOSED': { zh: '该业务当前不在取号时间，请在办理时间内再来', en: 'This service is not issuing tickets at this time: please come back during its hours' },
  'QUEUE.QUOTA_REACHED': {
    zh: '该业务今日号源已取完，请明天再来，或预约办理',
    en: "Today's numbers for this service are used up: please come back tomorrow or book an appointment",
  },
  'QUEUE.ID_REQUIRED': { zh: '办理该业务需要身份证，请先将身份证放在读卡区', en: 'This service needs your ID card: please place it on the reader first' },
  'QUEUE.ID_LIMIT_REACHED': { zh: '您今日已取过该业务的号，不能重复取号', en: 'You have already taken a ticket for this service today' },
  'QUEUE.INVALID_STATE': { zh: '今日已停止取号，请明天再来', en: 'Ticket issuing has ended for today: please come back tomorrow' },
  'QUEUE.RECALL_LIMIT': { zh: '该号已多次呼叫，请咨询工作人员', en: 'This number was called several times: please ask the staff' },
  'QUEUE.NOT_FOUND': { zh: '未找到相关记录', en: 'Not found' },
  'SERVICE.NOT_FOUND': { zh: '该业务暂停办理', en: 'This service is not available' },
  'RATE.LIMITED': { zh: '取号太频繁，请稍后再试', en: 'Too many requests, please try again shortly' },
  'PROTOCOL.INVALID_ID_NUMBER': { zh: '身份证号码无效，请到服务台人工办理', en: 'The ID number is not valid: please go to the front desk' },
  'PROTOCOL.INVALID_PAYLOAD': { zh: '请求有误，请联系工作人员', en: 'Invalid request, please ask the staff' },
  'AUTH.REQUIRED': { zh: '本机未授权，请联系工作人员', en: 'This kiosk is not authorised, please ask the staff' },
  'AUTH.BAD_CREDENTIALS': { zh: '本机未授权，请联系工作人员', en: 'This kiosk is not authorised, please ask the staff' },
  'AUTH.FORBIDDEN': { zh: '本机无权执行此操作，请联系工作人员', en: 'This kiosk may not do that, please ask the staff' },
  'APPOINTMENT.NOT_FOUND': { zh: '未找到该预约，请核对预约码', en: 'Appointment not found, please check the code' },
  'APPOINTMENT.TOO_EARLY': { zh: '还未到签到时间，请稍后再来签到', en: 'Too early to check in, please come back later' },
  'APPOINTMENT.TOO_LATE': { zh: '预约已过签到时间，请现场取号', en: 'The check-in time has passed, please take a ticket' },
  'APPOINTMENT.CANCELLED': { zh: '该预约已取消', en: 'This appointment was cancelled' },
  'APPOINTMENT.USED': { zh: '该预约已签到', en: 'This appointment has already been checked in' },
  'ROUTE.NOT_FOUND': { zh: '本机暂不支持预约签到，请到服务台办理', en: 'Check-in is not available here, please go to the front desk' },
  'SCAN.UNKNOWN': { zh: '无法识别该二维码，请出示预约二维码', en: 'Code not recognised, please show your appointment code' },
  'SCAN.TICKET': { zh: '这是号票二维码，请用手机扫描查看排队进度', en: 'This is a ticket code: scan it with your phone to follow your turn' },
  'SERVER.UNAVAILABLE': { zh: '网络连接中断，请稍后再试或联系工作人员', en: 'The network is down, please try again or ask the staff' },
  'SERVER.INTERNAL': { zh: '系统繁忙，请稍后再试', en: 'The system is busy, please try again' },
  'ID_CARD.READ_FAILED': { zh: '身份证读取失败，请重新放置', en: 'Could not read the ID card, please place it again' },
};

/** QUEUE.SERVICE_CLOSED as the service's tile explains it (`details.reason`, a ServiceClosedReason). */
const CLOSED_BECAUSE: Record<string, Message> = {
  disabled: { zh: '该业务暂停办理，请咨询工作人员', en: 'This service is not available now: please ask the staff' },
  'day-closed': { zh: '今日已停止取号，请明天再来', en: 'Ticket issuing has ended for today: please come back tomorrow' },
};

/** Message for a code; `code` is a string because a newer server may send a code this kiosk does not know. */
export function messageFor(error: { code: string; details?: Record<string, unknown> }): Message {
  const code = error.code;
  const reason = error.details?.reason;
  const appointment = appointmentMessage(code, error.details);
  if (appointment) return appointment;
  if (code === 'QUEUE.SERVICE_CLOSED' && typeof reason === 'string') {
    if (reason === 'quota') return MESSAGES['QUEUE.QUOTA_REACHED']!;
    if (Object.hasOwn(CLOSED_BECAUSE, reason)) return CLOSED_BECAUSE[reason]!;
  }
  const known = Object.hasOwn(MESSAGES, code) ? MESSAGES[code as ErrorCode | KioskErrorCode] : undefined;
  const retry = retryAfterSeconds(error.details);
  if (known) {
    if (code === 'RATE.LIMITED' && retry !== null) {
      return { zh: `取号太频繁，请 ${retry} 秒后再试`, en: `Too many requests, please try again in ${retry} s` };
    }
    return known;
  }
  if (code.endsWith('.NOT_FOUND')) return MESSAGES['QUEUE.NOT_FOUND']!;
  return { zh: `暂时无法办理，请联系工作人员（${code}）`, en: `Something went wrong, please ask the staff (${code})` };
}

/** `11月26日 10:30` of a hall-offset ISO time (the server's zone, as the hall's wall clock shows it). */
export function hallDateTime(iso: string): { zh: string; en: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(iso);
  if (!m) return null;
  return { zh: `${Number(m[2])}月${Number(m[3])}日 ${m[4]}`, en: `${m[4]} on ${m[1]}-${m[2]}-${m[3]}` };
}

/** Early, late and used check-ins say when, and the rule (issue 16). */
function appointmentMessage(code: string, details: Record<string, unknown> | undefined): Message | null {
  const str = (k: string): string | null => (typeof details?.[k] === 'string' ? (details[k] as string) : null);
  if (code === 'APPOINTMENT.TOO_EARLY') {
    const from = hallDateTime(str('checkInFrom') ?? '');
    const early = typeof details?.earlyMinutes === 'number' ? details.earlyMinutes : null;
    if (!from) return null;
    return {
      zh: `还未到签到时间，请于 ${from.zh} 后再来签到${early !== null ? `（预约时段开始前 ${early} 分钟起可签到）` : ''}`,
      en: `Too early to check in: please come back after ${from.en}${early !== null ? ` (check-in opens ${early} minutes before your slot)` : ''}`,
    };
  }
  if (code === 'APPOINTMENT.TOO_LATE') {
    const until = hallDateTime(str('checkInUntil') ?? '');
    if (!until) return null;
    return {
      zh: `预约签到已于 ${until.zh} 截止，预约已失效，请选择业务现场取号`,
      en: `Check-in for this appointment closed at ${until.en}: please choose a service to take a ticket`,
    };
  }
  if (code === 'APPOINTMENT.USED' && str('ticketNumber')) {
    return { zh: `该预约已签到，您的号码是 ${str('ticketNumber')}，请留意叫号`, en: `Already checked in: your number is ${str('ticketNumber')}, please wait for the call` };
  }
  return null;
}

function retryAfterSeconds(details: Record<string, unknown> | undefined): number | null {
  const v = details?.retryAfter ?? details?.retryAfterSeconds;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.ceil(v) : null;
}
