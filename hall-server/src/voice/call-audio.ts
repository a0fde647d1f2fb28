/**
 * The spoken call as a WAV file, made on the hall server: the phrase template filled in, said
 * with the clips of the voice pack (a chime first, the phrase `repeat` times), cached per
 * phrase in memory. Joining clips takes milliseconds, so only phrases synthesised whole (a name
 * the pack cannot say: an espeak-ng run) are also kept on disk, in `<data>/voice/cache/`, the
 * oldest dropped past a bound: a day of calls (numbers × counters, ~400 KB each) would
 * otherwise fill the disk. A call's URL is known at once; its audio is started when the URL is
 * handed out, so the screen's GET finds it ready or nearly.
 *
 * Without a recorded pack and without espeak-ng nothing can be said: that is logged once, the
 * URLs answer 503 `VOICE.UNAVAILABLE`, and everything else carries on.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hallError, type HallError, type VoiceSettings } from '@hall/protocol';
import { PAUSE, baseVocabulary, planClips, spokenParts, templateLiterals, type CallValues, type SpokenPart } from './clip-plan';
import type { Synthesizer } from './espeak';
import { MANIFEST, emptyGeneratedPack, ensureGeneratedClips, loadVoicePack, type VoicePack } from './voice-pack';
import { chime, concatPcm, crossfadeJoin, encodeWav, resample, silence, trimSilence, type Pcm } from './wav';

/** Silence after the chime and between two sayings of the phrase (ms). */
const AFTER_CHIME_MS = 250;
const BETWEEN_REPEATS_MS = 600;
/** Phrases kept in memory (~400 KB each). */
const MEMORY_ENTRIES = 48;
/** Whole-phrase syntheses kept on disk. */
const DISK_ENTRIES = 300;
/** Call requests remembered for their URL (a day of calls at a big hall is a few thousand). */
const KNOWN_REQUESTS = 5000;

export interface CallAudioOptions {
  dataDir: string;
  synth: Synthesizer;
  /** The hall's phrase template and voice settings, read at every call (changes apply at once). */
  settings: () => { template: string; voice: VoiceSettings };
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** A recorded pack; default `<data>/voice/pack`. */
  packDir?: string;
}

export type AudioResult = { ok: true; wav: Buffer } | { ok: false; error: HallError };

interface Request {
  values: CallValues;
  template: string;
  voice: VoiceSettings;
}

export const CALL_AUDIO_PATH = '/api/voice/calls/';

export class CallAudio {
  private pack: VoicePack | null = null;
  private ready: Promise<void> | undefined;
  private unavailableLogged = false;
  private synthOk = false;
  private checked = false;
  private readonly memory = new Map<string, Buffer>();
  private readonly known = new Map<string, Request>();
  private readonly inFlight = new Map<string, Promise<AudioResult>>();
  /** Generated-pack growth, one at a time (it rewrites the manifest). */
  private packWork: Promise<unknown> = Promise.resolve();
  private readonly cacheDir: string;
  private readonly defaultPackDir: string;
  private readonly packDir: string;

  constructor(private readonly opts: CallAudioOptions) {
    this.cacheDir = join(opts.dataDir, 'voice', 'cache');
    this.defaultPackDir = join(opts.dataDir, 'voice', 'default-pack');
    this.packDir = opts.packDir ?? join(opts.dataDir, 'voice', 'pack');
  }

  /** Loads the recorded pack, or the default one made so far; never throws. Idempotent. */
  start(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  /**
   * Waits for the start, calls being made and clips being written, so a closed hall leaves no
   * writer behind in its data folder (a test removing the folder met ENOTEMPTY).
   */
  async close(): Promise<void> {
    await this.ready;
    await Promise.allSettled([...this.inFlight.values()]);
    await this.packWork;
  }

  /** Whether calls can be said at all; true until `start` has found otherwise (screens ask early). */
  get available(): boolean {
    return !this.checked || this.pack !== null || this.synthOk;
  }

  private async load(): Promise<void> {
    try {
      await this.loadPack();
    } catch (e) {
      this.opts.log.warn({ err: (e as Error).message }, 'call audio could not start');
    }
  }

  private async loadPack(): Promise<void> {
    this.synthOk = await this.opts.synth.available();
    this.checked = true;
    await mkdir(this.cacheDir, { recursive: true });
    await this.pruneDiskCache();
    if (existsSync(join(this.packDir, MANIFEST))) {
      try {
        this.pack = await loadVoicePack(this.packDir);
        this.opts.log.info({ pack: this.pack.name, clips: this.pack.clips.size }, 'voice pack loaded');
        return;
      } catch (e) {
        this.opts.log.warn({ err: (e as Error).message }, 'recorded voice pack unusable; using the default pack');
      }
    }
    if (!this.synthOk) {
      this.logUnavailable();
      return;
    }
    // The default pack is made clip by clip as calls need them (a call needs a dozen, about
    // 20 ms each), so a start costs nothing and the first call is still ready in well under a second.
    this.pack = emptyGeneratedPack(this.opts.synth.id);
    if (existsSync(join(this.defaultPackDir, MANIFEST))) {
      try {
        const made = await loadVoicePack(this.defaultPackDir);
        if (made.id === this.pack.id) this.pack = made;
      } catch (e) {
        this.opts.log.warn({ err: (e as Error).message }, 'default voice pack unreadable; making it again');
      }
    }
    this.opts.log.info({ clips: this.pack.clips.size }, 'default voice pack (espeak-ng)');
  }

  private logUnavailable(): void {
    if (this.unavailableLogged) return;
    this.unavailableLogged = true;
    this.opts.log.warn({}, 'call audio unavailable: no recorded voice pack and espeak-ng not found (apt-get install espeak-ng)');
  }

  /** The cache key of a call: everything that changes its sound. */
  private keyOf(r: Request): string {
    const parts = spokenParts(r.template, r.values, r.voice.numberReading).map((p) => p.text);
    return createHash('sha256')
      .update(JSON.stringify([this.pack?.id ?? 'whole', this.opts.synth.id, parts, r.voice.chime, r.voice.repeat]))
      .digest('hex')
      .slice(0, 24);
  }

  /**
   * The hall-relative URL of a call's audio. The clips it needs that a generated pack lacks are
   * made at once (a few, once ever); the WAV itself is joined when a screen asks for it (a few
   * milliseconds), so a burst of calls with no screen listening costs nothing.
   */
  urlFor(values: CallValues): string {
    const { template, voice } = this.opts.settings();
    const req: Request = { values, template, voice };
    const key = this.keyOf(req);
    this.known.delete(key);
    this.known.set(key, req);
    while (this.known.size > KNOWN_REQUESTS) this.known.delete(this.known.keys().next().value as string);
    if (this.pack?.generated) void this.growPack(template, spokenParts(template, values, voice.numberReading)).catch(() => undefined);
    return `${CALL_AUDIO_PATH}${key}.wav`;
  }

  /** The WAV of a key handed out by `urlFor` (or left in the disk cache by an earlier run). */
  audio(key: string): Promise<AudioResult> {
    if (!/^[0-9a-f]{24}$/.test(key)) return Promise.resolve({ ok: false, error: hallError('VOICE.NOT_FOUND', 'no such call audio') });
    const hit = this.memory.get(key);
    if (hit) {
      this.remember(key, hit);
      return Promise.resolve({ ok: true, wav: hit });
    }
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.make(key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  /** Drops the oldest synthesised phrases past the bound (at start: a hall runs for days). */
  private async pruneDiskCache(): Promise<void> {
    const names = (await readdir(this.cacheDir)).filter((n) => n.endsWith('.wav'));
    if (names.length <= DISK_ENTRIES) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(this.cacheDir, n)).catch(() => null))?.mtimeMs ?? 0 })));
    dated.sort((a, b) => a.t - b.t);
    for (const { n } of dated.slice(0, dated.length - DISK_ENTRIES)) await unlink(join(this.cacheDir, n)).catch(() => undefined);
  }

  private remember(key: string, wav: Buffer): void {
    this.memory.delete(key);
    this.memory.set(key, wav);
    while (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value as string);
  }

  private async make(key: string): Promise<AudioResult> {
    const file = join(this.cacheDir, `${key}.wav`);
    try {
      const wav = await readFile(file);
      this.remember(key, wav);
      return { ok: true, wav };
    } catch {
      // Not cached on disk: make it.
    }
    await this.start();
    const req = this.known.get(key);
    if (!req) return { ok: false, error: hallError('VOICE.NOT_FOUND', 'no such call audio') };
    if (!this.available) {
      this.logUnavailable();
      return { ok: false, error: hallError('VOICE.UNAVAILABLE', 'call audio unavailable: no voice pack and no espeak-ng on the hall server') };
    }
    try {
      const { pcm, synthesized } = await this.render(req);
      const wav = encodeWav(pcm);
      this.remember(key, wav);
      if (synthesized) {
        const tmp = `${file}.tmp-${process.pid}`;
        await writeFile(tmp, wav).then(() => rename(tmp, file)).catch(() => undefined);
      }
      return { ok: true, wav };
    } catch (e) {
      const missing = (e as { code?: string }).code === 'ENOENT';
      if (missing) this.synthOk = false;
      this.opts.log.warn({ err: (e as Error).message }, 'call audio failed');
      return {
        ok: false,
        error: missing
          ? hallError('VOICE.UNAVAILABLE', 'call audio unavailable: espeak-ng not found on the hall server')
          : hallError('VOICE.UNAVAILABLE', 'call audio could not be made'),
      };
    }
  }

  /**
   * A generated pack grows the clips this phrase needs from its vocabulary (digits, letters,
   * the usual words and the template's own words); names it cannot say are left to whole-phrase
   * synthesis.
   */
  private async growPack(template: string, parts: readonly SpokenPart[]): Promise<void> {
    const pack = this.pack;
    if (!pack?.generated || !this.synthOk) return;
    const plan = planClips(parts, new Set([...baseVocabulary(), ...templateLiterals(template)]));
    if (plan.kind !== 'clips') return;
    const missing = plan.clips.filter((c) => c !== PAUSE && !pack.clips.has(c));
    if (missing.length === 0) return;
    const work = this.packWork.then(async () => {
      const added = await ensureGeneratedClips(this.defaultPackDir, missing, this.opts.synth, encodeWav);
      for (const [word, pcm] of added) pack.clips.set(word, resample(pcm, pack.sampleRate));
    });
    this.packWork = work.catch(() => undefined);
    await work;
  }

  private async render(req: Request): Promise<{ pcm: Pcm; synthesized: boolean }> {
    const parts = spokenParts(req.template, req.values, req.voice.numberReading);
    await this.growPack(req.template, parts);
    const pack = this.pack;
    const plan = pack ? planClips(parts, new Set(pack.clips.keys())) : { kind: 'synthesize' as const, text: parts.map((p) => p.text).join(''), missing: '' };
    let phrase: Pcm;
    let rate: number;
    if (plan.kind === 'clips' && pack) {
      rate = pack.sampleRate;
      // Runs of clips between pauses; inside a run, clips are spaced (or overlapped) by gapMs.
      const runs: Pcm[][] = [[]];
      for (const clip of plan.clips) {
        if (clip === PAUSE) runs.push([]);
        else runs[runs.length - 1]?.push(pack.clips.get(clip) as Pcm);
      }
      const said = runs.map((run) =>
        pack.gapMs < 0 ? crossfadeJoin(run, rate, -pack.gapMs) : concatPcm(run.flatMap((c, i) => (i > 0 ? [silence(rate, pack.gapMs), c] : [c])), rate),
      );
      phrase = concatPcm(said.flatMap((r, i) => (i > 0 ? [silence(rate, pack.pauseMs), r] : [r])), rate);
    } else {
      const text = plan.kind === 'synthesize' ? plan.text : parts.map((p) => p.text).join('');
      if (!this.synthOk) throw Object.assign(new Error(`the voice pack cannot say "${plan.kind === 'synthesize' ? plan.missing : text}"`), { code: 'ENOENT' });
      phrase = trimSilence(await this.opts.synth.synthesize(text));
      rate = pack?.sampleRate ?? phrase.sampleRate;
    }
    const pieces: Pcm[] = [];
    if (req.voice.chime) pieces.push(pack?.chime ?? chime(rate), silence(rate, AFTER_CHIME_MS));
    for (let i = 0; i < req.voice.repeat; i++) {
      if (i > 0) pieces.push(silence(rate, BETWEEN_REPEATS_MS));
      pieces.push(phrase);
    }
    pieces.push(silence(rate, 200));
    return { pcm: concatPcm(pieces, rate), synthesized: plan.kind !== 'clips' || !pack };
  }
}
