/**
 * `hall-server devices probe`: every serial port, HID device and USB device on this machine,
 * each with a guess of what it is and a transport to configure it with. Sources are options
 * so the report can be tested without hardware.
 */
import { guessHidDevice, guessSerialPort, guessUsbDevice, type DeviceGuess } from './device-guess';
import { listHidDevices, listSerialPorts, listUsbDevices, type SerialPortInfo, type UsbDeviceInfo } from './transport/device-discovery';
import type { HidDeviceInfo } from './transport/hid-transport';

export interface ProbeReport {
  serial: Array<{ port: SerialPortInfo; guess: DeviceGuess }>;
  hid: Array<{ device: HidDeviceInfo; guess: DeviceGuess }>;
  usb: Array<{ device: UsbDeviceInfo; guess: DeviceGuess }>;
  /** Why a list may be incomplete (no udev, no USB bus visible, permissions). */
  notes: string[];
}

export interface ProbeSources {
  serial?: Parameters<typeof listSerialPorts>[0];
  hid?: Parameters<typeof listHidDevices>[0];
  usb?: Parameters<typeof listUsbDevices>[0];
}

export async function probeDevices(sources: ProbeSources = {}): Promise<ProbeReport> {
  const [serial, hid, usb] = await Promise.all([listSerialPorts(sources.serial), listHidDevices(sources.hid), listUsbDevices(sources.usb)]);
  return {
    serial: serial.items.map((port) => ({ port, guess: guessSerialPort(port) })),
    hid: hid.items.map((device) => ({ device, guess: guessHidDevice(device) })),
    usb: usb.items.map((device) => ({ device, guess: guessUsbDevice(device) })),
    notes: [serial.note, hid.note, usb.note].filter((n): n is string => n !== null),
  };
}

/** The report as text for a terminal: one block per device, the guess and a transport to paste. */
export function formatProbeReport(r: ProbeReport): string {
  const lines: string[] = [];
  const section = (title: string, rows: Array<{ head: string; guess: DeviceGuess }>): void => {
    lines.push(`${title} (${rows.length})`);
    if (rows.length === 0) lines.push('  none');
    for (const { head, guess } of rows) {
      lines.push(`  ${head}`, `    ${guess.kind}: ${guess.why}`);
      if (guess.transport) lines.push(`    transport: ${JSON.stringify(guess.transport)}`);
    }
    lines.push('');
  };
  section(
    'Serial ports',
    r.serial.map(({ port, guess }) => ({ head: port.stablePath ? `${port.stablePath} -> ${port.path}` : port.path, guess })),
  );
  section(
    'HID devices',
    r.hid.map(({ device, guess }) => ({ head: `${device.path ?? '?'}${device.serialNumber ? ` serial ${device.serialNumber}` : ''}`, guess })),
  );
  section(
    'USB devices',
    r.usb.map(({ device, guess }) => ({ head: `${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}${device.serialNumber ? ` serial ${device.serialNumber}` : ''}`, guess })),
  );
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n').trimEnd() + '\n';
}
