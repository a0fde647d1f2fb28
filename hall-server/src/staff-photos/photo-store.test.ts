import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, photoType, StaffPhotoStore } from './photo-store';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');

describe('photoType', () => {
  it.each([
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['GIF', Buffer.from('GIF89a'), null],
    ['SVG (script inside, never served)', Buffer.from('<svg onload="x">'), null],
    ['empty', Buffer.alloc(0), null],
  ])('%s', (_n, bytes, type) => expect(photoType(bytes)).toBe(type));
});

describe('StaffPhotoStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hall-photos-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const store = new StaffPhotoStore(dir);

  it('keeps, serves and removes a photo per user', async () => {
    expect(await store.put('usr-1', PNG)).toBe('image/png');
    expect(await store.get('usr-1')).toEqual({ type: 'image/png', bytes: PNG });
    expect(await store.put('usr-1', JPEG)).toBe('image/jpeg');
    expect((await store.get('usr-1'))?.type).toBe('image/jpeg');
    expect(await store.remove('usr-1')).toBe(true);
    expect(await store.get('usr-1')).toBeNull();
    expect(await store.remove('usr-1')).toBe(false);
  });

  it('refuses what is not a photo, too large ones and odd ids', async () => {
    expect(await store.put('usr-2', Buffer.from('<svg/>'))).toBeNull();
    expect(await store.put('usr-2', Buffer.concat([PNG, Buffer.alloc(MAX_PHOTO_BYTES)]))).toBeNull();
    expect(await store.get('../etc/passwd')).toBeNull();
    await expect(store.put('../x', PNG)).rejects.toThrow();
  });
});
