/**
 * The call audio engine on a real espeak-ng (Debian package `espeak-ng`; .ci/run installs it),
 * a recorded pack made of tones, and a missing speech program.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VoiceSettings, type VoiceSettings as VoiceSettingsT } from '@hall/protocol';
import { CallAudio } from './call-audio';
import { espeakInstalled, espeakSynthesizer, type Synthesizer } from './espeak';
import { durationMs, encodeWav, parseWav, rms, type Pcm } from './wav';

const TEMPLATE = '请{number}号到{counter}号窗口办理';
const hasEspeak = espeakInstalled();
if (!hasEspeak) console.warn('call-audio espeak tests skipped: espeak-ng is not installed (apt-get install espeak-ng)');

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'hall-voice-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function logSpy() {
  const warnings: string[] = [];
  return { warnings, log: { info: () => undefined, warn: (_o: object, m: string) => void warnings.push(m) } };
}

/** Counts what a synthesizer is asked to say. */
function counting(inner: Synthesizer): Synthesizer & { said: string[] } {
  const said: string[] = [];
  return {
    said,
    get id() {
      return inner.id;
    },
    available: () => inner.available(),
    synthesize: (text) => {
      said.push(text);
      return inner.synthesize(text);
    },
  };
}

function engine(dataDir: string, synth: Synthesizer, voice: Partial<VoiceSettingsT> = {}, template = TEMPLATE, packDir?: string) {
  const { log, warnings } = logSpy();
  const settings = { template, voice: VoiceSettings.parse(voice) };
  const audio = new CallAudio({ dataDir, synth, log, settings: () => settings, packDir });
  return { audio, warnings, settings };
}

const keyOf = (url: string): string => /\/api\/voice\/calls\/([0-9a-f]{24})\.wav$/.exec(url)?.[1] ?? '';
const call = { number: 'A001', counter: 3, counterName: '社保窗口', service: '社会保障' };

describe.skipIf(!hasEspeak)('call audio from the default pack (espeak-ng)', () => {
  it('a real call is a non-silent WAV of 1.5–12 s, made once per phrase', async () => {
    const dataDir = tempDir();
    const synth = counting(espeakSynthesizer());
    const { audio } = engine(dataDir, synth);
    await audio.start();
    expect(audio.available).toBe(true);
    const url = audio.urlFor(call);
    expect(url).toMatch(/^\/api\/voice\/calls\/[0-9a-f]{24}\.wav$/);
    const first = await audio.audio(keyOf(url));
    if (!first.ok) throw new Error(first.error.message);
    const pcm = parseWav(first.wav);
    expect(durationMs(pcm)).toBeGreaterThanOrEqual(1500);
    expect(durationMs(pcm)).toBeLessThanOrEqual(12_000);
    expect(rms(pcm)).toBeGreaterThan(500);
    console.info(`default-pack call A001 at counter 3: ${(durationMs(pcm) / 1000).toFixed(1)} s, rms ${Math.round(rms(pcm))}`);
    // Said clip by clip: the clips it needed were made, never the whole phrase.
    const saidAtStart = synth.said.length;
    expect(new Set(synth.said)).toEqual(new Set(['请', 'A', '零', '一', '号到', '三', '号窗口办理']));

    // The same phrase again: the same bytes, from the cache.
    const again = await audio.audio(keyOf(audio.urlFor(call)));
    expect(again.ok && again.wav).toBe(first.wav);
    expect(synth.said.length).toBe(saidAtStart);

    // A later start finds the pack on disk: the phrase is joined again, nothing is synthesised.
    const synth2 = counting(espeakSynthesizer());
    const { audio: audio2 } = engine(dataDir, synth2);
    await audio2.start();
    const fromDisk = await audio2.audio(keyOf(audio2.urlFor(call)));
    expect(fromDisk.ok && Buffer.compare(fromDisk.wav, first.wav)).toBe(0);
    expect(synth2.said).toEqual([]);
  });

  it('the settings change the sound: repeat and chime make it longer, number reading shorter', async () => {
    const dataDir = tempDir();
    const synth = espeakSynthesizer();
    const len = async (voice: Partial<VoiceSettingsT>, v = call): Promise<number> => {
      const { audio } = engine(dataDir, synth, voice);
      const out = await audio.audio(keyOf(audio.urlFor(v)));
      if (!out.ok) throw new Error(out.error.message);
      return durationMs(parseWav(out.wav));
    };
    const once = await len({ repeat: 1, chime: false });
    expect(await len({ repeat: 2, chime: false })).toBeGreaterThan(once * 1.8);
    expect(await len({ repeat: 1, chime: true })).toBeGreaterThan(once + 700);
    const big = { ...call, number: 'A100' };
    expect(await len({ repeat: 1, chime: false, numberReading: 'number' }, big)).toBeLessThan(await len({ repeat: 1, chime: false, numberReading: 'digits' }, big));
  });

  it('a name the pack cannot say is synthesised as the whole phrase', async () => {
    const synth = counting(espeakSynthesizer());
    const dataDir = tempDir();
    const { audio } = engine(dataDir, synth, { repeat: 1 }, '请{number}号到{counterName}办理');
    await audio.start();
    const out = await audio.audio(keyOf(audio.urlFor({ ...call, counterName: '不动产登记' })));
    expect(out.ok).toBe(true);
    expect(synth.said).toContain('请A零零一号到不动产登记办理');
    // That costly one is kept on disk; joined clips are not (they take milliseconds).
    expect(readdirSync(join(dataDir, 'voice', 'cache'))).toHaveLength(1);
    await audio.audio(keyOf(audio.urlFor({ ...call, counterName: '三号窗口' })));
    expect(readdirSync(join(dataDir, 'voice', 'cache'))).toHaveLength(1);
  });
});

describe('call audio without espeak-ng', () => {
  it('answers VOICE.UNAVAILABLE and logs it once; nothing throws', async () => {
    const { audio, warnings } = engine(tempDir(), espeakSynthesizer({ command: '/nonexistent/espeak-ng' }));
    const url = audio.urlFor(call);
    const a = await audio.audio(keyOf(url));
    const b = await audio.audio(keyOf(audio.urlFor({ ...call, number: 'A002' })));
    expect(a).toMatchObject({ ok: false, error: { code: 'VOICE.UNAVAILABLE' } });
    expect(b).toMatchObject({ ok: false, error: { code: 'VOICE.UNAVAILABLE' } });
    expect(audio.available).toBe(false);
    expect(warnings.filter((w) => /espeak-ng not found/.test(w))).toHaveLength(1);
  });

  it('the disk cache keeps the newest 300 phrases across starts', async () => {
    const dataDir = tempDir();
    const cache = join(dataDir, 'voice', 'cache');
    mkdirSync(cache, { recursive: true });
    for (let i = 0; i < 305; i++) {
      const f = join(cache, `${String(i).padStart(24, '0')}.wav`);
      writeFileSync(f, 'x');
      utimesSync(f, 1_700_000_000 + i, 1_700_000_000 + i);
    }
    const { audio } = engine(dataDir, espeakSynthesizer({ command: '/nonexistent/espeak-ng' }));
    await audio.start();
    const left = readdirSync(cache).sort();
    expect(left).toHaveLength(300);
    expect(left[0]).toBe(`${String(5).padStart(24, '0')}.wav`);
  });

  it('an unknown key is VOICE.NOT_FOUND', async () => {
    const { audio } = engine(tempDir(), espeakSynthesizer({ command: '/nonexistent/espeak-ng' }));
    expect(await audio.audio('0'.repeat(24))).toMatchObject({ ok: false, error: { code: 'VOICE.NOT_FOUND' } });
    expect(await audio.audio('../../etc/passwd')).toMatchObject({ ok: false, error: { code: 'VOICE.NOT_FOUND' } });
  });

  it('a recorded pack says every call its clips cover, with no speech program at all', async () => {
    const packDir = join(tempDir(), 'pack');
    mkdirSync(packDir);
    // Each "clip" is a tone 100 ms long at 16 kHz: the WAV's length tells how many were joined.
    const tone = (ms: number): Pcm => {
      const n = (16000 * ms) / 1000;
      return { sampleRate: 16000, samples: Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin(i / 3))) };
    };
    const words = ['请', 'A', '零', '一', '三', '号', '到', '号窗口', '办理'];
    const clips: Record<string, string> = {};
    words.forEach((w, i) => {
      writeFileSync(join(packDir, `w${i}.wav`), encodeWav(tone(100)));
      clips[w] = `w${i}.wav`;
    });
    writeFileSync(join(packDir, 'manifest.json'), JSON.stringify({ name: '测试录音', clips, gapMs: 0, pauseMs: 0 }));
    const { audio } = engine(tempDir(), espeakSynthesizer({ command: '/nonexistent/espeak-ng' }), { repeat: 1, chime: false }, TEMPLATE, packDir);
    await audio.start();
    expect(audio.available).toBe(true);
    const out = await audio.audio(keyOf(audio.urlFor(call)));
    if (!out.ok) throw new Error(out.error.message);
    // 请 A 零 零 一 号 到 三 号窗口 办理: 10 clips of 100 ms, then 200 ms of trailing silence.
    expect(durationMs(parseWav(out.wav))).toBeCloseTo(1200, -1);
    // A number with a digit the pack lacks (二) needs whole-phrase synthesis, which is not there.
    const missing = await audio.audio(keyOf(audio.urlFor({ ...call, number: 'A002' })));
    expect(missing).toMatchObject({ ok: false, error: { code: 'VOICE.UNAVAILABLE' } });
  });
});
