/** Call audio: clip plans (pure), WAV helpers, voice packs, espeak-ng, the per-phrase cache. */
export { CallAudio, CALL_AUDIO_PATH, type AudioResult, type CallAudioOptions } from './call-audio';
export { espeakInstalled, espeakSynthesizer, type Synthesizer } from './espeak';
export * from './clip-plan';
export { loadVoicePack, VoicePackManifest, type VoicePack } from './voice-pack';
