/**
 * How common second-generation ID card readers are reached, per model: which transport, which
 * USB endpoints, which baud rate. Data from public sources (vendor manuals, open reader code),
 * not from our own bench: `hall-server devices probe` shows what a plugged-in reader really
 * is (VID:PID, serial number), and the preset is the first thing to try, not a promise.
 */
import { SAM_BULK_ENDPOINTS, type BulkEndpoints } from '../transport/usb-bulk-transport';

/** SAM modules talk 115200 8N1 on serial (also the default for an `id-reader` without `baudRate`). */
export const SAM_SERIAL_BAUD = 115200;

export type ReaderConnection =
  /** SAM frames over vendor bulk endpoints: `UsbBulkTransport`. */
  | { type: 'usb-bulk'; vendorId: number; productId: number; endpoints: readonly BulkEndpoints[] }
  /** SAM frames over RS-232 or a USB-serial (CDC/USB-COM) port: `SerialTransport`. */
  | { type: 'serial'; baudRate: number }
  /** SAM wrapped in the vendor's own HID report framing: only the vendor SDK reads it (`VendorIdCardReader`). */
  | { type: 'vendor-sdk'; vendorId?: number; productId?: number; note: string };

export interface IdReaderPreset {
  /** Key for config: `cvr-100u`. */
  id: string;
  /** What the label on the reader says. */
  model: string;
  vendor: string;
  /** Ways the model is reached, most common first (some models ship in USB and serial variants). */
  connections: readonly ReaderConnection[];
}

/** 0400:C35A: the VID:PID many SAM readers enumerate with on USB. */
const SAM_USB: ReaderConnection = { type: 'usb-bulk', vendorId: 0x0400, productId: 0xc35a, endpoints: SAM_BULK_ENDPOINTS };
const SAM_SERIAL: ReaderConnection = { type: 'serial', baudRate: SAM_SERIAL_BAUD };

export const ID_READER_PRESETS: readonly IdReaderPreset[] = [
  { id: 'cvr-100u', model: 'CVR-100U', vendor: '华视电子 (China Vision)', connections: [SAM_USB, SAM_SERIAL] },
  { id: 'ss628', model: 'SS628', vendor: '神思电子 (Synthesis)', connections: [SAM_USB, SAM_SERIAL] },
  {
    id: 'idr210',
    model: 'iDR210',
    vendor: '精伦电子 (Sunrise)',
    connections: [{ type: 'vendor-sdk', note: 'HID reader with its own report framing: read through the vendor SDK (a tool run as a child process)' }],
  },
  { id: 'dkq-a16d', model: 'DKQ-A16D', vendor: '新中新 (Synjones)', connections: [SAM_SERIAL, SAM_USB] },
  {
    id: 'routon-hid',
    model: 'Routon HID readers',
    vendor: '神思旭 / Routon',
    connections: [{ type: 'vendor-sdk', note: 'HID reader with its own report framing: read through the vendor SDK (a tool run as a child process)' }],
  },
];

export function idReaderPreset(id: string): IdReaderPreset | undefined {
  return ID_READER_PRESETS.find((p) => p.id === id);
}

/** Presets a USB device with this VID:PID may be (for `devices probe`). */
export function presetsForUsb(vendorId: number, productId: number): IdReaderPreset[] {
  return ID_READER_PRESETS.filter((p) =>
    p.connections.some((c) => c.type !== 'serial' && c.vendorId === vendorId && c.productId === productId),
  );
}
