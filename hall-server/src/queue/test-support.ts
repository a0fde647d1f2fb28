/**
 * Test fixtures for the engine: a parsed demo config and a small harness that decides and
 * applies commands at fixed instants. Never reads the wall clock.
 */
import { HallConfig } from '@hall/protocol';
import type { Actor, HallError, Priority, QueueCommand, QueueEvent } from '@hall/protocol';
import { apply } from './apply';
import type { DecideContext, DecideResult, ViewContext } from './context';
import { decide } from './decide';
import { initialState } from './state';
import type { QueueState } from './state';

export const TZ = 'Asia/Shanghai';
export const DAY = '2026-11-26'; // a Thursday
/** 09:30 hall time on DAY. */
export const T0 = Date.parse('2026-11-26T09:30:00+08:00');
export const MIN = 60_000;

const user = (id: string, role: 'admin' | 'supervisor' | 'clerk', name: string) => ({
  id,
  username: id,
  name,
  staffNo: `No.${id}`,
  role,
  passwordHash: 'scrypt$x',
  createdAt: '2026-01-01T00:00:00+08:00',
});

export interface ConfigOptions {
  policy?: Record<string, number>;
  hours?: Record<string, unknown>;
  calendar?: { holidays?: string[]; workdays?: string[] };
}

/**
 * Services: A and B plain; C needs an ID card, 2 per ID a day; D has a quota of 2; E is
 * disabled; F issues all day; G numbers 998..1001.
 * Counters: c1 (A, B), c2 (A), c3 (B, C), c4 disabled, c5 (F, weight), c6 (A weight 1, B weight 3).
 */
export function makeConfig(opts: ConfigOptions = {}): HallConfig {
  return HallConfig.parse({
    version: 1,
    hall: {
      id: 'hall-1',
      name: '测试县政务服务中心',
      level: 'county',
      hours: {
        open: { start: '09:00', end: '17:00' },
        lunch: { start: '12:00', end: '13:30' },
        weekdays: [1, 2, 3, 4, 5],
        ...opts.hours,
      },
      calendar: { holidays: ['2026-10-01'], workdays: ['2026-09-27'], ...opts.calendar },
      policy: { ...opts.policy },
    },
    services: [
      { id: 'A', name: '社保办理', category: '社保', prefix: 'A', materials: ['身份证'] },
      { id: 'B', name: '医保办理', category: '社保', prefix: 'B', sort: 1 },
      { id: 'C', name: '不动产登记', category: '土地管理', prefix: 'C', idRequired: true, perIdDailyLimit: 2 },
      { id: 'D', name: '农机补贴', category: '农机', prefix: 'D', dailyQuota: 2 },
      { id: 'E', name: '停办业务', category: '其他', prefix: 'E', enabled: false },
      {
        id: 'F',
        name: '自助服务',
        category: '其他',
        prefix: 'F',
        ticketHours: { open: { start: '00:00', end: '24:00' }, allDay: true },
      },
      { id: 'G', name: '市场监管', category: '市场监管', prefix: 'GA', numberStart: 998, numberEnd: 1001 },
    ],
    counters: [
      { id: 'c1', number: 1, name: '1号窗口', services: [{ serviceId: 'A' }, { serviceId: 'B' }] },
      { id: 'c2', number: 2, name: '2号窗口', services: [{ serviceId: 'A' }] },
      { id: 'c3', number: 3, name: '3号窗口', services: [{ serviceId: 'B' }, { serviceId: 'C' }] },
      { id: 'c4', number: 4, name: '4号窗口', services: [{ serviceId: 'A' }], enabled: false },
      { id: 'c5', number: 5, name: '5号窗口', services: [{ serviceId: 'F' }, { serviceId: 'G' }, { serviceId: 'D' }] },
      { id: 'c6', number: 6, name: '6号窗口', services: [{ serviceId: 'A', weight: 1 }, { serviceId: 'B', weight: 3 }] },
    ],
    users: [
      user('admin', 'admin', '管理员'),
      user('sup', 'supervisor', '王主任'),
      user('u1', 'clerk', '李一'),
      user('u2', 'clerk', '李二'),
      user('u3', 'clerk', '李三'),
      user('u5', 'clerk', '李五'),
      user('u6', 'clerk', '李六'),
    ],
    terminals: [],
    devices: [],
    notices: [{ id: 'n1', text: '请携带身份证' }],
  });
}

export const staff = (userId: string, role: 'admin' | 'supervisor' | 'clerk' = 'clerk'): Actor => ({ kind: 'staff', userId, role });
export const ADMIN = staff('admin', 'admin');
export const SUP = staff('sup', 'supervisor');
export const KIOSK: Actor = { kind: 'terminal', terminalId: 'k1' };
export const SYSTEM: Actor = { kind: 'system' };
export const PUBLIC: Actor = { kind: 'public' };

/** Decide-and-apply harness with deterministic ids and a settable clock. */
export class TestHall {
  state: QueueState;
  now: number;
  events: QueueEvent[] = [];
  private n = 0;
  constructor(
    public config: HallConfig = makeConfig(),
    opts: { now?: number; day?: string } = {},
  ) {
    this.state = initialState(opts.day ?? DAY);
    this.now = opts.now ?? T0;
  }

  ctx(actor: Actor): DecideContext {
    return {
      now: this.now,
      tz: TZ,
      config: this.config,
      newId: () => `id${++this.n}`,
      newToken: () => `tok${++this.n}`,
      actor,
    };
  }

  view(): ViewContext {
    return { config: this.config, now: this.now, tz: TZ };
  }

  decide(command: QueueCommand, actor: Actor = SYSTEM): DecideResult {
    return decide(this.state, command, this.ctx(actor));
  }

  run(command: QueueCommand, actor: Actor = SYSTEM): DecideResult {
    const res = this.decide(command, actor);
    if (res.ok) {
      for (const e of res.events) this.state = apply(this.state, e);
      this.events.push(...res.events);
    }
    return res;
  }

  /** Runs and expects success; returns the result's ticketId. */
  ok(command: QueueCommand, actor: Actor = SYSTEM): string | null {
    const res = this.run(command, actor);
    if (!res.ok) throw new Error(`${command.type} refused: ${res.error.code} ${res.error.message}`);
    return res.ticketId;
  }

  /** Runs and expects a refusal; returns the error. */
  err(command: QueueCommand, actor: Actor = SYSTEM): HallError {
    const res = this.run(command, actor);
    if (res.ok) throw new Error(`${command.type} unexpectedly accepted`);
    return res.error;
  }

  issue(serviceId = 'A', priority?: Priority, actor: Actor = SYSTEM, extra: Partial<Extract<QueueCommand, { type: 'ticket.issue' }>> = {}): string {
    return this.ok(
      { type: 'ticket.issue', serviceId, source: 'staff', ...(priority ? { priority } : {}), ...extra },
      actor,
    ) as string;
  }

  signIn(counterId: string, userId: string): void {
    this.ok({ type: 'counter.sign-in', counterId }, staff(userId));
  }

  callNext(counterId: string, actor: Actor = SYSTEM): string | null {
    return this.ok({ type: 'counter.call-next', counterId }, actor);
  }

  ticket(id: string) {
    const t = this.state.tickets.get(id);
    if (!t) throw new Error(`no ticket ${id}`);
    return t;
  }

  number(id: string): string {
    return this.ticket(id).number;
  }

  advance(minutes: number): void {
    this.now += minutes * MIN;
  }
}
