/** A 1-bit image as ESC/POS raster data: rows of `widthDots / 8` bytes, MSB leftmost, 1 = black. */
export interface RasterImage {
  /** A multiple of 8. */
  widthDots: number;
  height: number;
  data: Uint8Array;
}

export function blankRaster(widthDots: number, height: number): RasterImage {
  const width = Math.ceil(Math.max(8, widthDots) / 8) * 8;
  return { widthDots: width, height, data: new Uint8Array((width / 8) * height) };
}

export function setDot(image: RasterImage, x: number, y: number): void {
  if (x < 0 || y < 0 || x >= image.widthDots || y >= image.height) return;
  const i = y * (image.widthDots / 8) + (x >> 3);
  image.data[i] = (image.data[i] ?? 0) | (0x80 >> (x & 7));
}

export function getDot(image: RasterImage, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= image.widthDots || y >= image.height) return false;
  return (((image.data[y * (image.widthDots / 8) + (x >> 3)] ?? 0) << (x & 7)) & 0x80) !== 0;
}

export function countDots(image: RasterImage): number {
  let n = 0;
  for (const byte of image.data) for (let b = byte; b; b &= b - 1) n++;
  return n;
}
