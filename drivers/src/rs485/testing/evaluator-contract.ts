/** The Evaluator contract: one suite, run on every rig (memory, pty, hardware). */
import { describe, expect, it } from 'vitest';
import { RATING_LABELS, type RatingScore } from '../command-set';
import { Evaluator, type Rating } from '../evaluator';
import { useRig } from './rig-hooks';
import type { RigFactory } from './rigs';
import { waitFor } from './wait-for';

export function evaluatorContract(name: string, factory: RigFactory | undefined): void {
  describe.skipIf(!factory)(`Evaluator contract (${name})`, () => {
    const t = useRig(factory);
    const online = (e: Evaluator): Promise<void> => waitFor(`${e.label} online`, () => e.health.status === 'online');
    const collect = (e: Evaluator): Rating[] => {
      const ratings: Rating[] = [];
      e.on('rating', (r) => ratings.push(r));
      return ratings;
    };
    const clerk = { clerkName: '王晓明', staffNo: 'GZ0317' };

    it('startRating shows 请评价 with the clerk; a press becomes a rating event', async () => {
      const [a] = t.rig.addresses;
      const sim = t.rig.sim?.addEvaluator(a);
      const ev = await t.start(new Evaluator(t.bus, a));
      const ratings = collect(ev);
      const r = await ev.startRating(clerk);
      expect(r).toMatchObject({ delivered: true, replaced: [] });
      expect(ev.rating).toEqual(clerk);
      if (!sim) return;
      await waitFor('rating prompt', () => sim.state === 'rating');
      expect({ clerkName: sim.clerkName, staffNo: sim.staffNo }).toEqual(clerk);
      expect(sim.press(5)).toBe(true);
      await waitFor('rating', () => ratings.length === 1);
      expect(ratings).toEqual([{ score: 5, label: '非常满意' }]);
      expect(ev.rating).toBeNull();
    });

    it('every score 1..5 arrives with its 好差评 label', async ({ skip }) => {
      if (!t.rig.sim) return skip('needs the simulator to press keys');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addEvaluator(a);
      const ev = await t.start(new Evaluator(t.bus, a));
      const ratings = collect(ev);
      await online(ev);
      for (const score of [1, 2, 3, 4, 5] as RatingScore[]) {
        await ev.startRating(clerk);
        expect(sim.press(score)).toBe(true);
        await waitFor(`rating ${score}`, () => ratings.length === score);
      }
      expect(ratings.map((r) => r.label)).toEqual([1, 2, 3, 4, 5].map((s) => RATING_LABELS[s as RatingScore]));
      expect(ratings.map((r) => r.score)).toEqual([1, 2, 3, 4, 5]);
    });

    it('cancel puts it back to idle; its keys are then dead', async ({ skip }) => {
      if (!t.rig.sim) return skip('needs the simulator to press keys');
      const [a] = t.rig.addresses;
      const sim = t.rig.sim.addEvaluator(a);
      const ev = await t.start(new Evaluator(t.bus, a));
      const ratings = collect(ev);
      await online(ev);
      await ev.startRating(clerk);
      expect((await ev.cancel()).delivered).toBe(true);
      expect(sim.state).toBe('idle');
      expect(sim.press(1)).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
      expect(ratings).toEqual([]);
    });

    it('two evaluators on one bus: ratings are routed by address', async ({ skip }) => {
      const [a, b] = t.rig.addresses;
      if (!t.rig.sim || a === b) return skip('needs the simulator with two evaluators');
      const simA = t.rig.sim.addEvaluator(a);
      const simB = t.rig.sim.addEvaluator(b);
      const evA = await t.start(new Evaluator(t.bus, a));
      const evB = await t.start(new Evaluator(t.bus, b));
      const rA = collect(evA);
      const rB = collect(evB);
      await Promise.all([evA.startRating(clerk), evB.startRating({ clerkName: '李娜', staffNo: '0042' })]);
      expect(simB.clerkName).toBe('李娜');
      simB.press(2);
      simA.press(4);
      await waitFor('both ratings', () => rA.length === 1 && rB.length === 1);
      expect(rA[0]?.score).toBe(4);
      expect(rB[0]?.score).toBe(2);
    });

    it('a silent evaluator goes offline while the other stays online', async ({ skip }) => {
      const sim = t.rig.sim;
      const [a, b] = t.rig.addresses;
      if (!sim || !t.rig.profile.ack || a === b) return skip('needs the simulator and a profile with acks');
      sim.addEvaluator(a);
      sim.addEvaluator(b);
      const evA = await t.start(new Evaluator(t.bus, a));
      const evB = await t.start(new Evaluator(t.bus, b));
      await Promise.all([online(evA), online(evB)]);
      sim.silence(a);
      await waitFor('silent evaluator offline', () => evA.health.status === 'offline');
      expect(evB.health.status).toBe('online');
      expect((await evB.startRating(clerk)).delivered).toBe(true);
    });

    it('unplug → offline; replug → online and the rating prompt comes back', async ({ skip }) => {
      const rig = t.rig;
      if (!rig.sim || !rig.unplug || !rig.replug) return skip('needs a line the test can pull');
      const [a] = rig.addresses;
      const sim = rig.sim.addEvaluator(a);
      const ev = await t.start(new Evaluator(t.bus, a));
      const ratings = collect(ev);
      await ev.startRating(clerk);
      await online(ev);
      await rig.unplug();
      await waitFor('offline', () => ev.health.status === 'offline');
      expect(sim.state).toBe('idle');
      await rig.replug();
      await online(ev);
      await waitFor('prompt again', () => sim.state === 'rating' && sim.clerkName === clerk.clerkName);
      sim.press(3);
      await waitFor('rating after replug', () => ratings.length === 1);
      expect(ratings[0]).toEqual({ score: 3, label: '基本满意' });
    });
  });
}
