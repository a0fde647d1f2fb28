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
