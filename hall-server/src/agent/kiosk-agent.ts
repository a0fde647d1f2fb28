/**
 * `hall-server agent`: runs on a kiosk PC whose printer, ID card reader or scanner is plugged
 * into the PC rather than the hall server. It connects to the hall's `/kiosk` namespace with the
 * kiosk's terminal token and `auth.agent: true`, receives the devices attached to its terminal,
 * opens them with the same drivers the hall server uses, prints the jobs the hall sends, relays
 * card swipes and scans, and reports health. The hall server still owns every device: config,
 * print jobs and card tokens stay there.
 */
import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  Device,
  hallError,
  type AckResult,
  type AgentClientEvents,
  type AgentIdCard,
  type AgentServerEvents,
  type Transport as TransportConfig,
} from '@hall/protocol';
import type { DeviceHealth } from '@hall/drivers';
import { DeviceRuntime, type DeviceRuntimeOptions } from '../devices/device-runtime';
import { DEFAULT_BACKOFF, type Backoff } from '../devices/link-supervisor';
import { SimulateAction } from '../devices/simulators';

export interface AgentLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const SILENT: AgentLog = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined };

export interface KioskAgentOptions {
  /** The hall server's base URL, e.g. `http://192.168.1.10:8080`. */
  hallUrl: string;
  /** The kiosk terminal's token (the same the kiosk screen uses). */
  token: string;
  /** Driver and port-reopen tuning on this PC. */
  runtime?: DeviceRuntimeOptions;
  /** Reconnecting to the hall. Default 0.5 s doubling to 5 s. */
  reconnect?: Backoff;
  /** This PC's port for a device, by device id (the printer is `COM3` here, not what the hall says). */
  transports?: Record<string, TransportConfig>;
  log?: AgentLog;
}

export interface KioskAgentEvents {
  connected: [];
  disconnected: [reason: string];
  /** A connection attempt failed (hall down, token refused); the agent keeps trying. */
  'connect-error': [reason: string];
  /** The hall's device list arrived and the devices were (re)opened. */
  devices: [devices: Device[]];
}

/** A print job from the hall, checked before it reaches the printer. */
export const AgentPrintRequest = z
  .object({
    deviceId: z.string().min(1).max(64),
    job: z
      .object({
        hallName: z.string().max(100),
        serviceName: z.string().max(100),
        ticketNumber: z.string().min(1).max(10),
        priorityLabel: z.string().max(20).nullable(),
        waitingAhead: z.number().int().min(0),
        estimatedWaitMinutes: z.number().min(0).nullable(),
        issuedAt: z.string().max(40),
        trackUrl: z.string().max(500),
        materials: z.array(z.string().max(200)).max(50),
        maskedHolderName: z.string().max(60).nullable(),
        footerLines: z.array(z.string().max(200)).max(10),
      })
      .strict(),
  })
  .strict();

const SimulateRequest = z.object({ deviceId: z.string().min(1).max(64), action: SimulateAction }).strict();

type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

function answer<T>(ack: unknown, res: AckResult<T>): void {
  if (typeof ack === 'function') (ack as (r: AckResult<T>) => void)(res);
}

export class KioskAgent extends EventEmitter<KioskAgentEvents> {
  readonly runtime: DeviceRuntime;
  private socket: AgentSocket | undefined;
  private readonly log: AgentLog;
  private readonly backoff: Backoff;
  private delay: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastConnectError = '';

  constructor(private readonly opts: KioskAgentOptions) {
    super();
    this.log = opts.log ?? SILENT;
    this.backoff = opts.reconnect ?? DEFAULT_BACKOFF;
    this.delay = this.backoff.initialMs;
    this.runtime = new DeviceRuntime({ log: this.log, ...opts.runtime });
    this.runtime.on('health', (id, h) => this.sendHealth(id, h));
    this.runtime.on('card', (deviceId, card) => {
      // Raw card fields go to the hall server, which alone holds the keyed-hash key; never
      // queued while offline (a swipe minutes later is useless and would sit in memory).
      const raw: AgentIdCard = { name: card.name, idNumber: card.idNumber, birthDate: card.birthDate, validTo: card.validTo };
      this.sendNow('id-card', { deviceId, card: raw });
    });
    this.runtime.on('card-removed', (deviceId) => this.sendNow('id-card-removed', { deviceId }));
    this.runtime.on('card-error', (deviceId, e) => this.sendNow('id-card-error', { deviceId, code: e.code, message: e.message.slice(0, 300) }));
    this.runtime.on('scan', (deviceId, text) => this.sendNow('scan', { deviceId, text }));
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Connects (and keeps reconnecting) to the hall. Resolves at once; see the `devices` event. */
  start(): void {
    if (this.socket) return;
    this.stopped = false;
    const url = `${this.opts.hallUrl.replace(/\/+$/, '')}/kiosk`;
    const socket: AgentSocket = io(url, {
      auth: { token: this.opts.token, agent: true },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: this.backoff.initialMs,
      reconnectionDelayMax: this.backoff.maxMs,
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.delay = this.backoff.initialMs;
      this.lastConnectError = '';
      this.log.info({ hall: this.opts.hallUrl }, 'connected to the hall');
      for (const id of this.runtime.ids()) this.sendHealth(id, this.runtime.health(id));
      this.emit('connected');
    });
    socket.on('disconnect', (reason) => {
      this.log.warn({ reason }, 'disconnected from the hall');
      this.emit('disconnected', reason);
      // The server ended the session (e.g. token revoked, hall restarting): try again ourselves.
      if (reason === 'io server disconnect') this.retryLater();
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      const why = err.data?.code ? `${err.data.code}: ${err.message}` : err.message;
      if (why !== this.lastConnectError) this.log.warn({ error: why }, 'cannot connect to the hall; retrying');
      this.lastConnectError = why;
      this.emit('connect-error', why);
      // Refused by the namespace middleware (bad token): socket.io does not retry by itself.
      if (!socket.active) this.retryLater();
    });
    socket.on('devices', (list) => void this.onDevices(list));
    socket.on('print', (req, ack) => void this.onPrint(req, ack));
    socket.on('simulate', (req, ack) => void this.onSimulate(req, ack));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
    this.socket = undefined;
    await this.runtime.stopAll();
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.backoff.maxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped && this.socket && !this.socket.connected) this.socket.connect();
    }, wait);
    this.retryTimer.unref();
  }

  private sendHealth(deviceId: string, h: DeviceHealth): void {
    this.sendNow('device-health', { deviceId, status: h.status, detail: h.detail });
  }

  /** Emits only while connected: nothing piles up in socket.io's send buffer meanwhile. */
  private sendNow<K extends keyof AgentClientEvents>(event: K, ...args: Parameters<AgentClientEvents[K]>): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    (socket.emit as (e: K, ...a: Parameters<AgentClientEvents[K]>) => unknown)(event, ...args);
  }

  private async onDevices(list: unknown): Promise<void> {
    if (!Array.isArray(list)) return;
    const devices: Device[] = [];
    for (const item of list) {
      const p = Device.safeParse(item);
      if (!p.success) {
        this.log.warn({ device: (item as { id?: unknown })?.id }, 'the hall sent a device this agent cannot read; skipped');
        continue;
      }
      const local = this.opts.transports?.[p.data.id];
      devices.push(local ? { ...p.data, transport: local } : p.data);
    }
    await this.runtime.sync(devices);
    this.log.info({ devices: devices.map((d) => d.id) }, 'devices opened');
    // The hall may have missed health changes while the list was on its way.
    for (const id of this.runtime.ids()) this.sendHealth(id, this.runtime.health(id));
    this.emit('devices', devices);
  }

  private async onPrint(req: unknown, ack: unknown): Promise<void> {
    const p = AgentPrintRequest.safeParse(req);
    if (!p.success) return answer(ack, { ok: false, error: hallError('PROTOCOL.INVALID_PAYLOAD', 'malformed print job') });
    const r = await this.runtime.print(p.data.deviceId, p.data.job);
    answer(ack, r.ok ? { ok: true, value: null } : { ok: false, error: hallError('SERVER.UNAVAILABLE', r.message, { code: r.code }) });
  }

  private async onSimulate(req: unknown, ack: unknown): Promise<void> {
    const p = SimulateRequest.safeParse(req);
    if (!p.success) return answer(ack, { ok: false, error: hallError('PROTOCOL.INVALID_PAYLOAD', 'malformed simulator action') });
    const out = await this.runtime.simulate(p.data.deviceId, p.data.action);
    answer(ack, out ?? { ok: false, error: hallError('CONFIG.CONFLICT', `${p.data.deviceId} is not a simulated device on this agent`) });
  }
}
