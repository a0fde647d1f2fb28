/**
 * Which card lies on a reader, shared by every ID reader driver: a text block read again and
 * again is one card (reported once), a different block is a new card, and `removalMisses`
 * cycles in a row without it mean it was taken away. Text blocks are zeroed once looked at.
 */
import { createHash } from 'node:crypto';
import type { IdCardData } from './id-card-data';
import { decodeIdText } from './id-text';

/** Codes a decoded text block can be refused with (a subset of the drivers' read errors). */
export type CardTextErrorCode = 'ID_READER.INVALID_ID_NUMBER' | 'ID_READER.BAD_TEXT';

export interface CardPresenceSink {
  card(card: IdCardData): void;
  removed(): void;
  rejected(code: CardTextErrorCode, message: string): void;
}

export class CardPresence {
  private current: { fingerprint: string; emitted: boolean } | null = null;
  private misses = 0;

  constructor(
    private readonly removalMisses: number,
    private readonly sink: CardPresenceSink,
  ) {}

  /** Whether a card is on the reader as far as the driver knows. */
  get present(): boolean {
    return this.current !== null;
  }

  /** A text block was read from the card on the reader. */
  text(text: Buffer): void {
    const fingerprint = createHash('sha256').update(text).digest('hex');
    this.misses = 0;
    if (this.current?.fingerprint === fingerprint) {
      text.fill(0);
      return;
    }
    this.drop();
    const decoded = decodeIdText(text);
    text.fill(0);
    this.current = { fingerprint, emitted: decoded.ok };
    if (decoded.ok) this.sink.card(decoded.card);
    else this.sink.rejected(decoded.error.code === 'ID_TEXT.INVALID_ID_NUMBER' ? 'ID_READER.INVALID_ID_NUMBER' : 'ID_READER.BAD_TEXT', decoded.error.message);
  }

  /** A cycle in which the card was not read. */
  miss(): void {
    if (this.current === null) return;
    this.misses++;
    if (this.misses >= this.removalMisses) this.drop();
  }

  /** The card is gone (or the reader went away). */
  drop(): void {
    const was = this.current;
    this.current = null;
    this.misses = 0;
    if (was?.emitted) this.sink.removed();
  }

  /** Forgets the card without telling (the driver stopped). */
  forget(): void {
    this.current = null;
    this.misses = 0;
  }
}
