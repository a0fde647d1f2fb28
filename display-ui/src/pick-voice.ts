/**
 * Which installed voice says the calls: a local Mandarin voice if there is one. Voices that
 * are not `localService` are online TTS and are never used; with no local voice the screen
 * stays silent and says so.
 */
export interface VoiceLike {
  name: string;
  lang: string;
  localService: boolean;
  default?: boolean;
}

function rank(v: VoiceLike): number {
  const lang = v.lang.replace('_', '-').toLowerCase();
  if (lang === 'zh-cn') return 0;
  if (lang === 'cmn-cn' || lang === 'cmn' || lang === 'zh-hans' || lang === 'zh-hans-cn') return 1;
  if (lang === 'zh' || lang.startsWith('zh-') || lang.startsWith('cmn')) return lang === 'zh-hk' || lang === 'zh-tw' ? 3 : 2;
  return 9;
}

export function pickVoice<V extends VoiceLike>(voices: readonly V[]): V | null {
  let best: V | null = null;
  for (const v of voices) {
    if (!v.localService) continue;
    const r = rank(v);
    if (r > 3) continue;
    if (!best || r < rank(best) || (r === rank(best) && v.default && !best.default)) best = v;
  }
  return best;
}

/** A generous upper bound for saying `text` (some engines never report the end). */
export function speechTimeoutMs(text: string): number {
  return 3000 + text.length * 450;
}
