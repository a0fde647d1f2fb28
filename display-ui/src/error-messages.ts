/** Messages for the phone page, by error code. */
import type { ErrorCode } from '@hall/protocol';

export interface Message {
  zh: string;
  en: string;
}

// Keyed by the protocol's codes, so a renamed or misspelt code fails the type check.
const MESSAGES: { [C in ErrorCode]?: Message } = {
  // Yesterday's tickets are gone after day close: a QR scanned the next day lands here too.
  'QUEUE.NOT_FOUND': { zh: '未找到该号票：号票仅当日有效，或链接不完整', en: 'Ticket not found: a ticket is valid on its day only, or the link is incomplete' },
  'ROUTE.NOT_FOUND': { zh: '未找到该号票，请检查链接是否完整', en: 'Ticket not found: please check the link' },
  'RATING.DUPLICATE': { zh: '您已评价过本次服务，谢谢', en: 'You have already rated this service, thank you' },
  'RATING.NOT_SERVED': { zh: '业务办结后才能评价', en: 'You can rate once the service is done' },
  'RATE.LIMITED': { zh: '操作太频繁，请稍后再试', en: 'Too many requests, please try again shortly' },
  'PROTOCOL.INVALID_PAYLOAD': { zh: '提交的内容有误', en: 'Invalid input' },
  'SERVER.UNAVAILABLE': { zh: '无法连接大厅服务器，请确认已连接大厅 Wi-Fi', en: "Cannot reach the hall: are you on the hall's Wi-Fi?" },
  'SERVER.INTERNAL': { zh: '系统繁忙，请稍后再试', en: 'The system is busy, please try again' },
};

/** `code` is a string: a newer server may send a code this page does not know yet. */
export function messageFor(code: string): Message {
  return (Object.hasOwn(MESSAGES, code) ? MESSAGES[code as ErrorCode] : undefined) ?? { zh: `操作未成功（${code}）`, en: `Something went wrong (${code})` };
}
