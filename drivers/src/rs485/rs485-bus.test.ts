import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTransport } from '../transport/memory-transport';
import type { DeviceDriver } from '../device';
import { CallerKeypad } from './caller-keypad';
import { HALL_DEFAULT_PROFILE, STX_ETX_PROFILE, type FrameProfile, type KeypadKey } from './frame-profile';
import { LedBoard } from './led-board';
import { Rs485Bus, type Rs485BusOptions } from './rs485-bus';
import { createSimulatedRs485Link, type SimulatedRs485Bus } from './simulated-rs485-bus';
import { waitFor } from './testing/wait-for';

const FAST: FrameProfile = { ...HALL_DEFAULT_PROFILE, ack: { func: 0x7f, timeoutMs: 50, retries: 2 } };
const OPTS: Rs485BusOptions = { pollMs: 20, keepAliveMs: 60, offlinePollMs: 40, offlineAfterMisses: 2, reopenMs: 40 };

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function setup(profile: FrameProfile = FAST, options: Rs485BusOptions = {}, push = false) {
  const { host, sim } = await createSimulatedRs485Link({ profile, push });
  const bus = new Rs485Bus(host, { ...OPTS, ...options, profile });
  const started: DeviceDriver[] = [];
  cleanup.push(async () => {
    for (const d of started) await d.stop();
    await bus.stop();
    await sim.stop();
  });
  const start = async <D extends DeviceDriver>(d: D): Promise<D> => {
    started.push(d);
    await d.start();
    return d;
  };
  return { host, sim, bus, start };
}

const heard = (sim: SimulatedRs485Bus, func: number | null): { count: number } => {
  const c = { count: 0 };
  sim.on('frame', (f) => {
    if (f.func === func) c.count++;
  });
  return c;
};

describe('Rs485Bus', () => {
  it('retries a command whose frame was lost, as the profile says', async () => {
    const { sim, bus, start } = await setup();
    const simBoard = sim.addBoard(1, 1);
    const board = await start(new LedBoard(bus, 1, { lineCount: 1 }));
    await waitFor('online', () => board.health.status === 'online');
    sim.ignoreNext(2, (f) => f.func === FAST.functions.showText);
    const r = await board.show(['请A001号']);
    expect(r.delivered).toBe(true);
    expect(simBoard.lines).toEqual(['请A001号']);
    expect(board.health.status).toBe('online');
  });

  it('gives up after the retries and reports a timeout, without throwing', async () => {
    const { sim, bus, start } = await setup(FAST, { keepAliveMs: 10_000 });
    sim.addBoard(1, 1);
    const board = await start(new LedBoard(bus, 1, { lineCount: 1 }));
    await waitFor('online', () => board.health.status === 'online');
    sim.silence(1);
    const r = await board.show(['请A001号']);
    expect(r).toMatchObject({ delivered: false, reason: 'timeout' });
    expect(board.health.status).toBe('offline');
    // Known gone: the next command costs one attempt, not three.
    // Counted as frames carrying the text (the bus's offline polls go on meanwhile).
    let attempts = 0;
    sim.on('frame', (f: { data: Buffer }) => {
      if (f.data.includes(Buffer.from('A002'))) attempts++;
    });
    await board.show(['请A002号']);
    expect(attempts).toBe(1);
  });

  it('serialises requests: one frame in flight at a time', async () => {
    const { sim, bus, start } = await setup(FAST, { keepAliveMs: 10_000 });
    sim.addBoard(1, 4);
    sim.addBoard(2, 4);
    let inFlight = 0;
    let maxInFlight = 0;
    sim.on('frame', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
    });
    sim.on('sent', () => void inFlight--);
    const a = await start(new LedBoard(bus, 1, { lineCount: 4 }));
    const b = await start(new LedBoard(bus, 2, { lineCount: 4 }));
    const rs = await Promise.all([a.show(['1', '2', '3', '4']), b.show(['5', '6', '7', '8']), a.clear(), b.setBrightness(3)]);
    expect(rs.every((r) => r.delivered)).toBe(true);
    expect(maxInFlight).toBe(1);
  });

  it('start() never rejects on a missing port; the bus opens it once it is there', async () => {
    const { host, sim, bus, start } = await setup();
    const simBoard = sim.addBoard(1, 1);
    await sim.unplug();
    const board = new LedBoard(bus, 1, { lineCount: 1 });
    await expect(start(board)).resolves.toBe(board);
    expect(board.health).toEqual({ status: 'offline', detail: expect.stringMatching(/no such port/) });
    void board.show(['请A005号']);
    await sim.replug();
    await waitFor('online', () => board.health.status === 'online');
    await waitFor('text', () => simBoard.lines[0] === '请A005号');
    expect(host.isOpen).toBe(true);
  });

  it('a taken address is an error health, not an exception', async () => {
    const { bus, start } = await setup();
    await start(new LedBoard(bus, 1));
    const other = await start(new CallerKeypad(bus, 1));
    expect(other.health).toEqual({ status: 'error', detail: 'address 1 is already used by led-board@1' });
  });

  it('the last device to stop closes the line', async () => {
    const { host, sim, bus } = await setup();
    sim.addBoard(1);
    sim.addKeypad(2);
    const board = new LedBoard(bus, 1);
    const keypad = new CallerKeypad(bus, 2);
    await board.start();
    await keypad.start();
    await board.stop();
    expect(host.isOpen).toBe(true);
    await keypad.stop();
    expect(host.isOpen).toBe(false);
    expect(bus.isRunning).toBe(false);
  });

  it('ignores its own frames echoed back by a half-duplex adapter', async () => {
    const { host, bus, start } = await setup();
    const write = host.write.bind(host);
    host.write = async (data: Uint8Array): Promise<void> => {
      await write(data);
      setImmediate(() => host.emit('data', Buffer.from(data)));
    };
    const ghost = await start(new LedBoard(bus, 9));
    await ghost.show(['无人']);
    await new Promise((r) => setTimeout(r, 150));
    expect(ghost.health.status).toBe('offline');
  });

  it('polls for events; push-mode devices are heard without waiting for a poll', async () => {
    const { sim, bus, start } = await setup(FAST, { pollMs: 60_000, keepAliveMs: 60_000 }, true);
    const simKeypad = sim.addKeypad(3);
    const keypad = await start(new CallerKeypad(bus, 3));
    const keys: KeypadKey[] = [];
    keypad.on('key', (k) => keys.push(k));
    await waitFor('online', () => keypad.health.status === 'online');
    simKeypad.press('transfer');
    await waitFor('pushed key', () => keys.length === 1, 500);
    expect(keys).toEqual(['transfer']);
    await waitFor('acked', () => simKeypad.pendingEvents === 0);
  });

  it('warns about unknown addresses and unknown key codes, and acks the latter so the device moves on', async () => {
    const { sim, bus, start } = await setup(FAST, {}, true);
    const stranger = sim.addKeypad(7);
    const simKeypad = sim.addKeypad(3);
    const warnings: string[] = [];
    bus.on('warning', (w) => warnings.push(w));
    const keypad = await start(new CallerKeypad(bus, 3));
    const keys: KeypadKey[] = [];
    keypad.on('key', (k) => keys.push(k));
    await waitFor('online', () => keypad.health.status === 'online');
    stranger.press('call-next');
    simKeypad.pressCode(0x5a);
    await waitFor('warnings', () => warnings.length >= 2);
    expect(warnings.join('\n')).toMatch(/unknown address 7/);
    expect(warnings.join('\n')).toMatch(/caller-keypad@3: unknown key code 0x5a/);
    await waitFor('acked', () => simKeypad.pendingEvents === 0);
    expect(keys).toEqual([]);
  });

  it('poll: false sends no polls; health then comes from command acks', async () => {
    const { sim, bus, start } = await setup(FAST, { poll: false });
    const polls = heard(sim, FAST.functions.poll);
    sim.addBoard(1, 1);
    const board = await start(new LedBoard(bus, 1, { lineCount: 1 }));
    expect((await board.show(['请A001号'])).delivered).toBe(true);
    expect(board.health.status).toBe('online');
    await new Promise((r) => setTimeout(r, 100));
    expect(polls.count).toBe(0);
  });

  it('reports health changes per address', async () => {
    const { sim, bus, start } = await setup();
    sim.addBoard(4);
    const seen: string[] = [];
    bus.on('health', (address, h) => seen.push(`${address}:${h.status}`));
    await start(new LedBoard(bus, 4));
    await waitFor('online', () => bus.healthOf(4).status === 'online');
    sim.silence(4);
    await waitFor('offline', () => bus.healthOf(4).status === 'offline');
    expect(seen.filter((s) => s.startsWith('4:')).slice(-2)).toEqual(['4:online', '4:offline']);
    expect(bus.healthOf(99)).toEqual({ status: 'offline', detail: 'no device attached at address 99' });
  });
});

describe('Rs485Bus on a profile without acks (stx-etx)', () => {
  it('sends fire-and-forget, takes pushed events, tracks only the link, restores after replug', async () => {
    const { sim, bus, start } = await setup(STX_ETX_PROFILE);
    const simBoard = sim.addBoard(1);
    const simKeypad = sim.addKeypad(2);
    const board = await start(new LedBoard(bus, 1));
    const keypad = await start(new CallerKeypad(bus, 2));
    const keys: KeypadKey[] = [];
    keypad.on('key', (k) => keys.push(k));
    expect(board.health.status).toBe('online');
    expect((await board.show(['请A001号', '1号窗口'])).delivered).toBe(true);
    await waitFor('text', () => simBoard.lines.join('|') === '请A001号|1号窗口');
    simKeypad.press('call-next');
    await waitFor('key', () => keys.length === 1);
    expect(simKeypad.pendingEvents).toBe(0);
    await sim.unplug();
    await waitFor('offline', () => board.health.status === 'offline');
    await sim.replug();
    await waitFor('online', () => board.health.status === 'online');
    await waitFor('text again', () => simBoard.lines.join('|') === '请A001号|1号窗口');
  });
});

describe('createSimulatedRs485Link (demo hall)', () => {
  it('gives a host end for the bus and a started device side', async () => {
    const { host, sim } = await createSimulatedRs485Link({ name: 'demo' });
    expect(host).toBeInstanceOf(MemoryTransport);
    expect(sim.transport.isOpen).toBe(true);
    await sim.stop();
  });
});
