/**
 * What a device's `profile` and `options` (free-form in config.json) may say, per kind, and the
 * checks a device config must pass before it is saved. A config that fails them after all (a
 * hand-edited file) opens as an `error` device that says why; it never stops the hall.
 */
import { z } from 'zod';
import { describeZodError, type Device } from '@hall/protocol';
import type { FrameProfile, PaperWidth, PrinterCharset, QrMode } from '@hall/drivers';
import { resolveFrameProfile, type DefinedFrameProfiles } from './frame-profiles';

export const RS485_KINDS = ['led-board', 'keypad', 'evaluator'] as const;
export type Rs485Kind = (typeof RS485_KINDS)[number];
export const isRs485Kind = (kind: Device['kind']): kind is Rs485Kind => (RS485_KINDS as readonly string[]).includes(kind);

/** Devices that belong to a kiosk terminal; the others belong to a counter (or, a bar, to the hall). */
export const TERMINAL_KINDS: readonly Device['kind'][] = ['printer', 'id-reader', 'scanner'];

const Ms = (max: number) => z.number().int().min(0).max(max);

const HidFraming = {
  reportSize: z.number().int().min(1).max(1024).optional(),
  reportId: z.number().int().min(0).max(255).nullable().optional(),
  lengthPrefix: z.boolean().optional(),
};

/** Keys every kind accepts. */
const Common = {
  /**
   * `"agent"`: the device is plugged into the kiosk PC and driven by its `hall-server agent`
   * from the start; the hall server never opens it itself.
   */
  runsOn: z.enum(['hall', 'agent']).optional(),
};

export const PrinterOptions = z
  .object({
    ...Common,
    paperWidth: z.union([z.literal(58), z.literal(80)]).optional(),
    qrMode: z.enum(['native', 'raster']).optional(),
    charset: z.enum(['gb2312', 'gb18030']).optional(),
    /** Ask DLE EOT this often while idle, so paper-out shows before a citizen finds it. */
    statusPollMs: Ms(600_000).optional(),
    statusTimeoutMs: Ms(10_000).optional(),
    /** Wait after the cut before asking DLE EOT again (the time a ticket takes to print). */
    afterCutStatusDelayMs: Ms(10_000).optional(),
  })
  .strict();

export const IdReaderOptions = z
  .object({ ...Common, ...HidFraming, pollIntervalMs: z.number().int().min(50).max(10_000).optional() })
  .strict();

export const ScannerOptions = z
  .object({
    ...Common,
    ...HidFraming,
    suffix: z.enum(['CR', 'LF', 'CRLF', 'any']).optional(),
    encoding: z.enum(['utf8', 'gb18030']).optional(),
    maxLength: z.number().int().min(1).max(8192).optional(),
  })
  .strict();

export const Rs485Options = z
  .object({
    ...Common,
    /** LED board: text lines on the board (default 2). */
    lines: z.number().int().min(1).max(8).optional(),
    /** Simulated devices with the same `line` share one simulated RS-485 line (like one cable). */
    line: z.string().min(1).max(40).optional(),
  })
  .strict();

export type PrinterOptions = z.infer<typeof PrinterOptions>;
export type IdReaderOptions = z.infer<typeof IdReaderOptions>;
export type ScannerOptions = z.infer<typeof ScannerOptions>;
export type Rs485Options = z.infer<typeof Rs485Options>;

export function optionsSchemaOf(kind: Device['kind']): z.ZodType<Record<string, unknown>> {
  switch (kind) {
    case 'printer':
      return PrinterOptions;
    case 'id-reader':
      return IdReaderOptions;
    case 'scanner':
      return ScannerOptions;
    default:
      return Rs485Options;
  }
}

/** Printer presets in `profile`: words like `80`, `80mm`, `raster`, `native`, `gb18030`. */
export function parsePrinterProfile(profile: string | null): { ok: true; value: PrinterOptions } | { ok: false; problem: string } {
  const out: { paperWidth?: PaperWidth; qrMode?: QrMode; charset?: PrinterCharset } = {};
  for (const word of (profile ?? '').toLowerCase().split(/[\s,;/+]+/).filter(Boolean)) {
    if (word === '58' || word === '58mm') out.paperWidth = 58;
    else if (word === '80' || word === '80mm') out.paperWidth = 80;
    else if (word === 'raster' || word === 'native') out.qrMode = word;
    else if (word === 'gb2312' || word === 'gb18030') out.charset = word;
    else return { ok: false, problem: `profile: unknown printer setting "${word}" (use 58|80, native|raster, gb2312|gb18030)` };
  }
  return { ok: true, value: out };
}

/** The device's frame profile: built-in, or one the hall defined (`config.frameProfiles`). */
export function frameProfileOf(device: Pick<Device, 'profile'>, defined?: DefinedFrameProfiles): FrameProfile | undefined {
  return resolveFrameProfile(device.profile, defined);
}

/** Whether the hall server leaves this device to the kiosk's agent from the start. */
export function declaredForAgent(device: Device): boolean {
  return device.options.runsOn === 'agent';
}

/** Everything wrong with a device config, or null. Messages name the field. */
export function deviceProblem(device: Device, defined?: DefinedFrameProfiles): string | null {
  const opts = optionsSchemaOf(device.kind).safeParse(device.options);
  if (!opts.success) return `options: ${describeZodError(opts.error)}`;
  const t = device.transport;
  const a = device.attachedTo;
  if (device.kind === 'printer') {
    if (t.type === 'hid') return 'transport: a ticket printer is driven over serial, tcp or usb-file';
    const p = parsePrinterProfile(device.profile);
    if (!p.ok) return p.problem;
  }
  if ((device.kind === 'id-reader' || device.kind === 'scanner') && t.type === 'usb-file') {
    return `transport: a ${device.kind} is driven over serial, hid or tcp`;
  }
  if ((t.type === 'usb-bulk' || t.type === 'vendor-sdk') && device.kind !== 'id-reader') return `transport: ${t.type} is for ID card readers`;
  if (t.type === 'windows-printer' && device.kind !== 'printer') return 'transport: windows-printer is for ticket printers';
  if (TERMINAL_KINDS.includes(device.kind) && a && 'counterId' in a) {
    return 'attachedTo: printers, ID readers and scanners attach to a kiosk terminal ({ terminalId })';
  }
  if (isRs485Kind(device.kind)) {
    if (device.address === null) return 'address: an RS-485 device needs its bus address (0..255)';
    if (!frameProfileOf(device, defined)) return `profile: no frame profile named "${device.profile}" (built-in, or defined with PUT /api/frame-profiles/:id)`;
    if (t.type === 'hid' || t.type === 'usb-file' || t.type === 'usb-bulk') return 'transport: RS-485 devices are on a serial line or a tcp converter';
    if ((device.kind === 'keypad' || device.kind === 'evaluator') && !(a && 'counterId' in a)) {
      return `attachedTo: a ${device.kind} belongs to a counter ({ counterId })`;
    }
    if (a && 'terminalId' in a) return 'attachedTo: RS-485 devices attach to a counter, or to nothing (a hall LED bar)';
    if (declaredForAgent(device)) return 'options.runsOn: only kiosk devices (printer, ID reader, scanner) run on an agent';
  }
  return null;
}

/** A counter's LED board; a `led-board` attached to no counter is the hall's LED bar (通屏). */
export function isHallBar(device: Device): boolean {
  return device.kind === 'led-board' && !(device.attachedTo && 'counterId' in device.attachedTo);
}
