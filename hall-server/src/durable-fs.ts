/** Small file-system helpers for data that must survive a power cut. */
import { open } from 'node:fs/promises';

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
