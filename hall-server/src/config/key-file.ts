/**
 * Secrets kept in the data folder, e.g. `data/id-hash.key`: the key of the keyed hash that
 * stands in for ID numbers (个人信息保护法). It must survive as long as the journals that
 * hold those hashes, so it lives with them and is part of every backup; losing it only means
 * per-ID limits stop matching across the change.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './config-error';
import { fsyncDir } from './fsync-json-file';
import { missingHallFile } from './data-folder';

export const KEY_BYTES = 32;

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

async function readKey(file: string): Promise<Buffer | null> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return null;
    throw e;
  }
  if (buf.length === KEY_BYTES) return buf;
  // Also accept the key written out as 64 hex digits (someone restored it by hand).
  const text = buf.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  throw new ConfigError(
    `${path.basename(file)}: expected a ${KEY_BYTES}-byte key, found ${buf.length} bytes. Restore it from the backup of this data folder.`,
  );
}

/**
 * The 32-byte secret in `dataDir/<name>.key`, created on first use (random, mode 0600, fsync'd,
 * published with link() so two starting processes cannot end up with different keys). With
 * `existingHall` a missing key is a ConfigError: a new key would silently stop matching the
 * hashes already in the journal.
 */
export async function loadKeyFile(dataDir: string, name: string, options: { existingHall?: boolean } = {}): Promise<Buffer> {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(name)) throw new RangeError(`bad key file name ${JSON.stringify(name)}`);
  const file = path.join(dataDir, `${name}.key`);
  const existing = await readKey(file);
  if (existing) return existing;
  if (options.existingHall) {
    throw new ConfigError(missingHallFile(dataDir, `${name}.key`, 'The journal keeps ID numbers only as hashes under this key; a new key would stop per-ID limits matching.'));
  }

  await mkdir(dataDir, { recursive: true });
  const tmp = path.join(dataDir, `.${name}.key.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const key = randomBytes(KEY_BYTES);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(key);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, file);
  } catch (e) {
    if (!isErrno(e, 'EEXIST')) throw e;
  } finally {
    await unlink(tmp);
  }
  await fsyncDir(dataDir);
  const stored = await readKey(file);
  if (!stored) throw new ConfigError(`${name}.key: could not be created in ${dataDir}`);
  return stored;
}
