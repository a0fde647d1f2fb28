/**
 * A fake USB device behind the `UsbBulkDevice` interface: bulk OUT transfers go to a memory
 * link whose other end a simulator serves; its answers queue up for bulk IN transfers, which
 * wait for them up to their timeout like a real pipe. Test controls: unplug, stall.
 */
import { createMemoryLink, type MemoryTransport } from '../transport/memory-transport';
import type { UsbBulkDevice, UsbDeviceFilter, UsbDeviceFinder } from '../transport/usb-bulk-transport';

export interface FakeUsbDeviceOptions {
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
  /** Endpoint addresses of the bulk pair the device has. Default OUT 0x02, IN 0x81. */
  out?: number;
  in?: number;
}

export class FakeUsbDevice implements UsbBulkDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string | null;
  readonly configuration: NonNullable<UsbBulkDevice['configuration']>;
  /** The simulator's end of the pipe. */
  readonly deviceEnd: MemoryTransport;
  private readonly hostEnd: MemoryTransport;
  private inQueue: Buffer[] = [];
  private waiter: (() => void) | undefined;
  opened = false;
  claimed: number[] = [];
  unplugged = false;
  /** Every OUT transfer, in order. */
  readonly outTransfers: Buffer[] = [];

  constructor(options: FakeUsbDeviceOptions = {}) {
    this.vendorId = options.vendorId ?? 0x0400;
    this.productId = options.productId ?? 0xc35a;
    this.serialNumber = options.serialNumber ?? null;
    const out = options.out ?? 0x02;
    const inp = options.in ?? 0x81;
    this.configuration = {
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: {
            endpoints: [
              { endpointNumber: out & 0x0f, direction: 'out', type: 'bulk' },
              { endpointNumber: inp & 0x0f, direction: 'in', type: 'bulk' },
            ],
          },
        },
      ],
    };
    const { host, device } = createMemoryLink('fake-usb');
    this.hostEnd = host;
    this.deviceEnd = device;
    host.on('data', (chunk) => {
      this.inQueue.push(chunk);
      this.waiter?.();
    });
  }

  async open(): Promise<void> {
    if (this.unplugged) throw new Error('failed to open device');
    this.opened = true;
    await this.hostEnd.open();
    if (!this.deviceEnd.isOpen) await this.deviceEnd.open();
  }

  async close(): Promise<void> {
    this.opened = false;
    this.waiter?.();
  }

  async claimInterface(n: number): Promise<void> {
    this.claimed.push(n);
  }

  async releaseInterface(n: number): Promise<void> {
    this.claimed = this.claimed.filter((c) => c !== n);
  }

  async transferOut(endpointNumber: number, data: Uint8Array): Promise<{ bytesWritten: number; status: string }> {
    this.check();
    this.outTransfers.push(Buffer.from(data));
    await this.hostEnd.write(data);
    return { bytesWritten: data.length, status: 'ok' };
  }

  async transferIn(endpointNumber: number, length: number, timeout = 1000): Promise<{ data?: DataView; status: string }> {
    this.check();
    if (this.inQueue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeout);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
      this.check();
      if (this.inQueue.length === 0) throw new Error('transferIn error: transfer was cancelled');
    }
    const all = Buffer.concat(this.inQueue);
    const chunk = all.subarray(0, length);
    this.inQueue = all.length > length ? [all.subarray(length)] : [];
    return { data: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), status: 'ok' };
  }

  /** Test control: the cable is pulled; transfers fail as on a real disconnect. */
  unplug(): void {
    this.unplugged = true;
    this.waiter?.();
  }

  private check(): void {
    if (this.unplugged) throw new Error('transfer error: device disconnected');
    if (!this.opened) throw new Error('transfer error: invalid state');
  }
}

/** A finder over fake devices, matching like the real one (serial number first). */
export function fakeUsbFinder(devices: FakeUsbDevice[]): UsbDeviceFinder {
  return {
    async find(filter: UsbDeviceFilter) {
      return devices.find(
        (d) =>
          !d.unplugged &&
          d.vendorId === filter.vendorId &&
          d.productId === filter.productId &&
          (filter.serialNumber === undefined || d.serialNumber === filter.serialNumber),
      );
    },
  };
}
