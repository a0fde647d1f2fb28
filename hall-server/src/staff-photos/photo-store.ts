/**
 * Staff photos for counter screens (挂牌上岗: the clerk on duty shown by name, staff number and
 * photo). One small JPEG or PNG per user in `<data>/staff-photos/`, checked by its first bytes
 * (never by what the uploader claims), written to a temp file and renamed. Staff photos only:
 * citizens' ID card photos are never decoded or stored (DESIGN.md).
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MAX_PHOTO_BYTES = 300 * 1024;
export type PhotoType = 'image/jpeg' | 'image/png';

/** What the bytes are, by their signature; null for anything else. */
export function photoType(bytes: Uint8Array): PhotoType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return null;
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class StaffPhotoStore {
  constructor(private readonly dir: string) {}

  private file(userId: string): string {
    if (!SAFE_ID.test(userId)) throw new Error('bad user id');
    return join(this.dir, `${userId}.img`);
  }

  /** Stores a photo; `null` when it is not a JPEG or PNG or too large. */
  async put(userId: string, bytes: Uint8Array): Promise<PhotoType | null> {
    const type = photoType(bytes);
    if (!type || bytes.length > MAX_PHOTO_BYTES) return null;
    await mkdir(this.dir, { recursive: true });
    const file = this.file(userId);
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return type;
  }

  async get(userId: string): Promise<{ type: PhotoType; bytes: Buffer } | null> {
    if (!SAFE_ID.test(userId)) return null;
    const bytes = await readFile(this.file(userId)).catch(() => null);
    const type = bytes ? photoType(bytes) : null;
    return bytes && type ? { type, bytes } : null;
  }

  /** Whether there was one. */
  async remove(userId: string): Promise<boolean> {
    if (!SAFE_ID.test(userId)) return false;
    return unlink(this.file(userId)).then(
      () => true,
      () => false,
    );
  }
}
