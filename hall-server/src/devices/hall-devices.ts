/**
 * The hall server's devices, composed: the manager (config → drivers, health, printing), the
 * counter side (queue events ↔ LED boards, keypads, evaluators, hall bars), the kiosk side
 * (cards, scans, printer status to the kiosk that owns them), kiosk agents, and the realtime
 * and HTTP edges. main.ts builds one and starts it after the server listens.
 */
import type { Namespace, Socket } from 'socket.io';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toHallIso, type CreateDeviceRequest, type PatchDeviceRequest, type PrintOutcome, type Result, type TestPrintResponse, type Terminal, type Ticket } from '@hall/protocol';
import type { DeviceHallPort, TicketPrintPort } from '../app/ports';
import type { DevicePort } from '../app/device-port';
import type { RealtimeServer } from '../realtime/socket-server';
import { attachAgentSocket, type AgentSocket } from './agent-relay';
import { CounterDevices } from './counter-devices';
import { deviceSimulatorApp, withDeviceSimulatorRoutes } from './device-http';
import { DeviceManager, type DeviceListView, type DeviceManagerOptions } from './device-manager';
import { KioskDevices } from './kiosk-devices';

export class HallDevices implements DevicePort, TicketPrintPort {
  readonly manager: DeviceManager;
  readonly counters: CounterDevices;
  kiosks: KioskDevices | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Hall clock time of each device's last status change, for "offline since 10:32" in the console. */
  private readonly since = new Map<string, number>();

  constructor(
    private readonly ctx: DeviceHallPort,
    options: DeviceManagerOptions = {},
  ) {
    this.manager = new DeviceManager(ctx.config, ctx.log, options);
    this.counters = new CounterDevices(ctx.core, this.manager, ctx.log);
    const last = new Map<string, string>();
    this.manager.on('health', (d, h) => {
      if (last.get(d.id) === h.status) return;
      last.set(d.id, h.status);
      this.since.set(d.id, ctx.core.now());
    });
  }

  /** The socket side: health to supervisors, kiosk events to kiosks, agent sockets to the manager. */
  connectRealtime(realtime: RealtimeServer): void {
    const kiosks = new KioskDevices(this.ctx, this.manager, realtime);
    this.kiosks = kiosks;
    this.manager.on('health', (d, h) => realtime.deviceHealth({ id: d.id, status: h.status, detail: h.detail }));
    realtime.onAgent((socket: Socket, terminal: Terminal) => {
      attachAgentSocket(this.manager, socket as unknown as AgentSocket, terminal, this.ctx.log);
    });
    // A kiosk that (re)connects learns its printer's state at once.
    const kioskNs = realtime.io.of('/kiosk') as Namespace;
    kioskNs.on('connection', (socket: Socket) => {
      const terminal = (socket.data as { terminal?: Terminal }).terminal;
      if (!terminal || (socket.handshake.auth as { agent?: unknown } | undefined)?.agent === true) return;
      const h = kiosks.printerStatus(terminal.id);
      if (h) socket.emit('printer-status', { status: h.status, detail: h.detail });
    });
  }

  async start(): Promise<void> {
    this.counters.start();
    this.kiosks?.start();
    this.unsubscribe = this.ctx.config.onChange(() => this.counters.renderAll());
    await this.manager.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.counters.stop();
    this.kiosks?.stop();
    await this.manager.stop();
  }

  /** The request listener with the simulator routes in front of the hall's app. */
  httpHandler(main: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
    return withDeviceSimulatorRoutes(main, deviceSimulatorApp(this.ctx, this.manager));
  }

  // DevicePort
  list(): DeviceListView[] {
    const tz = this.ctx.core.viewContext().tz;
    return this.manager.list().map((v) => {
      const at = this.since.get(v.id);
      return { ...v, since: at === undefined ? null : toHallIso(at, tz) };
    });
  }
  update(id: string, patch: PatchDeviceRequest): Promise<Result<DeviceListView>> {
    return this.manager.update(id, patch);
  }
  testPrint(id: string, at: string): Promise<Result<TestPrintResponse>> {
    return this.manager.testPrint(id, at);
  }
  create(req: CreateDeviceRequest): Promise<Result<DeviceListView>> {
    return this.manager.create(req);
  }
  remove(id: string): Promise<Result<null>> {
    return this.manager.remove(id);
  }

  // TicketPrintPort
  printTicket(terminalId: string, ticket: Ticket, trackUrl: string): PrintOutcome {
    return this.manager.printTicket(terminalId, ticket, trackUrl);
  }

  refreshPrinters(terminalId: string): Promise<void> {
    return this.manager.refreshPrinters(terminalId);
  }
}
