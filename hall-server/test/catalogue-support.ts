/** Reading a test hall's journal: every event of every day, in order. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function readJournalLines(dataDir: string): Promise<Array<{ type: string } & Record<string, unknown>>> {
  const dir = join(dataDir, 'journal');
  const days = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const out: Array<{ type: string } & Record<string, unknown>> = [];
  for (const day of days) {
    for (const line of (await readFile(join(dir, day), 'utf8')).split('\n')) {
      if (line) out.push((JSON.parse(line) as { event: { type: string } & Record<string, unknown> }).event);
    }
  }
  return out;
}
