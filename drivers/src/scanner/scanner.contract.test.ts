import { SerialTransport } from '../transport/serial-transport';
import { HidTransport, parseVidPid } from '../transport/hid-transport';
import { simulatorOnMemoryLink, simulatorOnPtys } from '../testing/simulator-links';
import { HidScanner } from './hid-scanner';
import { scannerContract } from './scanner.contract';
import { SerialScanner } from './serial-scanner';
import { SimulatedScanner } from './simulated-scanner';

const MAX = 512;

function memoryLink(mode: 'serial' | 'hid-keyboard', chunkSize: number) {
  return () => simulatorOnMemoryLink(`scanner-${mode}`, chunkSize, (device) => new SimulatedScanner(device, { mode }));
}

scannerContract({
  name: 'serial scanner, simulator on a memory link',
  simulated: true,
  canUnplug: true,
  unicode: true,
  maxLength: MAX,
  createLink: memoryLink('serial', 7),
  createScanner: (host) => new SerialScanner(host, { maxLength: MAX }),
});

scannerContract({
  name: 'HID keyboard scanner, simulator on a memory link (one report per chunk)',
  simulated: true,
  canUnplug: true,
  unicode: false,
  maxLength: MAX,
  createLink: memoryLink('hid-keyboard', 8),
  createScanner: (host) => new HidScanner(host, { maxLength: MAX }),
});

scannerContract({
  name: 'serial scanner, simulator behind a socat pty pair (SerialTransport 9600)',
  simulated: true,
  canUnplug: true,
  unicode: true,
  maxLength: MAX,
  createLink: () =>
    simulatorOnPtys(9600, (device) => new SimulatedScanner(device), {
      // An idle reader of a pty does not always see the hangup under load (serialport's
      // poller); a write makes it show, as a real adapter's removal would.
      afterUnplug: (host) => void host.write(Buffer.from([0])).catch(() => undefined),
    }),
  createScanner: (host) => new SerialScanner(host, { maxLength: MAX }),
});

const serialPort = process.env.HALL_TEST_SCANNER_PORT;
if (serialPort) {
  scannerContract({
    name: `real serial scanner on ${serialPort}`,
    simulated: false,
    canUnplug: false,
    unicode: true,
    maxLength: MAX,
    interactive: process.env.HALL_TEST_INTERACTIVE === '1',
    async createLink() {
      const host = new SerialTransport({ path: serialPort, baudRate: Number(process.env.HALL_TEST_SCANNER_BAUD ?? 9600) });
      return { host, close: () => host.close() };
    },
    createScanner: (host) => new SerialScanner(host, { maxLength: MAX }),
  });
}

const hidScanner = process.env.HALL_TEST_HID_SCANNER;
if (hidScanner) {
  scannerContract({
    name: `real HID scanner ${hidScanner}`,
    simulated: false,
    canUnplug: false,
    unicode: false,
    maxLength: MAX,
    interactive: process.env.HALL_TEST_INTERACTIVE === '1',
    async createLink() {
      const host = new HidTransport({ ...parseVidPid(hidScanner), reportSize: 8, reportId: null });
      return { host, close: () => host.close() };
    },
    createScanner: (host) => new HidScanner(host, { maxLength: MAX }),
  });
}
