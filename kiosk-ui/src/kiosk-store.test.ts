/**
 * The kiosk's citizen journey as the store runs it, with a fake /kiosk socket and injected
 * timers (no DOM, no wall clock): a removed ID card clears at once, a card left unused times
 * out, "take your ticket" only once the printer confirms the slip, a failed slip stays on
 * screen longer and can be reprinted, and the language resets after each citizen.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, type IssueTicketResponse, type KioskIdCard, type ServiceSummary } from '@hall/protocol';
import { createKioskStore, SCREEN_SECONDS, type KioskDeps, type KioskSocketLike, type KioskTimers } from './kiosk-store';

class FakeTimers implements KioskTimers {
  now = 0;
  private seq = 0;
  private readonly tasks = new Map<number, { at: number; every: number | null; fn: () => void }>();
  setTimeout = (fn: () => void, ms: number): number => this.add(fn, ms, null);
  setInterval = (fn: () => void, ms: number): number => this.add(fn, ms, ms);
  clearTimeout = (id: number | undefined): void => void (id !== undefined && this.tasks.delete(id));
  clearInterval = (id: number | undefined): void => void (id !== undefined && this.tasks.delete(id));
  private add(fn: () => void, ms: number, every: number | null): number {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.now + ms, every, fn });
    return id;
  }
  /** Runs every task due within `ms`, in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.tasks.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      const [id, task] = next;
      this.now = task.at;
      if (task.every === null) this.tasks.delete(id);
      else task.at += task.every;
      task.fn();
    }
    this.now = end;
  }
}

class FakeSocket implements KioskSocketLike {
  connected = true;
  readonly handlers = new Map<string, ((...args: never[]) => void)[]>();
  issued: unknown[] = [];
  answer: (req: unknown) => unknown = () => ({ ok: false, error: { code: 'SERVER.INTERNAL', message: 'no answer set' } });
  on(event: string, fn: (...args: never[]) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const fn of this.handlers.get(event) ?? []) (fn as (...a: unknown[]) => void)(...args);
  }
  timeout(): { emitWithAck(event: 'issue', req: unknown): Promise<unknown> } {
    return {
      emitWithAck: async (_event, req) => {
        this.issued.push(req);
        return this.answer(req);
      },
    };
  }
  connect(): void {}
  close(): void {}
}

const service = (id: string, extra: Partial<ServiceSummary> = {}): ServiceSummary => ({
  id,
  prefix: 'A',
  name: '社保办理',
  nameEn: 'Social insurance',
  category: '社保',
  open: true,
  waiting: 0,
  idRequired: false,
  materials: ['身份证'],
  estimatedWaitMinutes: null,
  closedReason: null,
  ...extra,
});
const card = (extra: Partial<KioskIdCard> = {}): KioskIdCard => ({ cardToken: 'card-1', maskedName: '张*三', elderly: true, validUntil: null, ...extra });
const ticketFor = (serviceId: string, print: IssueTicketResponse['print'], id = 't1'): IssueTicketResponse =>
  ({ id, number: 'A001', serviceId, serviceName: '社保办理', priority: 'normal', status: 'waiting', waitingAhead: 0, estimatedWaitMinutes: null, trackToken: 'tok', trackUrl: 'http://hall/ticket/t1?token=tok', print }) as unknown as IssueTicketResponse;

function setUp(extra: Partial<KioskDeps> = {}) {
  const timers = new FakeTimers();
  const socket = new FakeSocket();
  const http: { calls: { method: string; path: string }[]; answer: (path: string) => unknown } = { calls: [], answer: () => ({}) };
  const store = createKioskStore('kiosk-token', {
    timers,
    socket,
    request: async (method, path) => {
      http.calls.push({ method, path });
      return http.answer(path) as never;
    },
    ...extra,
  });
  socket.fire('snapshot', { hall: { id: 'h', name: '县政务服务中心', level: 'county' }, terminal: { id: 'k1', name: '取号机' }, services: [service('s1')], elderlyAge: 60, at: '' });
  return { store, timers, socket, http };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('ID card on the kiosk (issue 13 item 1)', () => {
  it('clears a removed card at once, with the elderly mode it brought', () => {
    const { store, socket } = setUp();
    socket.fire('id-card', card());
    expect(store.idCard.value?.maskedName).toBe('张*三');
    expect(store.elderly.value).toBe(true);
    socket.fire('id-card-removed');
    expect(store.idCard.value).toBeNull();
    expect(store.elderly.value).toBe(false);
  });

  it('the next ticket after a removed card carries no card token', async () => {
    const { store, socket } = setUp();
    socket.answer = (req) => ({ ok: true, value: ticketFor((req as { serviceId: string }).serviceId, 'none') });
    socket.fire('id-card', card());
    socket.fire('id-card-removed');
    store.tapService(service('s1'));
    await flush();
    expect(socket.issued).toEqual([{ serviceId: 's1', requestId: expect.any(String) }]);
  });

  it('times out a card left on the start screen', () => {
    const { store, socket, timers } = setUp();
    socket.fire('id-card', card());
    timers.advance(SCREEN_SECONDS.card * 1000 - 1);
    expect(store.idCard.value).not.toBeNull();
    timers.advance(1);
    expect(store.idCard.value).toBeNull();
    expect(store.elderly.value).toBe(false);
  });

  it('the card screen (need-id) times out back to the start', () => {
    const { store, timers } = setUp();
    store.tapService(service('s1', { idRequired: true }));
    expect(store.screen.value.kind).toBe('need-id');
    timers.advance(SCREEN_SECONDS['need-id'] * 1000);
    expect(store.screen.value.kind).toBe('home');
  });
});

describe('printing (issue 13 item 3)', () => {
  it('says "take your ticket" only once the printer confirms the slip', async () => {
    const { store, socket } = setUp();
    socket.answer = () => ({ ok: true, value: ticketFor('s1', 'sent') });
    store.tapService(service('s1'));
    await flush();
    expect(store.screen.value.kind).toBe('result');
    expect(store.print.value).toBe('printing');
    socket.fire('print-result', { ticketId: 't1', ok: true, code: null });
    expect(store.print.value).toBe('printed');
  });

  it('a slip that did not come out stays longer than 15 s and can be reprinted once paper is back', async () => {
    const { store, socket, timers, http } = setUp();
    socket.answer = () => ({ ok: true, value: ticketFor('s1', 'sent') });
    store.tapService(service('s1'));
    await flush();
    socket.fire('print-result', { ticketId: 't1', ok: false, code: 'PRINTER.PAPER_OUT' });
    expect(store.print.value).toBe('failed');
    timers.advance(16_000);
    expect(store.screen.value.kind).toBe('result');
    expect(store.secondsLeft.value).toBeGreaterThan(0);
    socket.fire('printer-status', { status: 'online', detail: null });
    http.answer = () => ({ ticketId: 't1', print: 'sent' });
    await store.reprint();
    expect(http.calls).toEqual([{ method: 'POST', path: '/api/tickets/t1/reprint' }]);
    expect(store.print.value).toBe('printing');
    socket.fire('print-result', { ticketId: 't1', ok: true, code: null });
    expect(store.print.value).toBe('printed');
  });

  it('a result that arrives before the issue answer still counts', async () => {
    const { store, socket } = setUp();
    socket.answer = () => {
      socket.fire('print-result', { ticketId: 't1', ok: false, code: 'PRINTER.PAPER_OUT' });
      return { ok: true, value: ticketFor('s1', 'sent') };
    };
    store.tapService(service('s1'));
    await flush();
    expect(store.print.value).toBe('failed');
  });

  it('without a confirmation in time, it does not claim the slip printed', async () => {
    const { store, socket, timers } = setUp();
    socket.answer = () => ({ ok: true, value: ticketFor('s1', 'sent') });
    store.tapService(service('s1'));
    await flush();
    timers.advance(SCREEN_SECONDS.printConfirm * 1000);
    expect(store.print.value).toBe('unconfirmed');
  });
});

describe('language (issue 13 item 5)', () => {
  it('resets to Chinese after each citizen, like large text', async () => {
    const { store, socket, timers } = setUp();
    store.lang.value = 'en';
    store.elderly.value = true;
    socket.answer = () => ({ ok: true, value: ticketFor('s1', 'none') });
    store.tapService(service('s1'));
    await flush();
    expect(store.lang.value).toBe('en');
    timers.advance(SCREEN_SECONDS.resultNoSlip * 1000);
    expect(store.screen.value.kind).toBe('home');
    expect(store.lang.value).toBe('zh');
    expect(store.elderly.value).toBe(false);
  });
});

describe('appointment check-in (issue 16)', () => {
  const ticket = (id: string) => ({ ...ticketFor('s1', 'sent', id), priority: 'appointment' });
  const booking = { code: '1234567890', serviceId: 's1', serviceName: '社保办理', start: '2026-11-26T10:00:00+08:00', end: '2026-11-26T10:30:00+08:00', status: 'booked' };

  it('a card with a booking today is offered its check-in; tapping it checks in', async () => {
    const { store, socket, http } = setUp();
    http.answer = (path) => (path.startsWith('/api/appointments/by-card') ? [booking] : ticket('t9'));
    socket.fire('id-card', card({ cardToken: 'card-7' }));
    await flush();
    expect(http.calls[0]).toEqual({ method: 'GET', path: '/api/appointments/by-card?cardToken=card-7' });
    expect(store.screen.value).toEqual({ kind: 'card-appointments', bookings: [booking] });
    store.checkInBooking('1234567890');
    await flush();
    expect(http.calls[1]).toEqual({ method: 'POST', path: '/api/appointments/1234567890/check-in' });
    expect(store.screen.value.kind).toBe('result');
  });

  it('a card without bookings leaves the start screen as it was', async () => {
    const { store, socket, http } = setUp();
    http.answer = () => [];
    socket.fire('id-card', card());
    await flush();
    expect(store.screen.value.kind).toBe('home');
  });

  it('the code keypad: ten digits, delete, clear, then check-in; the screen times out', async () => {
    const { store, http, timers } = setUp();
    http.answer = () => ticket('t1');
    store.openCodeEntry();
    for (const d of '12345678901') store.typeCode(d);
    expect(store.screen.value).toEqual({ kind: 'code-entry', digits: '1234567890' });
    store.typeCode('back');
    store.submitCode();
    expect(http.calls).toEqual([]);
    store.typeCode('9');
    store.submitCode();
    await flush();
    expect(http.calls).toEqual([{ method: 'POST', path: '/api/appointments/1234567899/check-in' }]);
    expect(store.screen.value.kind).toBe('result');
    store.reset();
    store.openCodeEntry();
    store.typeCode('5');
    store.typeCode('clear');
    expect(store.screen.value).toEqual({ kind: 'code-entry', digits: '' });
    timers.advance(SCREEN_SECONDS['code-entry'] * 1000);
    expect(store.screen.value.kind).toBe('home');
  });

  it('a refused check-in shows its code and details (too early: when to come back)', async () => {
    const { store } = setUp({
      request: async () => {
        throw new ApiError({ code: 'APPOINTMENT.TOO_EARLY', message: 'early', details: { checkInFrom: '2026-11-26T09:30:00+08:00' } }, 422);
      },
    });
    store.openCodeEntry();
    for (const d of '1234567890') store.typeCode(d);
    store.submitCode();
    await flush();
    const s = store.screen.value;
    expect(s.kind === 'error' && s.error.code).toBe('APPOINTMENT.TOO_EARLY');
  });
});
