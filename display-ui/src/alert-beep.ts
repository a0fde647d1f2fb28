/**
 * The phone's call alert: a short two-tone beep made on the phone itself with WebAudio (no sound
 * file, nothing from the network) and a vibration where the browser has one. Browsers start an
 * AudioContext and allow vibration only after the person touched the page: `unlock()` is called
 * from such a touch (the "开启提醒" button, or any first tap on the page).
 */
import { VIBRATE_PATTERN } from './ticket-view';

/** Three rising pairs, ~1.3 s in all: noticeable in a noisy hall, not an alarm. */
export const BEEP_TONES: readonly { at: number; seconds: number; hz: number }[] = [0, 0.45, 0.9].flatMap((t) => [
  { at: t, seconds: 0.16, hz: 880 },
  { at: t + 0.2, seconds: 0.2, hz: 1175 },
]);

type Ctx = Pick<AudioContext, 'state' | 'currentTime' | 'destination' | 'resume' | 'createOscillator' | 'createGain'>;

export interface AlertBeep {
  /** True once sound may play (the context runs). */
  readonly unlocked: boolean;
  /** From a touch or click only: starts the audio context; true when sound may now play. */
  unlock(): Promise<boolean>;
  /** Beeps (when unlocked) and vibrates (where supported); what actually happened. */
  alert(): { sound: boolean; vibration: boolean };
}

export function createAlertBeep(makeContext: () => Ctx | null = defaultContext): AlertBeep {
  let ctx: Ctx | null = null;
  function play(c: Ctx): void {
    const t0 = c.currentTime + 0.02;
    for (const tone of BEEP_TONES) {
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = 'sine';
      osc.frequency.value = tone.hz;
      // A short ramp in and out: no click at the edges.
      gain.gain.setValueAtTime(0, t0 + tone.at);
      gain.gain.linearRampToValueAtTime(0.5, t0 + tone.at + 0.02);
      gain.gain.linearRampToValueAtTime(0, t0 + tone.at + tone.seconds);
      osc.connect(gain).connect(c.destination);
      osc.start(t0 + tone.at);
      osc.stop(t0 + tone.at + tone.seconds + 0.02);
    }
  }
  return {
    get unlocked() {
      return ctx?.state === 'running';
    },
    async unlock() {
      ctx ??= makeContext();
      if (!ctx) return false;
      try {
        if (ctx.state !== 'running') await ctx.resume();
      } catch {
        return false;
      }
      return ctx.state === 'running';
    },
    alert() {
      let sound = false;
      if (ctx && ctx.state === 'running') {
        play(ctx);
        sound = true;
      }
      let vibration = false;
      try {
        vibration = typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function' && navigator.vibrate([...VIBRATE_PATTERN]);
      } catch {
        // Vibration is a courtesy.
      }
      return { sound, vibration };
    },
  };
}

function defaultContext(): Ctx | null {
  const AC = typeof window !== 'undefined' ? (window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext) : undefined;
  if (!AC) return null;
  try {
    return new AC();
  } catch {
    return null;
  }
}
