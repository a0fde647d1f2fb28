import { describe, expect, it } from 'vitest';
import { formatProbeReport, probeDevices } from './device-probe';

describe('devices probe', () => {
  it('lists each device with its guess and a transport to paste', async () => {
    const report = await probeDevices({
      serial: { byIdDir: '/nonexistent', list: async () => [{ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' }] },
      hid: { list: async () => [{ path: '/dev/hidraw0', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 1, usage: 6 }] },
      usb: {
        list: async () => {
          throw new Error('/sys/bus/usb/devices/ not found');
        },
      },
    });
    expect(report.serial[0]?.guess.kind).toBe('serial-adapter');
    expect(report.hid[0]?.guess.kind).toBe('scanner');
    expect(report.notes).toEqual(['USB devices could not be listed: /sys/bus/usb/devices/ not found']);
    const text = formatProbeReport(report);
    expect(text).toContain('Serial ports (1)\n  /dev/ttyUSB0\n    serial-adapter: 1a86:7523 CH340 USB-serial adapter');
    expect(text).toContain('transport: {"type":"serial","path":"/dev/ttyUSB0","baudRate":9600}');
    expect(text).toContain('USB devices (0)\n  none');
    expect(text).toMatch(/note: USB devices could not be listed/);
  });
});
