/**
 * A USB printer class device file (`/dev/usb/lp0`). Linux's usblp driver accepts writes and,
 * on most printers, answers reads with the printer's status bytes; we open read-write when
 * allowed and fall back to write-only.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { BaseTransport, TransportClosedError } from './transport';

export class UsbFileTransport extends BaseTransport {
  readonly description: string;
  private handle: FileHandle | undefined;
  private readWrite = false;
  private reading = false;

  constructor(private readonly path: string) {
    super();
    this.description = `usb-file:${path}`;
  }

  get canRead(): boolean {
    return this.readWrite;
  }

  async open(): Promise<void> {
    try {
      this.handle = await open(this.path, 'r+');
      this.readWrite = true;
    } catch {
      try {
        this.handle = await open(this.path, 'a');
        this.readWrite = false;
      } catch (err) {
        throw new Error(`${this.description}: ${(err as Error).message}`);
      }
    }
    this.markOpen();
  }

  async write(data: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (!handle || !this.opened) throw new TransportClosedError(this.description);
    try {
      await handle.write(data);
      if (this.readWrite) void this.readOnce();
    } catch (err) {
      this.closed(err as Error);
      throw err;
    }
  }

  /** After a write that asked for status, the answer is read back once. */
  private async readOnce(): Promise<void> {
    if (this.reading || !this.handle) return;
    this.reading = true;
    try {
      const buf = Buffer.alloc(64);
      const { bytesRead } = await this.handle.read(buf, 0, buf.length, null);
      if (bytesRead > 0) this.emit('data', buf.subarray(0, bytesRead));
    } catch {
      // Not every printer answers reads; status then stays unknown.
    } finally {
      this.reading = false;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    this.closed();
  }
}
