/**
 * A real serial link for tests: `socat -d -d pty,raw,echo=0 pty,raw,echo=0` makes two
 * connected pseudo-terminals; the driver opens one, a simulator (or the test) the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface PtyPair {
  a: string;
  b: string;
  /** Kills socat: both ends see the line drop, as when a USB-serial adapter is pulled. */
  close(): Promise<void>;
  readonly process: ChildProcess;
}

export async function openPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  const proc = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socat did not report two ptys')), timeoutMs);
    let buf = '';
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`socat could not start (is it installed? .ci/run installs it): ${e.message}`));
    });
    proc.stderr?.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const m of buf.matchAll(/PTY is (\S+)/g)) if (m[1] && !paths.includes(m[1])) paths.push(m[1]);
      if (paths.length >= 2 && buf.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    a: paths[0] as string,
    b: paths[1] as string,
    process: proc,
    close: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
