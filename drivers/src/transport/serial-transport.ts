/** RS-232/RS-485/USB-COM serial port through serialport 13. */
import { SerialPort } from 'serialport';
import { BaseTransport, TransportClosedError } from './transport';

export interface SerialOptions {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** Tests pass `SerialPortMock.binding`; real use leaves it out. */
  binding?: unknown;
}

export class SerialTransport extends BaseTransport {
  readonly canRead = true;
  readonly description: string;
  private port: SerialPort | undefined;

  constructor(private readonly options: SerialOptions) {
    super();
    this.description = `serial:${options.path}@${options.baudRate}`;
  }

  open(): Promise<void> {
    const { path, baudRate, dataBits = 8, parity = 'none', stopBits = 1, binding } = this.options;
    const port = new SerialPort({
      path,
      baudRate,
      dataBits,
      parity,
      stopBits,
      autoOpen: false,
      ...(binding ? { binding: binding as never } : {}),
    });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) return reject(new Error(`${this.description}: ${err.message}`));
        this.port = port;
        this.markOpen();
        // Events of a port we have since replaced (a quick reopen) must not close the new one.
        const current = (): boolean => this.port === port;
        port.on('data', (chunk: Buffer) => {
          if (current()) this.emit('data', chunk);
        });
        port.on('close', (e?: Error | null) => {
          if (current()) this.dropPort(e ?? undefined);
        });
        // An error after open (cable pulled) ends the link; close() reports it once.
        port.on('error', (e: Error) => {
          if (current()) this.dropPort(e);
        });
        resolve();
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port || !this.opened) return Promise.reject(new TransportClosedError(this.description));
    return new Promise((resolve, reject) => {
      let settled = false;
      // A write error on a serial line means the adapter or the pty peer is gone.
      const gone = (e: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.port === port) this.dropPort(e);
        reject(e);
      };
      // A port that dies during drain may never call back: give up after a generous bound.
      const timer = setTimeout(() => gone(new Error(`${this.description}: write timed out`)), this.writeTimeoutMs(data.length));
      port.write(Buffer.from(data), (err) => {
        if (err) return gone(err);
        port.drain((e) => {
          if (e) return gone(e);
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve();
        });
      });
    });
  }

  /** Time the bytes need on the wire at this baud rate, plus slack. */
  private writeTimeoutMs(bytes: number): number {
    return 2000 + Math.ceil((bytes * 10 * 1000) / this.options.baudRate) * 2;
  }

  private dropPort(error?: Error): void {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) port.close(() => undefined);
    this.closed(error);
  }

  close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) {
      this.closed();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      port.close(() => {
        this.closed();
        resolve();
      });
    });
  }
}
