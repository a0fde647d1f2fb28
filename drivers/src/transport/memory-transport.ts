/**
 * An in-memory duplex link: what one end writes, the other end receives, asynchronously and
 * optionally split into chunks, as a real serial line would deliver it. Simulators sit on the
 * device end; tests and `npm start` use it in place of a cable.
 */
import { BaseTransport, TransportClosedError } from './transport';

export class MemoryTransport extends BaseTransport {
  readonly canRead = true;
  peer: MemoryTransport | undefined;
  /** Test control: split every write into chunks of at most this many bytes. */
  chunkSize = Infinity;
  /** Test control: while true, open() fails as if the port were missing. */
  unplugged = false;

  constructor(readonly description: string) {
    super();
  }

  async open(): Promise<void> {
    if (this.unplugged) throw new Error(`${this.description}: no such port`);
    this.markOpen();
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.opened) throw new TransportClosedError(this.description);
    const peer = this.peer;
    const bytes = Buffer.from(data);
    const size = Number.isFinite(this.chunkSize) ? Math.max(1, this.chunkSize) : bytes.length || 1;
    for (let i = 0; i < bytes.length; i += size) {
      const chunk = bytes.subarray(i, i + size);
      setImmediate(() => {
        if (peer?.isOpen && this.opened) peer.emit('data', chunk);
      });
    }
  }

  async close(): Promise<void> {
    this.closed();
  }

  /** Test control: the cable is pulled. Both ends see `close`; open() fails until replug(). */
  unplug(): void {
    this.unplugged = true;
    if (this.peer) this.peer.unplugged = true;
    this.closed(new Error(`${this.description}: device unplugged`));
    this.peer?.closed(new Error(`${this.peer.description}: device unplugged`));
  }

  /** Test control: the cable is back; each end must open() again. */
  replug(): void {
    this.unplugged = false;
    if (this.peer) this.peer.unplugged = false;
  }
}

/** A connected pair: `host` for the driver, `device` for the simulator. */
export function createMemoryLink(name = 'memory'): { host: MemoryTransport; device: MemoryTransport } {
  const host = new MemoryTransport(`${name}:host`);
  const device = new MemoryTransport(`${name}:device`);
  host.peer = device;
  device.peer = host;
  return { host, device };
}
