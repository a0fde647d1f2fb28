import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listHidDevices, listSerialPorts, listUsbDevices } from './device-discovery';

describe('device discovery', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('gives each serial port its stable /dev/serial/by-id name', async () => {
    const dev = await mkdtemp(join(tmpdir(), 'hall-dev-'));
    dirs.push(dev);
    const tty0 = join(dev, 'ttyUSB0');
    const tty1 = join(dev, 'ttyUSB1');
    await writeFile(tty0, '');
    await writeFile(tty1, '');
    const byId = join(dev, 'by-id');
    await mkdir(byId);
    await symlink(tty1, join(byId, 'usb-1a86_USB_Serial-if00-port0'));
    const { items, note } = await listSerialPorts({
      byIdDir: byId,
      list: async () => [
        { path: tty0, vendorId: '0403', productId: '6001', serialNumber: 'FT1', manufacturer: 'FTDI' },
        { path: tty1, vendorId: '1a86', productId: '7523' },
      ],
    });
    expect(note).toBeNull();
    expect(items).toEqual([
      { path: tty0, stablePath: null, vendorId: 0x0403, productId: 0x6001, serialNumber: 'FT1', manufacturer: 'FTDI' },
      { path: tty1, stablePath: join(byId, 'usb-1a86_USB_Serial-if00-port0'), vendorId: 0x1a86, productId: 0x7523, serialNumber: null, manufacturer: null },
    ]);
  });

  it('a source that fails gives an empty list with a note, not an exception', async () => {
    const boom = async (): Promise<never> => {
      throw new Error('udev missing');
    };
    expect(await listSerialPorts({ list: boom, byIdDir: '/nonexistent' })).toEqual({ items: [], note: 'serial ports could not be listed: udev missing' });
    expect(await listHidDevices({ list: boom })).toEqual({ items: [], note: 'HID devices could not be listed: udev missing' });
    expect((await listUsbDevices({ list: boom })).note).toMatch(/udev missing/);
  });

  it('describes USB devices by class and bulk endpoint pairs', async () => {
    const { items } = await listUsbDevices({
      list: async () => [
        {
          vendorId: 0x0400,
          productId: 0xc35a,
          serialNumber: 'SN1',
          configuration: {
            interfaces: [
              {
                alternate: {
                  interfaceClass: 255,
                  endpoints: [
                    { endpointNumber: 2, direction: 'out', type: 'bulk' },
                    { endpointNumber: 1, direction: 'in', type: 'bulk' },
                  ],
                },
              },
            ],
          },
        },
      ],
    });
    expect(items).toEqual([
      { vendorId: 0x0400, productId: 0xc35a, serialNumber: 'SN1', manufacturer: null, product: null, interfaceClasses: [255], bulkPairs: [{ out: 0x02, in: 0x81 }] },
    ]);
  });

  it('lists on this machine without throwing (whatever is plugged in)', async () => {
    for (const l of [await listSerialPorts(), await listHidDevices(), await listUsbDevices()]) expect(Array.isArray(l.items)).toBe(true);
  });
});
