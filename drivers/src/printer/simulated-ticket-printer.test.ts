import { describe, expect, it } from 'vitest';
import { createMemoryLink } from '../transport/memory-transport';
import { encodeTicketOps } from './escpos-encoder';
import { isStatusByte, parseStatus, STATUS_REQUEST } from './printer-status';
import { SimulatedTicketPrinter } from './simulated-ticket-printer';
import { layoutTicket } from './ticket-layout';
import { exampleTicketJob } from './ticket-job';

async function rig(chunkSize = Infinity) {
  const { host, device } = createMemoryLink('sim');
  host.chunkSize = chunkSize;
  const sim = new SimulatedTicketPrinter(device);
  await sim.start();
  await host.open();
  const answers: number[] = [];
  host.on('data', (c) => answers.push(...c));
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
  /** Waits (generously: test machines can be loaded) until `n` answer bytes are in. */
  const answered = async (n: number): Promise<void> => {
    const end = Date.now() + 5000;
    while (answers.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
  };
  return { host, device, sim, answers, settle, answered };
}

const ticketBytes = (ticketNumber = 'A001'): Buffer =>
  encodeTicketOps(layoutTicket(exampleTicketJob({ ticketNumber }), { paperWidth: 58 }), { paperWidth: 58, qrMode: 'native', charset: 'gb2312' });

describe('SimulatedTicketPrinter', () => {
  it('answers DLE EOT 1/2/3/4 byte-exactly: ready, paper out, cover open, near end', async () => {
    const { host, sim, answers, answered } = await rig();
    const ask = async (): Promise<number[]> => {
      answers.length = 0;
      await host.write(Buffer.from([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]));
      await answered(4);
      return [...answers];
    };
    expect(await ask()).toEqual([0x12, 0x12, 0x12, 0x12]);
    sim.paperOut(true);
    expect(await ask()).toEqual([0x1a, 0x32, 0x12, 0x7e]);
    sim.paperOut(false);
    sim.coverOpen(true);
    expect(await ask()).toEqual([0x1a, 0x16, 0x12, 0x12]);
    sim.coverOpen(false);
    sim.paperNearEnd(true);
    expect(await ask()).toEqual([0x12, 0x12, 0x12, 0x1e]);
    sim.paperNearEnd(false);
    sim.fault(true);
    expect(await ask()).toEqual([0x1a, 0x52, 0x32, 0x12]);
    expect(answers.every(isStatusByte)).toBe(true);
    expect(sim.statusQueries).toBe(20);
  });

  it('its answers parse back to the same state on the driver side', async () => {
    const { host, sim, answers, answered } = await rig();
    sim.paperOut(true);
    await host.write(STATUS_REQUEST);
    await answered(3);
    expect(parseStatus(answers)).toEqual({ offline: true, coverOpen: false, paperOut: true, paperNearEnd: true, error: false });
  });

  it('cuts tickets apart, in order, from 1-byte chunks, and shows the last one as text', async () => {
    const { host, sim } = await rig(1);
    const seen: string[] = [];
    const off = sim.onTicket((t) => seen.push(t.qrCodes[0] ?? ''));
    const second = new Promise<void>((r) => sim.onTicket(() => seen.length === 2 && r()));
    await host.write(Buffer.concat([ticketBytes('A001'), ticketBytes('A002')]));
    await second;
    off();
    expect(sim.tickets.map((t) => t.textLines.find((l) => /^A00\d$/.test(l)))).toEqual(['A001', 'A002']);
    expect(seen).toHaveLength(2);
    const text = sim.lastTicketText() ?? '';
    expect(text).toContain('A002');
    expect(text).toContain('青山县政务服务中心');
    expect(text).toContain('[二维码 QR] http://192.168.1.10:8080/ticket/7f3a9c2e1b');
    expect(text.split('\n').find((l) => l.includes('A002'))?.startsWith('              A002')).toBe(true); // centred in 32 columns
  });

  it('keeps going after garbage and still prints the next ticket', async () => {
    const { host, sim } = await rig(3);
    const got = sim.nextTicket();
    await host.write(Buffer.from([0x1b, 0xff, 0x1d, 0x00, 0x1c, 0x99, 0x81, 0x0a, 0x10, 0x04, 0x63, 0x00, 0xfe]));
    await host.write(ticketBytes('Z999'));
    expect((await got).textLines).toContain('Z999');
  });

  it('holds what arrives without paper and prints it when paper is loaded', async () => {
    const { host, sim, settle } = await rig();
    sim.paperOut(true);
    await host.write(ticketBytes('H001'));
    await settle();
    expect(sim.tickets).toHaveLength(0);
    const next = sim.nextTicket(500);
    sim.paperOut(false);
    expect((await next).textLines).toContain('H001');
  });

  it('unplug() pulls the memory cable for both ends; replug() opens its own end again', async () => {
    const { host, device, sim } = await rig();
    sim.unplug();
    expect(host.isOpen).toBe(false);
    expect(device.isOpen).toBe(false);
    await expect(host.open()).rejects.toThrow(/no such port/);
    await sim.replug();
    expect(device.isOpen).toBe(true);
    await host.open();
    expect(host.isOpen).toBe(true);
  });

  it('lastTicketText() is null before anything is printed', async () => {
    const { sim } = await rig();
    expect(sim.lastTicketText()).toBeNull();
  });
});
