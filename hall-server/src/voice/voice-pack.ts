/**
 * A voice pack is a folder of WAV clips plus `manifest.json`:
 *
 * ```json
 * { "name": "县中心女声", "clips": { "请": "qing.wav", "A": "a.wav", "零": "0.wav", "号窗口": "hao-chuangkou.wav" },
 *   "chime": "chime.wav", "gapMs": 30, "pauseMs": 250 }
 * ```
 *
 * A hall drops a recorded pack into `<data>/voice/pack/`; without one, a default pack is made
 * on the hall's own machine with espeak-ng into `<data>/voice/default-pack/` (kept: the next
 * start reuses it) and grows by the clips the phrase template needs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Synthesizer } from './espeak';
import { parseWav, resample, trimSilence, type Pcm } from './wav';

const ClipFile = z.string().min(1).max(120).regex(/^[A-Za-z0-9_.-]+\.wav$/i, 'a .wav file name in the pack folder');

export const VoicePackManifest = z.object({
  name: z.string().min(1).max(60),
  /** Clip text → file. Text is what the clip says ("号窗口"); letters in capitals. */
  clips: z.record(z.string().min(1).max(30), ClipFile),
  chime: ClipFile.optional(),
  /** Silence between two clips (ms); negative: the clips overlap by that much, cross-faded. */
  gapMs: z.number().int().min(-300).max(1000).default(30),
  /** Silence for punctuation in the phrase (ms). */
  pauseMs: z.number().int().min(0).max(2000).default(250),
  /** Set by the generator: the pack may grow clips on demand. */
  generatedBy: z.string().max(120).optional(),
});
export type VoicePackManifest = z.infer<typeof VoicePackManifest>;

export interface VoicePack {
  /** Changes whenever the pack's sound could: part of every cache key. */
  id: string;
  name: string;
  generated: boolean;
  sampleRate: number;
  gapMs: number;
  pauseMs: number;
  clips: Map<string, Pcm>;
  chime: Pcm | null;
}

export const MANIFEST = 'manifest.json';

/** Reads a pack folder; throws an Error naming the file or field at fault. */
export async function loadVoicePack(dir: string): Promise<VoicePack> {
  const raw = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as unknown;
  const parsed = VoicePackManifest.safeParse(raw);
  if (!parsed.success) throw new Error(`${join(dir, MANIFEST)}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const m = parsed.data;
  const hash = createHash('sha256').update(JSON.stringify(m));
  const read = async (file: string): Promise<Pcm> => {
    const bytes = await readFile(join(dir, file));
    hash.update(bytes);
    try {
      return parseWav(bytes);
    } catch (e) {
      throw new Error(`${join(dir, file)}: ${(e as Error).message}`);
    }
  };
  const loaded = new Map<string, Pcm>();
  for (const [text, file] of Object.entries(m.clips)) loaded.set(text, await read(file));
  const chime = m.chime ? await read(m.chime) : null;
  // The most common rate of the clips is the pack's: the fewest clips get resampled.
  const rates = new Map<number, number>();
  for (const p of loaded.values()) rates.set(p.sampleRate, (rates.get(p.sampleRate) ?? 0) + 1);
  const sampleRate = [...rates.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 22050;
  const clips = new Map<string, Pcm>();
  for (const [text, pcm] of loaded) clips.set(text, trimSilence(resample(pcm, sampleRate)));
  const fileHash = hash.digest('hex').slice(0, 16);
  return {
    // A generated pack grows; its clips are what its generator says, so the generator names it.
    id: m.generatedBy !== undefined ? generatedPackId(m.generatedBy, m.gapMs, m.pauseMs) : fileHash,
    name: m.name,
    generated: m.generatedBy !== undefined,
    sampleRate,
    gapMs: m.gapMs,
    pauseMs: m.pauseMs,
    clips,
    chime: chime ? resample(chime, sampleRate) : null,
  };
}

const GENERATED = { name: '默认语音 (espeak-ng)', gapMs: -120, pauseMs: 250 };

function generatedPackId(generatedBy: string, gapMs: number, pauseMs: number): string {
  return createHash('sha256').update(JSON.stringify(['generated', generatedBy, gapMs, pauseMs])).digest('hex').slice(0, 16);
}

/** A generated pack with no clips yet: it gets them as calls need them. */
export function emptyGeneratedPack(generatedBy: string): VoicePack {
  return {
    id: generatedPackId(generatedBy, GENERATED.gapMs, GENERATED.pauseMs),
    name: GENERATED.name,
    generated: true,
    sampleRate: 22050,
    gapMs: GENERATED.gapMs,
    pauseMs: GENERATED.pauseMs,
    clips: new Map(),
    chime: null,
  };
}

/** A clip's file name from its text: ASCII only, so any file system takes it. */
export function clipFileName(text: string): string {
  return `c-${[...text].map((c) => (c.codePointAt(0) ?? 0).toString(16)).join('-')}.wav`;
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/**
 * Adds to the generated pack in `dir` a clip for each of `words` it lacks, synthesising them one
 * by one; returns the clips added (trimmed, at the synthesiser's rate). The folder is a cache:
 * deleting it only means the clips are made again.
 */
export async function ensureGeneratedClips(dir: string, words: readonly string[], synth: Synthesizer, encode: (p: Pcm) => Uint8Array): Promise<Map<string, Pcm>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, MANIFEST);
  let manifest: VoicePackManifest = { ...GENERATED, clips: {}, generatedBy: synth.id };
  if (existsSync(path)) {
    const parsed = VoicePackManifest.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (parsed.success) manifest = parsed.data;
  }
  const added = new Map<string, Pcm>();
  for (const word of new Set(words)) {
    const file = manifest.clips[word];
    if (file && existsSync(join(dir, file))) continue;
    const pcm = trimSilence(await synth.synthesize(word));
    const name = clipFileName(word);
    await writeAtomic(join(dir, name), encode(pcm));
    manifest.clips[word] = name;
    added.set(word, pcm);
  }
  if (added.size > 0 || !existsSync(path)) await writeAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return added;
}
