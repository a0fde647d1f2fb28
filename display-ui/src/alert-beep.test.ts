import { afterEach, describe, expect, it, vi } from 'vitest';
import { BEEP_TONES, createAlertBeep } from './alert-beep';
import { VIBRATE_PATTERN } from './ticket-view';

/** A stand-in AudioContext: suspended until resumed (as a browser keeps it before a touch). */
function fakeContext(resumable = true) {
  const started: number[] = [];
  const param = () => ({ value: 0, setValueAtTime: vi.fn(), linearRampToValueAtTime: vi.fn() });
  const ctx = {
    state: 'suspended' as AudioContextState,
    currentTime: 10,
    destination: {} as AudioDestinationNode,
    resume: vi.fn(async () => {
      if (!resumable) throw new Error('NotAllowedError');
      ctx.state = 'running';
    }),
    createGain: () => ({ gain: param(), connect: (n: unknown) => n }),
    createOscillator: () => ({ type: '', frequency: param(), connect: (n: unknown) => n, start: (t: number) => started.push(t), stop: vi.fn() }),
  };
  return { ctx: ctx as unknown as AudioContext, started };
}

afterEach(() => vi.unstubAllGlobals());

describe('alert beep', () => {
  it('stays silent until a touch unlocks it, then plays every tone', async () => {
    const { ctx, started } = fakeContext();
    const vibrate = vi.fn(() => true);
    vi.stubGlobal('navigator', { vibrate });
    const beep = createAlertBeep(() => ctx);
    expect(beep.alert()).toEqual({ sound: false, vibration: true });
    expect(started).toEqual([]);
    expect(await beep.unlock()).toBe(true);
    expect(beep.unlocked).toBe(true);
    expect(beep.alert()).toEqual({ sound: true, vibration: true });
    expect(started).toHaveLength(BEEP_TONES.length);
    expect(started.every((t) => t >= 10)).toBe(true);
    expect(vibrate).toHaveBeenLastCalledWith([...VIBRATE_PATTERN]);
  });
  it('says so when the browser refuses audio or has no vibration', async () => {
    vi.stubGlobal('navigator', {});
    const beep = createAlertBeep(() => fakeContext(false).ctx);
    expect(await beep.unlock()).toBe(false);
    expect(beep.alert()).toEqual({ sound: false, vibration: false });
    expect(await createAlertBeep(() => null).unlock()).toBe(false);
  });
});
