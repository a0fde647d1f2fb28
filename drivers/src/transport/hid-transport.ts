/**
 * USB HID devices (ID card readers in HID mode, HID barcode scanners) through node-hid 3. The
 * only file that imports node-hid, and only when a device is opened, so a machine without
 * libusb still loads the drivers and gets a clear error at open().
 *
 * HID moves fixed-size reports, not a byte stream: writes are cut into reports; every report
 * read is one `data` event (minus its report id, and minus padding when the framing carries a
 * length byte). Frame-level codecs above (SAM frames, keyboard reports) find their frames in it.
 */
import { BaseTransport, TransportClosedError } from './transport';

export interface HidReportFraming {
  /** Payload bytes per report, report id not counted (64 for most readers, 8 for keyboards). */
  reportSize: number;
  /**
   * The report id the device numbers its reports with: prefixed to every write and stripped
   * from reads that start with it. null for a device without numbered reports: writes then
   * start with 0x00, as hidapi requires, and reads are taken whole.
   */
  reportId: number | null;
  /** Vendor framing: the payload's first byte says how many data bytes follow (the rest is padding). */
  lengthPrefix: boolean;
}

export const DEFAULT_HID_FRAMING: Readonly<HidReportFraming> = Object.freeze({
  reportSize: 64,
  reportId: null,
  lengthPrefix: false,
});

/** The part of node-hid's `HIDAsync` we use; tests pass a fake. */
export interface HidDeviceLike {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  write(values: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

/**
 * Which HID device: by path (as `devices probe` lists it; stable only while it stays in the
 * same USB port), or by VID:PID, with the serial number to tell two identical readers apart.
 */
export type HidTarget = { path: string } | { vendorId: number; productId: number; serialNumber?: string };

/** What node-hid's enumeration says of a device (the fields we use). */
export interface HidDeviceInfo {
  path?: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

/**
 * The path of the device a VID:PID + serial number target means; throws a clear error when
 * none or several match (several: a serial number is needed to choose).
 */
export function resolveHidPath(target: { vendorId: number; productId: number; serialNumber: string }, devices: readonly HidDeviceInfo[]): string {
  const name = `${hex4(target.vendorId)}:${hex4(target.productId)} serial ${target.serialNumber}`;
  const paths = new Set(
    devices
      .filter((d) => d.vendorId === target.vendorId && d.productId === target.productId && d.serialNumber === target.serialNumber && d.path)
      .map((d) => d.path as string),
  );
  if (paths.size === 0) throw new Error(`no HID device ${name}`);
  if (paths.size > 1) throw new Error(`${paths.size} HID interfaces match ${name}: name one by path`);
  return [...paths][0] as string;
}

export type HidOptions = HidTarget &
  Partial<HidReportFraming> & {
    /** Opens the device without claiming it exclusively (macOS). */
    nonExclusive?: boolean;
    /** Tests inject a fake device; real use leaves it out (node-hid `HIDAsync.open`). */
    openDevice?: (target: HidTarget, nonExclusive: boolean) => Promise<HidDeviceLike>;
  };

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** `"1a86:e010"` (hex, as lsusb prints it) → ids; throws on anything else. */
export function parseVidPid(text: string): { vendorId: number; productId: number } {
  const m = /^\s*(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})\s*$/i.exec(text);
  if (!m) throw new Error(`not a vid:pid pair in hex: "${text}"`);
  return { vendorId: parseInt(m[1] as string, 16), productId: parseInt(m[2] as string, 16) };
}

function checkFraming(f: HidReportFraming): void {
  if (!Number.isInteger(f.reportSize) || f.reportSize < (f.lengthPrefix ? 2 : 1) || f.reportSize > 1024) {
    throw new RangeError(`HID report size ${f.reportSize} out of range`);
  }
  if (f.reportId !== null && (!Number.isInteger(f.reportId) || f.reportId < 0 || f.reportId > 255)) {
    throw new RangeError(`HID report id ${f.reportId} out of range`);
  }
  if (f.lengthPrefix && f.reportSize > 256) throw new RangeError('a one-byte length prefix allows reports of at most 256 bytes');
}

/** Cuts bytes into output reports: `[reportId or 0x00] [len?] payload… zero padding`. */
export function encodeHidReports(data: Uint8Array, framing: HidReportFraming = DEFAULT_HID_FRAMING): Buffer[] {
  checkFraming(framing);
  const room = framing.reportSize - (framing.lengthPrefix ? 1 : 0);
  const reports: Buffer[] = [];
  for (let i = 0; i < data.length; i += room) {
    const part = data.subarray(i, i + room);
    const report = Buffer.alloc(1 + framing.reportSize);
    report[0] = framing.reportId ?? 0;
    let at = 1;
    if (framing.lengthPrefix) report[at++] = part.length;
    report.set(part, at);
    reports.push(report);
  }
  return reports;
}

/** The payload bytes of one input report. Never throws. */
export function decodeHidReport(report: Uint8Array, framing: HidReportFraming = DEFAULT_HID_FRAMING): Buffer {
  let payload = Buffer.from(report.buffer, report.byteOffset, report.byteLength);
  if (framing.reportId !== null && payload.length > 0 && payload[0] === framing.reportId) payload = payload.subarray(1);
  if (framing.lengthPrefix) {
    if (payload.length === 0) return Buffer.alloc(0);
    const n = Math.min(payload[0] as number, payload.length - 1);
    payload = payload.subarray(1, 1 + n);
  }
  return Buffer.from(payload);
}

async function openWithNodeHid(target: HidTarget, nonExclusive: boolean): Promise<HidDeviceLike> {
  const { HIDAsync, devicesAsync } = await import('node-hid');
  let device;
  if ('path' in target) device = await HIDAsync.open(target.path, { nonExclusive });
  else if (target.serialNumber !== undefined) {
    const path = resolveHidPath({ ...target, serialNumber: target.serialNumber }, await devicesAsync(target.vendorId, target.productId));
    device = await HIDAsync.open(path, { nonExclusive });
  } else device = await HIDAsync.open(target.vendorId, target.productId, { nonExclusive });
  return device as unknown as HidDeviceLike;
}

export class HidTransport extends BaseTransport {
  readonly canRead = true;
  readonly description: string;
  readonly framing: HidReportFraming;
  private device: HidDeviceLike | undefined;
  private readonly target: HidTarget;

  constructor(private readonly options: HidOptions) {
    super();
    this.framing = {
      reportSize: options.reportSize ?? DEFAULT_HID_FRAMING.reportSize,
      reportId: options.reportId ?? DEFAULT_HID_FRAMING.reportId,
      lengthPrefix: options.lengthPrefix ?? DEFAULT_HID_FRAMING.lengthPrefix,
    };
    checkFraming(this.framing);
    this.target =
      'path' in options
        ? { path: options.path }
        : { vendorId: options.vendorId, productId: options.productId, ...(options.serialNumber !== undefined ? { serialNumber: options.serialNumber } : {}) };
    this.description =
      'path' in this.target
        ? `hid:${this.target.path}`
        : `hid:${hex4(this.target.vendorId)}:${hex4(this.target.productId)}${this.target.serialNumber !== undefined ? `#${this.target.serialNumber}` : ''}`;
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const opener = this.options.openDevice ?? openWithNodeHid;
    let device: HidDeviceLike;
    try {
      device = await opener(this.target, this.options.nonExclusive ?? false);
    } catch (err) {
      throw new Error(`${this.description}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.device = device;
    device.on('data', (report: Buffer) => {
      if (this.device === device) this.emit('data', decodeHidReport(report, this.framing));
    });
    // node-hid reports an unplugged device as a read error; the link is gone.
    device.on('error', (err: Error) => this.gone(device, err));
    this.markOpen();
  }

  async write(data: Uint8Array): Promise<void> {
    const device = this.device;
    if (!device || !this.opened) throw new TransportClosedError(this.description);
    for (const report of encodeHidReports(data, this.framing)) {
      try {
        await device.write(report);
      } catch (err) {
        const e = new Error(`${this.description}: ${err instanceof Error ? err.message : String(err)}`);
        this.gone(device, e);
        throw e;
      }
    }
  }

  async close(): Promise<void> {
    const device = this.device;
    this.device = undefined;
    if (device) await device.close().catch(() => undefined);
    this.closed();
  }

  private gone(device: HidDeviceLike, error: Error): void {
    if (this.device !== device) return;
    this.device = undefined;
    device.close().catch(() => undefined);
    this.closed(error);
  }
}
