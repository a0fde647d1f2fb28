/**
 * Whether and how a screen says a call. Pure: the hall's voice settings (the `voice` event),
 * this browser's voice, the screen's own mute and the hall clock go in; a decision comes out.
 *
 * - muted (from the admin console or on the screen) or in quiet hours: nothing;
 * - zones: a screen speaks the calls of counters in its zone and of counters without one; a
 *   screen without a zone speaks every call, or only the unzoned ones if the hall says so;
 * - the browser's own local zh-CN voice when it has one (playback `auto`), else the server's
 *   audio of the call; playback `server` always takes the audio.
 */
import type { CounterView, DisplayVoice, RecentCall } from '@hall/protocol';
import type { VoiceStatus } from './browser-speaker';
import type { Utterance } from './speech-queue';

export type SpeechDecision = { say: false; why: 'muted' | 'quiet-hours' | 'other-zone' | 'no-voice' } | { say: true; utterance: Utterance };

export interface SpeechContext {
  voice: DisplayVoice | null;
  browserVoice: VoiceStatus;
  screenMuted: boolean;
  /** Counters as the snapshot has them (for their zones). */
  counters: readonly Pick<CounterView, 'number' | 'zone'>[];
  /** Hall time of day, `HH:MM`. */
  hallTime: string;
}

/** Whether `time` (HH:MM) falls in a span; a span over midnight (22:00–06:00) wraps. */
export function inQuietHours(time: string, spans: readonly { start: string; end: string }[]): boolean {
  return spans.some(({ start, end }) => (start <= end ? time >= start && time < end : time >= start || time < end));
}

export function speaksZone(counterZone: string | null, screenZone: string | null, unzonedScreens: DisplayVoice['unzonedScreens']): boolean {
  if (counterZone === null) return true;
  if (screenZone !== null) return counterZone === screenZone;
  return unzonedScreens === 'all';
}

export function decideSpeech(call: Pick<RecentCall, 'phrase' | 'counterNumber' | 'audioUrl'>, ctx: SpeechContext): SpeechDecision {
  const v = ctx.voice;
  if (ctx.screenMuted || v?.muted) return { say: false, why: 'muted' };
  if (v && inQuietHours(ctx.hallTime, v.quietHours)) return { say: false, why: 'quiet-hours' };
  const counterZone = ctx.counters.find((c) => c.number === call.counterNumber)?.zone ?? null;
  if (v && !speaksZone(counterZone, v.zone, v.unzonedScreens)) return { say: false, why: 'other-zone' };
  const audio = call.audioUrl && (v?.serverAudio ?? true) ? call.audioUrl : null;
  const browser = ctx.browserVoice === 'ready';
  if (audio && (v?.playback === 'server' || !browser)) return { say: true, utterance: { text: call.phrase, audioUrl: audio, repeat: 1 } };
  if (browser) return { say: true, utterance: { text: call.phrase, repeat: v?.repeat } };
  return { say: false, why: 'no-voice' };
}

/** What the screen says about its voice, Chinese first. */
export function voiceNote(ctx: Pick<SpeechContext, 'voice' | 'browserVoice' | 'screenMuted' | 'hallTime'>): { zh: string; en: string } | null {
  const v = ctx.voice;
  if (ctx.screenMuted) return null;
  if (v?.muted) return { zh: '管理员已关闭语音', en: 'Voice turned off by the administrator' };
  if (v && inQuietHours(ctx.hallTime, v.quietHours)) return { zh: '静音时段', en: 'Quiet hours' };
  const serverAudio = v?.serverAudio ?? false;
  if (serverAudio && (v?.playback === 'server' || ctx.browserVoice !== 'ready')) return { zh: '服务器语音', en: 'Voice from the hall server' };
  if (ctx.browserVoice !== 'ready') return { zh: '本机无中文语音', en: 'No local Chinese voice' };
  return null;
}
