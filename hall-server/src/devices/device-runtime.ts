/**
 * The devices one process drives: config → transport → driver, with a link supervisor that
 * reopens a port that went away, and a simulator on the far end of a memory link for
 * `{ type: 'simulated' }`. The hall server runs one for its own ports, a kiosk agent one for the
 * kiosk PC's. It knows nothing of queues, tickets or kiosks: it reports health and device events
 * by device id, and carries out print and display commands.
 *
 * RS-485 devices on the same serial path (or TCP converter, or named simulated line) share one
 * `Rs485Bus`, one device object per address on it.
 */
import { EventEmitter } from 'node:events';
import type { Device, Result } from '@hall/protocol';
import {
  CallerKeypad,
  ChildProcessReaderAdapter,
  createMemoryLink,
  EscposTicketPrinter,
  Evaluator,
  HallLedBar,
  HidScanner,
  HidTransport,
  IdCardReader,
  LedBoard,
  Rs485Bus,
  SerialScanner,
  SerialTransport,
  SimulatedCallerKeypad,
  SimulatedEvaluator,
  SimulatedHallLedBar,
  SimulatedIdCardReader,
  SimulatedLedBoard,
  SimulatedRs485Bus,
  SimulatedScanner,
  SimulatedTicketPrinter,
  TcpTransport,
  UsbBulkTransport,
  UsbFileTransport,
  WindowsSpoolerTransport,
  VendorIdCardReader,
  type DeviceDriver,
  type DeviceHealth,
  type FrameProfile,
  type IdCardData,
  type IdCardReaderOptions,
  type IdReaderError,
  type KeypadKey,
  type MemoryTransport,
  type PrintResult,
  type PrintTiming,
  type Rating,
  type Rs485BusOptions,
  type SimulatedBusDevice,
  type TicketPrintJob,
  type Transport,
} from '@hall/drivers';
import {
  deviceProblem,
  frameProfileOf,
  IdReaderOptions,
  isHallBar,
  isRs485Kind,
  parsePrinterProfile,
  PrinterOptions,
  Rs485Options,
  ScannerOptions,
} from './device-options';
import type { DefinedFrameProfiles } from './frame-profiles';
import { DEFAULT_BACKOFF, LinkSupervisor, ObservedTransport, type Backoff } from './link-supervisor';
import { serialBaudRate } from './serial-defaults';
import { vendorTool } from './vendor-tools';
import { simulate, simulatorState, type SimHandle, type SimulateAction } from './simulators';

export interface RuntimeLog {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface DeviceRuntimeOptions {
  /** Reopening a port that went away. Default 0.5 s doubling to 5 s. */
  backoff?: Backoff;
  /** RS-485 bus timings (polling, offline detection); tests make them fast. */
  bus?: Omit<Rs485BusOptions, 'profile' | 'reopenMs'>;
  /** Overrides every frame profile's ack timeout / retries (tests on fast simulated lines). */
  ack?: { timeoutMs: number; retries: number };
  /** Printer defaults; a device's own options win. statusPollMs default 5000. */
  printer?: { statusPollMs?: number; statusTimeoutMs?: number };
  idReader?: Partial<IdCardReaderOptions>;
  /** The frame profiles the hall defined (read on every open); built-ins only when absent (kiosk agents). */
  frameProfiles?: () => DefinedFrameProfiles;
  log?: RuntimeLog;
}

export interface DeviceRuntimeEvents {
  /** The device's health changed (driver health, or why its port does not open). */
  health: [id: string, health: DeviceHealth];
  /** The driver started (the port may still be missing). */
  opened: [id: string];
  /** Holds personal data: hash and mask it at once, never log it. */
  card: [id: string, card: IdCardData];
  'card-removed': [id: string];
  'card-error': [id: string, error: IdReaderError];
  /** May be personal (an appointment code): pass on, never log. */
  scan: [id: string, text: string];
  key: [id: string, key: KeypadKey];
  rating: [id: string, rating: Rating];
  printed: [id: string, timing: PrintTiming];
}

interface Line {
  key: string;
  profile: FrameProfile;
  baudRate: number | null;
  transport: ObservedTransport;
  supervisor: LinkSupervisor;
  bus: Rs485Bus;
  sim: { bus: SimulatedRs485Bus; host: MemoryTransport; device: MemoryTransport } | null;
  users: Set<string>;
  /** The simulated device end is open. */
  ready: Promise<void>;
}

interface Entry {
  device: Device;
  signature: string;
  driver: DeviceDriver | null;
  /** The device's own link (not RS-485). */
  transport: ObservedTransport | null;
  supervisor: LinkSupervisor | null;
  line: Line | null;
  sim: SimHandle | null;
  /** Why the device cannot run (config), shown as `error`. */
  problem: string | null;
  health: DeviceHealth;
  unwire: () => void;
}

const STOPPED: DeviceHealth = { status: 'offline', detail: 'stopped' };

/** Subscribes the handlers to the emitter; returns the function that unsubscribes them all. */
function wire(emitter: EventEmitter, handlers: Record<string, (...args: never[]) => void>): () => void {
  const entries = Object.entries(handlers) as Array<[string, (...args: unknown[]) => void]>;
  for (const [event, fn] of entries) emitter.on(event, fn);
  return () => {
    for (const [event, fn] of entries) emitter.off(event, fn);
  };
}

/**
 * A stable text of the parts of a config that need the device reopened when they change;
 * `profile`: the frame profile it resolves to, so redefining a profile reopens its devices.
 */
export function deviceSignature(d: Device, profile?: FrameProfile): string {
  return JSON.stringify([d.kind, d.transport, d.attachedTo, d.address, d.profile, d.options, profile ?? null]);
}

export class DeviceRuntime extends EventEmitter<DeviceRuntimeEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly lines = new Map<string, Line>();
  private readonly backoff: Backoff;
  /** Serialises open/close so two changes to one port never interleave. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: DeviceRuntimeOptions = {}) {
    super();
    this.setMaxListeners(50);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  device(id: string): Device | undefined {
    return this.entries.get(id)?.device;
  }

  health(id: string): DeviceHealth {
    return this.entries.get(id)?.health ?? STOPPED;
  }

  driver(id: string): DeviceDriver | null {
    return this.entries.get(id)?.driver ?? null;
  }

  simulator(id: string): SimHandle | null {
    return this.entries.get(id)?.sim ?? null;
  }

  /** Makes the running set equal to `devices`: closes the missing and the changed, opens the new. */
  sync(devices: readonly Device[]): Promise<void> {
    return this.serial(async () => {
      const wanted = new Map(devices.map((d) => [d.id, d]));
      for (const [id, e] of [...this.entries]) {
        const d = wanted.get(id);
        if (!d || this.signatureOf(d) !== e.signature) await this.closeNow(id);
        else e.device = d; // a new name only
      }
      await Promise.all(devices.filter((d) => !this.entries.has(d.id)).map((d) => this.openNow(d)));
    });
  }

  /** Opens one device (reopens it when its config changed). Never rejects. */
  open(device: Device): Promise<void> {
    return this.serial(async () => {
      const e = this.entries.get(device.id);
      if (e && e.signature === this.signatureOf(device)) return;
      if (e) await this.closeNow(device.id);
      await this.openNow(device);
    });
  }

  close(id: string): Promise<void> {
    return this.serial(() => this.closeNow(id));
  }

  stopAll(): Promise<void> {
    return this.serial(async () => {
      for (const id of [...this.entries.keys()]) await this.closeNow(id);
    });
  }

  /** Queues a ticket on a printer; resolves when its bytes are written, or why not. */
  print(id: string, job: TicketPrintJob): Promise<PrintResult> {
    const driver = this.entries.get(id)?.driver;
    if (!(driver instanceof EscposTicketPrinter)) {
      return Promise.resolve({ ok: false, code: 'PRINTER.OFFLINE', message: `${id} is not a running printer`, stage: 'before-print' });
    }
    return driver.print(job);
  }

  /** Asks a printer for its status now (after paper was refilled, say); health follows. */
  refreshPrinter(id: string): Promise<void> {
    const driver = this.entries.get(id)?.driver;
    if (driver instanceof EscposTicketPrinter && driver.transport.isOpen) return driver.refreshStatus().then(() => undefined);
    return Promise.resolve();
  }

  /** Runs a simulator action on a `{ type: 'simulated' }` device. */
  async simulate(id: string, action: SimulateAction): Promise<Result<Record<string, unknown>> | null> {
    const e = this.entries.get(id);
    if (!e?.sim) return null;
    return simulate(e.sim, e.device, action);
  }

  simulatorState(id: string): Record<string, unknown> | null {
    const sim = this.entries.get(id)?.sim;
    return sim ? simulatorState(sim) : null;
  }

  private definedProfiles(): DefinedFrameProfiles {
    return this.opts.frameProfiles?.();
  }

  private signatureOf(d: Device): string {
    return deviceSignature(d, isRs485Kind(d.kind) ? frameProfileOf(d, this.definedProfiles()) : undefined);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---------------- open ----------------

  private async openNow(device: Device): Promise<void> {
    const entry: Entry = {
      device,
      signature: this.signatureOf(device),
      driver: null,
      transport: null,
      supervisor: null,
      line: null,
      sim: null,
      problem: deviceProblem(device, this.definedProfiles()),
      health: { status: 'offline', detail: 'starting' },
      unwire: () => undefined,
    };
    this.entries.set(device.id, entry);
    if (entry.problem === null) {
      try {
        await this.build(entry);
      } catch (err) {
        // A driver that cannot even be built (bad HID framing, a simulator that will not start).
        entry.problem = err instanceof Error ? err.message : String(err);
      }
    }
    this.refresh(device.id);
    this.emit('opened', device.id);
  }

  private async build(e: Entry): Promise<void> {
    const d = e.device;
    if (isRs485Kind(d.kind)) return this.buildRs485(e);
    if (d.transport.type === 'vendor-sdk') return this.buildVendorReader(e, d.transport.tool);
    const sim = d.transport.type === 'simulated' ? createMemoryLink(`sim:${d.id}`) : null;
    const transport = new ObservedTransport(sim ? sim.host : this.hostTransport(d));
    e.transport = transport;
    let driver: DeviceDriver;
    const off: Array<() => void> = [];
    const on = <A extends unknown[]>(emitter: EventEmitter, event: string, fn: (...args: A) => void): void => {
      emitter.on(event, fn as never);
      off.push(() => emitter.off(event, fn as never));
    };
    if (d.kind === 'printer') {
      const o = PrinterOptions.parse(d.options);
      const preset = parsePrinterProfile(d.profile);
      const p = preset.ok ? preset.value : {};
      const printer = new EscposTicketPrinter(transport, {
        paperWidth: o.paperWidth ?? p.paperWidth ?? 58,
        qrMode: o.qrMode ?? p.qrMode ?? 'native',
        charset: o.charset ?? p.charset ?? 'gb2312',
        statusPollMs: o.statusPollMs ?? this.opts.printer?.statusPollMs ?? 5000,
        statusTimeoutMs: o.statusTimeoutMs ?? this.opts.printer?.statusTimeoutMs ?? 200,
        // A simulator prints the instant the cut arrives; a real printer needs the time to print.
        ...(sim ? { afterCutStatusDelayMs: 0 } : o.afterCutStatusDelayMs !== undefined ? { afterCutStatusDelayMs: o.afterCutStatusDelayMs } : {}),
        reopenOnPrint: false,
      });
      on(printer, 'printed', (t: PrintTiming) => this.emit('printed', d.id, t));
      driver = printer;
      if (sim) {
        const s = new SimulatedTicketPrinter(sim.device, { paperWidth: o.paperWidth ?? p.paperWidth ?? 58 });
        await s.start();
        e.sim = { kind: 'printer', host: sim.host, device: sim.device, printer: s };
      }
    } else if (d.kind === 'id-reader') {
      const o = IdReaderOptions.parse(d.options);
      const reader = new IdCardReader(transport, { ...this.opts.idReader, ...(o.pollIntervalMs ? { pollIntervalMs: o.pollIntervalMs } : {}) });
      on(reader, 'card', (card: IdCardData) => this.emit('card', d.id, card));
      on(reader, 'removed', () => this.emit('card-removed', d.id));
      on(reader, 'readError', (err: IdReaderError) => this.emit('card-error', d.id, err));
      driver = reader;
      if (sim) {
        const s = new SimulatedIdCardReader(sim.device);
        await s.start();
        e.sim = { kind: 'id-reader', host: sim.host, device: sim.device, reader: s };
      }
    } else {
      const o = ScannerOptions.parse(d.options);
      const scanner =
        d.transport.type === 'hid'
          ? new HidScanner(transport, o.maxLength ? { maxLength: o.maxLength } : {})
          : new SerialScanner(transport, {
              ...(o.suffix ? { suffix: o.suffix } : {}),
              ...(o.encoding ? { encoding: o.encoding } : {}),
              ...(o.maxLength ? { maxLength: o.maxLength } : {}),
            });
      on(scanner, 'scan', (text: string) => this.emit('scan', d.id, text));
      driver = scanner;
      if (sim) {
        const s = new SimulatedScanner(sim.device, { mode: 'serial', suffix: '\r\n', encoding: o.encoding ?? 'utf8' });
        await s.start();
        e.sim = { kind: 'scanner', host: sim.host, device: sim.device, scanner: s };
      }
    }
    e.driver = driver;
    on(driver as unknown as EventEmitter, 'health', () => this.refresh(d.id));
    e.unwire = () => off.forEach((f) => f());
    await driver.start();
    e.supervisor = new LinkSupervisor(transport, this.backoff, () => this.refresh(d.id));
    e.supervisor.start();
  }

  /** An ID reader behind its vendor's SDK: no port of ours, the tool restarts itself when it fails. */
  private async buildVendorReader(e: Entry, toolName: string): Promise<void> {
    const d = e.device;
    const tool = vendorTool(toolName);
    if (typeof tool === 'string') {
      e.problem = tool;
      return;
    }
    const o = IdReaderOptions.parse(d.options);
    const reader = new VendorIdCardReader(new ChildProcessReaderAdapter(tool), o.pollIntervalMs ? { pollIntervalMs: o.pollIntervalMs } : {});
    e.unwire = wire(reader as unknown as EventEmitter, {
      health: () => this.refresh(d.id),
      card: (card: IdCardData) => void this.emit('card', d.id, card),
      removed: () => void this.emit('card-removed', d.id),
      readError: (err: IdReaderError) => void this.emit('card-error', d.id, err),
    });
    e.driver = reader;
    await reader.start();
  }

  private async buildRs485(e: Entry): Promise<void> {
    const d = e.device;
    const line = await this.lineFor(d);
    if (typeof line === 'string') {
      e.problem = line;
      return;
    }
    const address = d.address as number;
    const o = Rs485Options.parse(d.options);
    let unit: DeviceDriver;
    let simUnit: SimulatedBusDevice;
    if (d.kind === 'led-board' && isHallBar(d)) {
      unit = new HallLedBar(line.bus, address);
      simUnit = new SimulatedHallLedBar(address);
    } else if (d.kind === 'led-board') {
      unit = new LedBoard(line.bus, address, { lineCount: o.lines ?? 2 });
      simUnit = new SimulatedLedBoard(address, o.lines ?? 2);
    } else if (d.kind === 'keypad') {
      unit = new CallerKeypad(line.bus, address);
      simUnit = new SimulatedCallerKeypad(address);
    } else {
      unit = new Evaluator(line.bus, address);
      simUnit = new SimulatedEvaluator(address);
    }
    e.unwire = wire(unit as unknown as EventEmitter, {
      health: () => this.refresh(d.id),
      key: (key: KeypadKey) => void this.emit('key', d.id, key),
      rating: (r: Rating) => void this.emit('rating', d.id, r),
    });
    if (line.sim) {
      try {
        line.sim.bus.add(simUnit);
        e.sim = { kind: 'rs485', host: line.sim.host, device: line.sim.device, bus: line.sim.bus, unit: simUnit };
      } catch {
        // Address taken on the simulated line too: the bus reports the conflict as health.
      }
    }
    e.driver = unit;
    e.line = line;
    line.users.add(d.id);
    await unit.start();
    line.supervisor.start();
  }

  /** The shared line of an RS-485 device, or why it cannot join one. */
  private async lineFor(d: Device): Promise<Line | string> {
    const t = d.transport;
    const o = Rs485Options.parse(d.options);
    const key =
      t.type === 'serial' ? `serial:${t.path}` : t.type === 'tcp' ? `tcp:${t.host}:${t.port}` : `sim:${o.line ?? d.id}`;
    let profile = frameProfileOf(d, this.definedProfiles()) as FrameProfile;
    if (this.opts.ack && profile.ack) profile = { ...profile, ack: { ...profile.ack, ...this.opts.ack } };
    const baudRate = t.type === 'serial' ? serialBaudRate(d.kind, t.baudRate, profile) : null;
    const existing = this.lines.get(key);
    if (existing) {
      if (JSON.stringify(existing.profile) !== JSON.stringify(profile)) return `profile: ${key} already runs frame profile "${existing.profile.name}"`;
      if (existing.baudRate !== baudRate) return `transport.baudRate: ${key} already runs at ${existing.baudRate}`;
      await existing.ready;
      return existing;
    }
    // Registered before anything is awaited, so devices opened together find the same line.
    let sim: Line['sim'] = null;
    let inner: Transport;
    if (t.type === 'simulated') {
      const link = createMemoryLink(key);
      sim = { bus: new SimulatedRs485Bus(link.device, { profile }), host: link.host, device: link.device };
      inner = link.host;
    } else {
      inner = this.hostTransport(d, profile);
    }
    const transport = new ObservedTransport(inner);
    const bus = new Rs485Bus(transport, { ...this.opts.bus, profile, reopenMs: null });
    bus.on('warning', (message) => this.opts.log?.debug({ line: key, message }, 'rs485 bus warning'));
    const line: Line = {
      key,
      profile,
      baudRate,
      transport,
      supervisor: new LinkSupervisor(transport, this.backoff, () => {
        for (const id of line.users) this.refresh(id);
      }),
      bus,
      sim,
      users: new Set(),
      ready: sim ? sim.bus.start() : Promise.resolve(),
    };
    this.lines.set(key, line);
    await line.ready;
    return line;
  }

  private hostTransport(d: Device, profile?: FrameProfile): Transport {
    const t = d.transport;
    switch (t.type) {
      case 'serial':
        return new SerialTransport({
          path: t.path,
          baudRate: serialBaudRate(d.kind, t.baudRate, profile),
          ...(profile ? { dataBits: profile.serial.dataBits, parity: profile.serial.parity, stopBits: profile.serial.stopBits } : {}),
          ...(t.flowControl ? { flowControl: t.flowControl } : {}),
          ...(t.dtr !== undefined ? { dtr: t.dtr } : {}),
          ...(t.rts !== undefined ? { rts: t.rts } : {}),
        });
      case 'tcp':
        return new TcpTransport(t.host, t.port);
      case 'usb-file':
        return new UsbFileTransport(t.path);
      case 'windows-printer':
        return new WindowsSpoolerTransport({ printer: t.printer });
      case 'hid': {
        const o = (d.kind === 'scanner' ? ScannerOptions : IdReaderOptions).parse(d.options);
        return new HidTransport({
          ...(t.path !== undefined
            ? { path: t.path }
            : { vendorId: t.vendorId, productId: t.productId, ...(t.serialNumber !== undefined ? { serialNumber: t.serialNumber } : {}) }),
          ...(o.reportSize !== undefined ? { reportSize: o.reportSize } : d.kind === 'scanner' ? { reportSize: 8 } : {}),
          ...(o.reportId !== undefined ? { reportId: o.reportId } : {}),
          ...(o.lengthPrefix !== undefined ? { lengthPrefix: o.lengthPrefix } : {}),
        });
      }
      case 'vendor-sdk':
        throw new Error('vendor-sdk readers are built with their tool');
      case 'usb-bulk':
        return new UsbBulkTransport({ vendorId: t.vendorId, productId: t.productId, ...(t.serialNumber !== undefined ? { serialNumber: t.serialNumber } : {}) });
      case 'simulated':
        throw new Error('simulated links are built with their simulator');
    }
  }

  // ---------------- close ----------------

  private async closeNow(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    e.unwire();
    e.supervisor?.stop();
    await e.driver?.stop().catch(() => undefined);
    if (e.sim && e.sim.kind !== 'rs485') {
      const s = e.sim;
      const simulator = s.kind === 'printer' ? s.printer : s.kind === 'id-reader' ? s.reader : s.scanner;
      await simulator.stop().catch(() => undefined);
    }
    const line = e.line;
    if (line) {
      line.users.delete(id);
      if (e.sim?.kind === 'rs485' && line.sim?.bus.devices.get(e.sim.unit.address) === e.sim.unit) {
        line.sim.bus.devices.delete(e.sim.unit.address);
      }
      if (line.users.size === 0) {
        line.supervisor.stop();
        await line.bus.stop().catch(() => undefined);
        await line.transport.close().catch(() => undefined);
        await line.sim?.bus.stop().catch(() => undefined);
        this.lines.delete(line.key);
      }
    }
  }

  // ---------------- health ----------------

  private effectiveHealth(e: Entry): DeviceHealth {
    if (e.problem !== null) return { status: 'error', detail: e.problem };
    if (!e.driver) return { status: 'offline', detail: 'starting' };
    const h = e.driver.health;
    const t = e.transport ?? e.line?.transport ?? null;
    // The driver says "offline"; the port says why (no such file, connection refused…).
    if (h.status === 'offline' && t && !t.isOpen && t.lastOpenError) return { status: 'offline', detail: t.lastOpenError };
    return h;
  }

  private refresh(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    const next = this.effectiveHealth(e);
    if (next.status === e.health.status && next.detail === e.health.detail) return;
    e.health = next;
    this.emit('health', id, next);
  }
}
