/**
 * The one contract every ticket printer link must pass: against the simulator on a memory link,
 * the simulator on a socat pty pair, and a real printer when one is named. Test-only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../device';
import { EscposTicketPrinter } from './escpos-ticket-printer';
import type { PrinterLinkFactory, PrinterTestLink } from './printer-test-links';
import { exampleTicketJob } from './ticket-job';

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function describeTicketPrinterContract(factory: PrinterLinkFactory): void {
  describe.skipIf(!factory.available)(`ticket printer contract: ${factory.name}`, () => {
    let link: PrinterTestLink;
    let printer: EscposTicketPrinter;
    let healthSeen: DeviceHealth[];

    beforeEach(async () => {
      link = await factory.make();
      printer = new EscposTicketPrinter(link.host, link.printerOptions);
      healthSeen = [];
      printer.on('health', (h) => healthSeen.push(h));
      await printer.start();
    });

    afterEach(async () => {
      await printer.stop();
      await link.close();
    });

    it('starts online', () => {
      expect(printer.health).toEqual({ status: 'online', detail: null });
    });

    it('prints a ticket: text, big number and QR arrive at the printer', async () => {
      const job = exampleTicketJob({ ticketNumber: 'B012', priorityLabel: '老年人' });
      const got = link.sim?.nextTicket();
      expect(await printer.print(job)).toEqual({ ok: true });
      if (!link.sim || !got) return;
      const ticket = await got;
      expect(ticket.textLines).toContain('B012');
      expect(ticket.textLines).toContain('社会保障业务');
      expect(ticket.textLines).toContain('【老年人】优先');
      expect(ticket.qrCodes).toEqual([job.trackUrl]);
      expect(link.sim.lastTicketText()).toContain('B012');
      expect(link.sim.statusQueries).toBeGreaterThan(0);
    });

    it('prints queued jobs one at a time, in order', async () => {
      const n = link.sim ? 4 : 2;
      const numbers = Array.from({ length: n }, (_, i) => `C00${i + 1}`);
      const printed: string[] = [];
      const off = link.sim?.onTicket((t) => printed.push(t.textLines.find((l) => /^C00\d$/.test(l)) ?? '?'));
      const results = await Promise.all(numbers.map((ticketNumber) => printer.print(exampleTicketJob({ ticketNumber }))));
      expect(results.every((r) => r.ok)).toBe(true);
      if (!link.sim) return;
      await until(() => printed.length === n);
      off?.();
      expect(printed).toEqual(numbers);
    });

    it('paper out → PRINTER.PAPER_OUT, health error, nothing printed; paper back → prints', async (ctx) => {
      if (!link.sim) return ctx.skip();
      link.sim.paperOut(true);
      const before = link.sim.tickets.length;
      const result = await printer.print(exampleTicketJob());
      expect(result).toMatchObject({ ok: false, code: 'PRINTER.PAPER_OUT' });
      expect(printer.health).toEqual({ status: 'error', detail: '缺纸 paper out' });
      expect(healthSeen).toContainEqual({ status: 'error', detail: '缺纸 paper out' });
      await new Promise((r) => setTimeout(r, 20));
      expect(link.sim.tickets.length).toBe(before);

      link.sim.paperOut(false);
      expect(await printer.refreshStatus()).toEqual({ status: 'online', detail: null });
      const got = link.sim.nextTicket();
      expect(await printer.print(exampleTicketJob())).toEqual({ ok: true });
      await got;
    });

    it('cover open → PRINTER.COVER_OPEN and health error', async (ctx) => {
      if (!link.sim) return ctx.skip();
      link.sim.coverOpen(true);
      expect(await printer.print(exampleTicketJob())).toMatchObject({ ok: false, code: 'PRINTER.COVER_OPEN' });
      expect(printer.health.status).toBe('error');
      link.sim.coverOpen(false);
      expect(await printer.print(exampleTicketJob())).toEqual({ ok: true });
      expect(printer.health).toEqual({ status: 'online', detail: null });
    });

    it('asks DLE EOT again after the cut: a whole ticket is ok', async (ctx) => {
      if (!link.sim) return ctx.skip();
      let queriesAtCut = -1;
      const off = link.sim.onTicket(() => (queriesAtCut = link.sim?.statusQueries ?? -1));
      expect(await printer.print(exampleTicketJob())).toEqual({ ok: true });
      off();
      expect(queriesAtCut).toBeGreaterThan(0);
      expect(link.sim.statusQueries).toBeGreaterThan(queriesAtCut);
    });

    it('paper runs out mid-ticket → PRINTER.PAPER_OUT while printing, health error; the roll back → prints', async (ctx) => {
      if (!link.sim) return ctx.skip();
      link.sim.failMidTicket('paper-out', 200);
      const before = link.sim.tickets.length;
      expect(await printer.print(exampleTicketJob())).toMatchObject({ ok: false, code: 'PRINTER.PAPER_OUT', stage: 'while-printing' });
      expect(printer.health).toEqual({ status: 'error', detail: '缺纸 paper out' });
      expect(link.sim.tickets.length).toBe(before);
      link.sim.clear(); // the torn ticket is thrown away with the old roll
      link.sim.paperOut(false);
      expect(await printer.print(exampleTicketJob({ ticketNumber: 'E001' }))).toEqual({ ok: true });
      expect(link.sim.lastTicket()?.textLines).toContain('E001');
    });

    it('cover opened mid-ticket → PRINTER.COVER_OPEN while printing', async (ctx) => {
      if (!link.sim) return ctx.skip();
      link.sim.failMidTicket('cover-open', 100);
      expect(await printer.print(exampleTicketJob())).toMatchObject({ ok: false, code: 'PRINTER.COVER_OPEN', stage: 'while-printing' });
      expect(printer.health).toEqual({ status: 'error', detail: '纸仓盖打开 cover open' });
    });

    it('a failure found before printing says so: stage before-print', async (ctx) => {
      if (!link.sim) return ctx.skip();
      link.sim.paperOut(true);
      expect(await printer.print(exampleTicketJob())).toMatchObject({ ok: false, code: 'PRINTER.PAPER_OUT', stage: 'before-print' });
    });

    it('paper near end: prints, with a warning in the result and in health (still online)', async (ctx) => {
      if (!link.sim) return ctx.skip();
      link.sim.paperNearEnd(true);
      expect(await printer.print(exampleTicketJob())).toEqual({ ok: true, warning: 'PRINTER.PAPER_NEAR_END' });
      expect(printer.health).toEqual({ status: 'online', detail: '纸将尽 paper near end' });
      expect(healthSeen).toContainEqual({ status: 'online', detail: '纸将尽 paper near end' });
      link.sim.paperNearEnd(false);
      expect(await printer.print(exampleTicketJob())).toEqual({ ok: true });
      expect(printer.health).toEqual({ status: 'online', detail: null });
    });

    it('unplug → offline and PRINTER.OFFLINE; replug → online and prints again', async (ctx) => {
      if (!link.unplug || !link.replug || !link.sim) return ctx.skip();
      await link.unplug();
      // A pty (like a USB-serial adapter) may only show the hangup on the next write: print finds it.
      expect(await printer.print(exampleTicketJob())).toMatchObject({ ok: false, code: 'PRINTER.OFFLINE' });
      expect(printer.health).toEqual({ status: 'offline', detail: '未连接 offline' });
      expect(healthSeen[healthSeen.length - 1]).toEqual({ status: 'offline', detail: '未连接 offline' });

      await link.replug();
      const got = link.sim.nextTicket();
      expect(await printer.print(exampleTicketJob({ ticketNumber: 'D007' }))).toEqual({ ok: true });
      expect(printer.health).toEqual({ status: 'online', detail: null });
      expect((await got).textLines).toContain('D007');
    });
  });
}
