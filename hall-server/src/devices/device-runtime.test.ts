/** The device runtime over memory links to the simulators: every kind, health, reconnect, shared buses. */
import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type {
  SimulatedEvaluator,
  SimulatedLedBoard} from '@hall/drivers';
import {
  CallerKeypad,
  Evaluator,
  exampleTicketJob,
  LedBoard,
  SimulatedCallerKeypad,
  type DeviceHealth,
  type Transport,
  type TransportEvents,
} from '@hall/drivers';
import { DeviceRuntime } from './device-runtime';
import { LinkSupervisor, ObservedTransport } from './link-supervisor';
import { device, FAST_DEVICES, waitFor } from './test-support';

let runtime: DeviceRuntime;
afterEach(async () => {
  await runtime?.stopAll();
});

const online = (id: string): Promise<DeviceHealth> => waitFor(() => runtime.health(id).status === 'online' && runtime.health(id), 3000, `${id} online`);

describe('DeviceRuntime', () => {
  it('prints on a simulated printer: the decoded ticket has the number and the QR URL', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.open(device({ id: 'p1', kind: 'printer', attachedTo: { terminalId: 'k1' } }));
    await online('p1');
    const sim = runtime.simulator('p1');
    if (sim?.kind !== 'printer') throw new Error('no printer simulator');
    const printed = sim.printer.nextTicket();
    const r = await runtime.print('p1', exampleTicketJob({ ticketNumber: 'A007', trackUrl: 'http://hall/ticket/x?token=y' }));
    expect(r).toEqual({ ok: true });
    const t = await printed;
    expect(t.text).toContain('A007');
    expect(t.qrCodes).toEqual(['http://hall/ticket/x?token=y']);
  });

  it('paper out shows as an error (status poll), and the job is refused, not lost silently', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.open(device({ id: 'p1', kind: 'printer' }));
    await online('p1');
    await runtime.simulate('p1', { action: 'paper-out', on: true });
    const h = await waitFor(() => runtime.health('p1').status === 'error' && runtime.health('p1'));
    expect(h.detail).toContain('paper out');
    const r = await runtime.print('p1', exampleTicketJob());
    expect(r).toMatchObject({ ok: false, code: 'PRINTER.PAPER_OUT' });
    await runtime.simulate('p1', { action: 'paper-out', on: false });
    await online('p1');
  });

  it('a simulated reader reports a card once, then its removal; a scanner its scans', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    const cards: string[] = [];
    let removed = 0;
    const scans: string[] = [];
    runtime.on('card', (_id, card) => cards.push(card.birthDate));
    runtime.on('card-removed', () => removed++);
    runtime.on('scan', (_id, text) => scans.push(text));
    await runtime.open(device({ id: 'r1', kind: 'id-reader' }));
    await runtime.open(device({ id: 's1', kind: 'scanner' }));
    await online('r1');
    await online('s1');
    await runtime.simulate('r1', { action: 'insert-card', person: 'elderly' });
    await waitFor(() => cards.length === 1, 3000, 'card');
    expect(cards).toEqual(['1950-03-15']);
    await runtime.simulate('r1', { action: 'remove-card' });
    await waitFor(() => removed === 1, 3000, 'removed');
    await runtime.simulate('s1', { action: 'scan', text: 'APPT-12345' });
    await waitFor(() => scans.length === 1, 3000, 'scan');
    expect(scans).toEqual(['APPT-12345']);
  });

  it('RS-485 devices on one named simulated line share one bus by address; keys and ratings come back', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    const line = { line: 'counter-1' };
    await runtime.sync([
      device({ id: 'led', kind: 'led-board', address: 1, attachedTo: { counterId: 'ctr-1' }, options: line }),
      device({ id: 'kp', kind: 'keypad', address: 2, attachedTo: { counterId: 'ctr-1' }, options: line }),
      device({ id: 'ev', kind: 'evaluator', address: 3, attachedTo: { counterId: 'ctr-1' }, options: line }),
    ]);
    await Promise.all(['led', 'kp', 'ev'].map(online));
    const sims = ['led', 'kp', 'ev'].map((id) => runtime.simulator(id));
    if (sims.some((s) => s?.kind !== 'rs485')) throw new Error('no rs485 simulators');
    const [a, b, c] = sims as Array<Extract<NonNullable<(typeof sims)[number]>, { kind: 'rs485' }>>;
    expect(a?.bus).toBe(b?.bus);
    expect(b?.bus).toBe(c?.bus);
    const led = runtime.driver('led');
    const kp = runtime.driver('kp');
    const ev = runtime.driver('ev');
    if (!(led instanceof LedBoard) || !(kp instanceof CallerKeypad) || !(ev instanceof Evaluator)) throw new Error('wrong drivers');
    expect(led.bus).toBe(kp.bus);

    await led.show(['请A001号', '1号窗口']);
    expect((a?.unit as SimulatedLedBoard).lines).toEqual(['请A001号', '1号窗口']);

    const keys: string[] = [];
    runtime.on('key', (id, key) => keys.push(`${id}:${key}`));
    await runtime.simulate('kp', { action: 'press-key', key: 'call-next' });
    await waitFor(() => keys.length === 1, 3000, 'key');
    expect(keys).toEqual(['kp:call-next']);

    const ratings: number[] = [];
    runtime.on('rating', (_id, r) => ratings.push(r.score));
    expect((await runtime.simulate('ev', { action: 'rate', score: 5 }))?.ok).toBe(false); // not asked yet
    await ev.startRating({ clerkName: '王芳', staffNo: 'S-007' });
    expect((c?.unit as SimulatedEvaluator).clerkName).toBe('王芳');
    expect((await runtime.simulate('ev', { action: 'rate', score: 4 }))?.ok).toBe(true);
    await waitFor(() => ratings.length === 1, 3000, 'rating');
    expect(ratings).toEqual([4]);
    expect(b?.unit).toBeInstanceOf(SimulatedCallerKeypad);
  });

  it('two devices at one address on one line: the second shows an error, the first keeps working', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.sync([
      device({ id: 'a', kind: 'led-board', address: 5, attachedTo: { counterId: 'c' }, options: { line: 'x' } }),
      device({ id: 'b', kind: 'led-board', address: 5, attachedTo: { counterId: 'c' }, options: { line: 'x' } }),
    ]);
    await online('a');
    const h = await waitFor(() => runtime.health('b').status === 'error' && runtime.health('b'));
    expect(h.detail).toContain('address 5');
  });

  it('unplug → offline; replug → online again with the board showing its text again', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.open(device({ id: 'led', kind: 'led-board', address: 1, attachedTo: { counterId: 'c' } }));
    await online('led');
    const led = runtime.driver('led') as LedBoard;
    await led.show(['请A001号', '1号窗口']);
    const sim = runtime.simulator('led');
    if (sim?.kind !== 'rs485') throw new Error('no sim');
    await runtime.simulate('led', { action: 'unplug' });
    await waitFor(() => runtime.health('led').status === 'offline', 3000, 'offline');
    expect((sim.unit as SimulatedLedBoard).lines).toEqual(['', '']); // power lost
    await led.show(['请A002号', '1号窗口']); // a call while unplugged
    await runtime.simulate('led', { action: 'replug' });
    await online('led');
    await waitFor(() => (sim.unit as SimulatedLedBoard).lines[0] === '请A002号', 3000, 'board restored');
  });

  it('a device on a missing serial port is offline, says why, and does not throw', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.open(device({ id: 'p', kind: 'printer', transport: { type: 'serial', path: '/dev/does-not-exist-hall', baudRate: 9600 } }));
    await runtime.open(device({ id: 'led', kind: 'led-board', address: 1, transport: { type: 'serial', path: '/dev/does-not-exist-hall-2', baudRate: 9600 } }));
    const p = await waitFor(() => runtime.health('p').detail?.includes('does-not-exist') && runtime.health('p'));
    expect(p.status).toBe('offline');
    const l = await waitFor(() => runtime.health('led').detail?.includes('does-not-exist') && runtime.health('led'));
    expect(l.status).toBe('offline');
  });

  it('a config it cannot run is an error device naming the field', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.open(device({ id: 'x', kind: 'keypad', address: null, attachedTo: { counterId: 'c' } }));
    expect(runtime.health('x')).toEqual({ status: 'error', detail: expect.stringContaining('address') });
    await runtime.open(device({ id: 'y', kind: 'printer', options: { paperWidth: 66 } }));
    expect(runtime.health('y')).toEqual({ status: 'error', detail: expect.stringContaining('options') });
  });

  it('sync reopens a device whose config changed and closes a removed one', async () => {
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.sync([device({ id: 'p', kind: 'printer' }), device({ id: 's', kind: 'scanner' })]);
    await online('p');
    const first = runtime.driver('p');
    await runtime.sync([device({ id: 'p', kind: 'printer', options: { paperWidth: 80 } })]);
    expect(runtime.driver('p')).not.toBe(first);
    expect(runtime.has('s')).toBe(false);
    await online('p');
  });
});

class FailingTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly description = 'fake';
  readonly canRead = true;
  isOpen = false;
  opens: number[] = [];
  failing = true;
  async open(): Promise<void> {
    this.opens.push(Date.now());
    if (this.failing) throw new Error('fake: no such port');
    this.isOpen = true;
    this.emit('open');
  }
  async write(): Promise<void> {}
  async close(): Promise<void> {
    this.isOpen = false;
  }
}

describe('LinkSupervisor', () => {
  it('retries with doubling delays up to the maximum, remembers why, and stops when told', async () => {
    const inner = new FailingTransport();
    const t = new ObservedTransport(inner);
    const sup = new LinkSupervisor(t, { initialMs: 20, maxMs: 80 });
    sup.start();
    await waitFor(() => inner.opens.length >= 5, 2000, '5 attempts');
    const gaps = inner.opens.slice(1).map((at, i) => at - (inner.opens[i] as number));
    expect(gaps[0]).toBeGreaterThanOrEqual(30); // 20 → 40
    expect(Math.max(...gaps)).toBeLessThan(80 + 60);
    expect(t.lastOpenError).toContain('no such port');
    inner.failing = false;
    await waitFor(() => inner.isOpen, 1000, 'open');
    expect(t.lastOpenError).toBeNull();
    inner.isOpen = false;
    inner.emit('close');
    const before = inner.opens.length;
    await waitFor(() => inner.isOpen, 1000, 'reopened after close');
    expect(inner.opens.length).toBe(before + 1);
    sup.stop();
    inner.isOpen = false;
    inner.emit('close');
    await new Promise((r) => setTimeout(r, 100));
    expect(inner.opens.length).toBe(before + 1);
  });
});
