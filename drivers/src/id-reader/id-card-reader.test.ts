import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceHealth } from '../device';
import { createMemoryLink, type MemoryTransport } from '../transport/memory-transport';
import { DEMO_PERSONS } from './demo-persons';
import { IdCardReader } from './id-card-reader';
import { SamRequestParser, encodeSamReply, type SamRequest } from './sam-frame';
import { SAM_STATUS } from './sam-status';
import { SimulatedIdCardReader } from './simulated-id-card-reader';
import { nextEvent, record, sleep, until } from './testing/wait';

const FAST = { pollIntervalMs: 10, requestTimeoutMs: 200, readTimeoutMs: 400 };

/** A device end that answers each request with whatever the test says. */
function scripted(device: MemoryTransport, answer: (req: SamRequest) => Buffer | null): SamRequest[] {
  const parser = new SamRequestParser();
  const seen: SamRequest[] = [];
  device.on('data', (chunk) => {
    for (const ev of parser.push(chunk)) {
      if (ev.type !== 'frame') continue;
      seen.push(ev.frame);
      const reply = answer(ev.frame);
      if (reply) void device.write(reply);
    }
  });
  return seen;
}

describe('IdCardReader', () => {
  let reader: IdCardReader | undefined;
  afterEach(async () => {
    await reader?.stop();
    reader = undefined;
    vi.restoreAllMocks();
  });

  it('start() on a missing port reports offline and does not reject', async () => {
    const { host } = createMemoryLink('missing');
    host.unplugged = true;
    reader = new IdCardReader(host, FAST);
    await expect(reader.start()).resolves.toBeUndefined();
    expect(reader.health).toEqual({ status: 'offline', detail: 'missing:host: no such port' });
  });

  it('reports a SAM module fault (0x60) as error health, with the reason', async () => {
    const { host, device } = createMemoryLink('fault');
    await device.open();
    scripted(device, () => encodeSamReply(SAM_STATUS.selfCheckFailed));
    reader = new IdCardReader(host, FAST);
    const health = nextEvent<[DeviceHealth]>(reader, 'health', 2000, (h) => h.status === 'error');
    await reader.start();
    expect((await health)[0].detail).toMatch(/self-check/);
  });

  it('polls find → select → read in that order, then only reads while the card stays', async () => {
    const { host, device } = createMemoryLink('order');
    const sim = new SimulatedIdCardReader(device);
    await sim.start();
    const seen = scripted(device, () => null); // listens beside the simulator
    reader = new IdCardReader(host, FAST);
    await reader.start();
    sim.insertCard(DEMO_PERSONS.adult);
    await nextEvent(reader, 'card');
    await until(() => seen.length > 12, 2000, 'more requests');
    const names = seen.map((r) => `${r.cmd.toString(16)}${r.para.toString(16).padStart(2, '0')}`);
    expect(names[0]).toBe('12ff');
    const firstRead = names.indexOf('3001');
    expect(names.slice(firstRead - 2, firstRead + 1)).toEqual(['2001', '2002', '3001']);
    // Afterwards: find (not found while the card stays) then a direct read, again and again.
    expect(names.slice(firstRead + 1, firstRead + 7)).toEqual(['2001', '3001', '2001', '3001', '2001', '3001']);
  });

  it('ignores stray frames that answer nothing and counts them', async () => {
    const { host, device } = createMemoryLink('stray');
    const sim = new SimulatedIdCardReader(device);
    await sim.start();
    reader = new IdCardReader(host, { ...FAST, pollIntervalMs: 50 });
    await reader.start();
    await until(() => reader?.health.status === 'online', 2000, 'online');
    await sleep(15); // between cycles
    await sim.sendGarbage(encodeSamReply(SAM_STATUS.cardFound, new Uint8Array(4)));
    await until(() => reader?.stats.strayFrames === 1, 2000, 'stray frame counted');
    const cycles = reader.stats.cycles;
    await until(() => (reader?.stats.cycles ?? 0) > cycles + 2, 2000, 'more cycles');
    expect(reader.cardPresent).toBe(false);
    expect(reader.health.status).toBe('online');
  });

  it('never writes to the console, whatever happens', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const { host, device } = createMemoryLink('quiet');
    const sim = new SimulatedIdCardReader(device);
    await sim.start();
    reader = new IdCardReader(host, FAST);
    const errors = record(reader, 'readError');
    await reader.start();
    sim.failNextRead();
    sim.insertCard(DEMO_PERSONS.adult);
    await nextEvent(reader, 'card');
    sim.corruptNextReply();
    await until(() => errors.length >= 2, 2000, 'errors');
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });

  it('a reader that finds and selects cards but fails every read shows as error, and recovers', async () => {
    const { host, device } = createMemoryLink('read-fails');
    await device.open();
    scripted(device, (req) => {
      if (req.cmd === 0x12) return encodeSamReply(SAM_STATUS.ok, new Uint8Array(16));
      if (req.cmd === 0x20 && req.para === 0x01) return encodeSamReply(SAM_STATUS.cardFound, new Uint8Array(4));
      if (req.cmd === 0x20 && req.para === 0x02) return encodeSamReply(SAM_STATUS.ok, new Uint8Array(8));
      return encodeSamReply(SAM_STATUS.readFailed);
    });
    reader = new IdCardReader(host, FAST);
    const errors = record(reader, 'readError');
    await reader.start();
    await until(() => reader?.health.status === 'error', 3000, 'error health');
    expect(reader.health.detail).toMatch(/read/i);
    expect(errors.length).toBeGreaterThan(0);
    // The card is taken away (find answers "no card"): online again.
    device.removeAllListeners('data');
    scripted(device, (req) => (req.cmd === 0x20 && req.para === 0x01 ? encodeSamReply(SAM_STATUS.noCardFound) : encodeSamReply(SAM_STATUS.ok, new Uint8Array(16))));
    await until(() => reader?.health.status === 'online', 3000, 'online again');
  });

  it('stop() is idempotent and start() again works', async () => {
    const { host, device } = createMemoryLink('restart');
    const sim = new SimulatedIdCardReader(device);
    await sim.start();
    reader = new IdCardReader(host, FAST);
    await reader.start();
    await reader.stop();
    await reader.stop();
    await reader.start();
    sim.insertCard(DEMO_PERSONS.elderly);
    await nextEvent(reader, 'card');
  });
});
