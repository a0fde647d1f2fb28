/**
 * A lowdb 7 adapter that survives power loss: lowdb's own JSONFile renames a temp file into
 * place but never fsyncs, so after a crash the file can be empty or old. This one writes the
 * temp file in the same folder, fsyncs it, renames it over the target and fsyncs the folder.
 * Reads strip a UTF-8 BOM (Windows Notepad adds one) and turn bad JSON into a ConfigError
 * naming the file, line and column.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { ConfigError } from './config-error';
import { fsyncDir, isErrno, writeFileDurably } from '../durable-fs';

export { fsyncDir, writeFileDurably };

export interface FsyncJsonFileOptions {
  /** File mode for newly written files; default 0o600 (the data folder holds password hashes). */
  mode?: number;
  /** JSON indentation; default 2 (people read and diff these files). */
  space?: number;
}



/** `Unexpected token … in JSON at position 42` → ` (line 3, column 7)`. */
function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

/** Parse JSON text read from `file`, or throw a ConfigError saying where it is broken. */
export function parseJsonText(file: string, text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    const msg = (e as Error).message;
    throw new ConfigError(`${path.basename(file)}: not valid JSON${jsonErrorWhere(body, msg)}: ${msg}`, undefined, { cause: e });
  }
}

export class FsyncJsonFile<T> implements Adapter<T> {
  readonly filename: string;
  readonly #mode: number;
  readonly #space: number;
  #writing: Promise<void> = Promise.resolve();

  constructor(filename: string, options: FsyncJsonFileOptions = {}) {
    this.filename = filename;
    this.#mode = options.mode ?? 0o600;
    this.#space = options.space ?? 2;
  }

  /** The parsed JSON (not validated: callers check it), or null when the file does not exist. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.filename, 'utf8');
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return null;
      throw new ConfigError(`${path.basename(this.filename)}: cannot read: ${(e as Error).message}`, undefined, { cause: e });
    }
    return parseJsonText(this.filename, text) as T;
  }

  /** Resolves once the new content is on disk under the real name. Writes run one at a time. */
  write(data: T): Promise<void> {
    const text = `${JSON.stringify(data, null, this.#space)}\n`;
    const run = this.#writing.then(() => writeFileDurably(this.filename, text, this.#mode));
    this.#writing = run.catch(() => undefined);
    return run;
  }
}
