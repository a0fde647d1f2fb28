/**
 * What one durable journal write costs on this disk (not part of `npm run bench`; a few seconds):
 *
 *   node --import tsx hall-server/bench/durable-write.ts
 *
 * 1,500 appends each of 700 bytes (a floor batch) and 4,500 bytes (a hall batch of ~9 tickets),
 * made durable either by an O_DSYNC write (what the journal does) or by a write and an fdatasync
 * (the floor, and the journal with its test hook): wall time and CPU (user + system) per append,
 * measured with blocking calls on one thread. Cited in docs/PERFORMANCE.md.
 */
import { closeSync, constants, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { benchDataDir, removeDir } from './proc';

const N = 1500;
const dir = await benchDataDir('durable-write-');
try {
  for (const mode of ['O_DSYNC', 'write + fdatasync'] as const) {
    for (const size of [700, 4500]) {
      const file = join(dir, `${mode === 'O_DSYNC' ? 'dsync' : 'fdatasync'}-${size}`);
      const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (mode === 'O_DSYNC' ? constants.O_DSYNC : 0), 0o600);
      const buf = Buffer.alloc(size, 'a');
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) {
        writeSync(fd, buf);
        if (mode !== 'O_DSYNC') fdatasyncSync(fd);
      }
      const c = process.cpuUsage(c0);
      const wallUs = ((performance.now() - t0) * 1000) / N;
      closeSync(fd);
      process.stdout.write(`${mode.padEnd(17)} ${String(size).padStart(5)} B: ${wallUs.toFixed(0)} µs wall, ${((c.user + c.system) / N).toFixed(0)} µs CPU per durable append\n`);
    }
  }
} finally {
  await removeDir(dir);
}
