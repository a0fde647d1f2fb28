import { createMemoryLink } from '../transport/memory-transport';
import { SerialTransport } from '../transport/serial-transport';
import { HidTransport, parseVidPid } from '../transport/hid-transport';
import { idReaderContract } from './id-reader.contract';
import { SimulatedIdCardReader } from './simulated-id-card-reader';
import { openLinkedPtys } from '../testing/linked-ptys';

idReaderContract({
  name: 'simulator on a memory link',
  simulated: true,
  canUnplug: true,
  async createLink() {
    const { host, device } = createMemoryLink('id-reader');
    device.chunkSize = 61; // replies arrive in pieces, as from a USB-serial adapter
    const sim = new SimulatedIdCardReader(device);
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
  },
});

idReaderContract({
  name: 'simulator behind a socat pty pair, SerialTransport 115200 on both ends',
  simulated: true,
  canUnplug: true,
  async createLink() {
    const ptys = await openLinkedPtys();
    const host = new SerialTransport({ path: ptys.host, baudRate: 115200 });
    const device = new SerialTransport({ path: ptys.device, baudRate: 115200 });
    const sim = new SimulatedIdCardReader(device);
    await sim.start();
    return {
      host,
      sim,
      async unplug() {
        await ptys.unplug();
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
  },
});

const serialPort = process.env.HALL_TEST_ID_READER_PORT;
if (serialPort) {
  idReaderContract({
    name: `real reader on ${serialPort}`,
    simulated: false,
    canUnplug: false,
    interactive: process.env.HALL_TEST_INTERACTIVE === '1',
    readerOptions: { pollIntervalMs: 300, requestTimeoutMs: 1000, readTimeoutMs: 3000 },
    async createLink() {
      const host = new SerialTransport({ path: serialPort, baudRate: Number(process.env.HALL_TEST_ID_READER_BAUD ?? 115200) });
      return { host, close: () => host.close() };
    },
  });
}

const hidReader = process.env.HALL_TEST_HID_READER;
if (hidReader) {
  idReaderContract({
    name: `real HID reader ${hidReader}`,
    simulated: false,
    canUnplug: false,
    interactive: process.env.HALL_TEST_INTERACTIVE === '1',
    readerOptions: { pollIntervalMs: 300, requestTimeoutMs: 1000, readTimeoutMs: 3000 },
    async createLink() {
      const host = new HidTransport({
        ...parseVidPid(hidReader),
        reportSize: Number(process.env.HALL_TEST_HID_REPORT_SIZE ?? 64),
        reportId: process.env.HALL_TEST_HID_REPORT_ID === undefined ? null : Number(process.env.HALL_TEST_HID_REPORT_ID),
      });
      return { host, close: () => host.close() };
    },
  });
}
