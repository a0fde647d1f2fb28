/** The booking's QR code as SVG markup (bundled `qrcode`, as on the kiosk; no CDN). */
import QRCode from 'qrcode';

/** An SVG of `text` with the 4-module quiet zone; level M reads off a phone screen held to a kiosk scanner. */
export function bookingQrSvg(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const dark = Array.from({ length: n * n }, (_, i) => (modules.get(Math.floor(i / n), i % n) ? `M${(i % n) + 4} ${Math.floor(i / n) + 4}h1v1h-1z` : '')).join('');
  const size = n + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${dark}" fill="#000"/></svg>`;
}
