/**
 * A USB printer device file (`/dev/usb/lp0`) is played by one end of a socat pty pair: like
 * usblp it is a character device that takes writes, answers reads only when the printer has
 * something to say, and honours O_NONBLOCK. The other end is the "printer".
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../testing/pty-pair';
import { SerialTransport } from './serial-transport';
import { UsbFileTransport } from './usb-file-transport';

/** Resolves 'done' when `p` settles, 'stuck' when it has not after `ms` (a hang, not a speed check). */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<'done' | 'stuck'> {
  return Promise.race([
    p.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), ms).unref()),
  ]);
}

/** libuv's pool size in this process (Node's default is 4). */
const POOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE ?? 4);

describe('UsbFileTransport (a socat pty standing in for /dev/usb/lp0)', () => {
  const pairs: PtyPair[] = [];
  const transports: UsbFileTransport[] = [];
  afterEach(async () => {
    // Killing socat hangs up the ptys, so even a read blocked by an old driver returns.
    await Promise.all(pairs.splice(0).map((p) => p.close()));
    await Promise.all(transports.splice(0).map((t) => settlesWithin(t.close(), 2000)));
  });

  async function silentPrinter(options?: ConstructorParameters<typeof UsbFileTransport>[1]): Promise<{ t: UsbFileTransport; pair: PtyPair }> {
    const pair = await openPtyPair();
    pairs.push(pair);
    const t = new UsbFileTransport(pair.a, options);
    transports.push(t);
    await t.open();
    return { t, pair };
  }

  it('silent printers never hold a thread of the libuv pool: other file I/O goes on', async () => {
    const work = (async () => {
      for (let i = 0; i <= POOL_SIZE; i++) {
        const { t } = await silentPrinter();
        expect(t.canRead).toBe(true);
        await t.write(Buffer.from([0x10, 0x04, 0x01])); // DLE EOT 1, never answered
      }
      await readFile(new URL(import.meta.url));
    })();
    // With a blocking read per printer, every pool thread ends up waiting on a silent device
    // and the later writes and this readFile never complete.
    expect(await settlesWithin(work, 5000)).toBe('done');
  });

  it('close() returns while the device stays silent (removing the printer never hangs)', async () => {
    const { t } = await silentPrinter();
    await t.write(Buffer.from([0x10, 0x04, 0x01]));
    expect(await settlesWithin(t.close(), 5000)).toBe('done');
    expect(t.isOpen).toBe(false);
  });

  it('reads the answer to a status request (polled, non-blocking)', async () => {
    const { t, pair } = await silentPrinter();
    const printer = new SerialTransport({ path: pair.b, baudRate: 115200 });
    await printer.open();
    printer.on('data', () => void printer.write(Buffer.from([0x12])));
    const got = new Promise<Buffer>((r) => t.once('data', r));
    await t.write(Buffer.from([0x10, 0x04, 0x01]));
    expect([...(await got)]).toEqual([0x12]);
    await printer.close();
  });

  it('does not read at all with readStatus: false', async () => {
    const { t } = await silentPrinter({ readStatus: false });
    expect(t.canRead).toBe(false);
    await t.write(Buffer.from('x'));
    expect(await settlesWithin(t.close(), 5000)).toBe('done');
  });

  it('delivers a write larger than the device buffer, in order (EAGAIN is retried)', async () => {
    const { t, pair } = await silentPrinter();
    const printer = new SerialTransport({ path: pair.b, baudRate: 115200 });
    await printer.open();
    const data = Buffer.alloc(64 * 1024, 0);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    const parts: Buffer[] = [];
    const all = new Promise<void>((resolve) =>
      printer.on('data', (c: Buffer) => {
        parts.push(c);
        if (parts.reduce((n, p) => n + p.length, 0) >= data.length) resolve();
      }),
    );
    await t.write(data);
    await all;
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    await printer.close();
  });

  it('a device that goes away closes the link', async () => {
    const { t, pair } = await silentPrinter();
    const closed = new Promise<void>((r) => t.once('close', () => r()));
    await pair.close();
    await t.write(Buffer.from('x')).catch(() => undefined);
    expect(await settlesWithin(closed, 5000)).toBe('done');
    expect(t.isOpen).toBe(false);
  });

  it('a missing device is an error, and no file is created in its place', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hall-lp-'));
    const path = join(dir, 'lp0');
    const t = new UsbFileTransport(path);
    await expect(t.open()).rejects.toThrow(/lp0/);
    expect(existsSync(path)).toBe(false);
    await rm(dir, { recursive: true });
  });
});
