import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../device';
import { DEMO_PERSONS } from './demo-persons';
import type { IdCardData } from './id-card-data';
import { encodeIdText } from './id-text';
import { nextEvent, record, until } from './testing/wait';
import { ChildProcessReaderAdapter, VendorIdCardReader } from './vendor-sdk-reader';

const TOOL = fileURLToPath(new URL('./testing/fake-vendor-tool.mjs', import.meta.url));
const card = { status: 'card', text: encodeIdText(DEMO_PERSONS.adult).toString('base64') };
const noCard = { status: 'no-card' };

function reader(answers: unknown[], start?: string, timeoutMs = 2000): VendorIdCardReader {
  const args = [TOOL, JSON.stringify(answers), ...(start ? [start] : [])];
  return new VendorIdCardReader(new ChildProcessReaderAdapter({ command: process.execPath, args, timeoutMs }), {
    pollIntervalMs: 10,
    reopenMs: 50,
  });
}

describe('VendorIdCardReader over a vendor tool (child process, JSON lines)', () => {
  let r: VendorIdCardReader | undefined;
  afterEach(async () => {
    await r?.stop();
    r = undefined;
  });

  it('reports a card once per insertion, then its removal', async () => {
    r = reader([noCard, card, card, card, noCard]);
    const removed = nextEvent(r, 'removed', 5000);
    const cards = record<[IdCardData]>(r, 'card');
    await r.start();
    await removed;
    expect(cards.map(([c]) => c.name)).toEqual([DEMO_PERSONS.adult.name]);
    expect(r.health).toEqual({ status: 'online', detail: null });
  });

  it('a reader that answers but fails every read is an error, not online', async () => {
    r = reader([{ status: 'error', message: 'read failed (0x41)' }]);
    const errors = record(r, 'readError');
    await r.start();
    await until(() => r?.health.status === 'error', 5000, 'error health');
    expect(r.health.detail).toMatch(/read failed \(0x41\)/);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('a tool that cannot find its reader at start is offline with its reason', async () => {
    r = reader([noCard], '{"status":"error","message":"no reader on USB"}');
    const h = nextEvent<[DeviceHealth]>(r, 'health', 5000, (x) => /no reader on USB/.test(x.detail ?? ''));
    await r.start();
    expect((await h)[0].status).toBe('offline');
  });

  it('a tool that crashes is offline, and is started again', async () => {
    r = reader([noCard, 'exit']);
    const seen = record<[DeviceHealth]>(r, 'health');
    await r.start();
    await until(() => seen.some(([h]) => h.status === 'offline' && /exited/.test(h.detail ?? '')), 5000, 'offline after the crash');
    await until(() => seen.filter(([h]) => h.status === 'online').length >= 2, 5000, 'online again');
  });

  it('a tool that hangs is given up after the timeout, never holding the driver', async () => {
    r = reader([noCard, 'hang'], undefined, 200);
    const seen = record<[DeviceHealth]>(r, 'health');
    await r.start();
    await until(() => seen.some(([h]) => /no answer within 200 ms/.test(h.detail ?? '')), 5000, 'timeout reported');
    await r.stop();
    expect(r.health).toEqual({ status: 'offline', detail: 'stopped' });
  });

  it('stop() ends a read in flight instead of waiting out the tool\'s timeout', async () => {
    r = reader([noCard, 'hang'], undefined, 60_000);
    const seen = record<[DeviceHealth]>(r, 'health');
    await r.start();
    await until(() => seen.some(([h]) => h.status === 'online'), 5000, 'online');
    await new Promise((res) => setTimeout(res, 50)); // the second read now hangs
    const stopped = await Promise.race([r.stop().then(() => 'stopped'), new Promise((res) => setTimeout(res, 10_000, 'hung'))]);
    expect(stopped).toBe('stopped');
  });

  it('garbage from the tool is an error answer, never a crash', async () => {
    r = reader([{ status: 'card', text: 'not-256-bytes' }]);
    const errors = record<[{ message: string }]>(r, 'readError');
    await r.start();
    await until(() => errors.length > 0, 5000, 'read error');
    expect(errors[0]?.[0].message).toMatch(/expected 256/);
  });
});
