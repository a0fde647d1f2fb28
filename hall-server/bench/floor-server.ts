/**
 * The floor: the least a durable "issue a ticket" endpoint can do on this machine. A bare
 * node:http handler reads the JSON body, appends one line per request to a file and answers 201
 * only after the line is fdatasync'd. Group commit like the hall's Journal: the first request
 * starts a write+sync, every request arriving meanwhile goes into the next single write+sync.
 * Same disk, same process model (`node --import tsx`), same client as the hall. The target's
 * floor appends, so the file grows with each write; the hall's journal writes over zeros it
 * preallocated, with O_DSYNC (journal.ts). `FLOOR_PREALLOC=<bytes>` gives the floor the same
 * advantage, to see how much of the ratio it accounts for (docs/PERFORMANCE.md): the file is
 * zero-filled to that size before the server listens and lines are written at their offsets.
 *
 * Run: FLOOR_DATA_DIR=/var/tmp/x node --import tsx hall-server/bench/floor-server.ts
 */
import { createServer, type ServerResponse } from 'node:http';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

const dir = process.env.FLOOR_DATA_DIR;
if (!dir) throw new Error('FLOOR_DATA_DIR is required');
await mkdir(dir, { recursive: true });
const prealloc = Number(process.env.FLOOR_PREALLOC ?? 0);
const fh = await open(join(dir, 'floor.jsonl'), prealloc > 0 ? 'w' : 'a', 0o640);
let at = 0; // next write offset (preallocated file only)
if (prealloc > 0) {
  const zeros = Buffer.alloc(1024 * 1024);
  for (let off = 0; off < prealloc; off += zeros.length) await fh.write(zeros, 0, Math.min(zeros.length, prealloc - off), off);
  await fh.datasync();
}

interface Pending {
  line: string;
  res: ServerResponse;
  body: string;
}
let queue: Pending[] = [];
let flushing = false;
let seq = 0;

async function flush(): Promise<void> {
  flushing = true;
  try {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const buf = Buffer.from(batch.map((p) => p.line).join(''), 'utf8');
      let off = 0;
      while (off < buf.length) off += (await fh.write(buf, off, buf.length - off, prealloc > 0 ? at + off : null)).bytesWritten;
      at += buf.length;
      await fh.datasync();
      for (const p of batch) {
        p.res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(p.body) });
        p.res.end(p.body);
      }
    }
  } finally {
    flushing = false;
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let payload: unknown = null;
    try {
      payload = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const n = ++seq;
    const at = new Date().toISOString();
    const body = JSON.stringify({ id: `f${n}`, number: n, at });
    queue.push({ line: `${JSON.stringify({ seq: n, at, event: payload })}\n`, res, body });
    if (!flushing) {
      flushing = true;
      queueMicrotask(() => void flush());
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`floor ready at http://127.0.0.1:${port}\n`);
});
const stop = (): void => {
  server.close();
  server.closeAllConnections();
  void fh.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
