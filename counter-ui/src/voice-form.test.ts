import { describe, expect, it } from 'vitest';
import { VoiceSettings } from '@hall/protocol';
import { patchVoiceBody, voiceForm } from './voice-form';

const defaults = voiceForm(VoiceSettings.parse({}));

describe('voice settings form', () => {
  it('round-trips the hall settings', () => {
    const f = voiceForm(VoiceSettings.parse({ quietHours: [{ start: '12:00', end: '13:30' }], repeat: 3 }));
    expect(f).toMatchObject({ quietHours: '12:00-13:30', repeat: '3', muted: false, playback: 'auto' });
    expect(patchVoiceBody(f, f)).toEqual({ ok: true, value: {} });
  });
  it.each([
    [{ muted: true }, { muted: true }],
    [{ repeat: '1', chime: false }, { repeat: 1, chime: false }],
    [{ quietHours: '12:00-13:30\n 22:00 - 7:00 ' }, { quietHours: [{ start: '12:00', end: '13:30' }, { start: '22:00', end: '07:00' }] }],
    [{ playback: 'server', numberReading: 'number', unzonedScreens: 'unzoned' }, { playback: 'server', numberReading: 'number', unzonedScreens: 'unzoned' }],
  ])('sends only what changed: %o', (change, body) => expect(patchVoiceBody(defaults, { ...defaults, ...change })).toEqual({ ok: true, value: body }));
  it.each([
    [{ quietHours: 'noon' }, /静音时段/],
    [{ quietHours: '25:00-26:00' }, /quietHours/],
    [{ repeat: '9' }, /repeat/],
  ])('refuses %o naming the field', (change, error) => {
    const r = patchVoiceBody(defaults, { ...defaults, ...change });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(error);
  });
});
