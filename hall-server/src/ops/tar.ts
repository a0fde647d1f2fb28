/**
 * A minimal POSIX ustar writer and reader for backups: regular files and folders only, a
 * pax extended header for a name over 100 bytes, no links, no other extended headers. A backup is
 * `tar` + gzip, so an operator can look inside with `tar tzvf` on any machine; no npm package is
 * needed to read or write one.
 */

import { createHash } from 'node:crypto';

const BLOCK = 512;

/** Bytes that never form a valid archive; the reader's caller decides whether that is damage or a foreign file. */
export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

function octal(value: number, width: number): string {
  // width-1 octal digits, then NUL (tar's usual numeric field layout).
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function put(buf: Buffer, at: number, width: number, text: string): void {
  buf.write(text, at, Math.min(width, Buffer.byteLength(text)), 'utf8');
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

function header(name: string, size: number, flag: number, mode: number, mtimeSec: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  put(h, 0, 100, name);
  put(h, 100, 8, octal(mode, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  put(h, 124, 12, octal(size, 12));
  put(h, 136, 12, octal(Math.max(0, Math.floor(mtimeSec)), 12));
  h[156] = flag;
  put(h, 257, 6, 'ustar\0');
  put(h, 263, 2, '00');
  put(h, 148, 8, octal(checksum(h), 7) + ' ');
  return h;
}

/** A pax record `"<len> path=<name>\n"`, where len counts the whole record. */
function paxPath(name: string): Buffer {
  const body = ` path=${name}\n`;
  let len = Buffer.byteLength(body);
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`);
}

/**
 * The header of one entry: 512 bytes, or, for a name over 100 bytes, a pax extended header
 * holding the whole name (as GNU tar and bsdtar write and read) before it.
 */
export function tarHeader(name: string, size: number, o: { dir?: boolean; mode?: number; mtimeSec?: number } = {}): Buffer {
  if (name.length === 0) throw new RangeError('tar entry name is empty');
  if (!Number.isSafeInteger(size) || size < 0 || size >= 8 ** 11) throw new RangeError(`tar entry too large: ${size}`);
  const mode = o.mode ?? (o.dir ? 0o755 : 0o644);
  const mtimeSec = o.mtimeSec ?? 0;
  const flag = o.dir ? 0x35 /* 5 */ : 0x30; /* 0 */
  if (Buffer.byteLength(name) <= 100) return header(name, o.dir ? 0 : size, flag, mode, mtimeSec);
  const pax = paxPath(name);
  const short = `PaxHeaders/${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
  return Buffer.concat([header(short, pax.length, 0x78 /* x */, 0o644, mtimeSec), pax, tarPadding(pax.length), header(short, o.dir ? 0 : size, flag, mode, mtimeSec)]);
}

/** Zero bytes that bring an entry of `size` bytes to a block boundary. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two zero blocks end an archive. */
export const TAR_END = Buffer.alloc(BLOCK * 2);

export interface TarEntry {
  name: string;
  type: 'file' | 'dir';
  data: Buffer;
}

function readOctal(h: Buffer, at: number, width: number): number {
  const text = h.toString('latin1', at, at + width).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]*$/.test(text)) throw new TarFormatError('bad number in a tar header');
  return text === '' ? 0 : parseInt(text, 8);
}

function readString(h: Buffer, at: number, width: number): string {
  const end = h.indexOf(0, at);
  return h.toString('utf8', at, end < 0 || end > at + width ? at + width : end);
}

/**
 * Entries of a tar stream, each file's bytes whole. Refuses (TarFormatError) bad checksums,
 * entry kinds other than files and folders, entries larger than `maxEntryBytes`, and a stream
 * that ends inside an entry or without the end blocks.
 */
export async function* readTar(chunks: AsyncIterable<Buffer>, maxEntryBytes: number): AsyncGenerator<TarEntry> {
  let buf: Buffer = Buffer.alloc(0);
  const it = chunks[Symbol.asyncIterator]();
  let done = false;
  // Chunks are gathered in a list and joined once, so a large entry is not copied per chunk.
  const need = async (n: number): Promise<boolean> => {
    if (buf.length >= n || done) return buf.length >= n;
    const parts: Buffer[] = [buf];
    let have = buf.length;
    while (have < n) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      parts.push(r.value);
      have += r.value.length;
    }
    buf = Buffer.concat(parts, have);
    return buf.length >= n;
  };
  let paxName: string | null = null;
  for (;;) {
    if (!(await need(BLOCK))) throw new TarFormatError('the archive ends without its end blocks (cut short)');
    const h = buf.subarray(0, BLOCK);
    if (h.every((b) => b === 0)) return; // end of archive (the second zero block is not needed)
    if (readOctal(h, 148, 8) !== checksum(h)) throw new TarFormatError('a tar header checksum does not match');
    if (h.toString('latin1', 257, 262) !== 'ustar') throw new TarFormatError('not a ustar archive');
    const prefix = readString(h, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + readString(h, 0, 100);
    const flag = h[156]!;
    const size = readOctal(h, 124, 12);
    let type: TarEntry['type'] | 'pax';
    if (flag === 0x78 /* x */) type = 'pax';
    else if (flag === 0x30 || flag === 0) type = 'file';
    else if (flag === 0x35) type = 'dir';
    else throw new TarFormatError(`unexpected tar entry kind ${JSON.stringify(String.fromCharCode(flag))} for ${name}`);
    if (size > maxEntryBytes) throw new TarFormatError(`tar entry ${name} is too large (${size} bytes)`);
    const total = BLOCK + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (!(await need(total))) throw new TarFormatError(`the archive ends inside ${name} (cut short)`);
    const data = Buffer.from(buf.subarray(BLOCK, BLOCK + size));
    buf = buf.subarray(total);
    if (type === 'pax') {
      // Only the path record matters here; the next entry takes it as its name.
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      paxName = m ? m[1]! : null;
      continue;
    }
    const full = paxName ?? name;
    paxName = null;
    yield { name: type === 'dir' ? full.replace(/\/+$/, '') : full, type, data };
  }
}
