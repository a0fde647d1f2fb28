/**
 * Whether a data folder already belongs to a hall. Its journal is the evidence: a folder with
 * journal days must never quietly become a new hall because config.json or a key went missing
 * (a new demo config or a new ID-hash key over an old journal loses the hall's set-up and its
 * per-ID limits without a word).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl/;

/** True when `dataDir/journal` (or its archive) holds at least one day file. */
export async function holdsJournal(dataDir: string): Promise<boolean> {
  for (const dir of [path.join(dataDir, 'journal'), path.join(dataDir, 'journal', 'archive')]) {
    try {
      if ((await readdir(dir)).some((name) => DAY_FILE.test(name))) return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return false;
}

/** The refusal for a file the hall needs that has gone from a folder with a journal. */
export function missingHallFile(dataDir: string, file: string, what: string): string {
  return (
    `${file} is missing from ${dataDir}, which holds this hall's journal. ${what} ` +
    `Restore ${file} from the backup of this data folder (copy it back from the backup, or ` +
    `\`hall-server restore BACKUP.tar.gz NEW_DATA_DIR\` for the whole folder), then start again ` +
    `(to start a new hall instead, use an empty data folder).`
  );
}
