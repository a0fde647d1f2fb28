/**
 * The server's audio of a call, played through one audio element: one sound at a time, and the
 * `SpeechQueue` waits for its end before the next. A browser that refuses to play before the
 * first click (autoplay policy) is reported, so the screen can ask for that click once.
 */
import type { Speaker, Utterance } from './speech-queue';

/** The longest a call's audio may take before the queue moves on (a stalled download). */
const MAX_PLAY_MS = 30_000;

export function createAudioPlayer(onBlocked: (blocked: boolean) => void = () => undefined): Pick<Speaker, 'cancel'> & { play(url: string): Promise<void> } {
  const el = typeof Audio !== 'undefined' ? new Audio() : null;
  let stop: (() => void) | null = null;
  return {
    play(url: string): Promise<void> {
      if (!el) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          el.removeEventListener('ended', done);
          el.removeEventListener('error', done);
          stop = null;
          resolve();
        };
        const timer = setTimeout(() => {
          el.pause();
          done();
        }, MAX_PLAY_MS);
        stop = () => {
          el.pause();
          done();
        };
        el.addEventListener('ended', done);
        el.addEventListener('error', done);
        el.src = url;
        el.play().then(
          () => onBlocked(false),
          (err: unknown) => {
            if ((err as { name?: string }).name === 'NotAllowedError') onBlocked(true);
            done();
          },
        );
      });
    },
    cancel(): void {
      stop?.();
    },
  };
}

/** Plays an utterance's audio when it has one, else speaks its text with the browser's voice. */
export function createCallSpeaker(browser: Speaker, audio: ReturnType<typeof createAudioPlayer>): Speaker {
  return {
    speak: (u: Utterance) => (u.audioUrl ? audio.play(u.audioUrl) : browser.speak(u)),
    cancel(): void {
      audio.cancel();
      browser.cancel();
    },
  };
}
