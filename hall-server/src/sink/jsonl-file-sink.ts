/**
 * A sink that appends records to a JSON-lines file, synced before `write` resolves: what a
 * broker's file connector (Kafka Connect spooldir, Filebeat, Flume) ships on. Idempotent across
 * restarts: it remembers each hall's last seq written (read back from the file at open) and
 * skips records at or below it.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { EventSink, SinkRecord } from './event-sink';

export class JsonlFileSink implements EventSink {
  private constructor(
    private readonly file: FileHandle,
    private readonly lastSeq: Map<string, number>,
  ) {}

  static async open(path: string): Promise<JsonlFileSink> {
    const last = new Map<string, number>();
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    // A torn last line (a crash mid-append) is cut: its record is written again.
    const whole = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of whole.split('\n')) {
      if (!line) continue;
      const r = JSON.parse(line) as SinkRecord;
      last.set(r.hallId, Math.max(last.get(r.hallId) ?? 0, r.seq));
    }
    const file = await open(path, 'a+');
    if (whole.length !== text.length) await file.truncate(Buffer.byteLength(whole));
    return new JsonlFileSink(file, last);
  }

  async write(records: readonly SinkRecord[]): Promise<void> {
    const fresh: SinkRecord[] = [];
    const next = new Map(this.lastSeq);
    for (const r of records) {
      if (r.seq <= (next.get(r.hallId) ?? 0)) continue;
      next.set(r.hallId, r.seq);
      fresh.push(r);
    }
    if (fresh.length === 0) return;
    await this.file.appendFile(fresh.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await this.file.datasync();
    for (const [k, v] of next) this.lastSeq.set(k, v);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
