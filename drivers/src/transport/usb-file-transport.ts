/**
 * A USB printer class device file (`/dev/usb/lp0`, Linux's usblp driver).
 *
 * Node runs every file read and write on the libuv thread pool (4 threads by default, shared by
 * all file I/O of the process). A blocking read on a printer that has nothing to say holds a
 * pool thread until the printer speaks — possibly forever — and `FileHandle.close()` waits for
 * it. So the device is opened with O_NONBLOCK and nothing here ever blocks: a read returns
 * EAGAIN at once when there is no answer, a write the device cannot take yet returns EAGAIN and
 * is retried, and each pool job is one short system call.
 *
 * Status answers (DLE EOT) are read by polling: after each write the file is read every
 * `readPollMs` for `readWindowMs`, then reading stops until the next write. `readStatus: false`
 * never reads at all (for devices whose driver ignores O_NONBLOCK on reads).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseTransport, TransportClosedError } from './transport';

export interface UsbFileOptions {
  /** Read status answers at all. Default true (when the file can be opened read-write). */
  readStatus?: boolean;
  /** How long after a write answers are looked for; keep it above the printer's `statusTimeoutMs`. Default 2000 ms. */
  readWindowMs?: number;
  /** Pause between two reads that found nothing. Default 10 ms. */
  readPollMs?: number;
  /** A write the device does not take within this long fails (printer stalled). Default 10 s. */
  writeTimeoutMs?: number;
}

/** Errors that mean "nothing to read / cannot take more now, ask again". */
const TRY_AGAIN = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);
/** Errors that mean the device itself is gone (unplugged, hung up). */
const GONE = new Set(['ENODEV', 'EIO', 'ENXIO', 'EBADF', 'ESHUTDOWN', 'EPIPE']);
/** Pause before retrying a write the device did not take. */
const WRITE_RETRY_MS = 5;

const code = (err: unknown): string => (err as NodeJS.ErrnoException)?.code ?? '';

export class UsbFileTransport extends BaseTransport {
  readonly description: string;
  private handle: FileHandle | undefined;
  private readable = false;
  private readUntil = 0;
  private reader: Promise<void> | undefined;
  private readonly readStatus: boolean;
  private readonly readWindowMs: number;
  private readonly readPollMs: number;
  private readonly writeTimeoutMs: number;

  constructor(
    private readonly path: string,
    options: UsbFileOptions = {},
  ) {
    super();
    this.description = `usb-file:${path}`;
    this.readStatus = options.readStatus ?? true;
    this.readWindowMs = options.readWindowMs ?? 2000;
    this.readPollMs = options.readPollMs ?? 10;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
  }

  get canRead(): boolean {
    return this.readable;
  }

  async open(): Promise<void> {
    // Never O_CREAT: when the printer is unplugged /dev/usb/lp0 is missing, and creating a
    // plain file there would "print" into it and look online.
    const { O_RDWR, O_WRONLY } = constants;
    // Absent on Windows (where printers go through the spooler, see the devices README).
    const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
    const O_NOCTTY = constants.O_NOCTTY ?? 0;
    let handle: FileHandle | undefined;
    let readable = false;
    if (this.readStatus) {
      handle = await open(this.path, O_RDWR | O_NONBLOCK | O_NOCTTY).catch(() => undefined);
      readable = handle !== undefined;
    }
    if (!handle) {
      try {
        handle = await open(this.path, O_WRONLY | O_NONBLOCK | O_NOCTTY);
      } catch (err) {
        throw new Error(`${this.description}: ${(err as Error).message}`);
      }
    }
    // A plain file (printing to a file for a test or a demo) never answers: do not poll it.
    if (readable && (await handle.stat().catch(() => null))?.isFile()) readable = false;
    this.handle = handle;
    this.readable = readable;
    this.markOpen();
  }

  async write(data: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (!handle || !this.opened) throw new TransportClosedError(this.description);
    const deadline = Date.now() + this.writeTimeoutMs;
    let offset = 0;
    try {
      while (offset < data.length) {
        try {
          const { bytesWritten } = await handle.write(data, offset, data.length - offset, null);
          offset += bytesWritten;
        } catch (err) {
          if (!TRY_AGAIN.has(code(err))) throw err;
          if (Date.now() > deadline) throw new Error(`${this.description}: the printer took no data for ${this.writeTimeoutMs} ms`);
          await sleep(WRITE_RETRY_MS);
        }
        if (this.handle !== handle) throw new TransportClosedError(this.description);
      }
    } catch (err) {
      if (this.handle === handle) await this.drop(err as Error);
      throw err;
    }
    if (this.readable) this.pollAnswers();
  }

  /** Looks for answers for `readWindowMs` from now; one poll loop at a time. */
  private pollAnswers(): void {
    this.readUntil = Date.now() + this.readWindowMs;
    this.reader ??= this.readLoop().finally(() => (this.reader = undefined));
  }

  private async readLoop(): Promise<void> {
    const buf = Buffer.alloc(64);
    while (this.handle && this.readable) {
      const handle = this.handle;
      let got = 0;
      try {
        got = (await handle.read(buf, 0, buf.length, null)).bytesRead;
      } catch (err) {
        const c = code(err);
        if (GONE.has(c)) {
          if (this.handle === handle) await this.drop(err as Error);
          return;
        }
        // A device that cannot be read (EINVAL…) still prints: stop asking it.
        if (!TRY_AGAIN.has(c)) this.readable = false;
      }
      if (this.handle !== handle) return;
      if (got > 0) {
        this.emit('data', Buffer.from(buf.subarray(0, got)));
        continue;
      }
      if (Date.now() >= this.readUntil) return;
      await sleep(this.readPollMs);
    }
  }

  private async drop(error?: Error): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    this.closed(error);
  }

  async close(): Promise<void> {
    await this.drop();
  }
}
