import { describe, expect, it } from 'vitest';
import type { DisplayVoice } from '@hall/protocol';
import { decideSpeech, inQuietHours, speaksZone, voiceNote, type SpeechContext } from './call-voice';

const voice = (over: Partial<DisplayVoice> = {}): DisplayVoice => ({
  playback: 'auto',
  muted: false,
  quietHours: [],
  repeat: 2,
  zone: null,
  unzonedScreens: 'all',
  serverAudio: true,
  ...over,
});
const ctx = (over: Partial<SpeechContext> = {}): SpeechContext => ({
  voice: voice(),
  browserVoice: 'no-voice',
  screenMuted: false,
  counters: [
    { number: 1, zone: null },
    { number: 2, zone: 'east' },
    { number: 3, zone: 'west' },
  ],
  hallTime: '10:00',
  ...over,
});
const call = (counterNumber = 1, audioUrl: string | undefined = '/api/voice/calls/x.wav') => ({ phrase: '请A001号到1号窗口办理', counterNumber, audioUrl });

describe('inQuietHours', () => {
  it.each([
    ['12:30', [{ start: '12:00', end: '14:00' }], true],
    ['14:00', [{ start: '12:00', end: '14:00' }], false],
    ['11:59', [{ start: '12:00', end: '14:00' }], false],
    ['23:00', [{ start: '22:00', end: '06:00' }], true],
    ['05:59', [{ start: '22:00', end: '06:00' }], true],
    ['06:00', [{ start: '22:00', end: '06:00' }], false],
    ['10:00', [], false],
  ])('%s in %o → %s', (t, spans, expected) => expect(inQuietHours(t, spans)).toBe(expected));
});

describe('speaksZone', () => {
  it.each([
    [null, null, 'all', true],
    [null, 'east', 'all', true],
    ['east', 'east', 'all', true],
    ['west', 'east', 'all', false],
    ['east', null, 'all', true],
    ['east', null, 'unzoned', false],
    [null, null, 'unzoned', true],
  ] as const)('counter %s on screen %s (%s) → %s', (c, s, u, expected) => expect(speaksZone(c, s, u)).toBe(expected));
});

describe('decideSpeech', () => {
  it('plays the server audio when the browser has no zh-CN voice', () => {
    expect(decideSpeech(call(), ctx())).toEqual({ say: true, utterance: { text: '请A001号到1号窗口办理', audioUrl: '/api/voice/calls/x.wav', repeat: 1 } });
  });
  it('speaks with the browser voice when it has one (auto), repeating as the hall says', () => {
    expect(decideSpeech(call(), ctx({ browserVoice: 'ready' }))).toEqual({ say: true, utterance: { text: '请A001号到1号窗口办理', repeat: 2 } });
  });
  it('plays the audio even with a browser voice when the hall says server', () => {
    expect(decideSpeech(call(), ctx({ browserVoice: 'ready', voice: voice({ playback: 'server' }) }))).toMatchObject({ say: true, utterance: { audioUrl: '/api/voice/calls/x.wav' } });
  });
  it('falls back to the browser voice when the server cannot make audio', () => {
    expect(decideSpeech(call(), ctx({ browserVoice: 'ready', voice: voice({ playback: 'server', serverAudio: false }) }))).toMatchObject({ say: true, utterance: { repeat: 2 } });
  });
  it.each([
    ['muted by the admin', ctx({ voice: voice({ muted: true }) }), 'muted'],
    ['muted on the screen', ctx({ screenMuted: true }), 'muted'],
    ['quiet hours', ctx({ hallTime: '12:30', voice: voice({ quietHours: [{ start: '12:00', end: '13:30' }] }) }), 'quiet-hours'],
    ['a call of another zone', ctx({ voice: voice({ zone: 'east' }) }), null],
    ['no voice at all', ctx({ voice: voice({ serverAudio: false }) }), 'no-voice'],
  ])('%s', (_n, c, why) => {
    const counter = why === null ? 3 : 1;
    expect(decideSpeech(call(counter), c)).toEqual({ say: false, why: why ?? 'other-zone' });
  });
  it('a zoned screen speaks its zone and unzoned counters', () => {
    const c = ctx({ voice: voice({ zone: 'east' }) });
    expect(decideSpeech(call(2), c).say).toBe(true);
    expect(decideSpeech(call(1), c).say).toBe(true);
    expect(decideSpeech(call(3), c).say).toBe(false);
  });
});

describe('voiceNote', () => {
  it.each([
    [ctx(), '服务器语音'],
    [ctx({ voice: voice({ serverAudio: false }) }), '本机无中文语音'],
    [ctx({ browserVoice: 'ready' }), null],
    [ctx({ voice: voice({ muted: true }) }), '管理员已关闭语音'],
    [ctx({ hallTime: '23:00', voice: voice({ quietHours: [{ start: '22:00', end: '07:00' }] }) }), '静音时段'],
  ])('%#', (c, zh) => expect(voiceNote(c)?.zh ?? null).toBe(zh));
});
