/**
 * Which font file draws a character on a raster ticket line, asked of fontconfig (`fc-match`,
 * `fc-list`) instead of a hard-coded path, so whatever CJK fonts the machine has are used:
 * Debian's fonts-wqy-zenhei for the common hanzi, fonts-hanazono (花園明朝) or Noto CJK for
 * CJK Extension B names such as 𠮷. On Windows, where there is no fontconfig, the fonts that
 * ship with the system are looked for in %WINDIR%\Fonts.
 *
 * Lookups run a short child process synchronously (ticket encoding is synchronous) once per
 * character and are cached: a rare name costs a few milliseconds the first time only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

export interface FontFinder {
  /** The font for ordinary Chinese text, or null when none is known. */
  defaultCjkFont(): string | null;
  /** A font file that has a glyph for this code point, or null. */
  fontFor(codePoint: number): string | null;
}

/** Runs a program and returns its stdout; throws when it cannot run or fails. */
export type RunProgram = (file: string, args: string[]) => string;

const runSync: RunProgram = (file, args) => execFileSync(file, args, { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] });

/** Font files fontconfig knows, through `fc-match` / `fc-list`. */
export function fontconfigFinder(run: RunProgram = runSync, exists: (path: string) => boolean = existsSync): FontFinder {
  const byCodePoint = new Map<number, string | null>();
  let cjk: string | null | undefined;
  const firstFile = (out: string): string | null => {
    const files = [...new Set(out.split('\n').map((l) => l.trim().replace(/:$/, '')).filter(Boolean))];
    // fc-list lists in no fixed order: the real file (not an alias link) sorted by name, so
    // the same machine always picks the same font.
    const real = [...new Set(files.map((f) => safeRealpath(f)))].filter((f) => exists(f)).sort();
    return real[0] ?? null;
  };
  return {
    defaultCjkFont() {
      if (cjk !== undefined) return cjk;
      try {
        cjk = firstFile(run('fc-match', ['-f', '%{file}\n', 'sans-serif:lang=zh-cn']));
      } catch {
        cjk = null;
      }
      return cjk;
    },
    fontFor(codePoint) {
      const known = byCodePoint.get(codePoint);
      if (known !== undefined) return known;
      let file: string | null = null;
      try {
        file = firstFile(run('fc-list', [`:charset=${codePoint.toString(16)}`, 'file']));
      } catch {
        file = null;
      }
      if (byCodePoint.size < 10_000) byCodePoint.set(codePoint, file);
      return file;
    },
  };
}

/** The fonts Windows ships: 微软雅黑 / 宋体 for text, SimSun-ExtB for Extension B. */
export function windowsFontFinder(fontsDir = join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts'), exists: (path: string) => boolean = existsSync): FontFinder {
  const first = (names: string[]): string | null => names.map((n) => join(fontsDir, n)).find((p) => exists(p)) ?? null;
  return {
    defaultCjkFont: () => first(['msyh.ttc', 'simsun.ttc', 'simhei.ttf']),
    fontFor: (codePoint) => (codePoint > 0xffff ? first(['simsunb.ttf']) : first(['msyh.ttc', 'simsun.ttc'])),
  };
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

let platformFinder: FontFinder | undefined;

/** fontconfig where there is one (Linux), the system fonts on Windows. */
export function systemFontFinder(): FontFinder {
  platformFinder ??= process.platform === 'win32' ? windowsFontFinder() : fontconfigFinder();
  return platformFinder;
}
