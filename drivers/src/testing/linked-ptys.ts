/**
 * A socat pty pair at FIXED paths (symlinks), for contract tests that pull and put back the
 * cable: killing socat drops both lines; starting it again recreates the same two paths, so the
 * same `SerialTransport` objects can open again, as after a USB-serial adapter is replugged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LinkedPtys {
  /** The path the driver opens. */
  readonly host: string;
  /** The path the simulator opens. */
  readonly device: string;
  /** Kills socat: both lines drop and the paths disappear. */
  unplug(): Promise<void>;
  /** Starts socat again on the same paths. */
  replug(): Promise<void>;
  /** Kills socat and removes the folder. */
  close(): Promise<void>;
}

function startSocat(host: string, device: string, timeoutMs: number): Promise<ChildProcess> {
  const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGTERM');
      reject(new Error('socat did not start its transfer loop'));
    }, timeoutMs);
    let log = '';
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`socat could not start (is it installed?): ${e.message}`));
    });
    proc.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
  });
}

function kill(proc: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

export async function openLinkedPtys(timeoutMs = 5000): Promise<LinkedPtys> {
  const dir = await mkdtemp(join(tmpdir(), 'hall-pty-'));
  const host = join(dir, 'host');
  const device = join(dir, 'device');
  let proc: ChildProcess | undefined = await startSocat(host, device, timeoutMs);
  return {
    host,
    device,
    async unplug() {
      await kill(proc);
      proc = undefined;
    },
    async replug() {
      if (!proc) proc = await startSocat(host, device, timeoutMs);
    },
    async close() {
      await kill(proc);
      proc = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
