import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../id-reader/demo-persons';
import type { IdCardData } from '../id-reader/id-card-data';
import { IdCardReader } from '../id-reader/id-card-reader';
import { SimulatedIdCardReader } from '../id-reader/simulated-id-card-reader';
import { nextEvent, until } from '../id-reader/testing/wait';
import { FakeUsbDevice, fakeUsbFinder } from '../testing/fake-usb-device';
import { parseVidPid } from './hid-transport';
import { UsbBulkTransport } from './usb-bulk-transport';

describe('UsbBulkTransport (a fake USB device behind the transport interface)', () => {
  const stops: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('carries SAM frames to a 0400:C35A reader over bulk 02/81: the ID reader reads a card', async () => {
    const usb = new FakeUsbDevice();
    const sim = new SimulatedIdCardReader(usb.deviceEnd);
    const transport = new UsbBulkTransport({ vendorId: 0x0400, productId: 0xc35a, finder: fakeUsbFinder([usb]), readTimeoutMs: 50 });
    const reader = new IdCardReader(transport, { pollIntervalMs: 10 });
    stops.push(() => reader.stop());
    await reader.start();
    await sim.start();
    await until(() => reader.health.status === 'online', 3000, 'online');
    expect(usb.claimed).toEqual([0]);
    sim.insertCard(DEMO_PERSONS.adult);
    const [card] = await nextEvent<[IdCardData]>(reader, 'card', 3000);
    expect(card.name).toBe(DEMO_PERSONS.adult.name);
    // What went out is SAM frames, byte for byte.
    expect(usb.outTransfers[0]?.subarray(0, 5).toString('hex')).toBe('aaaaaa9669');
  });

  it('uses the 06/85 pair on models that have it', async () => {
    const usb = new FakeUsbDevice({ out: 0x06, in: 0x85 });
    const t = new UsbBulkTransport({ vendorId: 0x0400, productId: 0xc35a, finder: fakeUsbFinder([usb]), readTimeoutMs: 20 });
    stops.push(() => t.close());
    await t.open();
    const got = new Promise<Buffer>((r) => t.once('data', r));
    usb.deviceEnd.on('data', (c) => void usb.deviceEnd.write(c)); // loopback
    await t.write(Buffer.from('ping'));
    expect((await got).toString()).toBe('ping');
  });

  it('picks one of two identical readers by serial number', async () => {
    const a = new FakeUsbDevice({ serialNumber: 'A1' });
    const b = new FakeUsbDevice({ serialNumber: 'B2' });
    const t = new UsbBulkTransport({ vendorId: 0x0400, productId: 0xc35a, serialNumber: 'B2', finder: fakeUsbFinder([a, b]), readTimeoutMs: 20 });
    stops.push(() => t.close());
    await t.open();
    expect(t.description).toBe('usb:0400:c35a#B2');
    expect([a.opened, b.opened]).toEqual([false, true]);
  });

  it('a missing device, or one without the endpoints, is a clear error', async () => {
    const none = new UsbBulkTransport({ vendorId: 0x0400, productId: 0xc35a, finder: fakeUsbFinder([]) });
    await expect(none.open()).rejects.toThrow('usb:0400:c35a: no such USB device');
    const other = new FakeUsbDevice({ out: 0x01, in: 0x82 });
    const t = new UsbBulkTransport({ vendorId: 0x0400, productId: 0xc35a, finder: fakeUsbFinder([other]) });
    await expect(t.open()).rejects.toThrow(/none of the bulk endpoint pairs OUT 0x02\/IN 0x81, OUT 0x06\/IN 0x85/);
    expect(t.isOpen).toBe(false);
  });

  it('unplugging closes the link (reader offline); replugged, it opens again', async () => {
    const usb = new FakeUsbDevice();
    const t = new UsbBulkTransport({ vendorId: 0x0400, productId: 0xc35a, finder: fakeUsbFinder([usb]), readTimeoutMs: 20 });
    stops.push(() => t.close());
    await t.open();
    const closed = new Promise<Error | undefined>((r) => t.once('close', r));
    usb.unplug();
    expect((await closed)?.message).toMatch(/disconnected/);
    expect(t.isOpen).toBe(false);
    expect(usb.claimed).toEqual([]);
    usb.unplugged = false;
    await t.open();
    expect(t.isOpen).toBe(true);
  });

  it('close() returns while an IN transfer waits', async () => {
    const usb = new FakeUsbDevice();
    const t = new UsbBulkTransport({ vendorId: 0x0400, productId: 0xc35a, finder: fakeUsbFinder([usb]), readTimeoutMs: 60_000 });
    await t.open();
    await t.close();
    expect(t.isOpen).toBe(false);
    expect(usb.opened).toBe(false);
  });
});

/** A real reader: HALL_TEST_USB_READER=0400:c35a (optional HALL_TEST_USB_READER_SERIAL); lay a card on it. */
const realReader = process.env.HALL_TEST_USB_READER;
describe.skipIf(!realReader)(`UsbBulkTransport on the real reader ${realReader ?? ''}`, () => {
  it('answers the SAM id request and reads the card laid on it', async () => {
    const ids = parseVidPid(realReader as string);
    const serialNumber = process.env.HALL_TEST_USB_READER_SERIAL;
    const reader = new IdCardReader(new UsbBulkTransport({ ...ids, ...(serialNumber ? { serialNumber } : {}) }));
    try {
      await reader.start();
      await until(() => reader.health.status === 'online', 10_000, 'online');
      expect(reader.samId).not.toBeNull();
      const [card] = await nextEvent<[IdCardData]>(reader, 'card', 30_000);
      expect(card.idNumber).toMatch(/^[0-9]{17}[0-9X]$/);
    } finally {
      await reader.stop();
    }
  });
});
