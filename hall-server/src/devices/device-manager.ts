/**
 * The hall's device manager: the devices in config.json, each run either by this server
 * (`DeviceRuntime`) or, when it is attached to a kiosk terminal whose PC runs `hall-server agent`,
 * by that agent. One health per device either way, one place that says where a ticket prints.
 *
 * A device attached to a terminal is remote when the device says `options.runsOn: "agent"`, or
 * once an agent of that terminal has connected during this run: from then on the hall server
 * never opens the port itself (it may name a different device on this machine), and the device
 * is offline while the agent is.
 */
import { EventEmitter } from 'node:events';
import {
  Device,
  describeZodError,
  fail,
  hallError,
  ok,
  type CreateDeviceRequest,
  type PatchDeviceRequest,
  type PrintOutcome,
  type Result,
  type TestPrintResponse,
  type Ticket,
} from '@hall/protocol';
import type { DeviceHealth, KeypadKey, TicketPrintJob } from '@hall/drivers';
import type { ConfigStore } from '../config';
import type { DevicePort, DeviceView } from '../app/device-port';
import type { TicketPrintPort } from '../app/ports';
import { newId } from '../app/hall-core';
import type { Logger } from '../logging';
import { declaredForAgent, deviceProblem } from './device-options';
import { DeviceRuntime, deviceSignature, type DeviceRuntimeOptions } from './device-runtime';
import { testPrintJob, ticketPrintJob } from './print-job';
import type { SimulateAction } from './simulators';

/** A card as read: raw personal data. Hash the number and mask the name at once; never log it. */
export interface SwipedCard {
  name: string;
  idNumber: string;
  birthDate: string;
  validTo: string | null;
}

/** A connected kiosk agent, as the manager drives it. */
export interface AgentLink {
  readonly terminalId: string;
  sendDevices(devices: Device[]): void;
  /** `done` learns whether the agent's printer put the slip out (`code` says why not). */
  print(deviceId: string, job: TicketPrintJob, done?: (ok: boolean, code: string | null) => void): void;
  simulate(deviceId: string, action: SimulateAction): Promise<Result<Record<string, unknown>>>;
}

export interface DeviceManagerEvents {
  health: [device: Device, health: DeviceHealth];
  /** A locally run device's driver started: show it its current state. */
  opened: [device: Device];
  card: [device: Device, card: SwipedCard];
  'card-removed': [device: Device];
  'card-error': [device: Device, error: { code: string; message: string }];
  scan: [device: Device, text: string];
  key: [device: Device, key: KeypadKey];
  rating: [device: Device, score: number];
  /** A ticket's print job ended: the slip came out (`ok`), or `code` says why not. */
  printed: [terminalId: string, ticketId: string, ok: boolean, code: string | null];
}

export type DeviceManagerOptions = DeviceRuntimeOptions;

export type DeviceListView = DeviceView & { runsOn: 'hall' | 'agent' };

export function terminalOf(d: Device): string | null {
  return d.attachedTo && 'terminalId' in d.attachedTo ? d.attachedTo.terminalId : null;
}

export function counterOf(d: Device): string | null {
  return d.attachedTo && 'counterId' in d.attachedTo ? d.attachedTo.counterId : null;
}

const NO_AGENT: DeviceHealth = { status: 'offline', detail: '取号机代理程序未连接 kiosk agent not connected' };
const AGENT_GONE: DeviceHealth = { status: 'offline', detail: '取号机代理程序已断开 kiosk agent disconnected' };
const AGENT_WAIT: DeviceHealth = { status: 'offline', detail: 'waiting for the kiosk agent to open it' };

export class DeviceManager extends EventEmitter<DeviceManagerEvents> implements DevicePort, TicketPrintPort {
  readonly runtime: DeviceRuntime;
  /** Health of devices run by agents, as they report it. */
  private readonly remote = new Map<string, DeviceHealth>();
  private readonly agents = new Map<string, AgentLink>();
  /** Terminals whose agent connected during this run. */
  private readonly agentTerminals = new Set<string>();
  private readonly sentToAgent = new WeakMap<AgentLink, string>();
  private readonly published = new Map<string, DeviceHealth>();
  private chain: Promise<unknown> = Promise.resolve();
  private running = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly config: ConfigStore,
    private readonly log: Logger,
    options: DeviceManagerOptions = {},
  ) {
    super();
    this.setMaxListeners(50);
    this.runtime = new DeviceRuntime({ log, frameProfiles: () => this.config.data.frameProfiles, ...options });
    const byId = (id: string): Device | undefined => this.runtime.device(id);
    this.runtime.on('health', (id) => this.publish(id));
    this.runtime.on('opened', (id) => {
      const d = byId(id);
      if (d) this.emit('opened', d);
    });
    this.runtime.on('card', (id, card) => {
      const d = byId(id);
      if (d) this.emit('card', d, card);
    });
    this.runtime.on('card-removed', (id) => {
      const d = byId(id);
      if (d) this.emit('card-removed', d);
    });
    this.runtime.on('card-error', (id, err) => {
      const d = byId(id);
      if (d) this.emit('card-error', d, { code: err.code, message: err.message });
    });
    this.runtime.on('scan', (id, text) => {
      const d = byId(id);
      if (d) this.emit('scan', d, text);
    });
    this.runtime.on('key', (id, key) => {
      const d = byId(id);
      if (d) this.emit('key', d, key);
    });
    this.runtime.on('rating', (id, rating) => {
      const d = byId(id);
      if (d) this.emit('rating', d, rating.score);
    });
  }

  /** Opens every configured device; a missing one is offline, never fatal. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.config.onChange(() => void this.reconcile());
    await this.reconcile();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    await this.chain.catch(() => undefined);
    await this.runtime.stopAll();
  }

  devices(): readonly Device[] {
    return this.config.data.devices;
  }

  find(id: string): Device | undefined {
    return this.config.data.devices.find((d) => d.id === id);
  }

  isRemote(d: Device): boolean {
    const tid = terminalOf(d);
    return tid !== null && (this.agentTerminals.has(tid) || declaredForAgent(d));
  }

  healthOf(id: string): DeviceHealth {
    const remote = this.remote.get(id);
    if (remote) return remote;
    if (this.runtime.has(id)) return this.runtime.health(id);
    return { status: 'offline', detail: this.running ? 'not opened' : 'device manager stopped' };
  }

  /** Makes the running devices match config.json. Serialised; safe to call any time. */
  reconcile(): Promise<void> {
    const run = this.chain.then(async () => {
      if (!this.running) return;
      const devices = this.config.data.devices;
      await this.runtime.sync(devices.filter((d) => !this.isRemote(d)));
      const remote = new Set(devices.filter((d) => this.isRemote(d)).map((d) => d.id));
      for (const id of [...this.remote.keys()]) if (!remote.has(id)) this.remote.delete(id);
      for (const d of devices) {
        if (remote.has(d.id) && !this.remote.has(d.id)) {
          this.remote.set(d.id, this.agents.has(terminalOf(d) as string) ? AGENT_WAIT : NO_AGENT);
        }
      }
      const ids = new Set(devices.map((d) => d.id));
      for (const id of [...this.published.keys()]) if (!ids.has(id)) this.published.delete(id);
      for (const d of devices) this.publish(d.id);
      for (const link of this.agents.values()) this.sendDevices(link);
    });
    this.chain = run.catch((err: Error) => this.log.error({ err: { message: err.message } }, 'device reconcile failed'));
    return run.catch(() => undefined);
  }

  private publish(id: string): void {
    const d = this.find(id);
    if (!d) return;
    const h = this.healthOf(id);
    const last = this.published.get(id);
    if (last && last.status === h.status && last.detail === h.detail) return;
    this.published.set(id, h);
    this.emit('health', d, h);
  }

  // ---------------- DevicePort ----------------

  view(d: Device): DeviceListView {
    const h = this.healthOf(d.id);
    return {
      id: d.id,
      kind: d.kind,
      name: d.name,
      transport: d.transport,
      attachedTo: d.attachedTo,
      address: d.address,
      profile: d.profile,
      options: d.options,
      status: h.status,
      detail: h.detail,
      runsOn: this.isRemote(d) ? 'agent' : 'hall',
    };
  }

  list(): DeviceListView[] {
    return this.config.data.devices.map((d) => this.view(d));
  }

  async create(req: CreateDeviceRequest): Promise<Result<DeviceListView>> {
    const parsed = Device.safeParse({
      id: `dev-${newId()}`,
      kind: req.kind,
      name: req.name,
      transport: req.transport,
      attachedTo: req.attachedTo ?? null,
      address: req.address ?? null,
      profile: req.profile ?? null,
      options: req.options ?? {},
    });
    if (!parsed.success) return fail('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error));
    const device = parsed.data;
    const problem = deviceProblem(device, this.config.data.frameProfiles);
    if (problem) return fail('PROTOCOL.INVALID_PAYLOAD', problem);
    const r = await this.config.update((draft) => void draft.devices.push(device));
    if (!r.ok) return r;
    await this.reconcile();
    const saved = this.find(device.id);
    return saved ? ok(this.view(saved)) : fail('DEVICE.NOT_FOUND', 'the device was removed meanwhile');
  }

  async remove(id: string): Promise<Result<null>> {
    if (!this.find(id)) return fail('DEVICE.NOT_FOUND', `no device ${id}`);
    const r = await this.config.update((draft) => {
      draft.devices = draft.devices.filter((d) => d.id !== id);
    });
    if (!r.ok) return r;
    await this.reconcile();
    return ok(null);
  }

  async update(id: string, patch: PatchDeviceRequest): Promise<Result<DeviceListView>> {
    const before = this.find(id);
    if (!before) return fail('DEVICE.NOT_FOUND', `no device ${id}`);
    const parsed = Device.safeParse({ ...before, ...patch, id, kind: before.kind });
    if (!parsed.success) return fail('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error));
    const device = parsed.data;
    const problem = deviceProblem(device, this.config.data.frameProfiles);
    if (problem) return fail('PROTOCOL.INVALID_PAYLOAD', problem);
    const r = await this.config.update((draft) => {
      draft.devices = draft.devices.map((d) => (d.id === id ? device : d));
    });
    if (!r.ok) return r;
    await this.reconcile();
    const saved = this.find(id);
    return saved ? ok(this.view(saved)) : fail('DEVICE.NOT_FOUND', 'the device was removed meanwhile');
  }

  /** The admin console's test slip: waits for the printer's answer (the agent's, for a kiosk PC's printer). */
  async testPrint(id: string, at: string): Promise<Result<TestPrintResponse>> {
    const d = this.find(id);
    if (!d) return fail('DEVICE.NOT_FOUND', `no device ${id}`);
    if (d.kind !== 'printer') return fail('CONFIG.CONFLICT', `${id} is a ${d.kind}, not a printer`);
    const job = testPrintJob(this.config.data, at);
    if (this.isRemote(d)) {
      const link = this.agents.get(terminalOf(d) as string);
      if (!link) return ok({ printed: false, code: 'PRINTER.OFFLINE', message: NO_AGENT.detail });
      const answer = await new Promise<TestPrintResponse>((resolve) => {
        const timer = setTimeout(() => resolve({ printed: false, code: 'PRINTER.OFFLINE', message: 'the kiosk agent did not answer' }), 20_000);
        link.print(id, job, (printed, code) => {
          clearTimeout(timer);
          resolve({ printed, code, message: null });
        });
      });
      return ok(answer);
    }
    if (this.healthOf(id).status === 'error') await this.runtime.refreshPrinter(id);
    const r = await this.runtime.print(id, job);
    return ok(r.ok ? { printed: true, code: null, message: null } : { printed: false, code: r.code, message: r.message });
  }

  // ---------------- printing ----------------

  /**
   * Queues the ticket on the first online printer attached to the terminal and answers at once
   * (never waits for paper to move): `sent`, `failed` (printers attached, none online — or its
   * agent is gone), `none` (no printer attached).
   */
  printTicket(terminalId: string, ticket: Ticket, trackUrl: string): PrintOutcome {
    const printers = this.config.data.devices.filter((d) => d.kind === 'printer' && terminalOf(d) === terminalId);
    if (printers.length === 0) return 'none';
    for (const p of printers) {
      const status = this.healthOf(p.id).status;
      // A printer in error (paper out) is asked again, so a refilled roll is noticed by the next ticket.
      if (status === 'error' && !this.isRemote(p)) void this.runtime.refreshPrinter(p.id);
      if (status !== 'online') continue;
      const job = ticketPrintJob(this.config.data, ticket, trackUrl);
      if (this.isRemote(p)) {
        const link = this.agents.get(terminalId);
        if (!link) continue;
        link.print(p.id, job, (ok, code) => this.emit('printed', terminalId, ticket.id, ok, code));
        return 'sent';
      }
      if (!this.runtime.has(p.id)) continue;
      void this.runtime.print(p.id, job).then((r) => {
        if (!r.ok) this.log.warn({ device: p.id, code: r.code, ticket: ticket.number }, 'ticket not printed');
        // The kiosk says "take your ticket" only on this confirmation (issue 13 item 3).
        this.emit('printed', terminalId, ticket.id, r.ok, r.ok ? null : r.code);
      });
      return 'sent';
    }
    return 'failed';
  }

  /** Asks the terminal's local printers in error for their status now (a reprint after a refill). */
  async refreshPrinters(terminalId: string): Promise<void> {
    const printers = this.config.data.devices.filter((d) => d.kind === 'printer' && terminalOf(d) === terminalId && !this.isRemote(d));
    await Promise.all(printers.filter((p) => this.healthOf(p.id).status === 'error').map((p) => this.runtime.refreshPrinter(p.id)));
  }

  // ---------------- simulators ----------------

  async simulate(id: string, action: SimulateAction): Promise<Result<Record<string, unknown>>> {
    const d = this.find(id);
    if (!d) return fail('DEVICE.NOT_FOUND', `no device ${id}`);
    if (d.transport.type !== 'simulated') return fail('CONFIG.CONFLICT', `${id} is not a simulated device`);
    if (this.isRemote(d)) {
      const link = this.agents.get(terminalOf(d) as string);
      if (!link) return { ok: false, error: hallError('SERVER.UNAVAILABLE', 'the kiosk agent running this device is not connected') };
      return link.simulate(id, action);
    }
    const out = await this.runtime.simulate(id, action);
    return out ?? fail('SERVER.UNAVAILABLE', `${id} is not running`);
  }

  simulatorState(id: string): Result<Record<string, unknown>> {
    const d = this.find(id);
    if (!d) return fail('DEVICE.NOT_FOUND', `no device ${id}`);
    if (d.transport.type !== 'simulated') return fail('CONFIG.CONFLICT', `${id} is not a simulated device`);
    if (this.isRemote(d)) return fail('CONFIG.CONFLICT', `${id} runs on the kiosk agent; use its simulate actions`);
    const state = this.runtime.simulatorState(id);
    return state ? ok(state) : fail('SERVER.UNAVAILABLE', `${id} is not running`);
  }

  // ---------------- kiosk agents ----------------

  devicesOfTerminal(terminalId: string): Device[] {
    return this.config.data.devices.filter((d) => terminalOf(d) === terminalId);
  }

  /** An agent connected: its terminal's devices move to it (closed here, sent there). */
  async agentConnected(link: AgentLink): Promise<void> {
    const previous = this.agents.get(link.terminalId);
    this.agents.set(link.terminalId, link);
    this.agentTerminals.add(link.terminalId);
    if (previous) this.log.info({ terminal: link.terminalId }, 'kiosk agent replaced by a new connection');
    for (const d of this.devicesOfTerminal(link.terminalId)) this.remote.set(d.id, AGENT_WAIT);
    await this.reconcile();
    this.sendDevices(link);
  }

  agentDisconnected(link: AgentLink): void {
    if (this.agents.get(link.terminalId) !== link) return;
    this.agents.delete(link.terminalId);
    for (const d of this.devicesOfTerminal(link.terminalId)) {
      if (!this.isRemote(d)) continue;
      this.remote.set(d.id, AGENT_GONE);
      this.publish(d.id);
    }
  }

  /** A device of the agent's own terminal, or undefined (agents speak only for their kiosk). */
  agentDevice(link: AgentLink, deviceId: string): Device | undefined {
    const d = this.find(deviceId);
    if (!d || terminalOf(d) !== link.terminalId || this.agents.get(link.terminalId) !== link) return undefined;
    return d;
  }

  agentHealth(link: AgentLink, deviceId: string, health: DeviceHealth): void {
    const d = this.agentDevice(link, deviceId);
    if (!d || !this.isRemote(d)) return;
    this.remote.set(d.id, health);
    this.publish(d.id);
  }

  agentCard(link: AgentLink, deviceId: string, card: SwipedCard): void {
    const d = this.agentDevice(link, deviceId);
    if (d?.kind === 'id-reader') this.emit('card', d, card);
  }

  agentCardRemoved(link: AgentLink, deviceId: string): void {
    const d = this.agentDevice(link, deviceId);
    if (d?.kind === 'id-reader') this.emit('card-removed', d);
  }

  agentCardError(link: AgentLink, deviceId: string, error: { code: string; message: string }): void {
    const d = this.agentDevice(link, deviceId);
    if (d?.kind === 'id-reader') this.emit('card-error', d, error);
  }

  agentScan(link: AgentLink, deviceId: string, text: string): void {
    const d = this.agentDevice(link, deviceId);
    if (d?.kind === 'scanner') this.emit('scan', d, text);
  }

  private sendDevices(link: AgentLink): void {
    const list = this.devicesOfTerminal(link.terminalId);
    const signature = JSON.stringify(list.map((d) => [d.id, d.name, deviceSignature(d)]));
    if (this.sentToAgent.get(link) === signature) return;
    this.sentToAgent.set(link, signature);
    link.sendDevices(list);
  }
}
