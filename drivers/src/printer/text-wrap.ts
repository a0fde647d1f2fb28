/**
 * Column arithmetic for a CJK receipt printer. In Chinese mode every non-ASCII character is
 * printed in a full-width (24-dot) cell and every ASCII character in a half-width (12-dot)
 * cell, so the width of a character is decided by its code point alone: ASCII 1, else 2.
 * The raster fallback draws into the same cells, so layout never depends on the charset.
 */

/** Removes what must never reach the printer from caller text: control codes (which would be
 * ESC/POS commands), bidi and zero-width marks, variation selectors, lone surrogates. */
export function sanitizeText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d) out += ' ';
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) continue;
    else if (cp >= 0xd800 && cp <= 0xdfff) continue;
    else if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) continue;
    else if (cp === 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) continue;
    else out += ch;
  }
  return out;
}

export function charColumns(ch: string): 1 | 2 {
  return (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
}

export function textColumns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

/** Characters a line should not start with (避头点). */
const NO_LINE_START = new Set([...'，。、；：！？）》」』】〕〉”’…—·,.;:!?)]}%']);

/**
 * Greedy wrap to `columns`, breaking between CJK characters anywhere and between ASCII words at
 * spaces (a word longer than the line is split). Continuation lines get `indent` spaces (hanging
 * indent for numbered lists). A closing punctuation mark that would start a line pulls the
 * previous character down with it. Every returned line is at most `columns` wide.
 */
export function wrapText(text: string, columns: number, indent = 0): string[] {
  const width = Math.max(2, Math.floor(columns));
  const hang = Math.min(Math.max(0, Math.floor(indent)), width - 2);
  const tokens = tokenize(sanitizeText(text));
  const lines: string[][] = [];
  let line: string[] = [];
  let used = 0;
  const limit = (): number => (lines.length === 0 ? width : width - hang);
  const newLine = (): void => {
    while (line.length > 0 && line[line.length - 1] === ' ') line.pop();
    lines.push(line);
    line = [];
    used = 0;
  };

  for (const token of tokens) {
    if (token === ' ') {
      if (line.length > 0 && used + 1 <= limit()) {
        line.push(' ');
        used += 1;
      }
      continue;
    }
    const w = textColumns(token);
    if (used + w <= limit()) {
      line.push(token);
      used += w;
      continue;
    }
    if (w > width - hang) {
      // A word wider than a whole line: split it by characters.
      for (const ch of token) {
        const cw = charColumns(ch);
        if (used + cw > limit() && line.length > 0) newLine();
        line.push(ch);
        used += cw;
      }
      continue;
    }
    if (line.length > 0) {
      const last = line[line.length - 1];
      if (NO_LINE_START.has(token) && last !== undefined && last !== ' ' && line.length > 1) {
        line.pop();
        newLine();
        line.push(last, token);
        used = textColumns(last) + w;
        if (used > limit()) {
          // The word cannot move down with its punctuation (a narrow hanging indent): leave it
          // where it fitted and let the punctuation start the line, rather than overflow.
          (lines[lines.length - 1] as string[]).push(last);
          line = [token];
          used = w;
        }
        continue;
      }
      newLine();
    }
    line.push(token);
    used += w;
  }
  if (line.length > 0 || lines.length === 0) newLine();
  const pad = ' '.repeat(hang);
  return lines.map((l, i) => (i === 0 ? l.join('') : pad + l.join('')));
}

/** ASCII words (runs of printable non-space ASCII), single spaces, single wide characters. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  for (const ch of text) {
    if (ch === ' ') {
      if (word) tokens.push(word);
      word = '';
      tokens.push(' ');
    } else if (charColumns(ch) === 1) {
      word += ch;
    } else {
      if (word) tokens.push(word);
      word = '';
      tokens.push(ch);
    }
  }
  if (word) tokens.push(word);
  return tokens;
}
