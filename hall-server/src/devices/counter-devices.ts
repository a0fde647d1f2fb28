/**
 * Queue events drive the counters' devices, and the devices drive the queue:
 * - a call or recall shows 「请A001号」 and the counter's name on its LED board, the number and
 *   the waiting count on its keypad, and scrolls the call phrase on the hall's LED bars;
 * - a paused or closed counter shows 「暂停服务」;
 * - a finished ticket starts the counter's evaluator with the clerk's name and staff number
 *   (挂牌上岗); the evaluator's key press becomes that ticket's rating;
 * - a keypad key acts for the clerk signed in at the counter, exactly like the clerk's screen.
 *
 * Displays are rendered from the queue state (not from the event), coalesced, and only sent when
 * the text changed. Something done at a counter (a call, a pause) shows within a few ms; a
 * change of waiting counts alone (tickets issued elsewhere) waits up to WAITING_REFRESH_MS, so a
 * morning rush costs each keypad a few frames a second, not one per ticket on a 9600-baud line
 * that calls share.
 */
import {
  hallError,
  type Actor,
  type CounterAction,
  type CounterView,
  type Device,
  type HallConfig,
  type HallError,
  type QueueEvent,
  type Role,
} from '@hall/protocol';
import { CallerKeypad, Evaluator, HallLedBar, LedBoard, type KeypadKey } from '@hall/drivers';
import type { HallCore } from '../app/hall-core';
import { runCounterAction } from '../app/counter-actions';
import { callPhrase, counterView } from '../queue';
import { waitingCount } from '../queue/state';
import type { Logger } from '../logging';
import { counterOf, type DeviceManager } from './device-manager';
import { isHallBar } from './device-options';

const COALESCE_MS = 15;
/** Longest wait before a keypad's waiting count follows tickets issued or taken elsewhere. */
const WAITING_REFRESH_MS = 250;
/** A keypad message (error, "nobody waiting") stays this long before the normal text returns. */
const MESSAGE_MS = 3000;
const SYSTEM: Actor = { kind: 'system' };
/** Events that change only waiting counts when no counter is named in them. */
const WAITING_ONLY: ReadonlySet<string> = new Set(['ticket.issued', 'ticket.cancelled', 'ticket.expired', 'ticket.transferred']);

export const BOARD_TEXT = {
  paused: '暂停服务',
  welcome: '欢迎光临',
} as const;

/** The LED board's lines for a counter. */
export function boardLines(view: CounterView): string[] {
  if (view.state !== 'open') return [BOARD_TEXT.paused, view.name];
  const t = view.currentTicket;
  if (t && (t.status === 'called' || t.status === 'serving')) return [`请${t.number}号`, view.name];
  return [BOARD_TEXT.welcome, view.name];
}

/** The keypad's screen for a counter: current number (or state) and the waiting count. */
export function keypadText(view: CounterView, waiting: number): string {
  const head = view.state === 'closed' ? '窗口关闭' : view.state === 'paused' ? BOARD_TEXT.paused : (view.currentTicket?.number ?? '----');
  return `${head} 等候${waiting}人`;
}

/** Short texts for the keypad's small screen. */
export function keypadError(error: HallError): string {
  switch (error.code) {
    case 'QUEUE.RECALL_LIMIT':
      return '已达重呼次数';
    case 'QUEUE.INVALID_STATE':
      return '当前不能操作';
    case 'AUTH.FORBIDDEN':
      return '无权操作';
    case 'QUEUE.NOT_FOUND':
      return '没有当前号';
    default:
      return '操作失败';
  }
}

const KEY_ACTIONS: Record<Exclude<KeypadKey, 'transfer'>, (counterId: string) => CounterAction> = {
  'call-next': (counterId) => ({ action: 'call-next', counterId }),
  recall: (counterId) => ({ action: 'recall', counterId }),
  'no-show': (counterId) => ({ action: 'no-show', counterId }),
  start: (counterId) => ({ action: 'start', counterId }),
  finish: (counterId) => ({ action: 'finish', counterId }),
  pause: (counterId) => ({ action: 'pause', counterId, reason: '呼叫器暂停' }),
  resume: (counterId) => ({ action: 'resume', counterId }),
};

export class CounterDevices {
  private readonly dirty = new Set<string>();
  /** Counters something happened at: a keypad message there gives way to the new state. */
  private readonly acted = new Set<string>();
  private barText: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private servingOf: { config: HallConfig['counters']; byService: Map<string, readonly string[]> } = { config: [], byService: new Map() };
  /** When the pending flush runs (performance.now()). */
  private flushAt = 0;
  /** Evaluator device id → the ticket it is asking a rating for. */
  private readonly rating = new Map<string, string>();
  /** Keypad device id → until when a message holds its screen. */
  private readonly messageUntil = new Map<string, number>();
  private readonly messageTimers = new Map<string, NodeJS.Timeout>();
  private readonly off: Array<() => void> = [];

  constructor(
    private readonly core: HallCore,
    private readonly devices: DeviceManager,
    private readonly log: Logger,
  ) {}

  start(): void {
    const onEvents = (events: QueueEvent[]): void => this.onEvents(events);
    const onDay = (): void => this.renderAll();
    const onOpened = (d: Device): void => this.renderDevice(d);
    const onKey = (d: Device, key: KeypadKey): void => void this.onKey(d, key);
    const onRating = (d: Device, score: number): void => void this.onRating(d, score);
    this.core.on('events', onEvents);
    this.core.on('day', onDay);
    this.devices.on('opened', onOpened);
    this.devices.on('key', onKey);
    this.devices.on('rating', onRating);
    this.off.push(
      () => this.core.off('events', onEvents),
      () => this.core.off('day', onDay),
      () => this.devices.off('opened', onOpened),
      () => this.devices.off('key', onKey),
      () => this.devices.off('rating', onRating),
    );
  }

  stop(): void {
    for (const f of this.off.splice(0)) f();
    clearTimeout(this.timer);
    for (const t of this.messageTimers.values()) clearTimeout(t);
    this.messageTimers.clear();
  }

  /** Config changed (counter names, services): everything is shown again. */
  renderAll(): void {
    for (const c of this.core.config.counters) this.dirty.add(c.id);
    this.schedule();
  }

  private onEvents(events: QueueEvent[]): void {
    let urgent = false;
    for (const e of events) {
      if (!WAITING_ONLY.has(e.type) || ('counterId' in e && e.counterId)) urgent = true;
      if (e.type !== 'ticket.issued' && 'counterId' in e && e.counterId) this.acted.add(e.counterId);
      switch (e.type) {
        case 'ticket.issued':
        case 'ticket.requeued':
        case 'ticket.transferred':
        case 'ticket.cancelled':
        case 'ticket.expired':
          // Waiting counts change at every counter serving the service.
          for (const c of this.countersServing(e.type === 'ticket.transferred' ? e.toServiceId : this.serviceOf(e.ticketId))) this.dirty.add(c);
          if ('counterId' in e && e.counterId) this.dirty.add(e.counterId);
          break;
        case 'ticket.called':
        case 'ticket.recalled': {
          this.dirty.add(e.counterId);
          for (const c of this.countersServing(this.serviceOf(e.ticketId))) this.dirty.add(c);
          this.barText = this.phraseOf(e.ticketId, e.ticketNumber, e.counterId, e.counterNumber);
          break;
        }
        case 'ticket.finished':
          this.dirty.add(e.counterId);
          this.startRating(e.counterId, e.ticketId);
          break;
        case 'ticket.rated':
          // One rating per ticket (#13 item 11): rated on the phone or by the clerk, the
          // evaluator still asking for it stops asking.
          this.stopRating(e.ticketId);
          break;
        case 'ticket.started':
        case 'ticket.no-show':
        case 'counter.signed-in':
        case 'counter.signed-out':
        case 'counter.paused':
        case 'counter.resumed':
          this.dirty.add(e.counterId);
          break;
        case 'day.closed':
          for (const c of this.core.config.counters) this.dirty.add(c.id);
          break;
        default:
          break;
      }
    }
    this.schedule(urgent ? COALESCE_MS : WAITING_REFRESH_MS);
  }

  /** Flush within `ms`: an earlier deadline replaces a later one. */
  private schedule(ms = COALESCE_MS): void {
    const at = performance.now() + ms;
    if (this.timer) {
      if (this.flushAt <= at) return;
      clearTimeout(this.timer);
    }
    this.flushAt = at;
    this.timer = setTimeout(() => this.flush(), ms);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    const counters = [...this.dirty];
    this.dirty.clear();
    for (const counterId of this.acted) this.clearMessages(counterId);
    this.acted.clear();
    for (const counterId of counters) this.renderCounter(counterId);
    if (this.barText !== null) {
      const text = this.barText;
      this.barText = null;
      for (const d of this.devices.devices()) if (isHallBar(d)) this.showBar(d, text);
    }
  }

  /** A device just started: show it what it should show now. */
  private renderDevice(d: Device): void {
    if (isHallBar(d)) {
      const bar = this.devices.runtime.driver(d.id);
      if (bar instanceof HallLedBar && bar.shown === '') this.showBar(d, this.core.config.hall.name);
      return;
    }
    const counterId = counterOf(d);
    if (counterId) {
      this.dirty.add(counterId);
      this.schedule();
    }
  }

  private renderCounter(counterId: string): void {
    const view = counterView(this.core.state, counterId, this.core.viewContext());
    if (!view) return;
    const waiting = this.waitingAt(counterId);
    for (const d of this.devices.devices()) {
      if (counterOf(d) !== counterId) continue;
      const driver = this.devices.runtime.driver(d.id);
      if (driver instanceof LedBoard) {
        const lines = boardLines(view).slice(0, driver.lineCount);
        while (lines.length < driver.lineCount) lines.push('');
        if (!sameLines(driver.shown, lines)) void driver.show(lines).catch(() => undefined);
      } else if (driver instanceof CallerKeypad) {
        if ((this.messageUntil.get(d.id) ?? 0) > Date.now()) continue;
        const text = keypadText(view, waiting);
        if (driver.shown !== text) void driver.display(text).catch(() => undefined);
      }
    }
  }

  private showBar(d: Device, text: string): void {
    const bar = this.devices.runtime.driver(d.id);
    if (bar instanceof HallLedBar) void bar.scroll(text).catch(() => undefined);
  }

  // ---------------- evaluator ----------------

  private startRating(counterId: string, ticketId: string): void {
    if (this.core.state.tickets.get(ticketId)?.rating) return;
    const view = counterView(this.core.state, counterId, this.core.viewContext());
    const clerk = view?.clerk ?? null;
    for (const d of this.devices.devices()) {
      if (d.kind !== 'evaluator' || counterOf(d) !== counterId) continue;
      const ev = this.devices.runtime.driver(d.id);
      if (!(ev instanceof Evaluator)) continue;
      this.rating.set(d.id, ticketId);
      void ev.startRating({ clerkName: clerk?.name ?? '', staffNo: clerk?.staffNo ?? '' }).catch(() => undefined);
    }
  }

  private stopRating(ticketId: string): void {
    for (const [deviceId, asked] of this.rating) {
      if (asked !== ticketId) continue;
      this.rating.delete(deviceId);
      const ev = this.devices.runtime.driver(deviceId);
      if (ev instanceof Evaluator) void ev.cancel().catch(() => undefined);
    }
  }

  private async onRating(d: Device, score: number): Promise<void> {
    const ticketId = this.rating.get(d.id);
    if (!ticketId) {
      this.log.info({ device: d.id }, 'evaluator rating without a finished ticket; ignored');
      return;
    }
    this.rating.delete(d.id);
    const r = await this.core.execute({ type: 'ticket.rate', ticketId, score, reasons: [], comment: null }, SYSTEM);
    // Already rated on the phone page: the first rating stands.
    if (!r.ok && r.error.code !== 'RATING.DUPLICATE') this.log.warn({ device: d.id, code: r.error.code }, 'evaluator rating refused');
  }

  // ---------------- keypad ----------------

  private async onKey(d: Device, key: KeypadKey): Promise<void> {
    const counterId = counterOf(d);
    if (!counterId) return;
    const view = counterView(this.core.state, counterId, this.core.viewContext());
    if (!view) return;
    const clerk = view.clerk ? this.core.config.users.find((u) => u.id === view.clerk?.id && !u.disabled) : undefined;
    if (!clerk) return this.message(d, '未签到 请先登录');
    if (key === 'transfer') return this.message(d, '转移请在电脑上操作');
    const actor: Actor = { kind: 'staff', userId: clerk.id, role: clerk.role as Role };
    try {
      const out = await runCounterAction(this.core, KEY_ACTIONS[key](counterId), actor);
      if (!out.ok) return this.message(d, keypadError(out.error));
      if (key === 'call-next' && out.value.ticket === null) return this.message(d, `无人等候 等候0人`);
    } catch (err) {
      this.log.error({ device: d.id, err: { message: (err as Error).message } }, 'keypad action failed');
      this.message(d, keypadError(hallError('SERVER.INTERNAL', 'internal error')));
    }
  }

  private clearMessages(counterId: string): void {
    for (const d of this.devices.devices()) {
      if (d.kind !== 'keypad' || counterOf(d) !== counterId) continue;
      this.messageUntil.delete(d.id);
      clearTimeout(this.messageTimers.get(d.id));
      this.messageTimers.delete(d.id);
    }
  }

  private message(d: Device, text: string): void {
    const keypad = this.devices.runtime.driver(d.id);
    if (!(keypad instanceof CallerKeypad)) return;
    this.messageUntil.set(d.id, Date.now() + MESSAGE_MS);
    void keypad.display(text).catch(() => undefined);
    clearTimeout(this.messageTimers.get(d.id));
    const timer = setTimeout(() => {
      this.messageTimers.delete(d.id);
      this.messageUntil.delete(d.id);
      const counterId = counterOf(d);
      if (counterId) {
        this.dirty.add(counterId);
        this.schedule();
      }
    }, MESSAGE_MS);
    timer.unref();
    this.messageTimers.set(d.id, timer);
  }

  // ---------------- helpers ----------------

  private serviceOf(ticketId: string): string | undefined {
    return this.core.state.tickets.get(ticketId)?.serviceId;
  }

  private countersServing(serviceId: string | undefined): readonly string[] {
    if (!serviceId) return [];
    // Asked for every ticket issued: worked out once per service and configuration.
    const counters = this.core.config.counters;
    if (this.servingOf.config !== counters) this.servingOf = { config: counters, byService: new Map() };
    let ids = this.servingOf.byService.get(serviceId);
    if (!ids) {
      ids = counters.filter((c) => c.services.some((l) => l.serviceId === serviceId)).map((c) => c.id);
      this.servingOf.byService.set(serviceId, ids);
    }
    return ids;
  }

  private waitingAt(counterId: string): number {
    const c = this.core.config.counters.find((x) => x.id === counterId);
    if (!c) return 0;
    return c.services.reduce((n, l) => n + waitingCount(this.core.state, l.serviceId), 0);
  }

  private phraseOf(ticketId: string, number: string, counterId: string, counterNumber: number): string {
    const cfg = this.core.config;
    const counter = cfg.counters.find((c) => c.id === counterId);
    const serviceId = this.serviceOf(ticketId);
    return callPhrase(cfg.hall.phraseTemplate, {
      number,
      counter: counterNumber,
      counterName: counter?.name ?? String(counterNumber),
      service: cfg.services.find((s) => s.id === serviceId)?.name ?? '',
    });
  }
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
