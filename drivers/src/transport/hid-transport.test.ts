import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEMO_PERSONS } from '../id-reader/demo-persons';
import type { IdCardData } from '../id-reader/id-card-data';
import { IdCardReader } from '../id-reader/id-card-reader';
import { SimulatedIdCardReader } from '../id-reader/simulated-id-card-reader';
import { nextEvent } from '../id-reader/testing/wait';
import {
  HidTransport,
  resolveHidPath,
  decodeHidReport,
  encodeHidReports,
  parseVidPid,
  type HidDeviceLike,
  type HidReportFraming,
} from './hid-transport';
import { createMemoryLink } from './memory-transport';

/** A stand-in for node-hid's HIDAsync: records writes, lets the test push input reports. */
class FakeHid extends EventEmitter implements HidDeviceLike {
  written: Buffer[] = [];
  closed = false;
  failWrites = false;
  async write(values: number[] | Buffer): Promise<number> {
    if (this.closed) throw new Error('device closed');
    if (this.failWrites) throw new Error('could not write to HID device');
    this.written.push(Buffer.from(values));
    return values.length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  input(report: Uint8Array): void {
    this.emit('data', Buffer.from(report));
  }
}

const framing = (f: Partial<HidReportFraming>): HidReportFraming => ({ reportSize: 64, reportId: null, lengthPrefix: false, ...f });

describe('HID report codec', () => {
  it('cuts writes into zero-padded reports led by the report id (0x00 without numbered reports)', () => {
    const data = Buffer.from(Array.from({ length: 20 }, (_, i) => i + 1));
    const plain = encodeHidReports(data, framing({ reportSize: 8 }));
    expect(plain.map((r) => [...r])).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
      [0, 9, 10, 11, 12, 13, 14, 15, 16],
      [0, 17, 18, 19, 20, 0, 0, 0, 0],
    ]);
    const numbered = encodeHidReports(data.subarray(0, 5), framing({ reportSize: 8, reportId: 2, lengthPrefix: true }));
    expect(numbered.map((r) => [...r])).toEqual([[2, 5, 1, 2, 3, 4, 5, 0, 0]]);
    expect(encodeHidReports(Buffer.alloc(0))).toEqual([]);
  });

  it('strips the report id and the padding of a length-prefixed report', () => {
    expect([...decodeHidReport(Buffer.from([2, 3, 9, 8, 7, 0, 0]), framing({ reportId: 2, lengthPrefix: true }))]).toEqual([9, 8, 7]);
    // A report not starting with the id is taken whole; a length beyond the report is clamped.
    expect([...decodeHidReport(Buffer.from([5, 1, 2]), framing({ reportId: 2 }))]).toEqual([5, 1, 2]);
    expect([...decodeHidReport(Buffer.from([200, 1, 2]), framing({ lengthPrefix: true }))]).toEqual([1, 2]);
    expect([...decodeHidReport(Buffer.alloc(0), framing({ lengthPrefix: true }))]).toEqual([]);
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 2, max: 80 }),
        fc.option(fc.integer({ min: 1, max: 255 }), { nil: null }),
        (data, reportSize, reportId) => {
          const f = framing({ reportSize, reportId, lengthPrefix: true });
          // On input, the device's reports carry its report id only when it numbers them.
          const reports = encodeHidReports(data, f).map((r) => (reportId === null ? r.subarray(1) : r));
          expect(Buffer.concat(reports.map((r) => decodeHidReport(r, f)))).toEqual(Buffer.from(data));
          for (const r of reports) expect(r.length).toBe(reportSize + (reportId === null ? 0 : 1));
        },
      ),
    );
  });

  it('never throws decoding random reports', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.boolean(), fc.option(fc.nat(255), { nil: null }), (r, lengthPrefix, reportId) => {
        decodeHidReport(r, framing({ lengthPrefix, reportId }));
      }),
    );
  });

  it('rejects impossible framings and parses vid:pid', () => {
    expect(() => encodeHidReports(Buffer.alloc(1), framing({ reportSize: 0 }))).toThrow(RangeError);
    expect(() => new HidTransport({ vendorId: 1, productId: 2, reportId: 300 })).toThrow(RangeError);
    expect(parseVidPid('1a86:E010')).toEqual({ vendorId: 0x1a86, productId: 0xe010 });
    expect(parseVidPid('0x0483:0x5750')).toEqual({ vendorId: 0x0483, productId: 0x5750 });
    expect(() => parseVidPid('1a86-e010')).toThrow(/vid:pid/);
  });
});

describe('HidTransport on a fake device', () => {
  async function openFake(f: Partial<HidReportFraming> = {}): Promise<{ t: HidTransport; dev: FakeHid }> {
    const dev = new FakeHid();
    const t = new HidTransport({ vendorId: 0x1a86, productId: 0xe010, ...f, openDevice: async () => dev });
    await t.open();
    return { t, dev };
  }

  it('opens, reads one data event per report, writes reports', async () => {
    const dev = new FakeHid();
    const t = new HidTransport({ vendorId: 0x1a86, productId: 0xe010, reportSize: 4, reportId: 1, openDevice: async () => dev });
    expect(t.description).toBe('hid:1a86:e010');
    const opened = nextEvent(t, 'open');
    await t.open();
    await opened;
    const data: Buffer[] = [];
    t.on('data', (d) => data.push(d));
    dev.input(Buffer.from([1, 10, 11, 12, 13]));
    dev.input(Buffer.from([1, 14, 0, 0, 0]));
    expect(data.map((d) => [...d])).toEqual([
      [10, 11, 12, 13],
      [14, 0, 0, 0],
    ]);
    await t.write(Buffer.from([1, 2, 3, 4, 5]));
    expect(dev.written.map((r) => [...r])).toEqual([
      [1, 1, 2, 3, 4],
      [1, 5, 0, 0, 0],
    ]);
  });

  it('emits close when the device errors (unplugged), and write then fails', async () => {
    const { t, dev } = await openFake();
    const closed = nextEvent<[Error | undefined]>(t, 'close');
    dev.emit('error', new Error('could not read from HID device'));
    const [err] = await closed;
    expect(err?.message).toMatch(/could not read/);
    expect(t.isOpen).toBe(false);
    expect(dev.closed).toBe(true);
    await expect(t.write(Buffer.from([1]))).rejects.toThrow(/not open/);
  });

  it('a failed write closes the link with a clear error', async () => {
    const { t, dev } = await openFake();
    dev.failWrites = true;
    const closed = nextEvent(t, 'close');
    await expect(t.write(Buffer.from([1]))).rejects.toThrow(/hid:1a86:e010: could not write/);
    await closed;
    expect(t.isOpen).toBe(false);
  });

  it('reports an open failure with the device named', async () => {
    const t = new HidTransport({
      path: '/dev/hidraw9',
      openDevice: async () => {
        throw new Error('cannot open device with path /dev/hidraw9');
      },
    });
    await expect(t.open()).rejects.toThrow(/^hid:\/dev\/hidraw9: cannot open/);
    expect(t.isOpen).toBe(false);
  });

  it('carries SAM frames: an IdCardReader reads a card through 64-byte reports', async () => {
    // Device side: the simulator on a memory link; the fake HID device bridges reports to it.
    const { host: bridge, device } = createMemoryLink('hid-bridge');
    const sim = new SimulatedIdCardReader(device);
    await sim.start();
    await bridge.open();
    const f = framing({ reportSize: 64, reportId: 0x02, lengthPrefix: true });
    const dev = new FakeHid();
    dev.write = async (values) => {
      await bridge.write(decodeHidReport(Buffer.from(values), f));
      return values.length;
    };
    bridge.on('data', (chunk) => {
      for (const r of encodeHidReports(chunk, f)) dev.input(r);
    });
    const t = new HidTransport({ vendorId: 1, productId: 2, ...f, openDevice: async () => dev });
    const reader = new IdCardReader(t, { pollIntervalMs: 10, requestTimeoutMs: 300, readTimeoutMs: 600 });
    await reader.start();
    sim.insertCard(DEMO_PERSONS.adult);
    const [card] = await nextEvent<[IdCardData]>(reader, 'card');
    expect(card.idNumber).toBe(DEMO_PERSONS.adult.idNumber);
    sim.removeCard();
    await nextEvent(reader, 'removed');
    await reader.stop();
    await sim.stop();
  });
});

describe('HID devices chosen by serial number (two identical readers on one PC)', () => {
  const devices = [
    { path: '/dev/hidraw0', vendorId: 0x0400, productId: 0xc35a, serialNumber: 'A1' },
    { path: '/dev/hidraw1', vendorId: 0x0400, productId: 0xc35a, serialNumber: 'B2' },
    { path: '/dev/hidraw2', vendorId: 0x1a86, productId: 0xe010, serialNumber: 'B2' },
  ];

  it('finds the path of the one with that serial number', () => {
    expect(resolveHidPath({ vendorId: 0x0400, productId: 0xc35a, serialNumber: 'B2' }, devices)).toBe('/dev/hidraw1');
  });

  it('names what is missing, and asks for a path when two interfaces match', () => {
    expect(() => resolveHidPath({ vendorId: 0x0400, productId: 0xc35a, serialNumber: 'C3' }, devices)).toThrow('no HID device 0400:c35a serial C3');
    const twice = [...devices, { path: '/dev/hidraw3', vendorId: 0x0400, productId: 0xc35a, serialNumber: 'A1' }];
    expect(() => resolveHidPath({ vendorId: 0x0400, productId: 0xc35a, serialNumber: 'A1' }, twice)).toThrow(/2 HID interfaces match .*: name one by path/);
  });

  it('the transport passes the serial number on and shows it in its name', async () => {
    let asked: unknown;
    const t = new HidTransport({
      vendorId: 0x0400,
      productId: 0xc35a,
      serialNumber: 'B2',
      openDevice: async (target) => {
        asked = target;
        throw new Error('not here');
      },
    });
    await expect(t.open()).rejects.toThrow('hid:0400:c35a#B2: not here');
    expect(asked).toEqual({ vendorId: 0x0400, productId: 0xc35a, serialNumber: 'B2' });
  });
});

describe('HidTransport on node-hid', () => {
  it('fails to open a VID/PID that is not there with a clear error, not a crash', async () => {
    const t = new HidTransport({ vendorId: 0xfffe, productId: 0xfffd });
    await expect(t.open()).rejects.toThrow(/^hid:fffe:fffd: .+/);
    expect(t.isOpen).toBe(false);
    await t.close();
  });

  it('fails to open a missing path with a clear error', async () => {
    const t = new HidTransport({ path: '/dev/hidraw-hall-missing' });
    await expect(t.open()).rejects.toThrow(/^hid:\/dev\/hidraw-hall-missing: .+/);
  });

  const real = process.env.HALL_TEST_HID_READER;
  it.skipIf(!real)('opens and closes the real device named by HALL_TEST_HID_READER', async () => {
    const t = new HidTransport({ ...parseVidPid(real as string) });
    await t.open();
    expect(t.isOpen).toBe(true);
    await t.close();
    expect(t.isOpen).toBe(false);
  });
});
