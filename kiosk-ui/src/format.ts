/** Pure formatting for the kiosk screens. */
import type { ServiceClosedReason } from '@hall/protocol';

export interface Bilingual {
  zh: string;
  en: string;
}

/** "约 25 分钟" / "about 25 min"; null means the service has no history yet today. */
export function formatWait(minutes: number | null | undefined): Bilingual {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return { zh: '暂无估计', en: 'No estimate yet' };
  const m = Math.max(0, Math.round(minutes));
  if (m === 0) return { zh: '即将叫号', en: 'Very soon' };
  if (m < 60) return { zh: `约 ${m} 分钟`, en: `About ${m} min` };
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0
    ? { zh: `约 ${h} 小时`, en: `About ${h} h` }
    : { zh: `约 ${h} 小时 ${rest} 分钟`, en: `About ${h} h ${rest} min` };
}

export function formatAhead(n: number): Bilingual {
  if (n <= 0) return { zh: '前面没有人，请留意叫号', en: 'You are next, please listen for your number' };
  return { zh: `前面还有 ${n} 人`, en: n === 1 ? '1 person ahead of you' : `${n} people ahead of you` };
}

export function formatWaiting(n: number): Bilingual {
  return { zh: `等候 ${n} 人`, en: `${n} waiting` };
}

/** Tiles per page: fewer, larger tiles in elderly mode, and a layout per orientation. */
export function tilesPerPage(elderly: boolean, portrait: boolean): number {
  if (elderly) return 4;
  return portrait ? 8 : 9;
}

export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
}

/** One page of `items`; an out-of-range page is clamped so a shrinking list never shows blank. */
export function paginate<T>(items: readonly T[], size: number, page: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / Math.max(1, size)));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  return { items: items.slice(p * size, p * size + size), page: p, pages };
}

/** What a closed tile says instead of the queue length (issue 13 item 2). */
export function closedLabel(reason: ServiceClosedReason | null | undefined): Bilingual {
  switch (reason) {
    case 'quota':
      return { zh: '今日号已取完', en: 'All taken today' };
    case 'hours':
      return { zh: '非取号时间', en: 'Not issuing now' };
    case 'day-closed':
      return { zh: '今日已停止取号', en: 'Closed for today' };
    default:
      return { zh: '暂停取号', en: 'Closed' };
  }
}

/** A booking's slot as the kiosk shows it: `10:00–10:30` (hall-offset ISO times, read as written). */
export function slotLabel(start: string, end: string): string {
  return `${start.slice(11, 16)}–${end.slice(11, 16)}`;
}

/** A typed booking code in groups of four, easier to check against the phone: `1234 5678 90`. */
export function groupCode(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}
