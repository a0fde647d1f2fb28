/** The HallLedBar contract: one suite, run on every rig (memory, pty, hardware). */
import { describe, expect, it } from 'vitest';
import { HallLedBar } from '../hall-led-bar';
import { useRig } from './rig-hooks';
import type { RigFactory } from './rigs';
import { waitFor } from './wait-for';

export function hallLedBarContract(name: string, factory: RigFactory | undefined): void {
  describe.skipIf(!factory)(`HallLedBar contract (${name})`, () => {
    const t = useRig(factory);
    const online = (d: HallLedBar): Promise<void> => waitFor(`${d.label} online`, () => d.health.status === 'online');
    const text = '请A001号到3号窗口办理　请B012号到5号窗口办理';

    it('scrolls text; the device decodes the GBK bytes', async () => {
      const [a] = t.rig.addresses;
      const sim = t.rig.sim?.addHallBar(a);
      const bar = await t.start(new HallLedBar(t.bus, a));
      expect(await bar.scroll(text)).toMatchObject({ delivered: true, replaced: [] });
      if (sim) await waitFor('bar text', () => sim.text === text);
    });

    it('long text is cut at a character boundary and says so', async ({ skip }) => {
      if (!t.rig.sim) return skip('needs the simulator to read the bar');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addHallBar(a);
      const bar = await t.start(new HallLedBar(t.bus, a));
      await online(bar);
      const r = await bar.scroll('办'.repeat(500));
      expect(r.truncated).toBe(true);
      expect(r.delivered).toBe(true);
      expect(sim.text).toMatch(/^办+$/);
    });

    it('a silent bar goes offline while the other stays online', async ({ skip }) => {
      const sim = t.rig.sim;
      const [a, b] = t.rig.addresses;
      if (!sim || !t.rig.profile.ack || a === b) return skip('needs the simulator and a profile with acks');
      sim.addHallBar(a);
      sim.addHallBar(b);
      const barA = await t.start(new HallLedBar(t.bus, a));
      const barB = await t.start(new HallLedBar(t.bus, b));
      await Promise.all([online(barA), online(barB)]);
      sim.silence(a);
      await waitFor('silent bar offline', () => barA.health.status === 'offline');
      expect(barB.health.status).toBe('online');
    });

    it('unplug → offline; replug → online and the text scrolls again', async ({ skip }) => {
      const rig = t.rig;
      if (!rig.sim || !rig.unplug || !rig.replug) return skip('needs a line the test can pull');
      const [a] = rig.addresses;
      const sim = rig.sim.addHallBar(a);
      const bar = await t.start(new HallLedBar(t.bus, a));
      await bar.scroll(text);
      await online(bar);
      await rig.unplug();
      await waitFor('offline', () => bar.health.status === 'offline');
      expect(sim.text).toBe('');
      await rig.replug();
      await waitFor('text again', () => sim.text === text && bar.health.status === 'online');
    });
  });
}
