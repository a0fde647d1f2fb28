/**
 * The QR code as a raster image for printers without `GS ( k` (many cheap 58 mm models):
 * the matrix comes from the `qrcode` package, scaled to whole dots, with its quiet zone.
 */
import QRCode from 'qrcode';
import type { Align, QrErrorCorrection } from './print-ops';
import { blankRaster, type RasterImage } from './raster-image';

export interface QrRasterOptions {
  moduleSize: number;
  errorCorrection: QrErrorCorrection;
  paperDots: number;
  align: Align;
}

const QUIET_ZONE = 4;

export function rasterizeQr(data: string, options: QrRasterOptions): RasterImage {
  const matrix = QRCode.create(data, { errorCorrectionLevel: options.errorCorrection }).modules;
  const size = matrix.size;
  const span = size + 2 * QUIET_ZONE;
  // Shrink the modules if the symbol would not fit across the paper.
  const module = Math.max(1, Math.min(Math.floor(options.moduleSize) || 1, Math.floor(options.paperDots / span)));
  const image = blankRaster(options.paperDots, span * module);
  const symbolDots = span * module;
  const free = Math.max(0, image.widthDots - symbolDots);
  const left = (options.align === 'center' ? Math.floor(free / 2) : options.align === 'right' ? free : 0) + QUIET_ZONE * module;
  const top = QUIET_ZONE * module;
  const rowBytes = image.widthDots / 8;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!matrix.get(r, c)) continue;
      for (let dy = 0; dy < module; dy++) {
        const row = (top + r * module + dy) * rowBytes;
        for (let dx = 0; dx < module; dx++) {
          const x = left + c * module + dx;
          if (x >= image.widthDots) continue;
          const i = row + (x >> 3);
          image.data[i] = (image.data[i] ?? 0) | (0x80 >> (x & 7));
        }
      }
    }
  }
  return image;
}
