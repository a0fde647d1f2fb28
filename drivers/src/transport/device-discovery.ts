/**
 * What is plugged in: serial ports (with their stable `/dev/serial/by-id/…` names on Linux),
 * HID devices and USB devices, for the admin console's port picker and `hall-server devices
 * probe`. Each lister takes its source as an option so tests run without hardware; a source
 * that is missing on this machine (no udev, no USB bus in a container) gives an empty list and
 * a note, never an exception.
 */
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { HidDeviceInfo } from './hid-transport';
import type { BulkEndpoints } from './usb-bulk-transport';

export interface SerialPortInfo {
  /** What the OS calls it now: `/dev/ttyUSB0`, `COM3`. Changes when adapters are plugged in another order. */
  path: string;
  /** The name to put in config: `/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0`; null where there is none (Windows, built-in ports). */
  stablePath: string | null;
  vendorId: number | null;
  productId: number | null;
  serialNumber: string | null;
  manufacturer: string | null;
}

/** The fields of serialport's `PortInfo` we read (ids are hex strings there). */
export interface RawPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export interface Listing<T> {
  items: T[];
  /** Why the list may be incomplete (e.g. `SerialPort.list() failed: udev missing`). */
  note: string | null;
}

const hexId = (v: string | undefined): number | null => (v && /^[0-9a-f]{1,4}$/i.test(v) ? parseInt(v, 16) : null);

/** Linux's stable names: `/dev/serial/by-id/<name>` → the tty it points at. */
export async function stableSerialNames(byIdDir = '/dev/serial/by-id'): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let entries: string[];
  try {
    entries = await readdir(byIdDir);
  } catch {
    return names; // no USB-serial adapter plugged in, or not Linux
  }
  for (const name of entries.sort()) {
    const link = join(byIdDir, name);
    const target = await realpath(link).catch(() => null);
    if (target && !names.has(target)) names.set(target, link);
  }
  return names;
}

export async function listSerialPorts(
  options: { list?: () => Promise<RawPortInfo[]>; byIdDir?: string } = {},
): Promise<Listing<SerialPortInfo>> {
  let raw: RawPortInfo[] = [];
  let note: string | null = null;
  try {
    raw = await (options.list ?? (async () => (await import('serialport')).SerialPort.list()))();
  } catch (err) {
    note = `serial ports could not be listed: ${(err as Error).message}`;
  }
  const stable = await stableSerialNames(options.byIdDir);
  const items = await Promise.all(
    raw.map(async (p) => {
      const real = await realpath(p.path).catch(() => p.path);
      return {
        path: p.path,
        stablePath: stable.get(real) ?? null,
        vendorId: hexId(p.vendorId),
        productId: hexId(p.productId),
        serialNumber: p.serialNumber ?? null,
        manufacturer: p.manufacturer ?? null,
      };
    }),
  );
  return { items, note };
}

export async function listHidDevices(options: { list?: () => Promise<HidDeviceInfo[]> } = {}): Promise<Listing<HidDeviceInfo>> {
  try {
    const items = await (options.list ?? (async () => (await import('node-hid')).devicesAsync()))();
    return { items, note: null };
  } catch (err) {
    return { items: [], note: `HID devices could not be listed: ${(err as Error).message}` };
  }
}

export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  serialNumber: string | null;
  manufacturer: string | null;
  product: string | null;
  /** Interface classes (7 = printer, 3 = HID, 255 = vendor-specific…). */
  interfaceClasses: number[];
  /** Bulk OUT/IN pairs on one interface, as endpoint addresses. */
  bulkPairs: BulkEndpoints[];
}

/** The fields of a WebUSB device (`usb` package) we read. */
export interface RawUsbDevice {
  vendorId: number;
  productId: number;
  serialNumber?: string | null;
  manufacturerName?: string | null;
  productName?: string | null;
  configuration?: {
    interfaces: Array<{
      alternate: { interfaceClass: number; endpoints: Array<{ endpointNumber: number; direction: 'in' | 'out'; type: string }> };
    }>;
  } | null;
}

export async function listUsbDevices(options: { list?: () => Promise<RawUsbDevice[]> } = {}): Promise<Listing<UsbDeviceInfo>> {
  let raw: RawUsbDevice[];
  try {
    raw = await (options.list ?? (async () => (await (await import('usb')).usb.getDevices()) as unknown as RawUsbDevice[]))();
  } catch (err) {
    return { items: [], note: `USB devices could not be listed: ${(err as Error).message}` };
  }
  const items = raw.map((d) => {
    const interfaces = d.configuration?.interfaces ?? [];
    const bulkPairs: BulkEndpoints[] = [];
    for (const itf of interfaces) {
      const bulk = itf.alternate.endpoints.filter((e) => e.type === 'bulk');
      const outs = bulk.filter((e) => e.direction === 'out');
      const ins = bulk.filter((e) => e.direction === 'in');
      outs.forEach((o, i) => {
        const inp = ins[i];
        if (inp) bulkPairs.push({ out: o.endpointNumber, in: 0x80 | inp.endpointNumber });
      });
    }
    return {
      vendorId: d.vendorId,
      productId: d.productId,
      serialNumber: d.serialNumber ?? null,
      manufacturer: d.manufacturerName ?? null,
      product: d.productName ?? null,
      interfaceClasses: [...new Set(interfaces.map((i) => i.alternate.interfaceClass))],
      bulkPairs,
    };
  });
  return { items, note: null };
}
