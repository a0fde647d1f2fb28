/**
 * Devices end to end: a real hall server with devices created over the API, simulated ones
 * (memory links) and real serial ones (a socat pty pair with the simulator on the far end);
 * queue events on LED boards and keypads, keypad keys and evaluator ratings into the queue,
 * kiosk printing, cards and scans to the kiosk's socket, unplug and replug, a missing port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Socket } from 'socket.io-client';
import type { CounterView, Device, IssueTicketResponse, KioskIdCard, Ticket } from '@hall/protocol';
import {
  DEMO_PERSONS,
  SerialTransport,
  SimulatedRs485Bus,
  SimulatedTicketPrinter,
  type SimulatedLedBoard,
} from '@hall/drivers';
import { openLinkedPtys, type LinkedPtys } from '../../drivers/src/testing/linked-ptys';
import { FAST_DEVICES, waitFor } from '../src/devices/test-support';
import { KioskAgent } from '../src/agent/kiosk-agent';
import type { DeviceListView } from '../src/devices';
import { connectSocket as connect, createStaff, makeTempDir, nextEvent, startTestHall, type TestHall } from './harness';

const OPTIONS = { ...FAST_DEVICES, ack: { timeoutMs: 150, retries: 1 } };

/** Every log line, to prove no ID number or citizen's name is ever logged. */
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

/** Polls an async read until it satisfies `ok`; returns the last value read (the caller asserts on it). */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    v = await read();
  }
  return v;
}

describe('devices in the hall', () => {
  let t: TestHall;
  let admin: string;
  const sockets: Socket[] = [];
  const open = (ns: string, auth: Record<string, unknown>): Socket => {
    const s = connect(t.url, ns, auth);
    sockets.push(s);
    return s;
  };

  const api = <T = unknown>(method: string, path: string, body?: unknown, token = admin) => t.api<T>(method, path, body, token);
  const createDevice = async (body: Record<string, unknown>): Promise<DeviceListView> => {
    const r = await api<DeviceListView>('POST', '/api/devices', body);
    if (r.status !== 201) throw new Error(`create device: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const deviceStatus = async (id: string): Promise<DeviceListView> => {
    const list = await api<DeviceListView[]>('GET', '/api/devices');
    const d = list.body.find((x) => x.id === id);
    if (!d) throw new Error(`no device ${id}`);
    return d;
  };
  const untilStatus = async (id: string, status: string, timeoutMs = 5000): Promise<DeviceListView> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const d = await deviceStatus(id);
      if (d.status === status) return d;
      if (Date.now() > end) throw new Error(`${id} not ${status} within ${timeoutMs} ms (is ${d.status}: ${d.detail})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const simulate = <T = Record<string, unknown>>(id: string, body: Record<string, unknown>) => api<T>('POST', `/api/devices/${id}/simulate`, body);
  const simState = async <T = Record<string, unknown>>(id: string): Promise<T> => (await api<T>('GET', `/api/devices/${id}/simulator`)).body;
  const newKiosk = async (name: string): Promise<{ id: string; token: string }> => {
    const r = await api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name });
    if (r.status !== 201) throw new Error(`terminal ${r.status}`);
    return r.body;
  };
  const counter = async (id: string): Promise<CounterView> => {
    const list = await api<CounterView[]>('GET', '/api/counters');
    return list.body.find((c) => c.id === id) as CounterView;
  };

  beforeAll(async () => {
    t = await startTestHall({ devices: OPTIONS, log: pino({ level: 'debug' }, logStream) });
    admin = await t.login();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
    // 个人信息保护法: no ID number and no citizen's name in any log line.
    const all = logLines.join('');
    for (const p of Object.values(DEMO_PERSONS)) {
      expect(all).not.toContain(p.idNumber);
      expect(all).not.toContain(p.name);
    }
  });

  it('the demo hall runs its simulated devices; the admin and supervisors see their health', async () => {
    const list = await api<DeviceListView[]>('GET', '/api/devices');
    expect(list.status).toBe(200);
    for (const id of ['dev-led-1', 'dev-keypad-1', 'dev-eval-1', 'dev-kiosk-printer', 'dev-kiosk-reader', 'dev-kiosk-scanner', 'dev-hall-bar']) {
      await untilStatus(id, 'online');
    }
    const sup = await createStaff(t, 'dev-sup', 'supervisor');
    expect((await t.api('GET', '/api/devices', undefined, sup.token)).status).toBe(200);
    expect((await t.api('POST', `/api/devices/dev-led-1/simulate`, { action: 'unplug' }, sup.token)).status).toBe(403);
    const clerk = await createStaff(t, 'dev-clerk0', 'clerk');
    expect((await t.api('GET', '/api/devices', undefined, clerk.token)).status).toBe(403);
  });

  it('simulate: bad bodies are 400 PROTOCOL.INVALID_PAYLOAD; wrong device kind 400; unknown id 404; a real port 409', async () => {
    for (const body of [{}, { action: 'explode' }, { action: 'rate', score: 9 }, { action: 'press-key', key: 'self-destruct' }, { action: 'scan', text: '' }, { action: 'unplug', extra: 1 }]) {
      const r = await simulate<{ error: { code: string } }>('dev-led-1', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('PROTOCOL.INVALID_PAYLOAD');
    }
    const raw = await t.api<{ error: { code: string } }>('POST', '/api/devices/dev-led-1/simulate', undefined, admin, '{"action":');
    expect(raw.status).toBe(400);
    expect((await simulate('dev-led-1', { action: 'insert-card' })).status).toBe(400);
    expect((await simulate('dev-nope', { action: 'unplug' })).status).toBe(404);
    const real = await createDevice({ kind: 'scanner', name: '真扫码器', transport: { type: 'serial', path: '/dev/hall-missing-scanner', baudRate: 9600 } });
    expect((await simulate(real.id, { action: 'scan', text: 'x' })).status).toBe(409);
    expect((await api('DELETE', `/api/devices/${real.id}`)).status).toBe(204);
  });

  describe('counter devices', () => {
    let clerk: { id: string; token: string };
    let kiosk: { id: string; token: string };
    let led: DeviceListView;
    let keypad: DeviceListView;
    let evaluator: DeviceListView;
    const COUNTER = 'ctr-4'; // 4号窗口 市场监管: serves svc-business (E) only
    const SERVICE = 'svc-business';

    beforeAll(async () => {
      clerk = await createStaff(t, 'dev-clerk', 'clerk');
      kiosk = await newKiosk('设备测试取号机');
      led = await createDevice({ kind: 'led-board', name: '4号窗口屏', transport: { type: 'simulated' }, attachedTo: { counterId: COUNTER }, address: 4 });
      keypad = await createDevice({ kind: 'keypad', name: '4号呼叫器', transport: { type: 'simulated' }, attachedTo: { counterId: COUNTER }, address: 4 });
      evaluator = await createDevice({ kind: 'evaluator', name: '4号评价器', transport: { type: 'simulated' }, attachedTo: { counterId: COUNTER }, address: 4 });
      for (const d of [led, keypad, evaluator]) await untilStatus(d.id, 'online');
    });

    const board = async (): Promise<string[]> => (await simState<{ lines: string[] }>(led.id)).lines;
    const keypadText = async (): Promise<string> => (await simState<{ text: string }>(keypad.id)).text;
    const issue = async (): Promise<IssueTicketResponse> => (await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: SERVICE }, kiosk.token)).body;

    it('a closed counter shows 暂停服务; nobody signed in → the keypad says so', async () => {
      expect(await eventually(board, (l) => l.join('|') === '暂停服务|4号窗口 市场监管')).toEqual(['暂停服务', '4号窗口 市场监管']);
      expect((await simulate(keypad.id, { action: 'press-key', key: 'call-next' })).status).toBe(200);
      expect(await eventually(keypadText, (x) => x.includes('未签到'))).toContain('未签到');
      expect((await counter(COUNTER)).currentTicket).toBeNull();
    });

    it('a call shows the number on the LED board and the keypad, and scrolls on the hall bar', async () => {
      const a = await issue();
      const b = await issue();
      expect((await t.api('POST', `/api/counters/${COUNTER}/sign-in`, undefined, clerk.token)).status).toBe(200);
      expect((await t.api('POST', `/api/counters/${COUNTER}/call-next`, undefined, clerk.token)).status).toBe(200);
      expect(await eventually(board, (l) => l.join('|') === `请${a.number}号|4号窗口 市场监管`)).toEqual([`请${a.number}号`, '4号窗口 市场监管']);
      expect(await eventually(keypadText, (x) => x.startsWith(a.number))).toBe(`${a.number} 等候1人`);
      const bar = await eventually(() => simState<{ text: string }>('dev-hall-bar'), (b) => b.text.includes(a.number));
      expect(bar.text).toContain(a.number);
      expect(bar.text).toContain('4号窗口');
      expect(b.number).not.toBe(a.number);
    });

    it('a keypad key calls the next ticket, like the clerk screen', async () => {
      const before = await counter(COUNTER);
      expect((await simulate(keypad.id, { action: 'press-key', key: 'call-next' })).status).toBe(200);
      const now = await eventually(() => counter(COUNTER), (c) => c.currentTicket?.id !== before.currentTicket?.id);
      expect(now.currentTicket?.id).not.toBe(before.currentTicket?.id);
      expect(now.currentTicket?.status).toBe('called');
      const number = now.currentTicket?.number as string;
      expect(await eventually(board, (l) => l.join('|') === `请${number}号|4号窗口 市场监管`)).toEqual([`请${number}号`, '4号窗口 市场监管']);
    });

    it('a finished ticket starts the evaluator with the clerk (挂牌上岗); its key press becomes the rating', async () => {
      const current = (await counter(COUNTER)).currentTicket as { id: string };
      const started = await t.api<{ ticket: Ticket }>('POST', `/api/counters/${COUNTER}/start`, undefined, clerk.token);
      expect(started.status).toBe(200);
      expect((await t.api('POST', `/api/counters/${COUNTER}/finish`, undefined, clerk.token)).status).toBe(200);
      const ev = await eventually(() => simState<{ state: string; clerkName: string; staffNo: string }>(evaluator.id), (e) => e.state === 'rating');
      expect(ev).toMatchObject({ state: 'rating', clerkName: '员工dev-clerk', staffNo: 'S-dev-clerk' });
      expect((await simulate(evaluator.id, { action: 'rate', score: 5 })).status).toBe(200);
      const rated = await eventually(async () => (await t.api<Ticket>('GET', `/api/tickets/${current.id}`, undefined, admin)).body.rated, (r) => r);
      expect(rated).toBe(true);
      // The phone page cannot rate it a second time.
      const again = await simulate(evaluator.id, { action: 'rate', score: 1 });
      expect(again.status).toBe(409); // the evaluator is idle again
    });

    it('pause shows 暂停服务 on the board; resume shows the counter again', async () => {
      expect((await t.api('POST', `/api/counters/${COUNTER}/pause`, { reason: '午休' }, clerk.token)).status).toBe(200);
      expect(await eventually(board, (l) => l.join('|') === '暂停服务|4号窗口 市场监管')).toEqual(['暂停服务', '4号窗口 市场监管']);
      expect((await simulate(keypad.id, { action: 'press-key', key: 'resume' })).status).toBe(200);
      expect((await eventually(board, (l) => l[0] !== '暂停服务'))[0]).not.toBe('暂停服务');
      expect((await counter(COUNTER)).state).toBe('open');
    });

    it('unplug the simulated board → offline (supervisors told); calls go on; replug → online and the current number again', async () => {
      const sup = await createStaff(t, 'dev-sup2', 'supervisor');
      const staff = open('/counter', { token: sup.token });
      const offline = nextEvent<{ id: string; status: string }>(staff, 'device', (d) => d.id === led.id && d.status === 'offline');
      await new Promise<void>((resolve) => staff.once('snapshot', () => resolve()));
      expect((await simulate(led.id, { action: 'unplug' })).status).toBe(200);
      await offline;
      expect((await deviceStatus(led.id)).status).toBe('offline');
      // The queue does not care: issue and call while the board is gone.
      const c = await issue();
      await t.api('POST', `/api/counters/${COUNTER}/call-next`, undefined, clerk.token);
      const cur = (await counter(COUNTER)).currentTicket;
      expect(cur?.number).toBe(c.number);
      const online = nextEvent<{ id: string; status: string }>(staff, 'device', (d) => d.id === led.id && d.status === 'online');
      expect((await simulate(led.id, { action: 'replug' })).status).toBe(200);
      await online;
      expect(await eventually(board, (l) => l.join('|') === `请${c.number}号|4号窗口 市场监管`, 5000)).toEqual([`请${c.number}号`, '4号窗口 市场监管']);
    });

    it('tickets issued elsewhere move the keypad waiting count in a few frames, not one per ticket', async () => {
      const waitingNow = async (): Promise<number> => Number(/等候(\d+)人/.exec(await keypadText())?.[1] ?? -1);
      const before = await waitingNow();
      const framesBefore = (await simState<{ commands: number }>(keypad.id)).commands;
      // A steady trickle over ~0.6 s: one frame per ticket would be 20.
      for (let i = 0; i < 20; i++) {
        await issue();
        await new Promise((r) => setTimeout(r, 30));
      }
      expect(await eventually(waitingNow, (n) => n === before + 20)).toBe(before + 20);
      const frames = (await simState<{ commands: number }>(keypad.id)).commands - framesBefore;
      expect(frames).toBeGreaterThanOrEqual(1);
      // Coalesced (one refresh per 250 ms at most while the trickle lasts), not one per ticket.
      expect(frames).toBeLessThan(20);
    });
  });

  describe('a real serial line (socat pty pair) with the simulator on the far end', () => {
    let pty: LinkedPtys;
    let simBus: SimulatedRs485Bus;
    let simBoard: SimulatedLedBoard;
    let clerk: { id: string; token: string };
    let kiosk: { id: string; token: string };
    let board: DeviceListView;
    const COUNTER = 'ctr-3'; // 不动产登记 (D)

    beforeAll(async () => {
      pty = await openLinkedPtys();
      simBus = new SimulatedRs485Bus(new SerialTransport({ path: pty.device, baudRate: 9600 }));
      simBoard = simBus.addBoard(7);
      await simBus.start();
      clerk = await createStaff(t, 'pty-clerk', 'clerk');
      kiosk = await newKiosk('串口测试取号机');
      board = await createDevice({ kind: 'led-board', name: '3号窗口屏(串口)', transport: { type: 'serial', path: pty.host, baudRate: 9600 }, attachedTo: { counterId: COUNTER }, address: 7 });
      await untilStatus(board.id, 'online');
      await t.api('POST', `/api/counters/${COUNTER}/sign-in`, undefined, clerk.token);
    });
    afterAll(async () => {
      await simBus.stop().catch(() => undefined);
      await pty.close();
    });

    it('a call shows the number on the board over the serial line', async () => {
      const a = (await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-land' }, kiosk.token)).body;
      await t.api('POST', `/api/counters/${COUNTER}/call-next`, undefined, clerk.token);
      await waitFor(() => simBoard.lines[0] === `请${a.number}号`, 3000, 'board text');
      expect(simBoard.lines).toEqual([`请${a.number}号`, '3号窗口 不动产登记']);
    });

    it('kill socat → offline; tickets keep coming; socat back → online within 5 s and the board shows the current number', async () => {
      await simBus.unplug(); // the board loses power
      await pty.unplug(); // the cable is pulled
      await untilStatus(board.id, 'offline', 5000);
      const issued: IssueTicketResponse[] = [];
      for (let i = 0; i < 3; i++) issued.push((await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-land' }, kiosk.token)).body);
      await t.api('POST', `/api/counters/${COUNTER}/call-next`, undefined, clerk.token);
      const current = (await counter(COUNTER)).currentTicket;
      expect(current?.number).toBe(issued[0]?.number);
      const services = await t.api<Array<{ id: string; waiting: number }>>('GET', '/api/services');
      expect(services.body.find((s) => s.id === 'svc-land')?.waiting).toBe(2); // nothing lost meanwhile

      await pty.replug();
      await simBus.replug();
      await untilStatus(board.id, 'online', 5000);
      await waitFor(() => simBoard.lines[0] === `请${current?.number}号`, 5000, 'board restored');
    });

    it('a keypad on the same serial line shares the bus (by address); its key calls the next ticket', async () => {
      const simKeypad = simBus.addKeypad(8);
      const keypad = await createDevice({ kind: 'keypad', name: '3号呼叫器(串口)', transport: { type: 'serial', path: pty.host, baudRate: 9600 }, attachedTo: { counterId: COUNTER }, address: 8 });
      await untilStatus(keypad.id, 'online');
      const manager = t.hall.devices.manager;
      const boardDriver = manager.runtime.driver(board.id) as unknown as { bus: unknown };
      const keypadDriver = manager.runtime.driver(keypad.id) as unknown as { bus: unknown };
      expect(keypadDriver.bus).toBe(boardDriver.bus);
      await waitFor(() => simKeypad.text.includes('等候'), 3000, 'keypad text');
      const before = (await counter(COUNTER)).currentTicket;
      simKeypad.press('call-next');
      const now = await eventually(() => counter(COUNTER), (c) => c.currentTicket?.id !== before?.id);
      expect(now.currentTicket?.status).toBe('called');
      await waitFor(() => simBoard.lines[0] === `请${now.currentTicket?.number}号`, 3000, 'board shows the keypad call');
      await waitFor(() => simKeypad.text.startsWith(now.currentTicket?.number as string), 3000, 'keypad shows the number');
      expect((await api('DELETE', `/api/devices/${keypad.id}`)).status).toBe(204);
      expect(manager.runtime.has(board.id)).toBe(true); // the board keeps the line
      simBus.devices.delete(8);
    });

    it('DELETE closes the port (204)', async () => {
      expect((await api('DELETE', `/api/devices/${board.id}`)).status).toBe(204);
      expect(t.hall.devices.manager.runtime.has(board.id)).toBe(false);
      expect((await api('DELETE', `/api/devices/${board.id}`)).status).toBe(404);
    });
  });

  describe('kiosk printing', () => {
    it('a kiosk-issued ticket prints on its simulated printer: number and QR URL; the 201 says sent', async () => {
      const kiosk = await newKiosk('打印测试取号机');
      const printer = await createDevice({ kind: 'printer', name: '打印机', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id } });
      await untilStatus(printer.id, 'online');
      const r = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token);
      expect(r.status).toBe(201);
      expect(r.body.print).toBe('sent');
      const s = await eventually(() => simState<{ tickets: number; lastTicket: { text: string; qrCodes: string[] } | null }>(printer.id), (x) => x.tickets > 0);
      expect(s.lastTicket?.text).toContain(r.body.number);
      expect(s.lastTicket?.text).toContain('社会保险');
      expect(s.lastTicket?.qrCodes).toEqual([r.body.trackUrl]);
    });

    it('paper out: the job in flight is refused (health error); then tickets say failed; the kiosk is told', async () => {
      const kiosk = await newKiosk('缺纸测试取号机');
      // No idle status polling: the printer learns about the paper only when it next prints.
      const printer = await createDevice({ kind: 'printer', name: '打印机', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id }, options: { statusPollMs: 0 } });
      await untilStatus(printer.id, 'online');
      const screen = open('/kiosk', { token: kiosk.token });
      await nextEvent(screen, 'printer-status', (s: { status: string }) => s.status === 'online');
      const told = nextEvent<{ status: string; detail: string | null }>(screen, 'printer-status', (s) => s.status === 'error');
      await simulate(printer.id, { action: 'paper-out', on: true });
      // Health still says online: the ticket is queued ('sent'); the printer asks DLE EOT first and refuses.
      const first = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token);
      expect(first.body.print).toBe('sent');
      const h = await untilStatus(printer.id, 'error');
      expect(h.detail).toContain('paper');
      expect((await told).detail).toContain('paper');
      const second = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token);
      expect(second.status).toBe(201);
      expect(second.body.print).toBe('failed');
      expect((await simState<{ tickets: number }>(printer.id)).tickets).toBe(0);
      // A new roll: the refused ticket stays refused (a late ticket would be useless), the next ticket asks again.
      await simulate(printer.id, { action: 'paper-out', on: false });
      expect((await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token)).body.print).toBe('failed');
      await untilStatus(printer.id, 'online');
      const fourth = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token);
      expect(fourth.body.print).toBe('sent');
      const s = await eventually(() => simState<{ tickets: number; lastTicket: { text: string } | null }>(printer.id), (x) => x.tickets > 0);
      expect(s.tickets).toBe(1);
      expect(s.lastTicket?.text).toContain(fourth.body.number);
    });

    it('a printer on a real serial line (socat pty) prints the ticket', async () => {
      const pty = await openLinkedPtys();
      const sim = new SimulatedTicketPrinter(new SerialTransport({ path: pty.device, baudRate: 9600 }));
      await sim.start();
      try {
        const kiosk = await newKiosk('串口打印取号机');
        const printer = await createDevice({ kind: 'printer', name: '串口打印机', transport: { type: 'serial', path: pty.host, baudRate: 9600 }, attachedTo: { terminalId: kiosk.id } });
        await untilStatus(printer.id, 'online');
        const printed = sim.nextTicket();
        const r = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-agri' }, kiosk.token);
        expect(r.body.print).toBe('sent');
        const ticket = await printed;
        expect(ticket.text).toContain(r.body.number);
        expect(ticket.qrCodes).toEqual([r.body.trackUrl]);
        expect((await api('DELETE', `/api/devices/${printer.id}`)).status).toBe(204);
      } finally {
        await sim.stop().catch(() => undefined);
        await pty.close();
      }
    });

    it('a kiosk with no printer gets print: none; one whose printer is unplugged gets failed', async () => {
      const kiosk = await newKiosk('无打印机取号机');
      expect((await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token)).body.print).toBe('none');
      const printer = await createDevice({ kind: 'printer', name: '打印机', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id } });
      await untilStatus(printer.id, 'online');
      await simulate(printer.id, { action: 'unplug' });
      await untilStatus(printer.id, 'offline');
      expect((await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token)).body.print).toBe('failed');
      await simulate(printer.id, { action: 'replug' });
      await untilStatus(printer.id, 'online', 5000);
      expect((await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, kiosk.token)).body.print).toBe('sent');
    });
  });

  describe('ID cards and scans reach the kiosk that owns the reader', () => {
    it('a swipe gives the kiosk a card token, masked name and the elderly flag, never the number; issuing with it gives an elderly ticket', async () => {
      const kiosk = await newKiosk('读卡测试取号机');
      const other = await newKiosk('隔壁取号机');
      const reader = await createDevice({ kind: 'id-reader', name: '身份证阅读器', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id } });
      const scanner = await createDevice({ kind: 'scanner', name: '扫码器', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id } });
      await untilStatus(reader.id, 'online');
      await untilStatus(scanner.id, 'online');
      const screen = open('/kiosk', { token: kiosk.token });
      const neighbour = open('/kiosk', { token: other.token });
      await new Promise<void>((resolve) => screen.once('snapshot', () => resolve()));
      await new Promise<void>((resolve) => neighbour.once('snapshot', () => resolve()));
      const leaked: unknown[] = [];
      neighbour.onAny((event, ...args) => {
        if (event !== 'services' && event !== 'snapshot') leaked.push([event, args]);
      });
      const raw: string[] = [];
      screen.onAny((_e, ...args) => raw.push(JSON.stringify(args)));

      const card = nextEvent<KioskIdCard>(screen, 'id-card');
      expect((await simulate(reader.id, { action: 'insert-card', person: 'elderly' })).status).toBe(200);
      const c = await card;
      expect(c).toEqual({ cardToken: expect.any(String), maskedName: '王*英', elderly: true, validUntil: null });
      const removed = nextEvent(screen, 'id-card-removed');
      await simulate(reader.id, { action: 'remove-card' });
      await removed;

      const scan = nextEvent<{ text: string }>(screen, 'scan');
      await simulate(scanner.id, { action: 'scan', text: 'APPT-0042' });
      expect(await scan).toEqual({ text: 'APPT-0042' });

      const issued = await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social', idCardToken: c.cardToken }, kiosk.token);
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ priority: 'elderly', holderName: '王*英' });
      // One use only.
      expect((await t.api('POST', '/api/tickets', { serviceId: 'svc-social', idCardToken: c.cardToken }, kiosk.token)).status).toBe(422);

      const person = DEMO_PERSONS.elderly;
      for (const line of raw) {
        expect(line).not.toContain(person.idNumber);
        expect(line).not.toContain(person.name);
        expect(line).not.toContain(person.address as string);
      }
      expect(leaked).toEqual([]);
    });
  });

  describe('kiosk agent', () => {
    it('runs the kiosk PC\'s devices: the hall hands them over, prints there, relays swipes; offline agent → failed', async () => {
      const kiosk = await newKiosk('代理取号机');
      const printer = await createDevice({ kind: 'printer', name: '代理打印机', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id } });
      const reader = await createDevice({ kind: 'id-reader', name: '代理读卡器', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id } });
      await untilStatus(printer.id, 'online'); // opened by the hall itself until an agent shows up

      const agent = new KioskAgent({ hallUrl: t.url, token: kiosk.token, runtime: OPTIONS, reconnect: { initialMs: 50, maxMs: 200 } });
      const got = new Promise<Device[]>((resolve) => agent.once('devices', resolve));
      agent.start();
      try {
        expect((await got).map((d) => d.id).sort()).toEqual([printer.id, reader.id].sort());
        expect(t.hall.devices.manager.runtime.has(printer.id)).toBe(false); // the hall let go of it
        const p = await untilStatus(printer.id, 'online');
        expect(p.runsOn).toBe('agent');
        await untilStatus(reader.id, 'online');

        const sim = agent.runtime.simulator(printer.id);
        if (sim?.kind !== 'printer') throw new Error('the agent has no simulated printer');
        const screen = open('/kiosk', { token: kiosk.token });
        await new Promise<void>((resolve) => screen.once('snapshot', () => resolve()));
        const printed = sim.printer.nextTicket();
        const issued = (await screen.timeout(5000).emitWithAck('issue', { serviceId: 'svc-health' })) as { ok: true; value: IssueTicketResponse };
        expect(issued.ok).toBe(true);
        expect(issued.value.print).toBe('sent');
        const ticket = await printed;
        expect(ticket.text).toContain(issued.value.number);
        expect(ticket.qrCodes).toEqual([issued.value.trackUrl]);

        // A card on the agent's reader: the admin's simulate is relayed to the agent; the kiosk gets the token.
        const card = nextEvent<KioskIdCard>(screen, 'id-card');
        expect((await simulate(reader.id, { action: 'insert-card', person: 'adult' })).status).toBe(200);
        expect(await card).toMatchObject({ maskedName: '李*国', elderly: false, validUntil: '2038-05-10' });
      } finally {
        await agent.stop();
      }
      await untilStatus(printer.id, 'offline');
      expect((await deviceStatus(printer.id)).detail).toContain('agent');
      expect((await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-health' }, kiosk.token)).body.print).toBe('failed');

      // The agent comes back (a restarted kiosk PC): printing resumes.
      const again = new KioskAgent({ hallUrl: t.url, token: kiosk.token, runtime: OPTIONS });
      again.start();
      try {
        await untilStatus(printer.id, 'online');
        expect((await t.api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-health' }, kiosk.token)).body.print).toBe('sent');
      } finally {
        await again.stop();
      }
    });

    it('the hall checks what an agent sends: a bad ID number → id-card-error; another kiosk\'s device → ignored', async () => {
      const kiosk = await newKiosk('伪造测试取号机');
      const reader = await createDevice({ kind: 'id-reader', name: '读卡器', transport: { type: 'simulated' }, attachedTo: { terminalId: kiosk.id }, options: { runsOn: 'agent' } });
      const screen = open('/kiosk', { token: kiosk.token });
      await new Promise<void>((resolve) => screen.once('snapshot', () => resolve()));
      const agent = open('/kiosk', { token: kiosk.token, agent: true });
      const devices = await nextEvent<Device[]>(agent, 'devices');
      expect(devices.map((d) => d.id)).toEqual([reader.id]);
      const cardEvents: unknown[] = [];
      screen.on('id-card', (c) => cardEvents.push(c));

      const error = nextEvent<{ code: string }>(screen, 'id-card-error');
      agent.emit('id-card', { deviceId: reader.id, card: { name: '张三', idNumber: '110105195003070018', birthDate: '1950-03-07', validTo: null } });
      expect((await error).code).toBe('PROTOCOL.INVALID_ID_NUMBER');
      // Another kiosk's reader, and malformed payloads: nothing reaches any kiosk.
      agent.emit('id-card', { deviceId: 'dev-kiosk-reader', card: { name: '张三', idNumber: '110105195003070019', birthDate: '1950-03-07', validTo: null } });
      agent.emit('id-card', { deviceId: reader.id, card: { name: '张三' } });
      agent.emit('device-health', { deviceId: reader.id, status: 'exploded', detail: null });
      agent.emit('device-health', { deviceId: reader.id, status: 'online', detail: null });
      await untilStatus(reader.id, 'online');
      const ok = nextEvent<KioskIdCard>(screen, 'id-card');
      agent.emit('id-card', { deviceId: reader.id, card: { name: '张三', idNumber: '110105195003070019', birthDate: '1950-03-07', validTo: '2030-01-01' } });
      expect(await ok).toMatchObject({ maskedName: '张*', elderly: true, validUntil: '2030-01-01' });
      expect(cardEvents).toHaveLength(1);
      agent.close();
      await untilStatus(reader.id, 'offline');
    });

    it('an agent with a wrong token gets nothing and keeps trying without crashing', async () => {
      const agent = new KioskAgent({ hallUrl: t.url, token: 'not-a-token', reconnect: { initialMs: 20, maxMs: 50 } });
      const errors: string[] = [];
      agent.on('connect-error', (why) => errors.push(why));
      agent.start();
      await waitFor(() => errors.length >= 2, 3000, 'two refused attempts');
      expect(errors[0]).toContain('AUTH.REQUIRED');
      expect(agent.connected).toBe(false);
      expect(agent.runtime.ids()).toEqual([]);
      await agent.stop();
    });
  });

  it('a device on a missing port at start is offline with the reason, and the hall starts anyway', async () => {
    const dataDir = await makeTempDir();
    const first = await startTestHall({ dataDir, devices: OPTIONS });
    const token = await first.login();
    const r = await first.api<DeviceListView>('POST', '/api/devices', { kind: 'led-board', name: '丢失的屏', transport: { type: 'serial', path: '/dev/hall-test-gone', baudRate: 9600 }, attachedTo: { counterId: 'ctr-5' }, address: 5 }, token);
    expect(r.status).toBe(201);
    await first.close(true);
    const second = await startTestHall({ dataDir, devices: OPTIONS });
    try {
      const t2 = await second.login();
      const list = await second.api<DeviceListView[]>('GET', '/api/devices', undefined, t2);
      const d = list.body.find((x) => x.id === r.body.id);
      expect(d?.status).toBe('offline');
      expect(d?.detail).toContain('/dev/hall-test-gone');
      expect((await second.api('GET', '/api/health')).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
