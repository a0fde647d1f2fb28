/**
 * Devices as the admin adds and edits them: every transport field the server accepts (serial
 * path, baud rate, flow control, DTR/RTS; tcp host/port; usb-file path; HID VID:PID, serial number,
 * hidraw path; usb-bulk; vendor-SDK tool; simulated), what the device is attached to, its RS-485
 * address and frame profile (or printer preset), and advanced options as JSON.
 */
import { CreateDeviceRequest, PatchDeviceRequest, type AttachedTo, type DeviceKind, type Transport } from '@hall/protocol';
import { changedFields, check, num, type Checked } from './admin-forms';

export const DEVICE_KINDS: readonly (readonly [DeviceKind, string])[] = [
  ['printer', '小票打印机 Ticket printer'],
  ['id-reader', '身份证阅读器 ID card reader'],
  ['scanner', '扫码器 Scanner'],
  ['led-board', '窗口LED屏 / 大厅通屏 LED board'],
  ['keypad', '呼叫器 Keypad'],
  ['evaluator', '评价器 Evaluator'],
];

export const TRANSPORTS: readonly (readonly [Transport['type'], string])[] = [
  ['simulated', '模拟设备（演示、测试） Simulated'],
  ['serial', '串口 / USB转串口 / RS-485 Serial'],
  ['usb-file', 'USB打印机文件 /dev/usb/lp* USB printer file'],
  ['tcp', '网络 TCP（打印机 9100、串口服务器） Network'],
  ['hid', 'USB HID'],
  ['usb-bulk', 'USB 批量端点（SAM 阅读器 0400:C35A） USB bulk'],
  ['vendor-sdk', '厂商SDK工具 Vendor SDK tool'],
  ['windows-printer', 'Windows 打印机（队列名或 \\\\主机\\共享） Windows printer'],
];

/** RS-485 kinds share a bus by address and speak a frame profile. */
export const RS485_KINDS: readonly DeviceKind[] = ['led-board', 'keypad', 'evaluator'];

export const KIND_ZH: Record<DeviceKind, string> = { printer: '打印机', 'id-reader': '身份证阅读器', scanner: '扫码器', 'led-board': 'LED屏', keypad: '呼叫器', evaluator: '评价器' };

export interface DeviceForm {
  kind: DeviceKind;
  name: string;
  type: Transport['type'];
  path: string;
  baudRate: string;
  /** '' = the port's own setting. */
  flowControl: string;
  /** '' = as the OS opens the port; 'on' | 'off' set the line after opening. */
  dtr: string;
  rts: string;
  host: string;
  port: string;
  vendorId: string;
  productId: string;
  serialNumber: string;
  hidPath: string;
  tool: string;
  /** A Windows print queue name or a \\host\share (kiosk PCs on Windows). */
  printer: string;
  /** '' | `terminal:<id>` | `counter:<id>` */
  attach: string;
  address: string;
  profile: string;
  /** JSON object; '' = none (create) or unchanged (edit). */
  options: string;
}

export interface DeviceLike {
  kind: DeviceKind;
  name: string;
  transport: Transport;
  attachedTo: AttachedTo | null;
  address: number | null;
  profile: string | null;
  options?: Record<string, unknown>;
}

const hex4 = (n: number | undefined): string => (n === undefined ? '' : n.toString(16).padStart(4, '0'));
const line = (v: boolean | undefined): string => (v === undefined ? '' : v ? 'on' : 'off');

export function emptyDeviceForm(kind: DeviceKind = 'printer'): DeviceForm {
  return { kind, name: '', type: 'simulated', path: '', baudRate: '', flowControl: '', dtr: '', rts: '', host: '', port: '9100', vendorId: '', productId: '', serialNumber: '', hidPath: '', tool: '', printer: '', attach: '', address: '', profile: '', options: '' };
}

export function deviceForm(d: DeviceLike): DeviceForm {
  const options = d.options && Object.keys(d.options).length ? JSON.stringify(d.options) : '';
  const f = { ...emptyDeviceForm(d.kind), name: d.name, type: d.transport.type, address: d.address === null ? '' : String(d.address), profile: d.profile ?? '', options };
  f.attach = !d.attachedTo ? '' : 'terminalId' in d.attachedTo ? `terminal:${d.attachedTo.terminalId}` : `counter:${d.attachedTo.counterId}`;
  return { ...f, ...transportForm(d.transport) };
}

/** The form fields a transport fills (a port picked from the probe, or a saved device). */
export function transportForm(t: Transport | Record<string, unknown>): Partial<DeviceForm> {
  const x = t as Record<string, unknown>;
  const s = (k: string) => (typeof x[k] === 'string' ? (x[k] as string) : '');
  const n = (k: string) => (typeof x[k] === 'number' ? (x[k] as number) : undefined);
  const b = (k: string) => (typeof x[k] === 'boolean' ? (x[k] as boolean) : undefined);
  switch (x.type) {
    case 'serial':
      return { type: 'serial', path: s('path'), baudRate: n('baudRate') === undefined ? '' : String(n('baudRate')), flowControl: s('flowControl'), dtr: line(b('dtr')), rts: line(b('rts')) };
    case 'usb-file':
      return { type: 'usb-file', path: s('path') };
    case 'tcp':
      return { type: 'tcp', host: s('host'), port: n('port') === undefined ? '9100' : String(n('port')) };
    case 'hid':
      return { type: 'hid', vendorId: hex4(n('vendorId')), productId: hex4(n('productId')), serialNumber: s('serialNumber'), hidPath: s('path') };
    case 'usb-bulk':
      return { type: 'usb-bulk', vendorId: hex4(n('vendorId')), productId: hex4(n('productId')), serialNumber: s('serialNumber') };
    case 'vendor-sdk':
      return { type: 'vendor-sdk', tool: s('tool') };
    case 'windows-printer':
      return { type: 'windows-printer', printer: s('printer') };
    case 'simulated':
      return { type: 'simulated' };
    default:
      return {};
  }
}

/** A USB id as written on labels and in `lsusb`: hex, with or without 0x. NaN when not. */
export function parseUsbId(text: string): number {
  const t = text.trim().replace(/^0x/i, '');
  return /^[0-9a-f]{1,4}$/i.test(t) ? parseInt(t, 16) : NaN;
}

const opt = <T>(v: T | '' | undefined): T | undefined => (v === '' ? undefined : v);
const level = (v: string): boolean | undefined => (v === 'on' ? true : v === 'off' ? false : undefined);

function transportOf(f: DeviceForm): Record<string, unknown> {
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  switch (f.type) {
    case 'serial':
      return clean({ type: 'serial', path: f.path.trim(), baudRate: num(f.baudRate), flowControl: opt(f.flowControl), dtr: level(f.dtr), rts: level(f.rts) });
    case 'usb-file':
      return { type: 'usb-file', path: f.path.trim() };
    case 'tcp':
      return { type: 'tcp', host: f.host.trim(), port: num(f.port) ?? 9100 };
    case 'hid':
      return clean({ type: 'hid', vendorId: parseUsbId(f.vendorId), productId: parseUsbId(f.productId), serialNumber: opt(f.serialNumber.trim()), path: opt(f.hidPath.trim()) });
    case 'usb-bulk':
      return clean({ type: 'usb-bulk', vendorId: parseUsbId(f.vendorId), productId: parseUsbId(f.productId), serialNumber: opt(f.serialNumber.trim()) });
    case 'vendor-sdk':
      return { type: 'vendor-sdk', tool: f.tool.trim() };
    case 'windows-printer':
      return { type: 'windows-printer', printer: f.printer.trim() };
    default:
      return { type: 'simulated' };
  }
}

function attachedOf(attach: string): AttachedTo | null {
  const [what, id] = [attach.slice(0, attach.indexOf(':')), attach.slice(attach.indexOf(':') + 1)];
  if (what === 'terminal') return { terminalId: id };
  if (what === 'counter') return { counterId: id };
  return null;
}

function deviceFields(f: DeviceForm) {
  return {
    name: f.name.trim(),
    transport: transportOf(f),
    attachedTo: attachedOf(f.attach),
    address: f.address.trim() === '' ? null : num(f.address),
    profile: f.profile.trim() || null,
  };
}

function parsedOptions(text: string): Checked<Record<string, unknown> | undefined> {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return { ok: true, value: v as Record<string, unknown> };
  } catch {
    // reported below
  }
  return { ok: false, error: '高级选项须为 JSON 对象，例如 {"paperWidth": 58} Options must be a JSON object' };
}

/** What the form knows is wrong before asking the server. */
function deviceProblem(f: DeviceForm): string | null {
  if (RS485_KINDS.includes(f.kind) && f.address.trim() === '') return '总线地址（address）：RS-485 设备须填写地址 (0–255)';
  if ((f.type === 'hid' || f.type === 'usb-bulk') && (Number.isNaN(parseUsbId(f.vendorId)) || Number.isNaN(parseUsbId(f.productId)))) {
    return '厂商ID / 产品ID 须为十六进制，例如 0400 与 C35A VID/PID are hex';
  }
  return null;
}

export function createDeviceBody(f: DeviceForm): Checked<CreateDeviceRequest> {
  const problem = deviceProblem(f);
  if (problem) return { ok: false, error: problem };
  const options = parsedOptions(f.options);
  if (!options.ok) return options;
  const { attachedTo, address, profile, ...rest } = deviceFields(f);
  return check(CreateDeviceRequest, {
    kind: f.kind,
    ...rest,
    ...(attachedTo ? { attachedTo } : {}),
    ...(address !== null ? { address } : {}),
    ...(profile !== null ? { profile } : {}),
    ...(options.value ? { options: options.value } : {}),
  });
}

/** Only what changed; a changed transport goes whole, and so do changed options (emptied: none). */
export function patchDeviceBody(original: DeviceForm, f: DeviceForm): Checked<PatchDeviceRequest> {
  const problem = deviceProblem(f);
  if (problem) return { ok: false, error: problem };
  const options = parsedOptions(f.options);
  if (!options.ok) return options;
  const body: Record<string, unknown> = changedFields(deviceFields(original), deviceFields(f));
  const before = parsedOptions(original.options);
  if (JSON.stringify(before.ok ? before.value : null) !== JSON.stringify(options.value)) body.options = options.value ?? {};
  return check(PatchDeviceRequest, body);
}

// ---------------- port picker (GET /api/device-ports) ----------------

export interface ProbeGuess {
  kind: string;
  why: string;
  transport?: Record<string, unknown>;
}
export interface ProbeReport {
  serial: { port: { path: string; stablePath: string | null; vendorId: number | null; productId: number | null; serialNumber: string | null; manufacturer: string | null }; guess: ProbeGuess }[];
  hid: { device: { path?: string; vendorId: number; productId: number; serialNumber?: string; manufacturer?: string; product?: string }; guess: ProbeGuess }[];
  usb: { device: { vendorId: number; productId: number; serialNumber: string | null; manufacturer: string | null; product: string | null }; guess: ProbeGuess }[];
  notes: string[];
}

export interface PortChoice {
  key: string;
  label: string;
  why: string;
  /** The device kind the probe guesses, when it is one the hall knows. */
  kind: DeviceKind | null;
  transport: Record<string, unknown>;
}

const vp = (v: number | null | undefined, p: number | null | undefined) => (v == null || p == null ? '' : ` ${hex4(v)}:${hex4(p)}`);
const knownKind = (k: string): DeviceKind | null => (DEVICE_KINDS.some(([x]) => x === k) ? (k as DeviceKind) : null);

/** Every port and device the hall server sees, with the transport to start from (the stable by-id name first). */
export function portChoices(r: ProbeReport): PortChoice[] {
  const out: PortChoice[] = [];
  for (const { port, guess } of r.serial) {
    out.push({
      key: `serial:${port.path}`,
      label: `${port.stablePath ?? port.path}${port.stablePath ? `（当前 ${port.path}）` : ''}${vp(port.vendorId, port.productId)}${port.manufacturer ? ` ${port.manufacturer}` : ''}`,
      why: guess.why,
      kind: knownKind(guess.kind),
      transport: guess.transport ?? { type: 'serial', path: port.stablePath ?? port.path },
    });
  }
  for (const { device, guess } of r.hid) {
    out.push({
      key: `hid:${device.path ?? `${device.vendorId}:${device.productId}:${device.serialNumber ?? ''}`}`,
      label: `HID${vp(device.vendorId, device.productId)} ${device.product ?? device.manufacturer ?? ''}${device.serialNumber ? ` SN ${device.serialNumber}` : ''}${device.path ? ` ${device.path}` : ''}`,
      why: guess.why,
      kind: knownKind(guess.kind),
      transport: guess.transport ?? { type: 'hid', vendorId: device.vendorId, productId: device.productId, ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}) },
    });
  }
  for (const { device, guess } of r.usb) {
    if (!guess.transport) continue;
    out.push({
      key: `usb:${device.vendorId}:${device.productId}:${device.serialNumber ?? ''}`,
      label: `USB${vp(device.vendorId, device.productId)} ${device.product ?? device.manufacturer ?? ''}${device.serialNumber ? ` SN ${device.serialNumber}` : ''}`,
      why: guess.why,
      kind: knownKind(guess.kind),
      transport: guess.transport,
    });
  }
  return out;
}

// ---------------- ID reader presets (drivers/src/id-reader/reader-presets.ts) ----------------

/** The first thing to try per reader model; the probe shows what a plugged-in reader really is. */
export const READER_PRESETS: readonly { id: string; label: string; form: Partial<DeviceForm> }[] = [
  { id: 'cvr-100u', label: '华视 CVR-100U（USB）', form: { type: 'usb-bulk', vendorId: '0400', productId: 'c35a' } },
  { id: 'ss628', label: '神思 SS628（USB）', form: { type: 'usb-bulk', vendorId: '0400', productId: 'c35a' } },
  { id: 'dkq-a16d', label: '新中新 DKQ-A16D（串口 115200）', form: { type: 'serial', baudRate: '115200' } },
  { id: 'sam-serial', label: 'SAM 串口 / USB-COM 阅读器（115200）', form: { type: 'serial', baudRate: '115200' } },
  { id: 'idr210', label: '精伦 iDR210（厂商SDK）', form: { type: 'vendor-sdk' } },
  { id: 'routon-hid', label: '神思旭 Routon HID（厂商SDK）', form: { type: 'vendor-sdk' } },
];

// ---------------- status ----------------

export const STATUS_ZH: Record<string, string> = { online: '在线', offline: '离线', error: '故障' };

/** "在线 · 自 10:32" / "故障 · 自 10:32：缺纸". */
export function statusLine(d: { status: string; detail: string | null; since?: string | null }): string {
  const since = d.since ? /T(\d{2}:\d{2})/.exec(d.since)?.[1] : undefined;
  return `${STATUS_ZH[d.status] ?? d.status}${since ? ` · 自 ${since}` : ''}${d.detail ? `：${d.detail}` : ''}`;
}

/** The test print's answer in words. */
export function testPrintText(r: { printed: boolean; code: string | null; message: string | null }): string {
  if (r.printed) return '测试页已打印 Test page printed';
  const why: Record<string, string> = {
    'PRINTER.PAPER_OUT': '缺纸 paper out',
    'PRINTER.COVER_OPEN': '纸仓盖未关 cover open',
    'PRINTER.OFFLINE': '打印机离线或未连接 offline',
    'PRINTER.ERROR': '打印机故障 printer error',
  };
  return `测试页未打印：${(r.code && why[r.code]) ?? r.message ?? r.code ?? '原因不明'}（${r.code ?? '—'}）`;
}
