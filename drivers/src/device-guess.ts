/**
 * A first guess of what a plugged-in device is, from what the OS says of it (VID:PID, USB
 * class, HID usage), for `hall-server devices probe` and the admin console's port picker.
 * Pure. A guess, not a detection: a USB-serial adapter may carry an RS-485 line, a printer or
 * a SAM reader, and only configuring it and watching its health tells which.
 */
import { presetsForUsb, SAM_SERIAL_BAUD } from './id-reader/reader-presets';
import type { SerialPortInfo, UsbDeviceInfo } from './transport/device-discovery';
import type { HidDeviceInfo } from './transport/hid-transport';

export type GuessedKind = 'id-reader' | 'printer' | 'scanner' | 'serial-adapter' | 'serial-port' | 'keyboard' | 'unknown';

export interface DeviceGuess {
  kind: GuessedKind;
  /** One line for the admin: what it probably is and how to configure it. */
  why: string;
  /** A `transport` for `POST /api/devices` to start from, where one can be said. */
  transport?: Record<string, unknown>;
}

const vidPid = (v: number | null, p: number | null): string => (v === null || p === null ? '?' : `${hex4(v)}:${hex4(p)}`);
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** USB-serial bridge chips found in readers, printers and RS-485 adapters. */
const SERIAL_BRIDGES: Record<string, string> = {
  '1a86:7523': 'CH340',
  '1a86:55d4': 'CH9102',
  '1a86:5523': 'CH341',
  '0403:6001': 'FTDI FT232R',
  '0403:6015': 'FTDI FT-X',
  '067b:2303': 'Prolific PL2303',
  '10c4:ea60': 'Silicon Labs CP210x',
};

/** Vendors that make barcode scanners (their HID devices are scanners, not keyboards). */
const SCANNER_VENDORS: Record<number, string> = {
  0x0c2e: 'Honeywell',
  0x05e0: 'Zebra/Symbol',
  0x1eab: 'Newland',
  0x05f9: 'Datalogic',
  0x2dd6: 'Netum',
};

/** USB interface class 7 = printer (Linux's usblp makes it /dev/usb/lp*). */
const USB_CLASS_PRINTER = 7;
/** HID usage page of bar code scanners (HID POS). */
const USAGE_PAGE_BARCODE = 0x8c;
const USAGE_PAGE_DESKTOP = 0x01;
const USAGE_KEYBOARD = 0x06;

export function guessSerialPort(p: SerialPortInfo): DeviceGuess {
  const path = p.stablePath ?? p.path;
  const id = vidPid(p.vendorId, p.productId);
  const bridge = SERIAL_BRIDGES[id];
  const stableNote = p.stablePath ? '' : p.vendorId === null ? ' (built-in port)' : ' (no stable by-id name: name it by path and keep it in the same USB port)';
  if (p.vendorId !== null && p.productId !== null && presetsForUsb(p.vendorId, p.productId).length > 0)
    return { kind: 'id-reader', why: `${id}: an ID card reader in USB-COM mode, SAM at ${SAM_SERIAL_BAUD} baud${stableNote}`, transport: { type: 'serial', path, baudRate: SAM_SERIAL_BAUD } };
  if (bridge)
    return {
      kind: 'serial-adapter',
      why: `${id} ${bridge} USB-serial adapter: an RS-485 line (boards, keypads, evaluators; 9600), a serial ticket printer (9600) or a SAM ID reader (115200)${stableNote}`,
      transport: { type: 'serial', path, baudRate: 9600 },
    };
  if (p.vendorId === null)
    return { kind: 'serial-port', why: `RS-232 port${stableNote}: a serial printer or reader, or an RS-485 converter`, transport: { type: 'serial', path, baudRate: 9600 } };
  return { kind: 'unknown', why: `${id} serial device${p.manufacturer ? ` by ${p.manufacturer}` : ''}${stableNote}`, transport: { type: 'serial', path, baudRate: 9600 } };
}

export function guessHidDevice(d: HidDeviceInfo): DeviceGuess {
  const id = vidPid(d.vendorId, d.productId);
  const name = [d.manufacturer, d.product].filter(Boolean).join(' ');
  const by = d.serialNumber ? { vendorId: d.vendorId, productId: d.productId, serialNumber: d.serialNumber } : d.path ? { path: d.path } : { vendorId: d.vendorId, productId: d.productId };
  const presets = presetsForUsb(d.vendorId, d.productId);
  if (presets.length > 0) return { kind: 'id-reader', why: `${id} ${name}: ID card reader (${presets.map((p) => p.model).join(' / ')})`, transport: { type: 'hid', ...by } };
  if (d.usagePage === USAGE_PAGE_BARCODE) return { kind: 'scanner', why: `${id} ${name}: barcode scanner in HID POS mode`, transport: { type: 'hid', ...by } };
  const scannerVendor = SCANNER_VENDORS[d.vendorId];
  if (d.usagePage === USAGE_PAGE_DESKTOP && d.usage === USAGE_KEYBOARD)
    return scannerVendor
      ? { kind: 'scanner', why: `${id} ${scannerVendor} scanner in keyboard-wedge mode: it types into the kiosk page (or read it as HID)`, transport: { type: 'hid', ...by } }
      : { kind: 'keyboard', why: `${id} ${name}: a keyboard, or a scanner in keyboard-wedge mode` };
  if (scannerVendor) return { kind: 'scanner', why: `${id} ${scannerVendor} scanner`, transport: { type: 'hid', ...by } };
  return { kind: 'unknown', why: `${id} ${name} HID device (usage page 0x${(d.usagePage ?? 0).toString(16)})` };
}

export function guessUsbDevice(d: UsbDeviceInfo): DeviceGuess {
  const id = vidPid(d.vendorId, d.productId);
  const name = [d.manufacturer, d.product].filter(Boolean).join(' ');
  const presets = presetsForUsb(d.vendorId, d.productId);
  if (presets.length > 0 && d.bulkPairs.length > 0)
    return {
      kind: 'id-reader',
      why: `${id}: ID card reader speaking SAM over USB bulk (${presets.map((p) => p.model).join(' / ')})`,
      transport: { type: 'usb-bulk', vendorId: d.vendorId, productId: d.productId, ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}) },
    };
  if (d.interfaceClasses.includes(USB_CLASS_PRINTER))
    return { kind: 'printer', why: `${id} ${name}: USB printer, driven through its device file /dev/usb/lp* (usb-file)`, transport: { type: 'usb-file', path: '/dev/usb/lp0' } };
  const bridge = SERIAL_BRIDGES[id];
  if (bridge) return { kind: 'serial-adapter', why: `${id} ${bridge}: shows up as a serial port (see the serial list)` };
  return { kind: 'unknown', why: `${id} ${name}`.trim() };
}
