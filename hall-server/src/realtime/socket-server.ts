/**
 * socket.io namespaces /display, /counter, /kiosk. Every (re)connect gets the full state first,
 * then changes. Changes are coalesced over a short window: at a thousand tickets a second, five
 * hundred screens get a few updates a second, not a million messages.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import {
  hallError,
  isHallError,
  NAMESPACES,
  type AckResult,
  type CounterAction,
  type CounterClientEvents,
  type CounterServerEvents,
  type DisplayAuth,
  type DisplayClientEvents,
  type DisplayServerEvents,
  type HallError,
  type KioskClientEvents,
  type KioskServerEvents,
  type PublicTicket,
  type QueueEvent,
  type QueueSnapshot,
  type StaffSnapshot,
  type Ticket,
  toHallIso,
  type Terminal,
  type User,
} from '@hall/protocol';
import { z } from 'zod';
import { IssueTicketRequest } from '@hall/protocol';
import { activeTicketViews, counterView, queueSnapshot, recentCallView, serviceSummaries, ticketTrackToken, ticketView } from '../queue';
import { actorOf, resolveToken, type HallContext } from '../app/context';
import { issueTicket } from '../app/issue-ticket';
import { runCounterAction } from '../app/counter-actions';
import { timingSafeEqualStr } from '../auth/compare';
import { hasRole } from '../auth/roles';
import { describeZodError } from '@hall/protocol';


const COALESCE_MS = 50;

interface StaffData {
  user: User;
}
interface KioskData {
  terminal: Terminal;
}
interface DisplayData {
  zone: string | null;
}

const CounterActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['sign-in', 'sign-out', 'call-next', 'recall', 'start', 'finish', 'no-show', 'resume']), counterId: z.string().min(1).max(64) }).strict(),
  z.object({ action: z.enum(['call', 'requeue']), counterId: z.string().min(1).max(64), ticketNumber: z.string().regex(/^[A-Z]{1,2}\d{3,4}$/) }).strict(),
  z.object({ action: z.literal('transfer'), counterId: z.string().min(1).max(64), serviceId: z.string().min(1).max(64) }).strict(),
  z.object({ action: z.literal('pause'), counterId: z.string().min(1).max(64), reason: z.string().min(1).max(60) }).strict(),
]);
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

  constructor(private readonly ctx: HallContext, http: HttpServer) {
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
    ctx.core.on('events', (events) => this.onEvents(events));
    ctx.core.on('day', () => this.resync());
    ctx.config.onChange(() => this.resync());
  }

  // ---------------- namespaces ----------------

  private setupDisplay(): void {
    this.display.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as DisplayAuth;
      socket.data.zone = null;
      if (typeof auth.token === 'string' && auth.token) {
        const p = resolveToken(this.ctx, auth.token);
        if (p.kind !== 'terminal' || p.terminal.kind !== 'display') {
          return next(connectError(hallError('AUTH.BAD_CREDENTIALS', 'not a display terminal token')));
        }
        socket.data.zone = p.terminal.zone;
      }
      next();
    });
    this.display.on('connection', (socket) => {
      const zone = socket.data.zone;
      const auth = (socket.handshake.auth ?? {}) as DisplayAuth;
      // A phone follows one ticket and the calls; it gets no counter or service broadcasts, so
      // hundreds of phones in the hall do not multiply the cost of every change.
      const phone = typeof auth.ticketId === 'string' && !zone;
      void socket.join(phone ? 'phones' : zone ? `zone:${zone}` : 'all');
      socket.emit('snapshot', this.displaySnapshot(zone));
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
    const expected = ticketTrackToken(this.ctx.core.state, ticketId);
    if (!expected || !timingSafeEqualStr(token, expected)) return undefined;
    const t = ticketView(this.ctx.core.state, ticketId, this.ctx.core.viewContext());
    if (!t) return undefined;
    void socket.join(`ticket:${ticketId}`);
    return publicTicket(t);
  }

  private setupCounter(): void {
    this.counter.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const p = resolveToken(this.ctx, typeof token === 'string' ? token : undefined);
      if (p.kind !== 'staff') return next(connectError(hallError('AUTH.REQUIRED', 'staff login required')));
      socket.data.user = p.user;
      next();
    });
    this.counter.on('connection', (socket) => {
      void socket.join(hasRole(socket.data.user.role, 'supervisor') ? ['staff', 'supervisors'] : ['staff']);
      socket.emit('snapshot', this.staffSnapshot(socket.data.user));
      socket.on('action', async (req, ack) => {
        // A staff member's session may have been revoked since connecting.
        const current = this.ctx.config.data.users.find((u) => u.id === socket.data.user.id);
        if (!current || current.disabled) return answer(ack, fail(hallError('AUTH.REQUIRED', 'session ended')));
        const parsed = CounterActionSchema.safeParse(req);
        if (!parsed.success) return answer(ack, fail(hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error))));
        try {
          const out = await runCounterAction(this.ctx.core, parsed.data as CounterAction, actorOf({ kind: 'staff', user: current, token: '' }));
          answer(ack, out.ok ? out : fail(out.error));
        } catch (e) {
          answer(ack, fail(e));
        }
      });
    });
  }

  private setupKiosk(): void {
    this.kiosk.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const p = resolveToken(this.ctx, typeof token === 'string' ? token : undefined);
      if (p.kind !== 'terminal' || p.terminal.kind !== 'kiosk') {
        return next(connectError(hallError('AUTH.REQUIRED', 'kiosk terminal token required')));
      }
      socket.data.terminal = p.terminal;
      next();
    });
    this.kiosk.on('connection', (socket) => {
      const terminal = socket.data.terminal;
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
        const parsed = IssueTicketRequest.safeParse(req);
        if (!parsed.success) return answer(ack, fail(hallError('PROTOCOL.INVALID_PAYLOAD', describeZodError(parsed.error))));
        try {
          const out = await issueTicket(this.ctx, parsed.data, { kind: 'terminal', terminalId: terminal.id });
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

  // ---------------- snapshots ----------------

  private displaySnapshot(zone: string | null): QueueSnapshot {
    const snap = queueSnapshot(this.ctx.core.state, this.ctx.core.viewContext());
    if (!zone) return snap;
    const counters = snap.counters.filter((c) => c.zone === null || c.zone === zone);
    const numbers = new Set(counters.map((c) => c.number));
    return { ...snap, counters, recentCalls: snap.recentCalls.filter((c) => numbers.has(c.counterNumber)) };
  }

  private staffSnapshot(user: User): StaffSnapshot {
    const { core } = this.ctx;
    const vctx = core.viewContext();
    const snap = queueSnapshot(core.state, vctx);
    const tickets: Ticket[] = activeTicketViews(core.state, vctx);
    const counterId = snap.counters.find((c) => c.clerk?.id === user.id)?.id ?? null;
    return { ...snap, tickets, me: { id: user.id, name: user.name, role: user.role, counterId } };
  }

  private kioskSnapshot(terminal: Terminal) {
    const { hall } = this.ctx.config.data;
    const vctx = this.ctx.core.viewContext();
    return {
      hall: { id: hall.id, name: hall.name, level: hall.level },
      terminal: { id: terminal.id, name: terminal.name },
      services: serviceSummaries(this.ctx.core.state, vctx),
      elderlyAge: hall.policy.elderlyAge,
      at: toHallIso(vctx.now, vctx.tz),
    };
  }

  /** Config or day changed: everybody gets a fresh snapshot. */
  private resync(): void {
    for (const s of this.display.sockets.values()) s.emit('snapshot', this.displaySnapshot(s.data.zone));
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
        const t = ev.ticketId ? this.ctx.core.state.tickets.get(ev.ticketId) : undefined;
        if (t) this.movedServices.add(t.serviceId);
      }
      if ((e.type === 'ticket.called' || e.type === 'ticket.recalled') && ev.ticketId && ev.counterId) {
        this.calls.push({ ticketId: ev.ticketId, counterId: ev.counterId });
      }
    }
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), COALESCE_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const { core } = this.ctx;
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
        sent.add(c.ticketId);
        const zone = this.ctx.config.data.counters.find((x) => x.id === c.counterId)?.zone ?? null;
        this.display.to(['all', 'phones']).emit('call', call);
        if (zone) this.display.to(`zone:${zone}`).emit('call', call);
        this.counter.to('staff').emit('call', call);
      }
      this.calls.length = 0;
    }
    for (const id of this.dirtyCounters) {
      const view = counterView(core.state, id, vctx);
      if (!view) continue;
      this.display.to('all').emit('counter', view);
      if (view.zone) this.display.to(`zone:${view.zone}`).emit('counter', view);
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
        if (display) this.display.except('phones').emit('services', services);
        if (counter) this.counter.emit('services', services);
        if (kiosk) this.kiosk.emit('services', services);
      }
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.flushTimer);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
