import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SELF, UpstreamCursor } from './upstream-cursor';

let dir = '';
let file = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cursor-'));
  file = path.join(dir, 'upstream-cursor.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('upstream cursor', () => {
  it('keeps each hall’s acknowledged seq on disk, per upstream', async () => {
    const c = new UpstreamCursor(file);
    await c.load('http://county:8080');
    expect(c.seq(SELF)).toBe(0);
    await c.set(SELF, 120, 'a'.repeat(64));
    await c.set('hall-v1', 7, 'b'.repeat(64));
    const again = new UpstreamCursor(file);
    await again.load('http://county:8080');
    expect([again.seq(SELF), again.seq('hall-v1'), again.upstream]).toEqual([120, 7, 'http://county:8080']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1, upstream: 'http://county:8080' });
    // Another upstream starts from nothing (its own records are not the old one's).
    const other = new UpstreamCursor(file);
    await other.load('http://other:8080');
    expect(other.seq(SELF)).toBe(0);
  });

  it('reads a damaged or strange file as empty (the upstream says where to resume)', async () => {
    for (const text of ['{"version":1,', '[]', '{"version":2,"upstream":"u","halls":{}}', '{"version":1,"upstream":"u","halls":{".self":{"seq":-4}}}']) {
      await writeFile(file, text);
      const c = new UpstreamCursor(file);
      await c.load('u');
      expect(c.seq(SELF)).toBe(0);
    }
    await expect(new UpstreamCursor(file).set(SELF, 1, '')).rejects.toThrow(/not loaded/);
  });
});
