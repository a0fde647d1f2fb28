/** The LedBoard contract: one suite, run on every rig (memory, pty, hardware). */
import { describe, expect, it } from 'vitest';
import { LedBoard } from '../led-board';
import { useRig } from './rig-hooks';
import type { RigFactory } from './rigs';
import { waitFor } from './wait-for';

export function ledBoardContract(name: string, factory: RigFactory | undefined): void {
  describe.skipIf(!factory)(`LedBoard contract (${name})`, () => {
    const t = useRig(factory);
    const online = (b: LedBoard): Promise<void> => waitFor(`${b.label} online`, () => b.health.status === 'online');

    it('shows text; the device decodes the GBK bytes', async () => {
      const [a] = t.rig.addresses;
      const sim = t.rig.sim?.addBoard(a, 2);
      const board = await t.start(new LedBoard(t.bus, a, { lineCount: 2 }));
      const r = await board.show(['请A001号', '3号窗口 社保']);
      expect(r).toMatchObject({ delivered: true, replaced: [], truncated: false });
      await online(board);
      if (sim) await waitFor('board text', () => sim.lines.join('|') === '请A001号|3号窗口 社保');
      expect(board.shown).toEqual(['请A001号', '3号窗口 社保']);
    });

    it('a character outside GBK is shown as a full-width space and reported', async ({ skip }) => {
      if (!t.rig.sim) return skip('needs the simulator to read the board');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addBoard(a, 1);
      const board = await t.start(new LedBoard(t.bus, a, { lineCount: 1 }));
      await online(board);
      const r = await board.show(['张😀三']);
      expect(r.replaced).toEqual(['😀']);
      expect(r.delivered).toBe(true);
      expect(sim.lines).toEqual(['张\u3000三']);
    });

    it('clear blanks the board; brightness is set', async ({ skip }) => {
      if (!t.rig.sim) return skip('needs the simulator to read the board');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addBoard(a, 2);
      const board = await t.start(new LedBoard(t.bus, a));
      await online(board);
      await board.show(['暂停服务']);
      expect(sim.lines).toEqual(['暂停服务', '']);
      expect((await board.clear()).delivered).toBe(true);
      expect(sim.lines).toEqual(['', '']);
      expect((await board.setBrightness(7)).delivered).toBe(true);
      expect(sim.brightness).toBe(7);
    });

    it('two boards at different addresses on one bus each show their own text', async ({ skip }) => {
      const [a, b] = t.rig.addresses;
      if (a === b) return skip('needs two devices');
      const simA = t.rig.sim?.addBoard(a);
      const simB = t.rig.sim?.addBoard(b);
      const boardA = await t.start(new LedBoard(t.bus, a));
      const boardB = await t.start(new LedBoard(t.bus, b));
      const [ra, rb] = await Promise.all([boardA.show(['请A001号', '1号窗口']), boardB.show(['请B002号', '2号窗口'])]);
      expect(ra.delivered && rb.delivered).toBe(true);
      if (simA && simB) {
        await waitFor('both boards', () => simA.lines[0] === '请A001号' && simB.lines[0] === '请B002号');
        expect(simA.lines).toEqual(['请A001号', '1号窗口']);
        expect(simB.lines).toEqual(['请B002号', '2号窗口']);
      }
    });

    it('a silent board goes offline while the other stays online, and gets its text once it answers again', async ({ skip }) => {
      const sim = t.rig.sim;
      if (!sim || !t.rig.profile.ack) return skip('needs the simulator and a profile with acks');
      const [a, b] = t.rig.addresses;
      sim.addBoard(a);
      const simB = sim.addBoard(b);
      const boardA = await t.start(new LedBoard(t.bus, a));
      const boardB = await t.start(new LedBoard(t.bus, b));
      await Promise.all([online(boardA), online(boardB)]);
      sim.silence(b);
      await waitFor('silent board offline', () => boardB.health.status === 'offline');
      expect(boardB.health.detail).toMatch(/no answer/);
      expect(boardA.health.status).toBe('online');
      expect((await boardA.show(['请A003号'])).delivered).toBe(true);
      // Told while away (and it lost power meanwhile): shown when it is back.
      const missed = await boardB.show(['请B009号', '2号窗口']);
      expect(missed.delivered).toBe(false);
      simB.powerOff();
      sim.silence(b, false);
      await online(boardB);
      await waitFor('text re-sent', () => simB.lines.join('|') === '请B009号|2号窗口');
      expect(boardA.health.status).toBe('online');
    });

    it('unplug → offline; replug → online again and the board shows its last text', async ({ skip }) => {
      const rig = t.rig;
      if (!rig.sim || !rig.unplug || !rig.replug) return skip('needs a line the test can pull');
      const [a, b] = rig.addresses;
      const simA = rig.sim.addBoard(a);
      const simB = rig.sim.addBoard(b);
      const boardA = await t.start(new LedBoard(t.bus, a));
      const boardB = await t.start(new LedBoard(t.bus, b));
      await boardA.show(['请A007号', '1号窗口']);
      await boardB.show(['暂停服务']);
      await Promise.all([online(boardA), online(boardB)]);
      await rig.unplug();
      await waitFor('offline after unplug', () => boardA.health.status === 'offline' && boardB.health.status === 'offline');
      expect(simA.lines).toEqual(['', '']);
      const back = Date.now();
      await rig.replug();
      await waitFor('online after replug', () => boardA.health.status === 'online' && boardB.health.status === 'online', 2000);
      await waitFor('last text again', () => simA.lines.join('|') === '请A007号|1号窗口' && simB.lines.join('|') === '暂停服务|', 2000);
      expect(Date.now() - back).toBeLessThan(2000);
    });
  });
}
