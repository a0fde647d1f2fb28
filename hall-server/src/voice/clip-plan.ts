/**
 * What a call says and which clips say it. Pure: the hall's phrase template and the call's
 * values become the spoken text ("请A零零一号到三号窗口办理"), then the clips of a voice pack
 * that say it, longest clip first ("号窗口" before "号"); a phrase the pack cannot say clip by
 * clip is synthesised whole. Recorded calling systems work this way: a few dozen clips say
 * every call.
 */

export type NumberReading = 'digits' | 'number';

export interface CallValues {
  /** Ticket number as printed: one or two letters, then digits ("A001"). */
  number: string;
  counter: number;
  counterName: string;
  service: string;
}

const DIGITS = '零一二三四五六七八九';

/** Mandarin reading of 0…99,999,999 ("一百零一", "十二", "两" never: halls say "二"). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0) return String(n);
  if (n < 10) return DIGITS[n] as string;
  if (n >= 100_000_000) return [...String(n)].map((d) => DIGITS[Number(d)]).join('');
  const below10k = (v: number, leadingZero: boolean): string => {
    const units = ['千', '百', '十', ''];
    const digits = String(v).padStart(4, '0').split('').map(Number);
    let out = '';
    let zero = false;
    let started = false;
    digits.forEach((d, i) => {
      if (d === 0) {
        if (started || leadingZero) zero = true;
        return;
      }
      if (zero && (started || leadingZero)) out += '零';
      zero = false;
      started = true;
      out += (DIGITS[d] as string) + units[i];
    });
    return out;
  };
  if (n < 10_000) {
    const s = below10k(n, false);
    // 10…19 are said "十", "十二", not "一十二".
    return n >= 10 && n < 20 ? s.slice(1) : s;
  }
  const high = Math.floor(n / 10_000);
  const low = n % 10_000;
  const head = high >= 10 && high < 20 ? below10k(high, false).slice(1) : below10k(high, false);
  return low === 0 ? `${head}万` : `${head}万${below10k(low, low < 1000)}`;
}

/** "A001" → "A零零一" (digits) or "A一" (number). Anything else is left as it is. */
export function sayTicketNumber(number: string, reading: NumberReading): string {
  const m = /^([A-Za-z]*)(\d+)$/.exec(number.trim());
  if (!m) return number;
  const [, letters = '', digits = ''] = m;
  const said = reading === 'number' ? chineseNumber(Number(digits)) : [...digits].map((d) => DIGITS[Number(d)]).join('');
  return letters.toUpperCase() + said;
}

export interface SpokenPart {
  text: string;
  /** Where the text came from: names may hold characters no pack has. */
  from: 'template' | 'number' | 'counter' | 'name';
}

/** The template with its slots filled, as spoken parts; unknown `{slots}` stay as text. */
export function spokenParts(template: string, v: CallValues, reading: NumberReading): SpokenPart[] {
  const parts: SpokenPart[] = [];
  const re = /\{(number|counterName|counter|service)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push({ text: template.slice(last, m.index), from: 'template' });
    const slot = m[1];
    if (slot === 'number') parts.push({ text: sayTicketNumber(v.number, reading), from: 'number' });
    else if (slot === 'counter') parts.push({ text: chineseNumber(v.counter), from: 'counter' });
    else parts.push({ text: slot === 'service' ? v.service : v.counterName, from: 'name' });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last), from: 'template' });
  return parts.filter((p) => p.text.length > 0);
}

/** The literal pieces of a template: clips a generated pack makes for it. */
export function templateLiterals(template: string): string[] {
  return template
    .split(/\{(?:number|counterName|counter|service)\}/)
    .flatMap((s) => s.split(PAUSE_CHARS))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** A short pause in the clip list (punctuation in the phrase). */
export const PAUSE = '|';
const PAUSE_CHARS = /[\s,，。、;；:：!！?？]+/;

export type ClipPlan =
  | { kind: 'clips'; clips: string[] }
  /** The pack cannot say `missing`: synthesise `text` as one phrase. */
  | { kind: 'synthesize'; text: string; missing: string };

/**
 * The clips that say `parts`, longest match first; a run of punctuation or spaces is one pause.
 * Letters match their capital clip ("a" → "A").
 */
export function planClips(parts: readonly SpokenPart[], clips: ReadonlySet<string>): ClipPlan {
  const text = parts.map((p) => p.text).join('');
  let longest = 1;
  for (const k of clips) longest = Math.max(longest, [...k].length);
  const chars = [...text];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] as string;
    if (PAUSE_CHARS.test(ch)) {
      if (out.length > 0 && out[out.length - 1] !== PAUSE) out.push(PAUSE);
      i++;
      continue;
    }
    let found: string | null = null;
    for (let len = Math.min(longest, chars.length - i); len >= 1 && !found; len--) {
      const piece = chars.slice(i, i + len).join('');
      if (clips.has(piece)) found = piece;
      else if (/^[a-z]$/.test(piece) && clips.has(piece.toUpperCase())) found = piece.toUpperCase();
      if (found) i += len;
    }
    if (!found) return { kind: 'synthesize', text: text.replace(/\s+/g, ' ').trim(), missing: ch };
    out.push(found);
  }
  while (out[out.length - 1] === PAUSE) out.pop();
  return { kind: 'clips', clips: out };
}

/** The clips every generated pack has: digits, number units, letters and the usual call words. */
export function baseVocabulary(): string[] {
  const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
  return [...DIGITS, '十', '百', '千', '万', ...letters, '请', '号', '到', '窗口', '号窗口', '办理', '前往', '柜台'];
}
