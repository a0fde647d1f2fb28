import { afterEach, describe, expect, it } from 'vitest';
import { SerialPortMock } from 'serialport';
import { openPtyPair, type PtyPair } from '../testing/pty-pair';
import { SerialTransport } from './serial-transport';
import { createMemoryLink } from './memory-transport';

function nextData(t: SerialTransport | ReturnType<typeof createMemoryLink>['device'], bytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const onData = (c: Buffer): void => {
      parts.push(c);
      const all = Buffer.concat(parts);
      if (all.length >= bytes) {
        t.off('data', onData);
        resolve(all);
      }
    };
    t.on('data', onData);
  });
}

describe('SerialTransport over a socat pty pair', () => {
  let pair: PtyPair | undefined;
  afterEach(async () => {
    await pair?.close();
    pair = undefined;
  });

  it('carries bytes both ways', async () => {
    pair = await openPtyPair();
    const a = new SerialTransport({ path: pair.a, baudRate: 9600 });
    const b = new SerialTransport({ path: pair.b, baudRate: 9600 });
    await a.open();
    await b.open();
    const got = nextData(b, 4);
    await a.write(Buffer.from([0xff, 0x68, 0x00, 0x16]));
    expect([...(await got)]).toEqual([0xff, 0x68, 0x00, 0x16]);
    const back = nextData(a, 2);
    await b.write(Buffer.from('OK'));
    expect((await back).toString()).toBe('OK');
    await a.close();
    await b.close();
  });

  it('reports a missing port as a clear error', async () => {
    const t = new SerialTransport({ path: '/dev/does-not-exist-hall', baudRate: 9600 });
    await expect(t.open()).rejects.toThrow(/does-not-exist-hall/);
    expect(t.isOpen).toBe(false);
  });

  it('emits close when the other side disappears', async () => {
    pair = await openPtyPair();
    const a = new SerialTransport({ path: pair.a, baudRate: 9600 });
    await a.open();
    const closed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    await pair.close();
    // A pty whose peer is gone reads EIO/hangup; serialport reports it as an error or close.
    await Promise.race([closed, a.write(Buffer.from('x')).then(() => closed, () => closed)]);
    expect(a.isOpen).toBe(false);
  });
});

describe('SerialTransport on the serialport mock binding', () => {
  it('opens and writes through SerialPortMock.binding', async () => {
    SerialPortMock.binding.createPort('/dev/ttyMOCK0', { echo: true, record: true });
    const t = new SerialTransport({ path: '/dev/ttyMOCK0', baudRate: 9600, binding: SerialPortMock.binding });
    await t.open();
    const echoed = nextData(t, 3);
    await t.write(Buffer.from([1, 2, 3]));
    expect([...(await echoed)]).toEqual([1, 2, 3]);
    await t.close();
    SerialPortMock.binding.reset();
  });
});

describe('SerialTransport line settings (flow control, DTR/RTS)', () => {
  /** The mock binding, recording what the transport asked of the port. */
  function recordingBinding() {
    const seen: { open?: Record<string, unknown>; set: Array<Record<string, unknown>> } = { set: [] };
    const mock = SerialPortMock.binding;
    const binding = {
      ...mock,
      async open(options: Parameters<typeof mock.open>[0]) {
        seen.open = options as unknown as Record<string, unknown>;
        const port = await mock.open(options);
        const set = port.set.bind(port);
        port.set = async (s: Parameters<typeof port.set>[0]) => {
          seen.set.push(s as Record<string, unknown>);
          return set(s);
        };
        return port;
      },
    };
    return { binding, seen };
  }

  afterEach(() => SerialPortMock.binding.reset());

  it('RTS/CTS hardware flow control and DTR on', async () => {
    SerialPortMock.binding.createPort('/dev/ttyMOCK1');
    const { binding, seen } = recordingBinding();
    const t = new SerialTransport({ path: '/dev/ttyMOCK1', baudRate: 115200, flowControl: 'rts-cts', dtr: true, binding });
    await t.open();
    expect(seen.open).toMatchObject({ rtscts: true, xon: false, xoff: false });
    // serialport fills the other lines with its defaults; DTR is the one asked for.
    expect(seen.set).toMatchObject([{ dtr: true }]);
    expect(t.description).toBe('serial:/dev/ttyMOCK1@115200 rts-cts');
    await t.close();
  });

  it('XON/XOFF software flow control, DTR and RTS off (readers powered from the lines)', async () => {
    SerialPortMock.binding.createPort('/dev/ttyMOCK2');
    const { binding, seen } = recordingBinding();
    const t = new SerialTransport({ path: '/dev/ttyMOCK2', baudRate: 9600, flowControl: 'xon-xoff', dtr: false, rts: false, binding });
    await t.open();
    expect(seen.open).toMatchObject({ rtscts: false, xon: true, xoff: true });
    expect(seen.set).toMatchObject([{ dtr: false, rts: false }]);
    await t.close();
  });

  it('by default: no flow control, lines left as the OS opens them', async () => {
    SerialPortMock.binding.createPort('/dev/ttyMOCK3');
    const { binding, seen } = recordingBinding();
    const t = new SerialTransport({ path: '/dev/ttyMOCK3', baudRate: 9600, binding });
    await t.open();
    expect(seen.open).toMatchObject({ rtscts: false, xon: false, xoff: false });
    expect(seen.set).toEqual([]);
    await t.close();
  });
});

describe('MemoryTransport', () => {
  it('delivers chunked writes and simulates unplug', async () => {
    const { host, device } = createMemoryLink('t');
    await host.open();
    await device.open();
    host.chunkSize = 2;
    const chunks: Buffer[] = [];
    device.on('data', (c) => chunks.push(c));
    await host.write(Buffer.from([1, 2, 3, 4, 5]));
    await new Promise((r) => setTimeout(r, 5));
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 1]);
    host.unplug();
    expect(host.isOpen).toBe(false);
    await expect(host.open()).rejects.toThrow(/no such port/);
    host.replug();
    await host.open();
    expect(host.isOpen).toBe(true);
  });
});
