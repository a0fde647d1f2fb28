/**
 * The read model's only door into the journal (whose internals change): which days exist, live
 * or archived, and one day's events, chain-checked by the journal module's own reader.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './start-worker';
import { ZERO_HASH, dayFilePath, formatRecord, listJournalDays, readJournalDay } from '../journal';
import type { JournalEventLike } from './projector';

const ARCHIVED_DAY = /^(\d{4}-\d{2}-\d{2})\.jsonl\.gz$/;

/** Every journal day, live and archived, in order. */
export async function journalDays(journalDir: string): Promise<string[]> {
  const days = new Set(await listJournalDays(journalDir));
  try {
    for (const name of await readdir(path.join(journalDir, 'archive'))) {
      const m = ARCHIVED_DAY.exec(name);
      if (m) days.add(m[1]!);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return [...days].sort();
}

/** One day's events (a torn last line left out); throws on a damaged day file. */
export function readDay(journalDir: string, day: string): Promise<JournalEventLike[]> {
  return readJournalDay<JournalEventLike>(journalDir, day);
}

/** The events of the given journal days, in the order given. */
export async function* journalDayEvents(journalDir: string, days: readonly string[]): AsyncIterable<{ day: string; events: JournalEventLike[] }> {
  for (const day of days) yield { day, events: await readDay(journalDir, day) };
}

const OFF_THREAD_FROM_DAYS = 8;

type ReaderMessage = { day: string; events: JournalEventLike[] } | { done: true } | { error: string };

/**
 * The same days and events as journalDayEvents, read on a worker thread (journal-reader-worker.ts)
 * a day or two ahead of the consumer; in-thread when no worker can be started.
 */
export async function* journalDayEventsOffThread(journalDir: string, days: readonly string[]): AsyncIterable<{ day: string; events: JournalEventLike[] }> {
  // A thread pays off for a long catch-up or a reindex, not for the few days of a normal start.
  if (days.length < OFF_THREAD_FROM_DAYS) {
    yield* journalDayEvents(journalDir, days);
    return;
  }
  let worker: Worker;
  try {
    worker = startWorker(import.meta.url, 'journal-reader-worker', { workerData: { journalDir, days } });
  } catch {
    yield* journalDayEvents(journalDir, days);
    return;
  }
  const queue: ReaderMessage[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (m: ReaderMessage) => {
    queue.push(m);
    wake?.();
  });
  let workerFailed = false;
  worker.on('error', (err) => {
    workerFailed = true;
    queue.push({ error: err.message });
    wake?.();
  });
  let next = 0;
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const m = queue.shift()!;
      if ('done' in m) return;
      if ('error' in m) {
        // The thread itself failed (not a day file): read the rest here.
        if (workerFailed) break;
        throw new Error(m.error);
      }
      worker.postMessage({ more: true });
      next++;
      yield m;
    }
  } finally {
    await worker.terminate();
  }
  yield* journalDayEvents(journalDir, days.slice(next));
}

/** Where a written chain ends, to go on with the next day. */
export interface ChainTail {
  seq: number;
  hash: string;
}

/**
 * Writes a day file in the journal's format (tests and benchmarks that need a journal without
 * running a hall). Returns the chain's tail for the next day.
 */
export async function writeJournalDay(journalDir: string, day: string, events: readonly object[], tail: ChainTail = { seq: 0, hash: ZERO_HASH }): Promise<ChainTail> {
  await mkdir(journalDir, { recursive: true });
  const lines: string[] = [];
  let { seq, hash } = tail;
  for (const e of events) {
    const json = JSON.stringify(e).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const r = formatRecord(hash, ++seq, json);
    lines.push(r.line);
    hash = r.hash;
  }
  await writeFile(dayFilePath(journalDir, day), lines.join(''));
  return { seq, hash };
}
