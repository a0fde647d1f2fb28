/** Admin: the hall screens' voice — mute at once, and how calls are said (hall.voice). */
import { useState } from 'preact/hooks';
import type { Hall } from '@hall/protocol';
import { useStaff } from './staff-store';
import { patchVoiceBody, voiceForm, type VoiceForm } from './voice-form';

export function VoiceSettingsPanel({ hall, saved }: { hall: Hall; saved: () => void }) {
  const s = useStaff();
  const original = voiceForm(hall.voice);
  const [f, setF] = useState<VoiceForm>(original);
  const [error, setError] = useState<string | null>(null);
  const set =
    <K extends keyof VoiceForm>(key: K) =>
    (v: VoiceForm[K]) =>
      setF((x) => ({ ...x, [key]: v }));
  const select = (key: 'playback' | 'numberReading' | 'unzonedScreens' | 'repeat', label: string, options: [string, string][]) => (
    <label class="field">
      <span>{label}</span>
      <select value={f[key]} onChange={(e) => set(key)((e.target as HTMLSelectElement).value)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      class="panel form voice-settings"
      onSubmit={async (e) => {
        e.preventDefault();
        const body = patchVoiceBody(original, f);
        if (!body.ok) return setError(body.error);
        setError(null);
        if (Object.keys(body.value).length === 0) return setError('没有修改 Nothing changed');
        const r = await s.call('PATCH', '/api/hall', { voice: body.value });
        if (r.ok) saved();
      }}
    >
      <h2>
        叫号语音 <small>Call voice</small>
      </h2>
      <div class="voice-mute">
        <button
          type="button"
          class={original.muted ? 'btn-primary' : 'btn-danger'}
          data-cmd="voice-mute"
          aria-pressed={original.muted}
          onClick={async () => {
            const r = await s.call('PATCH', '/api/hall', { voice: { muted: !original.muted } });
            if (r.ok) saved();
          }}
        >
          {original.muted ? '恢复大厅语音 Unmute hall screens' : '大厅屏全部静音 Mute all hall screens'}
        </button>
        <span class="muted">{original.muted ? '当前：已静音 Now: muted' : '当前：播报中 Now: speaking'}</span>
      </div>
      <div class="grid2">
        {select('playback', '播放方式 Playback', [
          ['auto', '自动：本机有中文语音则用本机 Auto: the screen’s own voice if any'],
          ['server', '服务器语音 Always the hall server’s audio'],
        ])}
        {select('numberReading', '号码读法 Numbers', [
          ['digits', '逐位读：A零零一 Digit by digit'],
          ['number', '按数读：A一 As a number'],
        ])}
        {select('repeat', '播报次数 Times said', [
          ['1', '1'],
          ['2', '2'],
          ['3', '3'],
        ])}
        {select('unzonedScreens', '未分区屏幕播报 Screens without a zone say', [
          ['all', '全部叫号 Every call'],
          ['unzoned', '仅未分区窗口 Only counters without a zone'],
        ])}
      </div>
      <label class="field check">
        <input type="checkbox" checked={f.chime} onChange={(e) => set('chime')((e.target as HTMLInputElement).checked)} />
        <span>叫号前提示音 Chime before each call</span>
      </label>
      <label class="field">
        <span>静音时段（每行一段，如 12:00-13:30） Quiet hours, one span a line</span>
        <textarea rows={2} value={f.quietHours} onInput={(e) => set('quietHours')((e.target as HTMLTextAreaElement).value)} />
      </label>
      {error && (
        <div class="form-error" role="alert">
          {error}
        </div>
      )}
      <button class="btn-primary" type="submit">
        保存 <small>Save</small>
      </button>
    </form>
  );
}
