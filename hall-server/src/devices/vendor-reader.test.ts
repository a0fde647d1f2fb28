/**
 * An ID reader behind a vendor SDK tool, end to end in the device runtime: the tool is named in
 * the device's config and found in HALL_VENDOR_TOOLS; a scripted stand-in plays the tool.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PERSONS, encodeIdText, type IdCardData } from '@hall/drivers';
import { DeviceRuntime } from './device-runtime';
import { device, FAST_DEVICES, waitFor } from './test-support';

const TOOL = fileURLToPath(new URL('../../../drivers/src/id-reader/testing/fake-vendor-tool.mjs', import.meta.url));

describe('vendor-sdk ID readers', () => {
  let runtime: DeviceRuntime | undefined;
  const saved = process.env.HALL_VENDOR_TOOLS;
  afterEach(async () => {
    await runtime?.stopAll();
    runtime = undefined;
    if (saved === undefined) delete process.env.HALL_VENDOR_TOOLS;
    else process.env.HALL_VENDOR_TOOLS = saved;
  });

  it('reads a card through the tool this machine names', async () => {
    const card = { status: 'card', text: encodeIdText(DEMO_PERSONS.elderly).toString('base64') };
    process.env.HALL_VENDOR_TOOLS = JSON.stringify({ sdt: { command: process.execPath, args: [TOOL, JSON.stringify([{ status: 'no-card' }, card])] } });
    runtime = new DeviceRuntime(FAST_DEVICES);
    const cards: IdCardData[] = [];
    runtime.on('card', (_id, c) => cards.push(c));
    await runtime.open(device({ id: 'r', kind: 'id-reader', transport: { type: 'vendor-sdk', tool: 'sdt' }, options: { pollIntervalMs: 50 } }));
    await waitFor(() => cards.length === 1, 5000, 'card');
    expect(cards[0]?.name).toBe(DEMO_PERSONS.elderly.name);
    expect(runtime.health('r')).toEqual({ status: 'online', detail: null });
  });

  it('a tool this machine does not know is an error device that says why', async () => {
    delete process.env.HALL_VENDOR_TOOLS;
    runtime = new DeviceRuntime(FAST_DEVICES);
    await runtime.open(device({ id: 'r', kind: 'id-reader', transport: { type: 'vendor-sdk', tool: 'sdt' } }));
    expect(runtime.health('r')).toMatchObject({ status: 'error', detail: expect.stringMatching(/HALL_VENDOR_TOOLS/) });
  });
});
