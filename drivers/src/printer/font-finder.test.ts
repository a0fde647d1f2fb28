import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fontconfigFinder, windowsFontFinder } from './font-finder';
import { missingGlyphs, rasterizeTextLine } from './text-raster';

const hasFontconfig = (() => {
  try {
    execFileSync('fc-list', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('fontconfigFinder (fontconfig faked)', () => {
  it('asks fc-list for a font with the character and picks the same file every time', () => {
    const calls: string[][] = [];
    const finder = fontconfigFinder(
      (file, args) => {
        calls.push([file, ...args]);
        return '/f/HanaMinB.ttf: \n/f/HanaMinA.ttf: \n';
      },
      () => true,
    );
    expect(finder.fontFor(0x20bb7)).toBe('/f/HanaMinA.ttf');
    expect(finder.fontFor(0x20bb7)).toBe('/f/HanaMinA.ttf');
    expect(calls).toEqual([['fc-list', ':charset=20bb7', 'file']]);
  });

  it('asks fc-match for the Chinese sans font', () => {
    const finder = fontconfigFinder((file, args) => (file === 'fc-match' && args.includes('sans-serif:lang=zh-cn') ? '/f/wqy-zenhei.ttc\n' : ''), () => true);
    expect(finder.defaultCjkFont()).toBe('/f/wqy-zenhei.ttc');
  });

  it('no fontconfig, or no font with the character: null, never an exception', () => {
    const missing = fontconfigFinder(() => {
      throw new Error('spawn fc-list ENOENT');
    });
    expect(missing.fontFor(0x20bb7)).toBeNull();
    expect(missing.defaultCjkFont()).toBeNull();
    expect(fontconfigFinder(() => '', () => true).fontFor(0x10fffd)).toBeNull();
  });

  it('on Windows: the system fonts, SimSun-ExtB for Extension B', () => {
    const dir = 'C:\\Windows\\Fonts';
    const have = new Set([join(dir, 'simsun.ttc'), join(dir, 'simsunb.ttf')]);
    const finder = windowsFontFinder(dir, (p) => have.has(p));
    expect(finder.fontFor(0x20bb7)).toMatch(/simsunb\.ttf$/);
    expect(finder.defaultCjkFont()).toMatch(/simsun\.ttc$/);
  });
});

describe.skipIf(!hasFontconfig)('CJK Extension B on this machine (fontconfig, Debian fonts-hanazono)', () => {
  it('fontconfig names an installed font for 𠮷 (U+20BB7)', () => {
    const file = fontconfigFinder().fontFor(0x20bb7);
    expect(file).not.toBeNull();
    expect(existsSync(file as string)).toBe(true);
  });

  it('𠮷 is drawn from a font, not as an empty box', () => {
    expect(missingGlyphs('吉𠮷')).toEqual([]);
    // A character no font has (plane 16 private use) is still the box.
    expect(missingGlyphs('\u{10fffd}')).toEqual(['\u{10fffd}']);
    const opts = { paperDots: 48, align: 'left' as const, widthScale: 1, heightScale: 1, bold: false };
    const glyph = Buffer.from(rasterizeTextLine('𠮷', opts).data);
    expect(glyph.equals(Buffer.from(rasterizeTextLine('\u{10fffd}', opts).data))).toBe(false);
  });
});
