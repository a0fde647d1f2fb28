/** RS-232/RS-485/USB-COM serial port through serialport 13. */
import { SerialPort } from 'serialport';
import { BaseTransport, TransportClosedError } from './transport';

/** `rts-cts`: hardware handshake (printers with a small buffer); `xon-xoff`: software (DC1/DC3 bytes). */
export type FlowControl = 'none' | 'rts-cts' | 'xon-xoff';

export interface SerialOptions {
  /** `/dev/ttyUSB0`, better the stable `/dev/serial/by-id/usb-…` name, or `COM3` on Windows. */
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** Default `none`. XON/XOFF must not be used with binary protocols (SAM frames, RS-485 frames). */
  flowControl?: FlowControl;
  /**
   * DTR and RTS levels set after opening (some readers and keypads are powered from them, some
   * adapters need them low). Left out: as the OS opens the port (usually both on). With
   * `rts-cts` the RTS line belongs to the handshake and `rts` is ignored.
   */
  dtr?: boolean;
  rts?: boolean;
  /** Tests pass `SerialPortMock.binding`; real use leaves it out. */
  binding?: unknown;
}

export class SerialTransport extends BaseTransport {
  readonly canRead = true;
  readonly description: string;
  private port: SerialPort | undefined;

  constructor(private readonly options: SerialOptions) {
    super();
    const flow = options.flowControl ?? 'none';
    this.description = `serial:${options.path}@${options.baudRate}${flow === 'none' ? '' : ` ${flow}`}`;
  }

  open(): Promise<void> {
    const { path, baudRate, dataBits = 8, parity = 'none', stopBits = 1, flowControl = 'none', binding } = this.options;
    const port = new SerialPort({
      path,
      baudRate,
      dataBits,
      parity,
      stopBits,
      rtscts: flowControl === 'rts-cts',
      xon: flowControl === 'xon-xoff',
      xoff: flowControl === 'xon-xoff',
      autoOpen: false,
      ...(binding ? { binding: binding as never } : {}),
    });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) return reject(new Error(`${this.description}: ${err.message}`));
        this.setLines(port).then(
          () => {
            this.adopt(port);
            resolve();
          },
          (e: Error) => {
            port.close(() => undefined);
            reject(new Error(`${this.description}: cannot set DTR/RTS: ${e.message}`));
          },
        );
      });
    });
  }

  /** DTR/RTS as configured; nothing when neither is. */
  private setLines(port: SerialPort): Promise<void> {
    const { dtr, rts, flowControl } = this.options;
    const lines: { dtr?: boolean; rts?: boolean } = {};
    if (dtr !== undefined) lines.dtr = dtr;
    if (rts !== undefined && flowControl !== 'rts-cts') lines.rts = rts;
    if (Object.keys(lines).length === 0) return Promise.resolve();
    // serialport's set() writes every line, filling the rest with its defaults (RTS on): under
    // rts-cts the handshake takes RTS over anyway.
    return new Promise((resolve, reject) => port.set(lines, (e) => (e ? reject(e) : resolve())));
  }

  /** Takes over an opened port: its events now drive this transport's. */
  private adopt(port: SerialPort): void {
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
