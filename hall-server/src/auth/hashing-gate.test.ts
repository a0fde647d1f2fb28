import { describe, expect, it } from 'vitest';
import { HashingGate } from './hashing-gate';

describe('HashingGate', () => {
  it('runs one at a time, queues a few, refuses the rest, and frees its slot on failure', async () => {
    const gate = new HashingGate(1, 2);
    let active = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const work = (fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        active++;
        most = Math.max(most, active);
        releases.push(() => {
          active--;
          if (fail) reject(new Error('boom'));
          else resolve('done');
        });
      });
    const first = gate.tryRun(work(true));
    const firstFailed = expect(first).rejects.toThrow('boom');
    const second = gate.tryRun(work());
    const third = gate.tryRun(work());
    expect(gate.tryRun(work())).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      expect(releases.length).toBe(i + 1);
      releases[i]?.();
    }
    await firstFailed;
    expect(await second).toBe('done');
    expect(await third).toBe('done');
    expect(most).toBe(1);
    expect(await gate.tryRun(async () => 'again')).toBe('again');
  });
});
