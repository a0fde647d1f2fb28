/**
 * A socat pty pair whose two ends keep their paths (symlinks) across a restart, so a test can
 * pull the "cable" (kill socat) and plug it back (start socat again) while the drivers re-open
 * the same paths, as they would re-open /dev/ttyUSB0 after a replug.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StablePtyPair {
  /** Symlink to one end (give it to the host's SerialTransport). */
  readonly a: string;
  /** Symlink to the other end (the simulator's). */
  readonly b: string;
  /** Kills socat: both ends see the line drop and the paths disappear. */
  stop(): Promise<void>;
  /** Starts socat again on the same paths. */
  start(): Promise<void>;
}

let counter = 0;

export async function openStablePtyPair(timeoutMs = 5000): Promise<StablePtyPair> {
  const base = join(tmpdir(), `hall-rs485-${process.pid}-${++counter}`);
  const a = `${base}-a`;
  const b = `${base}-b`;
  let proc: ChildProcess | undefined;

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const p = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      proc = p;
      const timer = setTimeout(() => reject(new Error('socat did not start')), timeoutMs);
      p.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`socat could not start (is it installed?): ${e.message}`));
      });
      let log = '';
      p.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('starting data transfer loop')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const p = proc;
      proc = undefined;
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });

  await start();
  return { a, b, start, stop };
}
