/**
 * `hall-server repair`: on an operator's explicit command, and only then, makes a journal the
 * server refuses to start on startable again, as etcd and PostgreSQL recover a damaged log: the
 * good records of the damaged day file stay, everything from the first bad line on is moved to
 * `<day>.jsonl.damaged-<n>` beside it (never deleted), and each step is reported. Run it with
 * the server stopped.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { writeFileDurably, isErrno } from '../durable-fs';
import { Journal } from './journal';
import { JournalError, listJournalDays } from './journal-files';

export interface RepairStep {
  file: string;
  /** Why the server refused it: the start's error message. */
  reason: string;
  /** Lines kept: the records before the first bad line. */
  keptLines: number;
  movedTo: string;
  movedBytes: number;
}

/** `<file>.damaged-<n>` with the first free n. */
async function asideName(file: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = `${file}.damaged-${n}`;
    try {
      await stat(name);
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return name;
      throw e;
    }
  }
}

/** Moves `file` from the start of line `line` on into a file beside it (durably, before the cut). */
async function cutAt(file: string, line: number, reason: string): Promise<RepairStep> {
  const buf = await readFile(file);
  let at = 0;
  for (let l = 1; l < line; l++) at = buf.indexOf(0x0a, at) + 1;
  const movedTo = await asideName(file);
  await writeFileDurably(movedTo, buf.subarray(at));
  const fh = await open(file, 'r+');
  try {
    await fh.truncate(at);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  return { file, reason, keptLines: line - 1, movedTo, movedBytes: buf.length - at };
}

/**
 * Opens the latest day as a start would (which also cuts a torn last line, as a start does:
 * `tornBytes`); while that fails on a bad line of a live day file,
 * cuts that file there. Each file is cut at most once (its kept lines passed the same check), so
 * this ends. Damage in an archived day, or an error without a line (an unreadable file), is
 * thrown: that takes a backup, not a cut.
 */
export async function repairJournal(dir: string): Promise<{ steps: RepairStep[]; tornBytes: number }> {
  const steps: RepairStep[] = [];
  const day = (await listJournalDays(dir)).at(-1);
  if (day === undefined) return { steps, tornBytes: 0 };
  for (;;) {
    try {
      const { journal, tornBytes } = await Journal.open(dir, day);
      await journal.close();
      return { steps, tornBytes };
    } catch (e) {
      if (!(e instanceof JournalError) || e.file === undefined || e.line === undefined || e.file.endsWith('.gz')) throw e;
      if (steps.some((s) => s.file === e.file)) throw e; // cannot happen; never loop
      steps.push(await cutAt(e.file, e.line, e.message));
    }
  }
}
