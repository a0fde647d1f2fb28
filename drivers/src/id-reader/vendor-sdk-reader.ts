/**
 * Readers whose framing is closed (HID readers that wrap SAM in their own reports, readers
 * only their vendor's library can drive: libsdtapi.so, termb.dll…) are read through the
 * vendor's SDK. The boundary is small on purpose: "read the card now" → no card, the card's
 * 256-byte text block, or an error. Decoding, once-per-insertion and health stay ours.
 *
 * `ChildProcessReaderAdapter` runs a vendor tool, or a small wrapper around the vendor library
 * written in whatever language the SDK supports, and talks JSON lines over its stdin/stdout:
 *
 *   tool → host, once at start:  {"status":"ready"}            or {"status":"error","message":"…"}
 *   host → tool:                 {"op":"read"}
 *   tool → host:                 {"status":"no-card"}
 *                                {"status":"card","text":"<base64 of the 256-byte text block>"}
 *                                {"status":"error","message":"…"}
 *   host → tool:                 {"op":"quit"}                 (then the tool exits)
 *
 * The photo is never asked for. A process of its own keeps a vendor library that crashes or
 * hangs out of the hall server (and an FFI binding out of its dependencies).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface, type Interface } from 'node:readline';
import type { DeviceDriver, DeviceHealth } from '../device';
import { CardPresence } from './card-presence';
import type { IdCardReaderEvents } from './id-card-reader';
import { ID_TEXT_LENGTH } from './id-text';

export type VendorReadResult = { kind: 'no-card' } | { kind: 'card'; text: Buffer } | { kind: 'error'; message: string };

/** What a vendor SDK must offer. `read()` rejects only when the adapter itself is broken (tool gone). */
export interface VendorReaderAdapter {
  /** For health details: `vendor:/opt/sdt/sdt-read`. */
  readonly description: string;
  open(): Promise<void>;
  read(): Promise<VendorReadResult>;
  close(): Promise<void>;
}

export interface ChildProcessReaderOptions {
  command: string;
  args?: string[];
  /** How long the tool may take to say ready, or to answer one read. Default 5000 ms. */
  timeoutMs?: number;
}

/** Longest line accepted from the tool (a card answer is ~350 characters). */
const MAX_LINE = 4096;

export class ChildProcessReaderAdapter implements VendorReaderAdapter {
  readonly description: string;
  private child: ChildProcessWithoutNullStreams | undefined;
  private lines: Interface | undefined;
  private waiting: ((line: string | Error) => void) | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: ChildProcessReaderOptions) {
    this.description = `vendor:${options.command}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async open(): Promise<void> {
    if (this.child) return;
    const child = spawn(this.options.command, this.options.args ?? [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr.resume(); // a chatty tool must not fill its pipe and stall
    const gone = (why: string): void => {
      if (this.child !== child) return;
      this.child = undefined;
      this.lines?.close();
      this.answer(new Error(`${this.description}: ${why}`));
    };
    child.once('error', (e) => gone(e.message));
    child.once('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    child.stdin.on('error', () => undefined); // EPIPE when it died: reported by 'exit'
    this.lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    this.lines.on('line', (line) => this.answer(line.length > MAX_LINE ? new Error(`${this.description}: answer too long`) : line));
    const hello = parseAnswer(await this.next());
    if (hello.status !== 'ready') {
      await this.close();
      throw new Error(`${this.description}: ${hello.status === 'error' ? hello.message : `expected "ready", got "${hello.status === 'unknown' ? hello.said : hello.status}"`}`);
    }
  }

  async read(): Promise<VendorReadResult> {
    const child = this.child;
    if (!child) throw new Error(`${this.description}: not running`);
    const answer = this.next();
    child.stdin.write('{"op":"read"}\n');
    const a = parseAnswer(await answer);
    switch (a.status) {
      case 'no-card':
        return { kind: 'no-card' };
      case 'card': {
        const text = Buffer.from(a.text, 'base64');
        if (text.length !== ID_TEXT_LENGTH) return { kind: 'error', message: `text block of ${text.length} bytes, expected ${ID_TEXT_LENGTH}` };
        return { kind: 'card', text };
      }
      case 'error':
        return { kind: 'error', message: a.message };
      default:
        return { kind: 'error', message: `unexpected answer "${a.status === 'unknown' ? a.said : a.status}"` };
    }
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.lines?.close();
    this.answer(new Error(`${this.description}: closed`));
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdin.end('{"op":"quit"}\n');
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }

  /** The next line from the tool, or an error when it died or took longer than the timeout. */
  private next(): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`${this.description}: no answer within ${this.timeoutMs} ms`));
        // A tool that hangs is as good as gone: the driver reopens it.
        this.child?.kill('SIGKILL');
      }, this.timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        this.waiting = undefined;
        if (line instanceof Error) reject(line);
        else resolve(line);
      };
    });
  }

  private answer(line: string | Error): void {
    this.waiting?.(line);
  }
}

type Answer =
  | { status: 'ready' }
  | { status: 'no-card' }
  | { status: 'card'; text: string }
  | { status: 'error'; message: string }
  | { status: 'unknown'; said: string };

/** Never throws: a line that is not a valid answer becomes an error answer. */
function parseAnswer(line: string): Answer {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { status: 'error', message: 'answer is not JSON' };
  }
  if (typeof v !== 'object' || v === null || typeof (v as { status?: unknown }).status !== 'string') return { status: 'error', message: 'answer without a status' };
  const a = v as Record<string, unknown>;
  switch (a.status) {
    case 'ready':
    case 'no-card':
      return { status: a.status };
    case 'card':
      return typeof a.text === 'string' ? { status: 'card', text: a.text } : { status: 'error', message: 'card answer without text' };
    case 'error':
      return { status: 'error', message: typeof a.message === 'string' ? a.message.slice(0, 200) : 'error' };
    default:
      return { status: 'unknown', said: String(a.status).slice(0, 40) };
  }
}

export interface VendorIdCardReaderOptions {
  /** Pause between reads. Default 300 ms. */
  pollIntervalMs: number;
  /** Reads without the card before `removed`. Default 2. */
  removalMisses: number;
  /** Consecutive error answers before health is `error`. Default 3. */
  errorsBeforeError: number;
  /** Wait before starting the tool again after it failed. Default 2000 ms. */
  reopenMs: number;
}

const DEFAULTS: VendorIdCardReaderOptions = { pollIntervalMs: 300, removalMisses: 2, errorsBeforeError: 3, reopenMs: 2000 };

/** The ID reader driver over a vendor SDK: same events as `IdCardReader`. */
export class VendorIdCardReader extends EventEmitter<IdCardReaderEvents> implements DeviceDriver {
  readonly options: VendorIdCardReaderOptions;
  private current: DeviceHealth = { status: 'offline', detail: 'not started' };
  private running = false;
  private opened = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private errorsInRow = 0;
  private readonly presence: CardPresence;

  constructor(
    readonly adapter: VendorReaderAdapter,
    options: Partial<VendorIdCardReaderOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULTS, ...options };
    this.presence = new CardPresence(this.options.removalMisses, {
      card: (card) => this.emit('card', card),
      removed: () => this.emit('removed'),
      rejected: (code, message) => this.emit('readError', { code, message }),
    });
  }

  get health(): DeviceHealth {
    return this.current;
  }

  /** Typing only, as on `IdCardReader`. */
  override eventNames(): Array<'health'> {
    return super.eventNames() as Array<'health'>;
  }

  get cardPresent(): boolean {
    return this.presence.present;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.setHealth('offline', 'starting the vendor reader');
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeUp?.();
    // Closing first ends a read in flight at once instead of after the tool's timeout.
    await this.adapter.close().catch(() => undefined);
    await this.loopDone;
    await this.adapter.close().catch(() => undefined); // in case the loop opened it meanwhile
    this.presence.forget();
    this.opened = false;
    this.setHealth('offline', 'stopped');
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ok = this.opened ? await this.cycle() : await this.open();
      if (!this.running) break;
      await this.sleep(ok ? this.options.pollIntervalMs : this.options.reopenMs);
    }
  }

  private async open(): Promise<boolean> {
    try {
      await this.adapter.open();
      this.opened = true;
      return true;
    } catch (err) {
      this.setHealth('offline', (err as Error).message);
      return false;
    }
  }

  private async cycle(): Promise<boolean> {
    let r: VendorReadResult;
    try {
      r = await this.adapter.read();
    } catch (err) {
      this.opened = false;
      this.presence.drop();
      await this.adapter.close().catch(() => undefined);
      this.setHealth('offline', (err as Error).message);
      return false;
    }
    if (!this.running) return true;
    if (r.kind === 'error') {
      this.errorsInRow++;
      this.presence.miss();
      if (!this.presence.present) this.emit('readError', { code: 'ID_READER.READ_FAILED', message: r.message });
      if (this.errorsInRow >= this.options.errorsBeforeError)
        this.setHealth('error', `${this.adapter.description}: ${r.message} (${this.errorsInRow} times in a row)`);
      return true;
    }
    this.errorsInRow = 0;
    this.setHealth('online', null);
    if (r.kind === 'card') this.presence.text(r.text);
    else this.presence.miss();
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private setHealth(status: DeviceHealth['status'], detail: string | null): void {
    if (this.current.status === status && this.current.detail === detail) return;
    this.current = { status, detail };
    this.emit('health', this.current);
  }
}
