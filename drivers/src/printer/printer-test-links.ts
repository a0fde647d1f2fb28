/**
 * Test links for the ticket printer contract suite: the driver's Transport plus, where there is
 * one, the simulator on the other end and controls to pull and reconnect the cable.
 * Test-only (not exported from the package).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLink } from '../transport/memory-transport';
import { SerialTransport } from '../transport/serial-transport';
import type { Transport } from '../transport/transport';
import { UsbFileTransport } from '../transport/usb-file-transport';
import type { EscposTicketPrinterOptions } from './escpos-ticket-printer';
import { SimulatedTicketPrinter } from './simulated-ticket-printer';

export interface PrinterTestLink {
  host: Transport;
  /** The simulator on the device end; absent on real hardware. */
  sim?: SimulatedTicketPrinter;
  /** Pulls the cable: both ends lose the link. Absent on real hardware. */
  unplug?: () => Promise<void>;
  /** Puts the cable back: the device end is open again; the driver reopens its own end. */
  replug?: () => Promise<void>;
  /** Driver options suited to this link. */
  printerOptions: EscposTicketPrinterOptions;
  close(): Promise<void>;
}

export interface PrinterLinkFactory {
  name: string;
  /** false: the suite is skipped (e.g. no hardware port named). */
  available: boolean;
  make(): Promise<PrinterTestLink>;
}

/** The simulator over an in-memory link, with writes split into small chunks like a serial line. */
export const memoryLinkFactory: PrinterLinkFactory = {
  name: 'simulator over a memory link',
  available: true,
  async make() {
    const { host, device } = createMemoryLink('printer-test');
    host.chunkSize = 13;
    device.chunkSize = 1;
    const sim = new SimulatedTicketPrinter(device);
    await sim.start();
    return {
      host,
      sim,
      unplug: async () => sim.unplug(),
      replug: () => sim.replug(),
      // Generous: a loaded test machine must not turn a late status answer into "unknown".
      printerOptions: { statusTimeoutMs: 1500, afterCutStatusDelayMs: 0 },
      close: async () => {
        await host.close();
        await sim.stop();
      },
    };
  },
};

/**
 * A socat pty pair with stable names (link=…), so that after the pair is killed ("unplugged")
 * and started again ("replugged") both SerialTransports can reopen the same paths.
 */
export class NamedPtyPair {
  readonly a: string;
  readonly b: string;
  private proc: ChildProcess | undefined;

  constructor() {
    const id = randomBytes(4).toString('hex');
    this.a = join(tmpdir(), `hall-printer-${process.pid}-${id}-a`);
    this.b = join(tmpdir(), `hall-printer-${process.pid}-${id}-b`);
  }

  async start(timeoutMs = 5000): Promise<void> {
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socat did not start')), timeoutMs);
      let log = '';
      proc.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`socat could not start: ${e.message}`));
      });
      proc.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('starting data transfer loop')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Kills socat: both ends see the line drop. */
  stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    return new Promise((resolve) => {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}

/**
 * The simulator on one pty of a socat pair (SerialTransport), the driver's transport on the
 * other, made by `hostOn(path)`.
 */
function simulatorBehindPty(name: string, hostOn: (path: string) => Transport): PrinterLinkFactory {
  return {
    name,
    available: true,
    async make() {
      const pair = new NamedPtyPair();
      await pair.start();
      const host = hostOn(pair.a);
      const device = new SerialTransport({ path: pair.b, baudRate: 115200 });
      const sim = new SimulatedTicketPrinter(device);
      await sim.start();
      return {
        host,
        sim,
        unplug: async () => {
          const closed = host.isOpen ? new Promise<void>((r) => host.once('close', () => r())) : Promise.resolve();
          await pair.stop();
          await Promise.race([closed, new Promise((r) => setTimeout(r, 300))]);
        },
        replug: async () => {
          await pair.start();
          await sim.replug();
        },
        printerOptions: { statusTimeoutMs: 1500, afterCutStatusDelayMs: 0 },
        close: async () => {
          await host.close();
          await sim.stop();
          await pair.stop();
        },
      };
    },
  };
}

/** SerialTransport on both ends. */
export const ptyLinkFactory = simulatorBehindPty(
  'simulator over a socat pty pair (SerialTransport both ends)',
  (path) => new SerialTransport({ path, baudRate: 115200 }),
);

/**
 * The driver's end opened as a USB printer device file (`UsbFileTransport`, as for
 * `/dev/usb/lp0`): non-blocking writes and polled status reads.
 */
export const usbFilePtyLinkFactory = simulatorBehindPty(
  'simulator behind a socat pty opened as a USB printer file (UsbFileTransport)',
  (path) => new UsbFileTransport(path),
);

/**
 * A real printer on the serial port named by HALL_TEST_PRINTER_PORT (baud HALL_TEST_PRINTER_BAUD,
 * default 9600; HALL_TEST_PRINTER_QR=raster and HALL_TEST_PRINTER_PAPER=80 as needed).
 * It prints real tickets; paper-out and unplug need a person and are skipped.
 */
export const hardwareLinkFactory: PrinterLinkFactory = {
  name: `real printer on ${process.env.HALL_TEST_PRINTER_PORT ?? '(HALL_TEST_PRINTER_PORT not set)'}`,
  available: Boolean(process.env.HALL_TEST_PRINTER_PORT),
  async make() {
    const host = new SerialTransport({
      path: process.env.HALL_TEST_PRINTER_PORT ?? '',
      baudRate: Number(process.env.HALL_TEST_PRINTER_BAUD ?? 9600),
    });
    return {
      host,
      printerOptions: {
        statusTimeoutMs: 500,
        qrMode: process.env.HALL_TEST_PRINTER_QR === 'raster' ? 'raster' : 'native',
        paperWidth: process.env.HALL_TEST_PRINTER_PAPER === '80' ? 80 : 58,
        charset: process.env.HALL_TEST_PRINTER_CHARSET === 'gb18030' ? 'gb18030' : 'gb2312',
      },
      close: () => host.close(),
    };
  },
};
