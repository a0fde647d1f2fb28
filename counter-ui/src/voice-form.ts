/**
 * The hall's voice settings as the admin edits them: what the form holds, and the
 * `PATCH /api/hall { voice }` body of what changed (checked with the protocol's schema).
 */
import { describeZodError, VoiceSettingsPatch, type VoiceSettings } from '@hall/protocol';
import { changedFields } from './admin-forms';

export interface VoiceForm {
  muted: boolean;
  playback: string;
  numberReading: string;
  repeat: string;
  chime: boolean;
  unzonedScreens: string;
  /** Quiet hours, one span a line: `12:00-13:30`. */
  quietHours: string;
}

export function voiceForm(v: Partial<VoiceSettings> = {}): VoiceForm {
  return {
    muted: v.muted ?? false,
    playback: v.playback ?? 'auto',
    numberReading: v.numberReading ?? 'digits',
    repeat: String(v.repeat ?? 2),
    chime: v.chime ?? true,
    unzonedScreens: v.unzonedScreens ?? 'all',
    quietHours: (v.quietHours ?? []).map((s) => `${s.start}-${s.end}`).join('\n'),
  };
}

function spans(text: string): { start: string; end: string }[] | string {
  const out: { start: string; end: string }[] = [];
  for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})$/.exec(line);
    if (!m) return `静音时段格式应为 12:00-13:30：${line}`;
    const pad = (t: string) => t.padStart(5, '0');
    out.push({ start: pad(m[1] as string), end: pad(m[2] as string) });
  }
  return out;
}

function voiceFields(f: VoiceForm, quietHours: { start: string; end: string }[]) {
  return {
    muted: f.muted,
    playback: f.playback,
    numberReading: f.numberReading,
    repeat: Number(f.repeat),
    chime: f.chime,
    unzonedScreens: f.unzonedScreens,
    quietHours,
  };
}

/** What changed, as a checked `voice` patch; `{}` when nothing did. */
export function patchVoiceBody(original: VoiceForm, f: VoiceForm): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  const quiet = spans(f.quietHours);
  if (typeof quiet === 'string') return { ok: false, error: quiet };
  const before = spans(original.quietHours);
  const r = VoiceSettingsPatch.safeParse(changedFields(voiceFields(original, typeof before === 'string' ? [] : before), voiceFields(f, quiet)));
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeZodError(r.error) };
}
