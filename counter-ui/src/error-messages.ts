/** What staff read when the hall refuses: a sentence by code, plus the server's own detail. */
import type { ErrorCode } from '@hall/protocol';

export interface StaffMessage {
  zh: string;
  en: string;
}

// Every protocol code has its sentence: a new code fails the type check until it gets one.
const MESSAGES: Record<ErrorCode, StaffMessage> = {
  'AUTH.BAD_CREDENTIALS': { zh: '用户名或密码错误', en: 'Wrong user name or password' },
  'AUTH.LOCKED': { zh: '登录失败次数过多，账户已暂时锁定，请15分钟后再试', en: 'Too many failed logins: locked for 15 minutes' },
  'AUTH.REQUIRED': { zh: '登录已失效，请重新登录', en: 'Your login has ended, please log in again' },
  'AUTH.FORBIDDEN': { zh: '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  'QUEUE.INVALID_STATE': { zh: '当前状态下不能执行此操作', en: 'Not possible in the current state' },
  'QUEUE.RECALL_LIMIT': { zh: '重呼次数已达上限，请标记过号', en: 'Recall limit reached: mark as no-show' },
  'QUEUE.NOT_FOUND': { zh: '未找到该号码', en: 'No such ticket' },
  'QUEUE.SERVICE_CLOSED': { zh: '该业务当前不在取号时间', en: 'The service is closed now' },
  'QUEUE.QUOTA_REACHED': { zh: '该业务今日号已取完', en: "Today's quota is used up" },
  'QUEUE.ID_REQUIRED': { zh: '该业务需要身份证', en: 'This service needs an ID card' },
  'QUEUE.ID_LIMIT_REACHED': { zh: '该证件今日取号已达上限', en: 'Daily limit for this ID reached' },
  'COUNTER.OCCUPIED': { zh: '该窗口已有其他工作人员签到', en: 'Another staff member is signed in at this counter' },
  'COUNTER.NOT_SIGNED_IN': { zh: '请先在窗口签到', en: 'Sign in at the counter first' },
  'COUNTER.NOT_FOUND': { zh: '未找到该窗口', en: 'No such counter' },
  'SERVICE.NOT_FOUND': { zh: '未找到该业务', en: 'No such service' },
  'USER.NOT_FOUND': { zh: '未找到该用户', en: 'No such user' },
  'TERMINAL.NOT_FOUND': { zh: '未找到该终端', en: 'No such terminal' },
  'CONFIG.CONFLICT': { zh: '与现有设置冲突', en: 'Conflicts with the existing settings' },
  'PROTOCOL.INVALID_PAYLOAD': { zh: '输入内容有误', en: 'Invalid input' },
  'RATE.LIMITED': { zh: '操作太频繁，请稍后再试', en: 'Too many requests, try again shortly' },
  'ROUTE.NOT_FOUND': { zh: '服务器暂不支持此功能', en: 'The server does not offer this yet' },
  'SERVER.UNAVAILABLE': { zh: '服务器暂时不可用（网络中断或无法保存），请稍后再试', en: 'The server is unavailable (network down or cannot save): try again shortly' },
  'VOICE.NOT_FOUND': { zh: '找不到该叫号语音', en: 'No such call audio' },
  'VOICE.UNAVAILABLE': { zh: '服务器无法生成叫号语音（未安装 espeak-ng 或语音包）', en: 'The server cannot make call audio (no espeak-ng or voice pack)' },
  'SERVER.INTERNAL': { zh: '服务器内部错误', en: 'Server error' },
  'PROTOCOL.INVALID_ID_NUMBER': { zh: '身份证号码校验不通过', en: 'The ID number fails its checksum' },
  'DEVICE.NOT_FOUND': { zh: '未找到该设备', en: 'No such device' },
  'RATING.DUPLICATE': { zh: '该号已评价过', en: 'This ticket has already been rated' },
  'RATING.NOT_SERVED': { zh: '业务办结后才能评价', en: 'A ticket can be rated once served' },
  'APPOINTMENT.SLOT_FULL': { zh: '该时段预约已满', en: 'This slot is fully booked' },
  'APPOINTMENT.NOT_FOUND': { zh: '未找到该预约', en: 'No such appointment' },
  'RECTIFICATION.NOT_FOUND': { zh: '没有这个整改件', en: 'No such rectification case' },
  'ALERT.NOT_FOUND': { zh: '没有这条告警', en: 'No such alert' },
  'CATALOGUE.NOT_FOUND': { zh: '事项清单中没有这个事项', en: 'No such catalogue item' },
  'APPOINTMENT.CANCELLED': { zh: '该预约已取消', en: 'The appointment was cancelled' },
  'APPOINTMENT.USED': { zh: '该预约已签到', en: 'The appointment is already checked in' },
  'APPOINTMENT.TOO_EARLY': { zh: '未到签到时间', en: 'Too early to check in' },
  'APPOINTMENT.TOO_LATE': { zh: '已过签到时间', en: 'Too late to check in' },
  'APPOINTMENT.SLOT_UNAVAILABLE': { zh: '该时段不可预约', en: 'This slot cannot be booked' },
  'APPOINTMENT.ID_LIMIT_REACHED': { zh: '该证件预约次数已达上限', en: 'This ID holds its bookings already' },
  'APPOINTMENT.BLOCKED': { zh: '多次爽约，暂停预约', en: 'Booking blocked after repeated no-shows' },
  'APPOINTMENT.CANCEL_DEADLINE': { zh: '已过取消时限', en: 'Past the cancellation deadline' },
  'PROTOCOL.PAYLOAD_TOO_LARGE': { zh: '提交的内容过大', en: 'The request is too large' },
  'HALL.NOT_FOUND': { zh: '没有这个下级大厅', en: 'No such downstream hall' },
  'NETWORK.GAP': { zh: '上报数据不连续（中间缺少记录）', en: 'The records sent skip some records' },
  'NETWORK.FORK': { zh: '上报数据与已收到的记录不一致（分叉）', en: 'The records sent differ from those already received (fork)' },
  'NETWORK.CHAIN_BROKEN': { zh: '上报数据的哈希链校验失败', en: 'The hash chain of the records sent does not verify' },
  'NETWORK.UNKNOWN_HALL': { zh: '上级平台不认识这个大厅的令牌', en: 'The upstream does not know this hall token' },
  'NETWORK.TOKEN_REVOKED': { zh: '大厅令牌已被上级平台吊销', en: 'The upstream revoked this hall token' },
  'NETWORK.FORBIDDEN_HALL': { zh: '不能上报其他大厅的数据', en: 'A hall may not send records of another hall' },
};

const known = (code: string): StaffMessage | undefined => (Object.hasOwn(MESSAGES, code) ? MESSAGES[code as ErrorCode] : undefined);

/** `code` is a string: a newer server may send a code this page does not know yet. */
export function messageFor(code: string): StaffMessage {
  return known(code) ?? { zh: `操作失败（${code}）`, en: `Failed (${code})` };
}

/** One line for a toast: the sentence, then the server's detail where it adds something. */
export function describeError(e: { code: string; message: string }): string {
  const detail = e.message && e.message !== e.code && !/^HTTP \d+$/.test(e.message) ? `：${e.message}` : '';
  const message = known(e.code);
  if (!message) return `操作失败${detail}（${e.code}）`;
  const withDetail = e.code === 'PROTOCOL.INVALID_PAYLOAD' || e.code === 'CONFIG.CONFLICT';
  return `${message.zh}${withDetail ? detail : ''}（${e.code}）`;
}
