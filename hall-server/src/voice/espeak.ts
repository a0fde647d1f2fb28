/**
 * espeak-ng (Debian package `espeak-ng`) as a separate program: never linked in, never the
 * network. Its Mandarin voice is plain but intelligible, and it is on every Linux a hall runs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { parseWav, type Pcm } from './wav';

/** Speech from text; one phrase at a time. */
export interface Synthesizer {
  /** What made the clips (goes into a generated pack's manifest). */
  readonly id: string;
  /** Whether the program is there; asked once, the answer kept. */
  available(): Promise<boolean>;
  synthesize(text: string): Promise<Pcm>;
}

export interface EspeakOptions {
  /** The program; default `espeak-ng` on the PATH. */
  command?: string;
  voice?: string;
  /** Words per minute (espeak's default 175): isolated syllables are long already, a call must stay short. */
  speed?: number;
  timeoutMs?: number;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'buffer', maxBuffer: 32 * 1024 * 1024, timeout: timeoutMs, windowsHide: true }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
}

export function espeakSynthesizer(opts: EspeakOptions = {}): Synthesizer {
  const command = opts.command ?? 'espeak-ng';
  const voice = opts.voice ?? 'cmn';
  const speed = opts.speed ?? 185;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let availability: Promise<boolean> | undefined;
  let version = 'espeak-ng';
  return {
    get id() {
      return `${version} -v ${voice} -s ${speed}`;
    },
    available() {
      availability ??= run(command, ['--version'], 5000).then(
        (out) => {
          version = out.toString('utf8').trim().split(/\s+/).slice(0, 4).join(' ') || version;
          return true;
        },
        () => false,
      );
      return availability;
    },
    async synthesize(text: string): Promise<Pcm> {
      // `--` ends the options, so a phrase starting with "-" is still text; no shell involved.
      const wav = await run(command, ['-v', voice, '-s', String(speed), '--stdout', '--', text], timeoutMs);
      return parseWav(wav);
    },
  };
}

/** Whether espeak-ng runs here, asked synchronously (tests decide what to skip with it). */
export function espeakInstalled(command = 'espeak-ng'): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'pipe', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
