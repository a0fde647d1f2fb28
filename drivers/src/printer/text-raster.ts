/**
 * Draws one ticket line as a 1-bit image, for lines holding a character the printer's font
 * lacks (rare names like 䶮 on a GB2312 printer, 𠮷, emoji). Characters are drawn in the same
 * 12/24-dot cells the printer uses, so a raster line lines up with the text around it.
 *
 * Fonts come from fontconfig (`font-finder.ts`): the machine's CJK font for the line, and for
 * a character it lacks (CJK Extension B such as 𠮷) whichever installed font has it.
 */
import { createRequire } from 'node:module';
import type * as CanvasModule from '@napi-rs/canvas';
import type { Align } from './print-ops';
import { systemFontFinder, type FontFinder } from './font-finder';
import { blankRaster, type RasterImage } from './raster-image';
import { charColumns } from './text-wrap';

/** Only when fontconfig is not there to ask (Debian's fonts-wqy-zenhei). */
export const DEFAULT_TICKET_FONT = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';
const FAMILY = 'HallTicketCJK';
/** Extra dots under a raster line, close to the printer's default line spacing for 24-dot text. */
export const RASTER_LINE_GAP = 6;

type Canvas = typeof CanvasModule;
let canvasModule: Canvas | undefined;
/**
 * Skia and the CJK font cost ~20 MB of memory: they are loaded on the first line that needs
 * them (rare), not at start-up. Loaded synchronously so encoding a ticket stays synchronous.
 */
function canvas(): Canvas {
  canvasModule ??= createRequire(import.meta.url)('@napi-rs/canvas') as Canvas;
  return canvasModule;
}

let fontState: { path: string; ok: boolean } | undefined;
let finder: FontFinder | undefined;
/** Fonts registered for characters the main font lacks: file → family name. */
const fallbackFamilies = new Map<string, string>();

/** Tests swap the font finder; real use asks fontconfig. */
export function setTicketFontFinder(next: FontFinder): void {
  finder = next;
}

function fonts(): FontFinder {
  finder ??= systemFontFinder();
  return finder;
}

/** Registers the CJK font once per process (cheap to call again). Default: fontconfig's choice for Chinese. */
export function ensureTicketFont(path = fonts().defaultCjkFont() ?? DEFAULT_TICKET_FONT): boolean {
  if (fontState?.path === path) return fontState.ok;
  let ok = false;
  try {
    ok = canvas().GlobalFonts.registerFromPath(path, FAMILY) !== null;
  } catch {
    ok = false;
  }
  fontState = { path, ok };
  return ok;
}

let warmed = false;

/** Loads the font and the canvas code paths once, so the first out-of-charset ticket is not slow. */
export function warmUpTextRaster(): void {
  if (warmed) return;
  warmed = true;
  rasterizeTextLine('䶮A', { paperDots: 64, align: 'left', widthScale: 1, heightScale: 1, bold: true });
}

export interface TextRasterOptions {
  /** Image width: the printable width of the paper, so alignment never depends on ESC a. */
  paperDots: number;
  align: Align;
  widthScale: number;
  heightScale: number;
  bold: boolean;
}

export function rasterizeTextLine(text: string, options: TextRasterOptions): RasterImage {
  ensureTicketFont();
  const ws = clampScale(options.widthScale);
  const hs = clampScale(options.heightScale);
  const cellW = 12 * ws;
  const cellH = 24 * hs;
  const height = cellH + RASTER_LINE_GAP;
  const image = blankRaster(options.paperDots, height);
  const chars = [...text];
  const lineDots = chars.reduce((n, ch) => n + charColumns(ch) * cellW, 0);
  const free = Math.max(0, image.widthDots - lineDots);
  let x = options.align === 'center' ? Math.floor(free / 2) : options.align === 'right' ? free : 0;

  const surface = canvas().createCanvas(image.widthDots, height);
  const ctx = surface.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, image.widthDots, height);
  ctx.fillStyle = '#000';
  ctx.strokeStyle = '#000';
  ctx.font = fontList();
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  const midY = Math.floor(RASTER_LINE_GAP / 2) + cellH / 2;
  for (const ch of chars) {
    const cols = charColumns(ch);
    const cell = cols * cellW;
    if (ch !== ' ') {
      const measured = glyphWidth(ctx, ch);
      if (cols === 2 && measured < MIN_WIDE_GLYPH) {
        // No font here has the glyph: draw an empty box (豆腐块) rather than nothing or '?'.
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.lineWidth = Math.max(1, ws);
        ctx.strokeRect(x + 3 * ws, Math.floor(RASTER_LINE_GAP / 2) + 2 * hs, cell - 6 * ws, cellH - 4 * hs);
      } else {
        const natural = measured * ws;
        const squeeze = natural > cell ? cell / natural : 1;
        const left = x + Math.max(0, (cell - natural * squeeze) / 2);
        ctx.setTransform(ws * squeeze, 0, 0, hs, left, midY);
        ctx.fillText(ch, 0, 0);
        if (options.bold) ctx.fillText(ch, 1 / ws, 0);
      }
    }
    x += cell;
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  const pixels = ctx.getImageData(0, 0, image.widthDots, height).data;
  const rowBytes = image.widthDots / 8;
  for (let y = 0; y < height; y++) {
    for (let px = 0; px < image.widthDots; px++) {
      const o = (y * image.widthDots + px) * 4;
      // White background, so the red channel alone says how dark the pixel is.
      if ((pixels[o] ?? 255) < 128) {
        const i = y * rowBytes + (px >> 3);
        image.data[i] = (image.data[i] ?? 0) | (0x80 >> (px & 7));
      }
    }
  }
  return image;
}

type Context = ReturnType<ReturnType<Canvas['createCanvas']>['getContext']>;

function fontList(): string {
  return `24px ${[FAMILY, ...fallbackFamilies.values(), 'DejaVu Sans'].map((f) => `"${f}"`).join(', ')}`;
}

/** A wide character narrower than this was drawn as the missing-glyph mark. */
const MIN_WIDE_GLYPH = 14;

/**
 * The character's width in the fonts at hand; a wide character the fonts lack gets the font
 * fontconfig names for it, registered on the spot (and kept for later lines).
 */
function glyphWidth(ctx: Context, ch: string): number {
  const width = ctx.measureText(ch).width;
  if (charColumns(ch) !== 2 || width >= MIN_WIDE_GLYPH) return width;
  const file = fonts().fontFor(ch.codePointAt(0) ?? 0);
  if (!file || fallbackFamilies.has(file)) return width;
  const family = `HallTicketFallback${fallbackFamilies.size + 1}`;
  try {
    if (canvas().GlobalFonts.registerFromPath(file, family) === null) return width;
  } catch {
    return width;
  }
  fallbackFamilies.set(file, family);
  ctx.font = fontList();
  return ctx.measureText(ch).width;
}

/** The characters of `text` no font on this machine can draw (they print as an empty box). */
export function missingGlyphs(text: string): string[] {
  ensureTicketFont();
  const ctx = canvas().createCanvas(48, 32).getContext('2d');
  ctx.font = fontList();
  return [...new Set([...text].filter((ch) => charColumns(ch) === 2 && glyphWidth(ctx, ch) < MIN_WIDE_GLYPH))];
}

function clampScale(n: number): number {
  return Math.min(8, Math.max(1, Math.floor(n) || 1));
}
