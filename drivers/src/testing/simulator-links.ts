/**
 * The two links a driver contract suite runs over without hardware: the kind's simulator on a
 * memory link, and on the far end of a socat pty pair (a real serial line). Both can be
 * unplugged and plugged back like a USB-serial adapter.
 */
import { createMemoryLink } from '../transport/memory-transport';
import { SerialTransport } from '../transport/serial-transport';
import type { Transport } from '../transport/transport';
import { openLinkedPtys } from './linked-ptys';

export interface Simulator {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SimulatorLink<S> {
  host: Transport;
  sim: S;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

/** The simulator on a memory link delivering at most `chunkSize` bytes per read. */
export async function simulatorOnMemoryLink<S extends Simulator>(name: string, chunkSize: number, makeSim: (device: Transport) => S): Promise<SimulatorLink<S>> {
  const { host, device } = createMemoryLink(name);
  device.chunkSize = chunkSize;
  const sim = makeSim(device);
  await sim.start();
  return {
    host,
    sim,
    async unplug() {
      host.unplug();
    },
    async replug() {
      host.replug();
      await device.open();
    },
    async close() {
      await sim.stop();
      await host.close();
    },
  };
}

/** The simulator behind a socat pty pair, SerialTransport at `baudRate` on both ends. */
export async function simulatorOnPtys<S extends Simulator>(
  baudRate: number,
  makeSim: (device: Transport) => S,
  opts: { afterUnplug?: (host: Transport) => void } = {},
): Promise<SimulatorLink<S>> {
  const ptys = await openLinkedPtys();
  const host = new SerialTransport({ path: ptys.host, baudRate });
  const device = new SerialTransport({ path: ptys.device, baudRate });
  const sim = makeSim(device);
  await sim.start();
  return {
    host,
    sim,
    async unplug() {
      await ptys.unplug();
      opts.afterUnplug?.(host);
    },
    async replug() {
      await device.close();
      await ptys.replug();
      await device.open();
    },
    async close() {
      await sim.stop();
      await host.close();
      await ptys.close();
    },
  };
}
