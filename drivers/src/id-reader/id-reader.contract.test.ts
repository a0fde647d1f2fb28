import { SerialTransport } from '../transport/serial-transport';
import { HidTransport, parseVidPid } from '../transport/hid-transport';
import { idReaderContract } from './id-reader.contract';
import { SimulatedIdCardReader } from './simulated-id-card-reader';
import { simulatorOnMemoryLink, simulatorOnPtys } from '../testing/simulator-links';

idReaderContract({
  name: 'simulator on a memory link',
  simulated: true,
  canUnplug: true,
  createLink: () =>
    // Replies arrive in pieces, as from a USB-serial adapter.
    simulatorOnMemoryLink('id-reader', 61, (device) => new SimulatedIdCardReader(device)),
});

idReaderContract({
  name: 'simulator behind a socat pty pair, SerialTransport 115200 on both ends',
  simulated: true,
  canUnplug: true,
  createLink: () => simulatorOnPtys(115200, (device) => new SimulatedIdCardReader(device)),
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
