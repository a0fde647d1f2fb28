/** Small file-system helpers for data that must survive a power cut, and for folders that may not exist yet. */
import { open, readdir, rename } from 'node:fs/promises';
import path from 'node:path';

export function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

/** Make a directory entry (create, rename, unlink) durable. A no-op where directories cannot be opened (Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    if (process.platform === 'win32') return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    if (!(isErrno(e, 'EINVAL') || isErrno(e, 'EPERM') || isErrno(e, 'EISDIR'))) throw e;
  } finally {
    await fh.close();
  }
}

/**
 * Write `data` to `file` atomically and durably (temp file `.<name>.tmp` in the same folder,
 * fsync, rename over, fsync folder). `data` may come in pieces, written one after the other.
 */
export async function writeFileDurably(file: string, data: string | Uint8Array | readonly Uint8Array[], mode = 0o600): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp`);
  const fh = await open(tmp, 'w', mode);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
    else for (const piece of data) await fh.writeFile(piece);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await fsyncDir(dir);
}

/** The names in `dir`; none when the folder does not exist. */
export async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return [];
    throw e;
  }
}
