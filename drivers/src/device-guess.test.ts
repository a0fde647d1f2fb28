import { describe, expect, it } from 'vitest';
import { guessHidDevice, guessSerialPort, guessUsbDevice } from './device-guess';

const serial = (over: Partial<Parameters<typeof guessSerialPort>[0]>) => ({
  path: '/dev/ttyUSB0',
  stablePath: null,
  vendorId: null,
  productId: null,
  serialNumber: null,
  manufacturer: null,
  ...over,
});
const usb = (over: Partial<Parameters<typeof guessUsbDevice>[0]>) => ({
  vendorId: 0,
  productId: 0,
  serialNumber: null,
  manufacturer: null,
  product: null,
  interfaceClasses: [],
  bulkPairs: [],
  ...over,
});

describe('device guesses', () => {
  it('a CH340 adapter: RS-485 line, printer or reader, configured by its stable name', () => {
    const g = guessSerialPort(serial({ vendorId: 0x1a86, productId: 0x7523, stablePath: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0' }));
    expect(g.kind).toBe('serial-adapter');
    expect(g.why).toMatch(/CH340.*RS-485/);
    expect(g.transport).toEqual({ type: 'serial', path: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0', baudRate: 9600 });
  });

  it('a serial port without a by-id name says so', () => {
    expect(guessSerialPort(serial({ vendorId: 0x0403, productId: 0x6001 })).why).toMatch(/no stable by-id name/);
    expect(guessSerialPort(serial({ path: '/dev/ttyS0' })).why).toMatch(/built-in port/);
  });

  it('a 0400:C35A reader over bulk is an ID reader with a usb-bulk transport; in USB-COM mode, serial at 115200', () => {
    const g = guessUsbDevice(usb({ vendorId: 0x0400, productId: 0xc35a, serialNumber: 'SN9', bulkPairs: [{ out: 0x02, in: 0x81 }] }));
    expect(g).toMatchObject({ kind: 'id-reader', transport: { type: 'usb-bulk', vendorId: 0x0400, productId: 0xc35a, serialNumber: 'SN9' } });
    expect(g.why).toMatch(/CVR-100U/);
    expect(guessSerialPort(serial({ vendorId: 0x0400, productId: 0xc35a })).transport).toMatchObject({ baudRate: 115200 });
  });

  it('a USB printer-class device is a printer on /dev/usb/lp*', () => {
    expect(guessUsbDevice(usb({ vendorId: 0x0416, productId: 0x5011, interfaceClasses: [7] }))).toMatchObject({ kind: 'printer', transport: { type: 'usb-file' } });
  });

  it('HID: POS barcode scanners, scanner vendors in keyboard mode, plain keyboards', () => {
    expect(guessHidDevice({ vendorId: 0x1234, productId: 1, usagePage: 0x8c, path: '/dev/hidraw3' })).toMatchObject({ kind: 'scanner', transport: { type: 'hid', path: '/dev/hidraw3' } });
    expect(guessHidDevice({ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 1, usage: 6, serialNumber: 'X' })).toMatchObject({
      kind: 'scanner',
      transport: { type: 'hid', vendorId: 0x0c2e, productId: 0x0b61, serialNumber: 'X' },
    });
    expect(guessHidDevice({ vendorId: 0x046d, productId: 0xc31c, usagePage: 1, usage: 6 }).kind).toBe('keyboard');
  });

  it('anything else is unknown, with its ids', () => {
    expect(guessUsbDevice(usb({ vendorId: 0x1d6b, productId: 0x0002, product: 'root hub' }))).toEqual({ kind: 'unknown', why: '1d6b:0002 root hub' });
  });
});
