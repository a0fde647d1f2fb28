/**
 * The second-generation ID card reader (二代证阅读器) driver: polls a SAM module over any
 * Transport (serial 115200 8N1, HID reports, a memory link to the simulator) and reports each
 * card once per insertion.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DeviceDriverEvents, DeviceHealth } from '../device';
import { TransportClosedError, type Transport } from '../transport/transport';
import { CardPresence } from './card-presence';
import type { IdCardData } from './id-card-data';
import {
  SamReplyParser,
  decodeReadData,
  encodeSamCommand,
  formatSamId,
  type SamCommandName,
  type SamReply,
} from './sam-frame';
import { SAM_STATUS, isSamModuleFault, samStatusText } from './sam-status';

export type IdReaderErrorCode =
  /** A reply frame failed its XOR checksum (line noise); the cycle is retried. */
  | 'ID_READER.BAD_CHECKSUM'
  /** A reply frame with an impossible length, or a read reply whose blocks do not add up. */
  | 'ID_READER.BAD_FRAME'
  /** The card was found but could not be read (moved too fast, damaged card…). */
  | 'ID_READER.READ_FAILED'
  /** The ID number on the card fails its GB 11643 check: reported instead of a card. */
  | 'ID_READER.INVALID_ID_NUMBER'
  /** The text block could not be decoded (bad date, sex code…). */
  | 'ID_READER.BAD_TEXT';

/** Never carries card data. */
export interface IdReaderError {
  code: IdReaderErrorCode;
  message: string;
  /** SW3 of the reply, when a reply said so. */
  samStatus?: number;
}

export interface IdCardReaderEvents extends DeviceDriverEvents {
  /** A card was laid on the reader and read; once per insertion. */
  card: [card: IdCardData];
  /** The card reported by the last `card` event was taken away (or the reader went offline). */
  removed: [];
  /** Something went wrong that the reader recovers from by itself. */
  readError: [error: IdReaderError];
}

export interface IdCardReaderOptions {
  /** Pause between polling cycles; vendors advise at least 300 ms. */
  pollIntervalMs: number;
  /** Timeout of short requests (find, select, SAM id). */
  requestTimeoutMs: number;
  /** Timeout of the read request (a 1295-byte reply). */
  readTimeoutMs: number;
  /** Consecutive cycles without the card before `removed`, so one bad read is not a removal. */
  removalMisses: number;
  /** Consecutive timeouts before health turns to `error`. */
  timeoutsBeforeError: number;
  /**
   * Consecutive cycles in which a card was found and selected but could not be read before
   * health turns to `error`: a reader that answers find/select but fails every read is broken
   * (bad SAM, wrong model preset), not online.
   */
  readFailuresBeforeError: number;
}

export const DEFAULT_ID_CARD_READER_OPTIONS: Readonly<IdCardReaderOptions> = Object.freeze({
  pollIntervalMs: 300,
  requestTimeoutMs: 1000,
  readTimeoutMs: 3000,
  removalMisses: 2,
  timeoutsBeforeError: 2,
  readFailuresBeforeError: 3,
});

class RequestTimeout extends Error {
  constructor(command: SamCommandName) {
    super(`ID card reader did not answer ${command}`);
    this.name = 'RequestTimeout';
  }
}

class FrameRejected extends Error {
  constructor(readonly error: IdReaderError) {
    super(error.message);
  }
}

class Stopped extends Error {}

interface Pending {
  resolve(reply: SamReply): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Polls find → select → read. A card already reported is not reported again while it lies on
 * the reader: once a SAM module has read a card it does not find it again until it is lifted
 * off, so while a card is present each cycle asks for its text directly, and `removed` follows
 * when that fails `removalMisses` times in a row.
 *
 * `start()` opens the transport if needed and never rejects; `stop()` closes it.
 */
export class IdCardReader extends EventEmitter<IdCardReaderEvents> implements DeviceDriver {
  readonly options: IdCardReaderOptions;
  /** Counters for diagnostics; no card data. */
  readonly stats = { cycles: 0, cards: 0, timeouts: 0, badFrames: 0, noiseBytes: 0, strayFrames: 0 };

  private currentHealth: DeviceHealth = { status: 'offline', detail: 'not started' };
  private readonly parser = new SamReplyParser();
  private pending: Pending | null = null;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakers: Array<() => void> = [];
  private needsHello = true;
  private readonly presence: CardPresence;
  private timeoutsInRow = 0;
  private readFailuresInRow = 0;
  private lastReadFailure = '';
  private currentSamId: string | null = null;

  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onOpen = (): void => {
    this.parser.reset();
    this.needsHello = true;
    this.wake();
  };
  private readonly onClose = (error?: Error): void => {
    this.failPending(new TransportClosedError(this.transport.description));
    this.parser.reset();
    this.presence.drop();
    this.setHealth('offline', `${this.transport.description}: ${error ? error.message : 'closed'}`);
    this.wake();
  };

  constructor(
    readonly transport: Transport,
    options: Partial<IdCardReaderOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULT_ID_CARD_READER_OPTIONS, ...options };
    this.presence = new CardPresence(this.options.removalMisses, {
      card: (card) => {
        this.stats.cards++;
        this.emit('card', card);
      },
      removed: () => this.emit('removed'),
      rejected: (code, message) => this.readError({ code, message }),
    });
  }

  get health(): DeviceHealth {
    return this.currentHealth;
  }

  /**
   * Typing only: `DeviceDriver` picks `on` from `EventEmitter<DeviceDriverEvents>`, whose
   * return type makes an emitter with more events unassignable through `eventNames()`.
   */
  override eventNames(): Array<'health'> {
    return super.eventNames() as Array<'health'>;
  }

  /** The SAM module id (`05.01-…`), once the reader has answered; not personal data. */
  get samId(): string | null {
    return this.currentSamId;
  }

  /** Whether a card is on the reader as far as the driver knows. */
  get cardPresent(): boolean {
    return this.presence.present;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.transport.on('data', this.onData);
    this.transport.on('open', this.onOpen);
    this.transport.on('close', this.onClose);
    this.needsHello = true;
    this.setHealth('offline', 'waiting for the reader to answer');
    if (!this.transport.isOpen) {
      try {
        await this.transport.open();
      } catch (err) {
        this.setHealth('offline', (err as Error).message);
      }
    }
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.failPending(new Stopped('stopped'));
    this.wake();
    await this.loopDone;
    this.transport.off('data', this.onData);
    this.transport.off('open', this.onOpen);
    this.transport.off('close', this.onClose);
    this.presence.forget();
    await this.transport.close().catch(() => undefined);
    this.setHealth('offline', 'stopped');
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (!this.transport.isOpen) {
        await new Promise<void>((resolve) => this.wakers.push(resolve));
        continue;
      }
      try {
        await this.cycle();
      } catch {
        // Timeouts and rejected frames are counted where they happen, a closed link is handled
        // by the close event, a module fault has set health: the next cycle simply tries again.
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollIntervalMs);
        this.wakers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }

  private async cycle(): Promise<void> {
    this.stats.cycles++;
    if (this.needsHello) await this.hello();
    const find = await this.request('findCard', this.options.requestTimeoutMs);
    this.checkModule(find);
    if (find.sw3 === SAM_STATUS.cardFound || find.sw3 === SAM_STATUS.ok) {
      const select = await this.request('selectCard', this.options.requestTimeoutMs);
      this.checkModule(select);
      if (select.sw3 !== SAM_STATUS.ok) return;
      const text = await this.readText(!this.presence.present);
      this.countRead(text !== null);
      if (text) this.presence.text(text);
      else this.presence.miss();
      return;
    }
    // No card found: reads that failed were not the reader's fault after all.
    this.countRead(true);
    if (!this.presence.present) return;
    // Still there? A module does not find a card it has read until it is lifted off, but
    // answers a read of it directly.
    const text = await this.readText(false);
    if (text) this.presence.text(text);
    else this.presence.miss();
  }

  private async hello(): Promise<void> {
    const reply = await this.request('samId', this.options.requestTimeoutMs);
    this.checkModule(reply);
    if (reply.sw3 === SAM_STATUS.ok) this.currentSamId = formatSamId(reply.data) ?? null;
    this.needsHello = false;
  }

  /** Throws when the module reports itself broken; health says why. */
  private checkModule(reply: SamReply): void {
    if (isSamModuleFault(reply.sw3)) {
      this.setHealth('error', samStatusText(reply.sw3));
      throw new Error(samStatusText(reply.sw3));
    }
    if (this.readFailuresInRow < this.options.readFailuresBeforeError) this.setHealth('online', null);
  }

  /** Tracks reads of a card that was just found and selected; too many failures = error. */
  private countRead(ok: boolean): void {
    if (ok) {
      const wasBroken = this.readFailuresInRow >= this.options.readFailuresBeforeError;
      this.readFailuresInRow = 0;
      if (wasBroken) this.setHealth('online', null);
      return;
    }
    this.readFailuresInRow++;
    if (this.readFailuresInRow >= this.options.readFailuresBeforeError)
      this.setHealth('error', `card found but it cannot be read (${this.readFailuresInRow} tries: ${this.lastReadFailure || 'no answer'})`);
  }

  /** The text block of the card on the reader, or null when it could not be read. */
  private async readText(reportFailure: boolean): Promise<Buffer | null> {
    let reply: SamReply;
    try {
      reply = await this.request('readBase', this.options.readTimeoutMs);
    } catch (err) {
      if (err instanceof FrameRejected || err instanceof RequestTimeout) {
        this.lastReadFailure = err.message;
        return null;
      }
      throw err;
    }
    this.checkModule(reply);
    if (reply.sw3 !== SAM_STATUS.ok) {
      this.lastReadFailure = samStatusText(reply.sw3);
      if (reportFailure) {
        this.readError({ code: 'ID_READER.READ_FAILED', message: samStatusText(reply.sw3), samStatus: reply.sw3 });
      }
      return null;
    }
    const blocks = decodeReadData(reply.data, false);
    reply.data.fill(0); // the photo is dropped unread
    if (!blocks.ok) {
      this.stats.badFrames++;
      this.readError({ code: 'ID_READER.BAD_FRAME', message: blocks.error.message });
      return null;
    }
    return blocks.value.text;
  }

  private request(command: SamCommandName, timeoutMs: number): Promise<SamReply> {
    if (!this.running) return Promise.reject(new Stopped('stopped'));
    if (!this.transport.isOpen) return Promise.reject(new TransportClosedError(this.transport.description));
    return new Promise<SamReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending !== pending) return;
        this.pending = null;
        this.parser.reset();
        this.stats.timeouts++;
        this.timeoutsInRow++;
        if (this.timeoutsInRow >= this.options.timeoutsBeforeError) {
          this.setHealth('error', `${this.transport.description}: reader does not answer`);
        }
        reject(new RequestTimeout(command));
      }, timeoutMs);
      const pending: Pending = { resolve, reject, timer };
      this.pending = pending;
      this.transport.write(encodeSamCommand(command)).catch((err: Error) => {
        if (this.pending !== pending) return;
        clearTimeout(timer);
        this.pending = null;
        reject(err);
      });
    });
  }

  private failPending(err: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.reject(err);
  }

  private receive(chunk: Buffer): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.type === 'noise') {
        this.stats.noiseBytes += ev.bytes;
      } else if (ev.type === 'error') {
        this.stats.badFrames++;
        const error: IdReaderError = {
          code: ev.error.code === 'SAM.BAD_CHECKSUM' ? 'ID_READER.BAD_CHECKSUM' : 'ID_READER.BAD_FRAME',
          message: ev.error.message,
        };
        this.readError(error);
        this.failPending(new FrameRejected(error));
      } else {
        const pending = this.pending;
        if (!pending) {
          this.stats.strayFrames++;
          continue;
        }
        this.pending = null;
        clearTimeout(pending.timer);
        this.timeoutsInRow = 0;
        pending.resolve(ev.frame);
      }
    }
  }

  private readError(error: IdReaderError): void {
    this.emit('readError', error);
  }

  private setHealth(status: DeviceHealth['status'], detail: string | null): void {
    if (this.currentHealth.status === status && this.currentHealth.detail === detail) return;
    this.currentHealth = { status, detail };
    this.emit('health', this.currentHealth);
  }
}
