/** What the journal's tests share: two hall days and a fresh journal folder per test. */
import { afterEach, beforeEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const DAY = '2026-03-02';
export const NEXT = '2026-03-03';

export interface TempJournalDir {
  /** `<tmp>/<prefix>…/journal`, not created: Journal.open makes it. */
  readonly dir: string;
  /** The day file of `day` in it. */
  fileOf(day: string): string;
}

/** Registers hooks giving each test of the file its own journal folder, removed after the test. */
export function tempJournalDir(prefix: string): TempJournalDir {
  let dir = '';
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), prefix)), 'journal');
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    fileOf: (day) => path.join(dir, `${day}.jsonl`),
  };
}
