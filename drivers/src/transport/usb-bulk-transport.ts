/**
 * A USB device spoken to over vendor bulk endpoints through libusb-free native USB (the `usb`
 * package, 3.x: WebUSB-style API over Rust's nusb). Many second-generation ID card readers with
 * VID:PID 0400:C35A carry the SAM frames this way (OUT 0x02 / IN 0x81, or OUT 0x06 / IN 0x85 on
 * some models): the SAM codec is the same as over serial, only the pipe differs.
 *
 * Reads are a loop of bulk IN transfers with a timeout, each waiting asynchronously in the
 * native layer: no thread of the libuv pool is ever held. Tests pass a fake `UsbDeviceFinder`.
 */
import { BaseTransport, TransportClosedError } from './transport';

/** The part of a WebUSB device (the `usb` package's `UsbDevice`) this transport uses. */
export interface UsbBulkDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null;
  readonly configuration?: {
    interfaces: Array<{
      interfaceNumber: number;
      alternate: { endpoints: Array<{ endpointNumber: number; direction: 'in' | 'out'; type: string }> };
    }>;
  } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  transferOut(endpointNumber: number, data: Uint8Array, timeout?: number): Promise<{ bytesWritten: number; status: string }>;
  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<{ data?: DataView; status: string }>;
}

export interface UsbDeviceFilter {
  vendorId: number;
  productId: number;
  /** Picks one of several identical devices (two readers on one PC). */
  serialNumber?: string;
}

export interface UsbDeviceFinder {
  find(filter: UsbDeviceFilter): Promise<UsbBulkDevice | undefined>;
}

/** One OUT/IN endpoint pair, as endpoint addresses (bit 7 set = IN): `{ out: 0x02, in: 0x81 }`. */
export interface BulkEndpoints {
  out: number;
  in: number;
}

export interface UsbBulkOptions extends UsbDeviceFilter {
  /** Pairs to try, first present on the device wins. Default 02/81 then 06/85. */
  endpoints?: BulkEndpoints[];
  /** Bytes asked for per IN transfer. Default 512 (a whole SAM read reply is 1295 bytes). */
  readSize?: number;
  /** Each IN transfer waits this long before it is asked again. Default 500 ms. */
  readTimeoutMs?: number;
  /** An OUT transfer not taken within this long fails. Default 2000 ms. */
  writeTimeoutMs?: number;
  /** Default: the `usb` package, loaded on first open. */
  finder?: UsbDeviceFinder;
}

export const SAM_BULK_ENDPOINTS: readonly BulkEndpoints[] = [
  { out: 0x02, in: 0x81 },
  { out: 0x06, in: 0x85 },
];

/** Errors of a transfer that simply found nothing in time (asked again), as nusb words them. */
const TIMED_OUT = /cancel|timed out|timeout/i;

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** The `usb` package as a finder; imported on first use so a machine without it still loads the drivers. */
export const nativeUsbFinder: UsbDeviceFinder = {
  async find(filter) {
    const { usb } = await import('usb');
    const device = filter.serialNumber ? await usb.findDeviceBySerial(filter.serialNumber) : await usb.findDeviceByIds(filter.vendorId, filter.productId);
    if (!device || device.vendorId !== filter.vendorId || device.productId !== filter.productId) return undefined;
    return device as unknown as UsbBulkDevice;
  },
};

export class UsbBulkTransport extends BaseTransport {
  readonly canRead = true;
  readonly description: string;
  private device: UsbBulkDevice | undefined;
  private claimed: number | undefined;
  private pipe: { out: number; in: number } | undefined;
  private readonly finder: UsbDeviceFinder;

  constructor(private readonly options: UsbBulkOptions) {
    super();
    this.finder = options.finder ?? nativeUsbFinder;
    this.description = `usb:${hex4(options.vendorId)}:${hex4(options.productId)}${options.serialNumber ? `#${options.serialNumber}` : ''}`;
  }

  async open(): Promise<void> {
    if (this.opened) return;
    let device: UsbBulkDevice | undefined;
    try {
      device = await this.finder.find(this.options);
    } catch (err) {
      throw new Error(`${this.description}: ${(err as Error).message}`);
    }
    if (!device) throw new Error(`${this.description}: no such USB device`);
    const found = findPipe(device, this.options.endpoints ?? SAM_BULK_ENDPOINTS);
    if (!found) throw new Error(`${this.description}: none of the bulk endpoint pairs ${describePairs(this.options.endpoints ?? SAM_BULK_ENDPOINTS)} is on the device`);
    try {
      await device.open();
      await device.claimInterface(found.interfaceNumber);
    } catch (err) {
      await device.close().catch(() => undefined);
      // Typically permissions: see the udev rule in hall-server/src/devices/README.md.
      throw new Error(`${this.description}: ${(err as Error).message}`);
    }
    this.device = device;
    this.claimed = found.interfaceNumber;
    this.pipe = { out: found.out, in: found.in };
    this.markOpen();
    void this.readLoop(device);
  }

  async write(data: Uint8Array): Promise<void> {
    const device = this.device;
    const pipe = this.pipe;
    if (!device || !pipe || !this.opened) throw new TransportClosedError(this.description);
    try {
      const r = await device.transferOut(pipe.out, data, this.options.writeTimeoutMs ?? 2000);
      if (r.status !== 'ok' || r.bytesWritten !== data.length) throw new Error(`${this.description}: bulk OUT ${r.status}, ${r.bytesWritten}/${data.length} bytes`);
    } catch (err) {
      if (this.device === device) await this.drop(err as Error);
      throw err;
    }
  }

  private async readLoop(device: UsbBulkDevice): Promise<void> {
    const size = this.options.readSize ?? 512;
    const timeout = this.options.readTimeoutMs ?? 500;
    while (this.device === device && this.pipe) {
      try {
        const r = await device.transferIn(this.pipe.in, size, timeout);
        if (this.device !== device) return;
        if (r.data && r.data.byteLength > 0) this.emit('data', Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
      } catch (err) {
        if (this.device !== device) return;
        if (TIMED_OUT.test((err as Error).message)) continue;
        await this.drop(err as Error);
        return;
      }
    }
  }

  private async drop(error?: Error): Promise<void> {
    const device = this.device;
    const claimed = this.claimed;
    this.device = undefined;
    this.pipe = undefined;
    this.claimed = undefined;
    if (device) {
      if (claimed !== undefined) await device.releaseInterface(claimed).catch(() => undefined);
      await device.close().catch(() => undefined);
    }
    this.closed(error);
  }

  /** The IN transfer in flight ends by its timeout or by the device closing; close() does not wait for it. */
  async close(): Promise<void> {
    await this.drop();
  }
}

/** The interface holding the first endpoint pair present, in WebUSB numbering. */
function findPipe(device: UsbBulkDevice, pairs: readonly BulkEndpoints[]): { interfaceNumber: number; out: number; in: number } | undefined {
  const interfaces = device.configuration?.interfaces ?? [];
  for (const pair of pairs) {
    for (const itf of interfaces) {
      const eps = itf.alternate.endpoints.filter((e) => e.type === 'bulk');
      const has = (address: number): boolean =>
        eps.some((e) => e.endpointNumber === (address & 0x0f) && e.direction === (address & 0x80 ? 'in' : 'out'));
      if (has(pair.out) && has(pair.in)) return { interfaceNumber: itf.interfaceNumber, out: pair.out & 0x0f, in: pair.in & 0x0f };
    }
  }
  return undefined;
}

function describePairs(pairs: readonly BulkEndpoints[]): string {
  return pairs.map((p) => `OUT 0x${p.out.toString(16).padStart(2, '0')}/IN 0x${p.in.toString(16).padStart(2, '0')}`).join(', ');
}
