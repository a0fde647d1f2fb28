/** The browser's own speech synthesis behind the `Speaker` interface (local voices only). */
import { pickVoice, speechTimeoutMs } from './pick-voice';
import type { Speaker, Utterance } from './speech-queue';

export type VoiceStatus = 'ready' | 'no-voice' | 'unsupported';

export interface BrowserSpeaker extends Speaker {
  status(): VoiceStatus;
  /** Resolves once the voice list is known (or after a short wait). */
  ready: Promise<VoiceStatus>;
}

export function createBrowserSpeaker(onStatus: (s: VoiceStatus) => void = () => undefined): BrowserSpeaker {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  let voice: SpeechSynthesisVoice | null = null;
  let status: VoiceStatus = synth ? 'no-voice' : 'unsupported';

  const refresh = (): void => {
    if (!synth) return;
    voice = pickVoice(synth.getVoices());
    status = voice ? 'ready' : 'no-voice';
    onStatus(status);
  };

  const ready = new Promise<VoiceStatus>((resolve) => {
    if (!synth) return resolve(status);
    refresh();
    if (voice) return resolve(status);
    synth.addEventListener('voiceschanged', () => {
      refresh();
      resolve(status);
    });
    setTimeout(() => resolve(status), 3000);
  });

  return {
    ready,
    status: () => status,
    async speak({ text }: Utterance): Promise<void> {
      await ready;
      if (!synth || !voice) return;
      const u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang || 'zh-CN';
      u.rate = 0.9;
      u.volume = 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          synth.cancel();
          resolve();
        }, speechTimeoutMs(text));
        u.onend = u.onerror = () => {
          clearTimeout(timer);
          resolve();
        };
        synth.speak(u);
      });
    },
    cancel(): void {
      synth?.cancel();
    },
  };
}
