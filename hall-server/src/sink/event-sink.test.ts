import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySink, type EventSink, type SinkRecord } from './event-sink';
import { JsonlFileSink } from './jsonl-file-sink';

const rec = (hallId: string, seq: number): SinkRecord => ({ hallId, seq, hash: `h${seq}`, line: `{"seq":${seq}}` });
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempFile(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sink-'));
  dirs.push(d);
  return join(d, 'records.jsonl');
}
const fileRecords = async (path: string): Promise<string[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const r = JSON.parse(l) as SinkRecord;
      return `${r.hallId}:${r.seq}`;
    });

/** The contract every sink keeps: each (hall, seq) once, in the order given, whatever is replayed. */
async function contract(sink: EventSink, read: () => Promise<string[]>): Promise<void> {
  await sink.write([rec('v1', 1), rec('v1', 2), rec('v2', 1)]);
  await sink.write([rec('v1', 2), rec('v1', 3)]);
  await sink.write([rec('v2', 1)]);
  expect(await read()).toEqual(['v1:1', 'v1:2', 'v2:1', 'v1:3']);
}

describe('event sinks', () => {
  it('the memory sink keeps each record once and can fail on demand', async () => {
    const sink = new MemorySink();
    await contract(sink, () => Promise.resolve(sink.records.map((r) => `${r.hallId}:${r.seq}`)));
    sink.failNext = 1;
    await expect(sink.write([rec('v1', 4)])).rejects.toThrow(/unavailable/);
    await sink.write([rec('v1', 4)]);
    expect(sink.records).toHaveLength(5);
  });

  it('the file sink keeps each record once, also after a reopen and a torn last line', async () => {
    const path = await tempFile();
    const sink = await JsonlFileSink.open(path);
    await contract(sink, () => fileRecords(path));
    await sink.close();
    await appendFile(path, '{"hallId":"v1","seq":4,"ha');
    const again = await JsonlFileSink.open(path);
    await again.write([rec('v1', 3), rec('v1', 4)]);
    await again.close();
    expect(await fileRecords(path)).toEqual(['v1:1', 'v1:2', 'v2:1', 'v1:3', 'v1:4']);
  });

  it('the file sink starts a new file', async () => {
    const path = await tempFile();
    await writeFile(path, '');
    const sink = await JsonlFileSink.open(path);
    await sink.write([rec('t1', 7)]);
    await sink.close();
    expect(await fileRecords(path)).toEqual(['t1:7']);
  });
});
