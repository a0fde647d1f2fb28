/** Network printers and RS-485-to-Ethernet converters (raw TCP, usually port 9100 or 4001). */
import { Socket } from 'node:net';
import { BaseTransport, TransportClosedError } from './transport';

export class TcpTransport extends BaseTransport {
  readonly canRead = true;
  readonly description: string;
  private socket: Socket | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly connectTimeoutMs = 3000,
  ) {
    super();
    this.description = `tcp:${host}:${port}`;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const fail = (err: Error): void => {
        socket.destroy();
        reject(new Error(`${this.description}: ${err.message}`));
      };
      socket.setTimeout(this.connectTimeoutMs, () => fail(new Error('connect timeout')));
      socket.once('error', fail);
      socket.connect(this.port, this.host, () => {
        socket.off('error', fail);
        socket.setTimeout(0);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 10_000);
        this.socket = socket;
        this.markOpen();
        socket.on('data', (chunk) => this.emit('data', chunk));
        socket.on('error', (e) => this.closed(e));
        socket.on('close', () => this.closed());
        resolve();
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || !this.opened) return Promise.reject(new TransportClosedError(this.description));
    return new Promise((resolve, reject) => {
      socket.write(Buffer.from(data), (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) {
      this.closed();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      socket.end(() => {
        socket.destroy();
        this.closed();
        resolve();
      });
      setTimeout(() => {
        socket.destroy();
        this.closed();
        resolve();
      }, 500).unref();
    });
  }
}
