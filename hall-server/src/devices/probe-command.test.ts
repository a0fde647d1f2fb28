import { describe, expect, it } from 'vitest';
import { runDevicesCommand } from './probe-command';

const sources = {
  serial: { byIdDir: '/nonexistent', list: async () => [{ path: '/dev/ttyUSB0', vendorId: '0400', productId: 'c35a' }] },
  hid: { list: async () => [] },
  usb: { list: async () => [] },
};

describe('hall-server devices probe', () => {
  it('prints each device with a guess', async () => {
    let text = '';
    expect(await runDevicesCommand(['probe'], (t) => (text += t), sources)).toBe(0);
    expect(text).toContain('/dev/ttyUSB0\n    id-reader: 0400:c35a: an ID card reader in USB-COM mode, SAM at 115200 baud');
  });

  it('--json prints the report as data', async () => {
    let text = '';
    await runDevicesCommand(['probe', '--json'], (t) => (text += t), sources);
    expect(JSON.parse(text)).toMatchObject({ serial: [{ port: { path: '/dev/ttyUSB0' }, guess: { kind: 'id-reader' } }], hid: [], usb: [], notes: [] });
  });

  it('anything else prints the usage and exits 2', async () => {
    let text = '';
    expect(await runDevicesCommand(['list'], (t) => (text += t), sources)).toBe(2);
    expect(text).toMatch(/devices probe/);
  });
});
