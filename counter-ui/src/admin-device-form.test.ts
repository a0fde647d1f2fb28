import { describe, expect, it } from 'vitest';
import { createDeviceBody, deviceForm, emptyDeviceForm, parseUsbId, patchDeviceBody, portChoices, statusLine, testPrintText, transportForm, type DeviceForm } from './admin-device-form';

const form = (p: Partial<DeviceForm>): DeviceForm => ({ ...emptyDeviceForm(), name: '设备', ...p });

describe('device form: every transport', () => {
  it('serial with baud, flow control and DTR/RTS; a default baud stays absent', () => {
    expect(createDeviceBody(form({ kind: 'printer', type: 'serial', path: ' /dev/serial/by-id/usb-FTDI-if00 ', baudRate: '19200', flowControl: 'rts-cts', dtr: 'on', rts: 'off', attach: 'terminal:kiosk-1' }))).toEqual({
      ok: true,
      value: { kind: 'printer', name: '设备', transport: { type: 'serial', path: '/dev/serial/by-id/usb-FTDI-if00', baudRate: 19200, flowControl: 'rts-cts', dtr: true, rts: false }, attachedTo: { terminalId: 'kiosk-1' } },
    });
    const r = createDeviceBody(form({ kind: 'id-reader', type: 'serial', path: '/dev/ttyUSB0' }));
    expect(r.ok && r.value.transport).toEqual({ type: 'serial', path: '/dev/ttyUSB0' });
  });
  it('tcp, usb-file, hid (by serial number or path), usb-bulk, vendor-sdk, windows-printer, simulated', () => {
    const t = (p: Partial<DeviceForm>) => {
      const r = createDeviceBody(form(p));
      return r.ok ? r.value.transport : r.error;
    };
    expect(t({ type: 'tcp', host: '192.0.2.7', port: '9100' })).toEqual({ type: 'tcp', host: '192.0.2.7', port: 9100 });
    expect(t({ type: 'usb-file', path: '/dev/usb/lp0' })).toEqual({ type: 'usb-file', path: '/dev/usb/lp0' });
    expect(t({ kind: 'id-reader', type: 'hid', vendorId: '0x0400', productId: 'C35A', serialNumber: 'SN1' })).toEqual({ type: 'hid', vendorId: 0x0400, productId: 0xc35a, serialNumber: 'SN1' });
    expect(t({ kind: 'id-reader', type: 'hid', vendorId: '10c4', productId: '8468', hidPath: '/dev/hidraw3' })).toEqual({ type: 'hid', vendorId: 0x10c4, productId: 0x8468, path: '/dev/hidraw3' });
    expect(t({ kind: 'id-reader', type: 'usb-bulk', vendorId: '0400', productId: 'c35a' })).toEqual({ type: 'usb-bulk', vendorId: 0x0400, productId: 0xc35a });
    expect(t({ kind: 'id-reader', type: 'vendor-sdk', tool: 'sdt' })).toEqual({ type: 'vendor-sdk', tool: 'sdt' });
    expect(t({ type: 'windows-printer', printer: ' POS-80 ' })).toEqual({ type: 'windows-printer', printer: 'POS-80' });
    expect(transportForm({ type: 'windows-printer', printer: '\\\\KIOSK1\\POS80' })).toEqual({ type: 'windows-printer', printer: '\\\\KIOSK1\\POS80' });
    expect(t({ type: 'simulated', path: 'ignored' })).toEqual({ type: 'simulated' });
  });
  it('refuses what the server would, in Chinese first', () => {
    expect(createDeviceBody(form({ type: 'hid', vendorId: 'zz', productId: '1' }))).toMatchObject({ ok: false, error: expect.stringMatching(/^厂商ID/) });
    expect(createDeviceBody(form({ kind: 'keypad', attach: 'counter:c1' }))).toMatchObject({ ok: false, error: expect.stringMatching(/^总线地址/) });
    const baud = createDeviceBody(form({ type: 'serial', path: '/dev/ttyS0', baudRate: '12' }));
    expect(!baud.ok && baud.error).toMatch(/^波特率（transport\.baudRate）：/);
    const path = createDeviceBody(form({ type: 'serial', path: '' }));
    expect(!path.ok && path.error).toMatch(/^端口路径（transport\.path）：/);
    expect(createDeviceBody(form({ options: '[1]' }))).toMatchObject({ ok: false, error: expect.stringMatching(/^高级选项须为 JSON 对象/) });
    expect(parseUsbId('12345')).toBeNaN();
  });
  it('RS-485 devices carry address and profile; options go as JSON', () => {
    const r = createDeviceBody(form({ kind: 'led-board', type: 'serial', path: '/dev/ttyUSB1', attach: 'counter:c1', address: '3', profile: 'keypad-echo', options: '{"lines": 1}' }));
    expect(r.ok && r.value).toMatchObject({ attachedTo: { counterId: 'c1' }, address: 3, profile: 'keypad-echo', options: { lines: 1 } });
  });
});

describe('device form: edits', () => {
  const saved = deviceForm({ kind: 'printer', name: '一楼打印机', transport: { type: 'serial', path: '/dev/ttyS0', baudRate: 9600, dtr: true }, attachedTo: { terminalId: 'k1' }, address: null, profile: null });
  it('round-trips a saved device', () => {
    expect(saved).toMatchObject({ type: 'serial', path: '/dev/ttyS0', baudRate: '9600', dtr: 'on', rts: '', attach: 'terminal:k1' });
    expect(patchDeviceBody(saved, saved)).toEqual({ ok: true, value: {} });
  });
  it('shows saved options and sends them only when changed; emptied means none', () => {
    const withOptions = deviceForm({ kind: 'printer', name: 'p', transport: { type: 'simulated' }, attachedTo: null, address: null, profile: null, options: { paperWidth: 58 } });
    expect(withOptions.options).toBe('{"paperWidth":58}');
    expect(patchDeviceBody(withOptions, { ...withOptions, options: '{ "paperWidth": 58 }' })).toEqual({ ok: true, value: {} });
    expect(patchDeviceBody(withOptions, { ...withOptions, options: '{"paperWidth": 80}' })).toEqual({ ok: true, value: { options: { paperWidth: 80 } } });
    expect(patchDeviceBody(withOptions, { ...withOptions, options: '' })).toEqual({ ok: true, value: { options: {} } });
  });
  it('sends a changed transport whole, a rename alone, options only when typed', () => {
    expect(patchDeviceBody(saved, { ...saved, baudRate: '115200' })).toEqual({ ok: true, value: { transport: { type: 'serial', path: '/dev/ttyS0', baudRate: 115200, dtr: true } } });
    expect(patchDeviceBody(saved, { ...saved, name: '二楼打印机', options: '{"paperWidth":58}' })).toEqual({ ok: true, value: { name: '二楼打印机', options: { paperWidth: 58 } } });
    expect(patchDeviceBody(saved, { ...saved, attach: '' })).toEqual({ ok: true, value: { attachedTo: null } });
  });
});

describe('port picker', () => {
  it('offers stable names first and the probe\'s transport', () => {
    const choices = portChoices({
      serial: [{ port: { path: '/dev/ttyUSB0', stablePath: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0', vendorId: 0x1a86, productId: 0x7523, serialNumber: null, manufacturer: 'QinHeng' }, guess: { kind: 'serial-adapter', why: 'CH340 USB-serial adapter' } }],
      hid: [{ device: { path: '/dev/hidraw2', vendorId: 0x0c2e, productId: 0x0b61, serialNumber: 'A1', product: 'Scanner' }, guess: { kind: 'scanner', why: 'a barcode scanner', transport: { type: 'hid', vendorId: 0x0c2e, productId: 0x0b61, serialNumber: 'A1' } } }],
      usb: [
        { device: { vendorId: 0x0400, productId: 0xc35a, serialNumber: null, manufacturer: null, product: 'SAM' }, guess: { kind: 'id-reader', why: 'SAM reader over bulk', transport: { type: 'usb-bulk', vendorId: 0x0400, productId: 0xc35a } } },
        { device: { vendorId: 1, productId: 2, serialNumber: null, manufacturer: null, product: 'hub' }, guess: { kind: 'unknown', why: 'a hub' } },
      ],
      notes: [],
    });
    expect(choices.map((c) => [c.label, c.kind])).toEqual([
      ['/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0（当前 /dev/ttyUSB0） 1a86:7523 QinHeng', null],
      ['HID 0c2e:0b61 Scanner SN A1 /dev/hidraw2', 'scanner'],
      ['USB 0400:c35a SAM', 'id-reader'],
    ]);
    expect(transportForm(choices[0]?.transport ?? {})).toEqual({ type: 'serial', path: '/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0', baudRate: '', flowControl: '', dtr: '', rts: '' });
    expect(transportForm(choices[1]?.transport ?? {})).toEqual({ type: 'hid', vendorId: '0c2e', productId: '0b61', serialNumber: 'A1', hidPath: '' });
  });
});

describe('status and test print in words', () => {
  it('says status, since when and why', () => {
    expect(statusLine({ status: 'error', detail: '缺纸 paper out', since: '2026-11-26T10:32:00+08:00' })).toBe('故障 · 自 10:32：缺纸 paper out');
    expect(statusLine({ status: 'online', detail: null })).toBe('在线');
  });
  it('says why a test page did not print', () => {
    expect(testPrintText({ printed: true, code: null, message: null })).toBe('测试页已打印 Test page printed');
    expect(testPrintText({ printed: false, code: 'PRINTER.PAPER_OUT', message: 'x' })).toBe('测试页未打印：缺纸 paper out（PRINTER.PAPER_OUT）');
    expect(testPrintText({ printed: false, code: 'PRINTER.NEW', message: '新故障' })).toBe('测试页未打印：新故障（PRINTER.NEW）');
  });
});
