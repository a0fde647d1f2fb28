/** The CallerKeypad contract: one suite, run on every rig (memory, pty, hardware). */
import { describe, expect, it } from 'vitest';
import { CallerKeypad } from '../caller-keypad';
import { KEYPAD_KEYS, type KeypadKey } from '../frame-profile';
import { useRig } from './rig-hooks';
import type { RigFactory } from './rigs';
import { waitFor } from './wait-for';

export function callerKeypadContract(name: string, factory: RigFactory | undefined): void {
  describe.skipIf(!factory)(`CallerKeypad contract (${name})`, () => {
    const t = useRig(factory);
    const online = (k: CallerKeypad): Promise<void> => waitFor(`${k.label} online`, () => k.health.status === 'online');
    const collect = (k: CallerKeypad): KeypadKey[] => {
      const keys: KeypadKey[] = [];
      k.on('key', (key) => keys.push(key));
      return keys;
    };

    it('every key press becomes one key event, in order', async ({ skip }) => {
      if (!t.rig.sim) return skip('needs the simulator to press keys');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addKeypad(a);
      const keypad = await t.start(new CallerKeypad(t.bus, a));
      const keys = collect(keypad);
      await online(keypad);
      for (const key of KEYPAD_KEYS) sim.press(key);
      await waitFor('all keys', () => keys.length >= KEYPAD_KEYS.length);
      await new Promise((r) => setTimeout(r, 100));
      expect(keys).toEqual(KEYPAD_KEYS);
      expect(sim.pendingEvents).toBe(0);
    });

    it('shows text on its screen (GBK)', async () => {
      const [a] = t.rig.addresses;
      const sim = t.rig.sim?.addKeypad(a);
      const keypad = await t.start(new CallerKeypad(t.bus, a));
      const r = await keypad.display('A001 等候12人');
      expect(r).toMatchObject({ delivered: true, replaced: [] });
      if (sim) await waitFor('keypad screen', () => sim.text === 'A001 等候12人');
    });

    it('a corrupted event frame is dropped and the key still arrives once', async ({ skip }) => {
      if (!t.rig.sim || !t.rig.profile.ack) return skip('needs the simulator and a profile with acks');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addKeypad(a);
      const keypad = await t.start(new CallerKeypad(t.bus, a));
      const keys = collect(keypad);
      const errors: string[] = [];
      t.bus.on('frame-error', (e) => errors.push(e.code));
      await online(keypad);
      t.rig.sim.corruptNext();
      sim.press('recall');
      await waitFor('recall', () => keys.length === 1);
      await new Promise((r) => setTimeout(r, 100));
      expect(keys).toEqual(['recall']);
      expect(errors).toContain('bad-checksum');
    });

    it('a resend after a lost ack is not a second press', async ({ skip }) => {
      if (!t.rig.sim || !t.rig.profile.ack) return skip('needs the simulator and a profile with acks');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addKeypad(a);
      const keypad = await t.start(new CallerKeypad(t.bus, a));
      const keys = collect(keypad);
      await online(keypad);
      const ackFunc = t.rig.profile.ack?.func;
      const keyFunc = t.rig.profile.functions.keyEvent;
      let sentEvents = 0;
      t.rig.sim.on('sent', (_addr, reply) => {
        if (reply.func === keyFunc) sentEvents++;
      });
      // The host's ack of the event is lost: the device keeps the event and sends it again.
      t.rig.sim.ignoreNext(1, (f) => f.func === ackFunc);
      sim.press('call-next');
      await waitFor('event', () => keys.length === 1);
      await waitFor('device queue empty', () => sim.pendingEvents === 0);
      expect(sentEvents).toBe(2);
      sim.press('no-show');
      await waitFor('second event', () => keys.length === 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(keys).toEqual(['call-next', 'no-show']);
    });

    it('two keypads on one bus: keys are routed by address', async ({ skip }) => {
      const [a, b] = t.rig.addresses;
      if (!t.rig.sim || a === b) return skip('needs the simulator with two keypads');
      const simA = t.rig.sim.addKeypad(a);
      const simB = t.rig.sim.addKeypad(b);
      const kA = await t.start(new CallerKeypad(t.bus, a));
      const kB = await t.start(new CallerKeypad(t.bus, b));
      const keysA = collect(kA);
      const keysB = collect(kB);
      await Promise.all([online(kA), online(kB)]);
      simB.press('pause');
      simA.press('start');
      simB.press('resume');
      await waitFor('keys', () => keysA.length === 1 && keysB.length === 2);
      expect(keysA).toEqual(['start']);
      expect(keysB).toEqual(['pause', 'resume']);
    });

    it('a silent keypad goes offline while the other stays online', async ({ skip }) => {
      const sim = t.rig.sim;
      const [a, b] = t.rig.addresses;
      if (!sim || !t.rig.profile.ack || a === b) return skip('needs the simulator and a profile with acks');
      const simA = sim.addKeypad(a);
      sim.addKeypad(b);
      const kA = await t.start(new CallerKeypad(t.bus, a));
      const kB = await t.start(new CallerKeypad(t.bus, b));
      const keysA = collect(kA);
      await Promise.all([online(kA), online(kB)]);
      sim.silence(b);
      await waitFor('silent keypad offline', () => kB.health.status === 'offline');
      expect(kA.health.status).toBe('online');
      simA.press('finish');
      await waitFor('key from the other keypad', () => keysA.length === 1);
      sim.silence(b, false);
      await online(kB);
    });

    it('unplug → offline; replug → online and the screen text comes back', async ({ skip }) => {
      const rig = t.rig;
      if (!rig.sim || !rig.unplug || !rig.replug) return skip('needs a line the test can pull');
      const [a] = rig.addresses;
      const sim = rig.sim.addKeypad(a);
      const keypad = await t.start(new CallerKeypad(t.bus, a));
      const keys = collect(keypad);
      await keypad.display('A012 等候3人');
      await online(keypad);
      await rig.unplug();
      await waitFor('offline', () => keypad.health.status === 'offline');
      expect(sim.text).toBe('');
      await rig.replug();
      await online(keypad);
      await waitFor('screen text again', () => sim.text === 'A012 等候3人');
      sim.press('call-next');
      await waitFor('key after replug', () => keys.length === 1);
      expect(keys).toEqual(['call-next']);
    });
  });
}
