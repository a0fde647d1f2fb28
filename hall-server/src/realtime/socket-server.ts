/**
 * socket.io namespaces /display, /counter, /kiosk. Every (re)connect gets the full state first,
 * then changes. Changes are coalesced over a short window: at a thousand tickets a second, five
 * hundred screens get a few updates a second, not a million messages.
 *
 * A socket keeps its credential, not what it resolved to at connect: the gateway resolves it
 * again for every packet the socket sends, and on every revocation (and a periodic sweep for
 * expired sessions) sockets whose credential no longer stands are disconnected.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import {
  describeZodError,
  hallError,
  isHallError,
  NAMESPACES,
  type AckResult,
  type Alert,
  type CounterClientEvents,
  type CounterServerEvents,
  type DisplayAuth,
  type DisplayClientEvents,
  type DisplayVoice,
  type DisplayServerEvents,
  type HallError,
  type KioskClientEvents,
  type KioskServerEvents,
  type PublicTicket,
  type RatePrompt,
  type QueueEvent,
  type QueueSnapshot,
  type StaffSnapshot,
  type Ticket,
  toHallIso,
  type Terminal,
  type User,
} from '@hall/protocol';
import { z } from 'zod';
import { activeTicketViews, counterView, queueSnapshot, recentCallView, serviceSummaries, ticketTrackToken, ticketView } from '../queue';
import type { CommandGateway } from '../app/gateway';
import type { ConfigPort, CorePort } from '../app/ports';
import { timingSafeEqualStr } from '../auth/compare';
import { hasRole } from '../auth/roles';
import { counterScreenSnapshot, promptChanges, RATE_PROMPT_MS } from './counter-screens';

const COALESCE_MS = 50;

export interface RealtimePorts {
  core: Pick<CorePort, 'state' | 'viewContext' | 'health' | 'on'>;
  config: Pick<ConfigPort, 'data' | 'onChange'>;
  gateway: Pick<CommandGateway, 'resolve' | 'issueTicket' | 'on'>;
  /** How often sockets of sessions that expired are looked for, by the hall's clock (ms). */
  sessionSweepMs: number;
  /** Call audio (voice/call-audio.ts): every call event gets its `audioUrl`. */
  voice?: {
    urlFor(v: { number: string; counter: number; counterName: string; service: string }): string;
    readonly available: boolean;
  };
}

/** The credential a socket connected with and whose it was (user or terminal id). */
interface Credential {
  token: string;
  holderId: string;
}
interface StaffData extends Credential {
  user: User;
}
interface KioskData extends Credential {
  terminal: Terminal;
}
interface DisplayData extends Partial<Credential> {
  zone: string | null;
  /** A counter screen (窗口屏): only this counter's data. */
  counterId?: string;
}
const TrackSchema = z.object({ ticketId: z.string().min(1).max(64), token: z.string().min(1).max(200) }).strict();

function connectError(error: HallError): Error & { data: HallError } {
  const e = new Error(error.message) as Error & { data: HallError };
  e.data = error;
  return e;
}

/** Calls an ack safely: a client that sent no callback gets nothing, and nothing throws. */
function answer<T>(ack: unknown, res: AckResult<T>): void {
  if (typeof ack === 'function') (ack as (r: AckResult<T>) => void)(res);
}

function fail(error: unknown): AckResult<never> {
  return { ok: false, error: isHallError(error) ? error : hallError('SERVER.INTERNAL', 'internal error') };
}

export function publicTicket(t: Ticket): PublicTicket {
  const { holderName: _h, trackToken: _t, ...rest } = t;
  return rest;
}

export class RealtimeServer {
  readonly io: Server;
  private readonly display: Namespace<DisplayClientEvents, DisplayServerEvents, Record<string, never>, DisplayData>;
  private readonly counter: Namespace<CounterClientEvents, CounterServerEvents, Record<string, never>, StaffData>;
  private readonly kiosk: Namespace<KioskClientEvents, KioskServerEvents, Record<string, never>, KioskData>;
  private dirtyServices = false;
  /** Services whose queue moved: the tickets waiting there have a new `waitingAhead`. */
  private readonly movedServices = new Set<string>();
  private readonly dirtyCounters = new Set<string>();
  private readonly dirtyTickets = new Set<string>();
  private readonly calls: { ticketId: string; counterId: string }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private agentHandler: ((socket: Socket, terminal: Terminal) => void) | undefined;
  private readonly sweep: NodeJS.Timeout;
  /** Counter screens get a fresh cut-down snapshot after queue changes, at most this often. */
  private counterScreensTimer: NodeJS.Timeout | undefined;
  /** The rating prompt each counter's screen shows now (counters without an evaluator). */
  private readonly prompts = new Map<string, RatePrompt>();

  constructor(private readonly ports: RealtimePorts, http: HttpServer) {
    this.io = new Server(http, {
      serveClient: false,
      maxHttpBufferSize: 64 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
      connectionStateRecovery: undefined,
    });
    // The root namespace is not used; refuse it so stray clients learn quickly.
    this.io.of('/').use((_s, next) => next(connectError(hallError('ROUTE.NOT_FOUND', 'use /display, /counter or /kiosk'))));
    this.display = this.io.of(NAMESPACES.display) as unknown as typeof this.display;
    this.counter = this.io.of(NAMESPACES.counter) as unknown as typeof this.counter;
    this.kiosk = this.io.of(NAMESPACES.kiosk) as unknown as typeof this.kiosk;
    this.setupDisplay();
    this.setupCounter();
    this.setupKiosk();
    ports.core.on('events', (events) => this.onEvents(events));
    ports.core.on('day', () => this.resync());
    // Failed: the consoles say writes are refused. Recovered: the state was replayed from disk.
    ports.core.on('health', () => this.resync());
    ports.config.onChange(() => this.resync());
    ports.gateway.on('revoked', () => this.dropRevoked());
    this.sweep = setInterval(() => this.dropRevoked(), ports.sessionSweepMs).unref();
  }

  /** Whether the credential still stands for the same user or terminal. */
  private holds(c: Partial<Credential>): boolean {
    const p = this.ports.gateway.resolve(c.token);
    return (p.kind === 'staff' && p.user.id === c.holderId) || (p.kind === 'terminal' && p.terminal.id === c.holderId);
  }

  /** Every packet a socket sends is checked against its credential first. */
  private guardPackets(socket: Socket): void {
    socket.use((_packet, next) => {
      if (this.holds(socket.data as Credential)) return next();
      socket.disconnect(true);
    });
  }

  /** Disconnects the sockets whose credential was revoked or expired. */
  private dropRevoked(): void {
    for (const ns of [this.counter, this.kiosk, this.display] as Namespace[]) {
      for (const s of ns.sockets.values()) {
        const c = s.data as Partial<Credential>;
        if (c.token !== undefined && !this.holds(c)) s.disconnect(true);
      }
    }
  }

  // ---------------- namespaces ----------------

  private setupDisplay(): void {
    this.display.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as DisplayAuth;
      socket.data.zone = null;
      if (typeof auth.token === 'string' && auth.token) {
        const p = this.ports.gateway.resolve(auth.token);
        if (p.kind !== 'terminal' || p.terminal.kind !== 'display') {
          return next(connectError(hallError('AUTH.BAD_CREDENTIALS', 'not a display terminal token')));
        }
        Object.assign(socket.data, { zone: p.terminal.zone, token: auth.token, holderId: p.terminal.id });
      }
      if (auth.counterId !== undefined) {
        if (typeof auth.counterId !== 'string' || !this.ports.config.data.counters.some((c) => c.id === auth.counterId)) {
          return next(connectError(hallError('COUNTER.NOT_FOUND', 'no such counter')));
        }
        socket.data.counterId = auth.counterId;
      }
      next();
    });
    this.display.on('connection', (socket) => {
      const zone = socket.data.zone;
      const auth = (socket.handshake.auth ?? {}) as DisplayAuth;
      const counterId = socket.data.counterId;
      if (counterId) {
        // A counter screen: its own rooms only, never the hall-wide broadcasts. Only a paired
        // screen (display token) gets the rating prompt: it carries the ticket's rating token.
        const paired = socket.data.token !== undefined;
        void socket.join(['counter-screens', `counter-screen:${counterId}`, ...(paired ? [`counter-rate:${counterId}`] : [])]);
        socket.emit('snapshot', this.displaySnapshot(zone, counterId));
        socket.emit('voice', this.displayVoice(zone));
        const prompt = this.prompts.get(counterId);
        if (paired && prompt && Date.parse(prompt.until) > this.ports.core.viewContext().now) socket.emit('rate-prompt', prompt);
        return;
      }
      // A phone follows one ticket and the calls; it gets no counter or service broadcasts, so
      // hundreds of phones in the hall do not multiply the cost of every change.
      const phone = typeof auth.ticketId === 'string' && !zone;
      void socket.join(phone ? 'phones' : zone ? `zone:${zone}` : 'all');
      socket.emit('snapshot', this.displaySnapshot(zone));
      socket.emit('voice', this.displayVoice(zone));
      if (typeof auth.ticketId === 'string' && typeof auth.trackToken === 'string') {
        const t = this.track(socket, auth.ticketId, auth.trackToken);
        if (t) socket.emit('ticket', t);
      }
      socket.on('track', (req, ack) => {
        const parsed = TrackSchema.safeParse(req);
        if (!parsed.success) return answer(ack, fail(hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error))));
        const t = this.track(socket, parsed.data.ticketId, parsed.data.token);
        answer(ack, t ? { ok: true, value: t } : fail(hallError('QUEUE.NOT_FOUND', 'no such ticket')));
      });
    });
  }

  private track(socket: Socket, ticketId: string, token: string): PublicTicket | undefined {
    const expected = ticketTrackToken(this.ports.core.state, ticketId);
    if (!expected || !timingSafeEqualStr(token, expected)) return undefined;
    const t = ticketView(this.ports.core.state, ticketId, this.ports.core.viewContext());
    if (!t) return undefined;
    void socket.join(`ticket:${ticketId}`);
    return publicTicket(t);
  }

  private setupCounter(): void {
    this.counter.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const p = this.ports.gateway.resolve(typeof token === 'string' ? token : undefined);
      if (p.kind !== 'staff') return next(connectError(hallError('AUTH.REQUIRED', 'staff login required')));
      Object.assign(socket.data, { user: p.user, token: p.token, holderId: p.user.id });
      next();
    });
    this.counter.on('connection', (socket) => {
      void socket.join(hasRole(socket.data.user.role, 'supervisor') ? ['staff', 'supervisors'] : ['staff']);
      socket.emit('snapshot', this.staffSnapshot(socket.data.user));
      this.guardPackets(socket as unknown as Socket);
    });
  }

  private setupKiosk(): void {
    this.kiosk.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const p = this.ports.gateway.resolve(typeof token === 'string' ? token : undefined);
      if (p.kind !== 'terminal' || p.terminal.kind !== 'kiosk') {
        return next(connectError(hallError('AUTH.REQUIRED', 'kiosk terminal token required')));
      }
      Object.assign(socket.data, { terminal: p.terminal, token, holderId: p.terminal.id });
      next();
    });
    this.kiosk.on('connection', (socket) => {
      const terminal = socket.data.terminal;
      this.guardPackets(socket as unknown as Socket);
      // A kiosk PC's `hall-server agent` (same terminal token, `auth.agent: true`): the device
      // manager talks to it (devices/agent-relay.ts); it is not a kiosk screen.
      if ((socket.handshake.auth as { agent?: unknown } | undefined)?.agent === true && this.agentHandler) {
        void socket.join(['agent', `agent:${terminal.id}`]);
        this.agentHandler(socket as unknown as Socket, terminal);
        return;
      }
      void socket.join(`terminal:${terminal.id}`);
      socket.emit('snapshot', this.kioskSnapshot(terminal));
      socket.on('issue', async (req, ack) => {
        try {
          const out = await this.ports.gateway.issueTicket(socket.data.token, req);
          answer(ack, out.ok ? out : fail(out.error));
        } catch (e) {
          answer(ack, fail(e));
        }
      });
    });
  }

  /** Who takes kiosk agent sockets (the device manager); without one, agents are plain kiosk sockets. */
  onAgent(handler: (socket: Socket, terminal: Terminal) => void): void {
    this.agentHandler = handler;
  }

  /** Sends to one kiosk terminal (swiped card, scan, printer status). */
  toTerminal<K extends keyof KioskServerEvents>(terminalId: string, event: K, ...args: Parameters<KioskServerEvents[K]>): void {
    (this.kiosk.to(`terminal:${terminalId}`).emit as (e: K, ...a: Parameters<KioskServerEvents[K]>) => boolean)(event, ...args);
  }

  /** Device health to supervisors and admins. */
  deviceHealth(device: { id: string; status: 'online' | 'offline' | 'error'; detail: string | null }): void {
    this.counter.to('supervisors').emit('device', device);
  }

  /** An 电子监察 alert raised, cleared or acknowledged: supervisors' consoles show it at once. */
  alert(alert: Alert): void {
    this.counter.to('supervisors').emit('alert', alert);
  }

  // ---------------- snapshots ----------------

  private displaySnapshot(zone: string | null, counterId?: string): QueueSnapshot {
    const snap = queueSnapshot(this.ports.core.state, this.ports.core.viewContext());
    if (counterId) return counterScreenSnapshot(snap, counterId);
    if (!zone) return snap;
    const counters = snap.counters.filter((c) => c.zone === null || c.zone === zone);
    const numbers = new Set(counters.map((c) => c.number));
    // A notice for one zone (公告 of the second floor) is not shown on another zone's screens.
    const ours = new Set(this.ports.config.data.notices.filter((n) => n.zone === null || n.zone === zone).map((n) => n.text));
    return { ...snap, counters, recentCalls: snap.recentCalls.filter((c) => numbers.has(c.counterNumber)), notices: snap.notices.filter((t) => ours.has(t)) };
  }

  private staffSnapshot(user: User): StaffSnapshot {
    const { core } = this.ports;
    const vctx = core.viewContext();
    const snap = queueSnapshot(core.state, vctx);
    const tickets: Ticket[] = activeTicketViews(core.state, vctx);
    const counterId = snap.counters.find((c) => c.clerk?.id === user.id)?.id ?? null;
    return { ...snap, tickets, me: { id: user.id, name: user.name, role: user.role, counterId }, journal: core.health };
  }

  private kioskSnapshot(terminal: Terminal) {
    const { hall } = this.ports.config.data;
    const vctx = this.ports.core.viewContext();
    return {
      hall: { id: hall.id, name: hall.name, level: hall.level },
      terminal: { id: terminal.id, name: terminal.name },
      services: serviceSummaries(this.ports.core.state, vctx),
      elderlyAge: hall.policy.elderlyAge,
      at: toHallIso(vctx.now, vctx.tz),
    };
  }

  /** The hall's voice settings as this screen needs them. */
  private displayVoice(zone: string | null): DisplayVoice {
    const v = this.ports.config.data.hall.voice;
    return {
      playback: v.playback,
      muted: v.muted,
      quietHours: v.quietHours,
      repeat: v.repeat,
      zone,
      unzonedScreens: v.unzonedScreens,
      serverAudio: this.ports.voice?.available ?? false,
    };
  }

  /** Config, day or journal health changed: everybody gets a fresh snapshot. */
  private resync(): void {
    for (const s of this.display.sockets.values()) {
      s.emit('snapshot', this.displaySnapshot(s.data.zone, s.data.counterId));
      s.emit('voice', this.displayVoice(s.data.zone));
    }
    for (const s of this.counter.sockets.values()) s.emit('snapshot', this.staffSnapshot(s.data.user));
    for (const s of this.kiosk.sockets.values()) s.emit('snapshot', this.kioskSnapshot(s.data.terminal));
  }

  // ---------------- deltas ----------------

  private onEvents(events: QueueEvent[]): void {
    for (const e of events) {
      const ev = e as QueueEvent & { ticketId?: string; counterId?: string };
      if (ev.ticketId) this.dirtyTickets.add(ev.ticketId);
      if (ev.counterId) this.dirtyCounters.add(ev.counterId);
      if (e.type.startsWith('ticket.')) {
        this.dirtyServices = true;
        const moved = e as { serviceId?: string; fromServiceId?: string; toServiceId?: string };
        for (const id of [moved.serviceId, moved.fromServiceId, moved.toServiceId]) if (id) this.movedServices.add(id);
        const t = ev.ticketId ? this.ports.core.state.tickets.get(ev.ticketId) : undefined;
        if (t) this.movedServices.add(t.serviceId);
      }
      if ((e.type === 'ticket.called' || e.type === 'ticket.recalled') && ev.ticketId && ev.counterId) {
        this.calls.push({ ticketId: ev.ticketId, counterId: ev.counterId });
      }
    }
    this.updatePrompts(events);
    if (this.display.adapter.rooms.has('counter-screens') && !this.counterScreensTimer) {
      this.counterScreensTimer = setTimeout(() => this.refreshCounterScreens(), 1000);
    }
    if (events.some((e) => e.type === 'day.closed')) {
      // The core replaces the closed day's state right after these events: send the tickets'
      // final (expired) views now, while they still exist; a phone page must not keep waiting.
      clearTimeout(this.flushTimer);
      this.flush();
    } else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), COALESCE_MS);
  }

  /** Rating prompts on counter screens: shown after a finish, cleared by the rating or a sign-out. */
  private updatePrompts(events: QueueEvent[]): void {
    const vctx = this.ports.core.viewContext();
    for (const ch of promptChanges(events, this.ports.config.data)) {
      const room = `counter-rate:${ch.counterId}`;
      if (ch.show) {
        const t = this.ports.core.state.tickets.get(ch.ticketId);
        const token = ticketTrackToken(this.ports.core.state, ch.ticketId);
        if (!t || !token) continue;
        const prompt: RatePrompt = { ticketId: ch.ticketId, ticketNumber: t.number, token, until: toHallIso(vctx.now + RATE_PROMPT_MS, vctx.tz) };
        this.prompts.set(ch.counterId, prompt);
        this.display.to(room).emit('rate-prompt', prompt);
      } else {
        const current = this.prompts.get(ch.counterId);
        if (!current || (ch.ticketId && current.ticketId !== ch.ticketId)) continue;
        this.prompts.delete(ch.counterId);
        this.display.to(room).emit('rate-prompt', null);
      }
    }
  }

  /** One snapshot for every counter screen, each cut down to its counter. */
  private refreshCounterScreens(): void {
    this.counterScreensTimer = undefined;
    const sockets = [...this.display.sockets.values()].filter((s) => s.data.counterId);
    if (sockets.length === 0) return;
    const snap = queueSnapshot(this.ports.core.state, this.ports.core.viewContext());
    for (const s of sockets) s.emit('snapshot', counterScreenSnapshot(snap, s.data.counterId as string));
  }

  private flush(): void {
    this.flushTimer = undefined;
    const { core } = this.ports;
    const vctx = core.viewContext();
    if (this.calls.length > 0) {
      // The newest call record of each ticket, without building a whole snapshot (which walks
      // every queue for the screens' "next numbers").
      const records = core.state.recentCalls;
      const sent = new Set<string>();
      for (const c of this.calls) {
        if (sent.has(c.ticketId)) continue;
        let record: (typeof records)[number] | undefined;
        for (let i = records.length - 1; i >= 0 && !record; i--) if (records[i]?.ticketId === c.ticketId) record = records[i];
        if (!record) continue;
        const call = recentCallView(record, vctx.config);
        if (this.ports.voice) {
          call.audioUrl = this.ports.voice.urlFor({ number: call.ticketNumber, counter: call.counterNumber, counterName: call.counterName, service: call.serviceName });
        }
        sent.add(c.ticketId);
        const zone = this.ports.config.data.counters.find((x) => x.id === c.counterId)?.zone ?? null;
        // A counter without a zone belongs to every zone's screens.
        (zone ? this.display.to(['all', 'phones', `zone:${zone}`]) : this.display.except('counter-screens')).emit('call', call);
        this.display.to(`counter-screen:${c.counterId}`).emit('call', call);
        this.counter.to('staff').emit('call', call);
      }
      this.calls.length = 0;
    }
    for (const id of this.dirtyCounters) {
      const view = counterView(core.state, id, vctx);
      if (!view) continue;
      (view.zone ? this.display.to(['all', `zone:${view.zone}`]) : this.display.except(['phones', 'counter-screens'])).emit('counter', view);
      this.display.to(`counter-screen:${id}`).emit('counter', view);
      this.counter.to('staff').emit('counter', view);
    }
    this.dirtyCounters.clear();
    // A ticket view costs a walk of its service's queue: build it only for someone listening.
    const staffListening = this.counter.sockets.size > 0;
    const rooms = this.display.adapter.rooms;
    // Tracked tickets still waiting in a service whose queue moved: their people-ahead changed.
    if (this.movedServices.size > 0) {
      for (const room of rooms.keys()) {
        if (!room.startsWith('ticket:')) continue;
        const id = room.slice('ticket:'.length);
        const t = core.state.tickets.get(id);
        if (t && t.status === 'waiting' && this.movedServices.has(t.serviceId)) this.dirtyTickets.add(id);
      }
      this.movedServices.clear();
    }
    for (const id of this.dirtyTickets) {
      const tracked = (rooms.get(`ticket:${id}`)?.size ?? 0) > 0;
      if (!staffListening && !tracked) continue;
      const t = ticketView(core.state, id, vctx);
      if (!t) continue;
      if (staffListening) this.counter.to('staff').emit('ticket', t);
      if (tracked) this.display.to(`ticket:${id}`).emit('ticket', publicTicket(t));
    }
    this.dirtyTickets.clear();
    if (this.dirtyServices) {
      this.dirtyServices = false;
      // socket.io encodes a broadcast before it looks for sockets: only namespaces with some.
      const [display, counter, kiosk] = [this.display, this.counter, this.kiosk].map((ns) => ns.sockets.size > 0);
      if (display || counter || kiosk) {
        const services = serviceSummaries(core.state, vctx);
        if (display) this.display.except(['phones', 'counter-screens']).emit('services', services);
        if (counter) this.counter.emit('services', services);
        if (kiosk) this.kiosk.emit('services', services);
      }
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.flushTimer);
    clearTimeout(this.counterScreensTimer);
    clearInterval(this.sweep);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
