/**
 * The DEVICE side of an ID card reader, for tests and the demo hall: it sits on the device end
 * of a link (memory link, or the other pty of a socat pair) and answers SAM frames byte-exactly
 * as a SAM_V module does, with controls to put a card on it, take it away and make things fail.
 */
import type { Transport } from '../transport/transport';
import type { IdCardFields } from './id-card-data';
import { encodeIdText } from './id-text';
import { SAM_COMMAND, SamRequestParser, encodeSamReply, type SamRequest } from './sam-frame';
import { SAM_STATUS } from './sam-status';

export interface SimulatedIdCardReaderOptions {
  /**
   * Real modules do not find a card again once it has been read, until it is lifted off the
   * reader (default false, like them); true makes "find card" succeed while a card lies there.
   */
  refindAfterRead?: boolean;
  /** The 16 bytes answered to `12 FF`. */
  samId?: Uint8Array;
  /** Delay before each reply, to mimic the module's think time. */
  replyDelayMs?: number;
}

const DEFAULT_SAM_ID = Uint8Array.of(5, 0, 1, 0, 0x91, 0xc2, 0x33, 0x01, 0x4e, 0x61, 0xbc, 0x00, 0x15, 0xcd, 0x5b, 0x07);

const is = (req: SamRequest, [cmd, para]: readonly [number, number]): boolean => req.cmd === cmd && req.para === para;

export class SimulatedIdCardReader {
  /** While true the module answers nothing (a hung reader). */
  mute = false;
  /** See `SimulatedIdCardReaderOptions.refindAfterRead`; may be changed at any time. */
  refindAfterRead: boolean;
  readonly stats = { requests: 0, reads: 0, badRequests: 0 };

  private readonly parser = new SamRequestParser();
  private readonly samId: Uint8Array;
  private readonly replyDelayMs: number;
  private card: IdCardFields | null = null;
  private found = false;
  private selected = false;
  private authenticated = false;
  private failRead = false;
  private corruptReply = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  /** The link (and so the module's power) came back: a card on it must be found again. */
  private readonly onOpen = (): void => {
    this.parser.reset();
    this.found = this.selected = this.authenticated = false;
  };

  constructor(
    readonly transport: Transport,
    options: SimulatedIdCardReaderOptions = {},
  ) {
    this.refindAfterRead = options.refindAfterRead ?? false;
    this.replyDelayMs = options.replyDelayMs ?? 0;
    this.samId = options.samId ?? DEFAULT_SAM_ID;
  }

  /** Listens on the transport, opening it if needed. */
  async start(): Promise<void> {
    this.transport.off('data', this.onData);
    this.transport.off('open', this.onOpen);
    this.transport.on('data', this.onData);
    this.transport.on('open', this.onOpen);
    if (!this.transport.isOpen) await this.transport.open();
  }

  async stop(): Promise<void> {
    this.transport.off('data', this.onData);
    this.transport.off('open', this.onOpen);
    await this.transport.close();
  }

  get hasCard(): boolean {
    return this.card !== null;
  }

  /** A card is laid on the reader (replacing any card there). */
  insertCard(person: IdCardFields): void {
    encodeIdText(person); // fail here, in the test, if a field does not fit
    this.card = person;
    this.found = this.selected = this.authenticated = false;
  }

  /** The card is lifted off. */
  removeCard(): void {
    this.card = null;
    this.found = this.selected = this.authenticated = false;
  }

  /** The next read answers 0x41 (read failed); the card must then be found again. */
  failNextRead(): void {
    this.failRead = true;
  }

  /** The next reply goes out with a wrong checksum. */
  corruptNextReply(): void {
    this.corruptReply = true;
  }

  /** Writes raw bytes to the host now, outside any reply. */
  sendGarbage(bytes: Uint8Array): Promise<void> {
    return this.send(Buffer.from(bytes));
  }

  private receive(chunk: Buffer): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.type === 'frame') {
        this.stats.requests++;
        this.reply(this.answer(ev.frame));
      } else if (ev.type === 'error') {
        this.stats.badRequests++;
        this.reply(encodeSamReply(ev.error.code === 'SAM.BAD_CHECKSUM' ? SAM_STATUS.checksumError : SAM_STATUS.lengthError));
      }
    }
  }

  private answer(req: SamRequest): Buffer {
    const card = this.card;
    if (is(req, SAM_COMMAND.samId)) return encodeSamReply(SAM_STATUS.ok, this.samId);
    if (is(req, SAM_COMMAND.samStatus)) return encodeSamReply(SAM_STATUS.ok);
    if (is(req, SAM_COMMAND.reset)) {
      this.found = this.selected = this.authenticated = false;
      return encodeSamReply(SAM_STATUS.ok);
    }
    if (is(req, SAM_COMMAND.findCard)) {
      if (card && (!this.authenticated || this.refindAfterRead)) {
        this.found = true;
        this.selected = false;
        return encodeSamReply(SAM_STATUS.cardFound, new Uint8Array(4));
      }
      return encodeSamReply(SAM_STATUS.noCardFound);
    }
    if (is(req, SAM_COMMAND.selectCard)) {
      if (card && this.found) {
        this.selected = true;
        return encodeSamReply(SAM_STATUS.ok, new Uint8Array(8));
      }
      return encodeSamReply(SAM_STATUS.selectFailed);
    }
    const full = is(req, SAM_COMMAND.readWithFingerprint);
    if (is(req, SAM_COMMAND.readBase) || full) {
      if (!card || !(this.selected || this.authenticated)) return encodeSamReply(SAM_STATUS.readFailed);
      if (this.failRead) {
        this.failRead = false;
        this.found = this.selected = this.authenticated = false;
        return encodeSamReply(SAM_STATUS.readFailed);
      }
      this.stats.reads++;
      this.authenticated = true;
      const text = encodeIdText(card);
      // Stand-in for the wavelet-compressed photo: not an image, and never looked at.
      const photo = Buffer.alloc(1024, 0x57);
      const head = Buffer.alloc(full ? 6 : 4);
      head.writeUInt16BE(text.length, 0);
      head.writeUInt16BE(photo.length, 2);
      return encodeSamReply(SAM_STATUS.ok, Buffer.concat([head, text, photo]));
    }
    return encodeSamReply(SAM_STATUS.commandError);
  }

  private reply(frame: Buffer): void {
    if (this.mute) return;
    if (this.corruptReply) {
      this.corruptReply = false;
      frame[frame.length - 1] = (frame[frame.length - 1] as number) ^ 0xff;
    }
    void this.send(frame);
  }

  private send(bytes: Buffer): Promise<void> {
    const delay = this.replyDelayMs;
    this.queue = this.queue.then(async () => {
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (this.transport.isOpen) await this.transport.write(bytes).catch(() => undefined);
    });
    return this.queue;
  }
}
