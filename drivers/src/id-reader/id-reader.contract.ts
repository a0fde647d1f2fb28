/**
 * The one contract every ID card reader link must pass: run against the simulator on a memory
 * link, the simulator behind a socat pty pair, and real hardware when an env var names it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidIdNumber } from '@hall/protocol';
import type { DeviceHealth } from '../device';
import type { Transport } from '../transport/transport';
import { DEMO_PERSONS } from './demo-persons';
import type { IdCardData } from './id-card-data';
import { IdCardReader, type IdCardReaderOptions, type IdReaderError } from './id-card-reader';
import { encodeSamReply } from './sam-frame';
import type { SimulatedIdCardReader } from './simulated-id-card-reader';
import { nextEvent, record, reopen, until } from './testing/wait';

export interface IdReaderTestLink {
  /** The driver's end. */
  host: Transport;
  /** The device, when it is simulated; real hardware has none and skips the scripted tests. */
  sim?: SimulatedIdCardReader;
  /** Pulls the cable: both ends see `close`. */
  unplug?(): Promise<void>;
  /** Puts it back and reopens the device end; the test reopens the host, as the device manager would. */
  replug?(): Promise<void>;
  close(): Promise<void>;
}

export interface IdReaderContract {
  name: string;
  createLink(): Promise<IdReaderTestLink>;
  /** The link carries a `SimulatedIdCardReader`: the scripted tests run. */
  simulated: boolean;
  /** The link can be pulled and put back (`unplug` / `replug`). */
  canUnplug: boolean;
  readerOptions?: Partial<IdCardReaderOptions>;
  /** Real hardware with a person at hand: asks them to lay a card on the reader. */
  interactive?: boolean;
  /** Per-wait timeout. */
  waitMs?: number;
}

const FAST: Partial<IdCardReaderOptions> = { pollIntervalMs: 15, requestTimeoutMs: 400, readTimeoutMs: 800 };

export function idReaderContract(c: IdReaderContract): void {
  describe(`ID card reader contract: ${c.name}`, () => {
    let link: IdReaderTestLink;
    let reader: IdCardReader;
    const waitMs = c.waitMs ?? 4000;
    const online = (): Promise<unknown> =>
      reader.health.status === 'online'
        ? Promise.resolve()
        : nextEvent<[DeviceHealth]>(reader, 'health', waitMs, (h) => h.status === 'online');

    beforeEach(async () => {
      link = await c.createLink();
      reader = new IdCardReader(link.host, { ...FAST, ...c.readerOptions });
    });

    afterEach(async () => {
      await reader.stop();
      await link.close();
    });

    it('goes online and reads the SAM module id', async () => {
      await reader.start();
      await online();
      await until(() => reader.samId !== null, waitMs, 'SAM id');
      expect(reader.samId).toMatch(/^\d{2}\.\d{2}-\d{8}-\d{10}-\d{10}$/);
      expect(reader.health).toEqual({ status: 'online', detail: null });
    });

    it.skipIf(!c.interactive)('reads a card laid on it by hand, once, and sees it taken away', { timeout: 120_000 }, async () => {
      await reader.start();
      await online();
      process.stderr.write('\n>>> Lay an ID card on the reader (60 s)…\n');
      const [card] = await nextEvent<[IdCardData]>(reader, 'card', 60_000);
      expect(card.cardType === 'foreign-permanent' || isValidIdNumber(card.idNumber)).toBe(true);
      expect(JSON.stringify(card)).not.toContain(card.idNumber);
      process.stderr.write(`>>> Read ${card}. Now take it away (60 s)…\n`);
      const cards = record(reader, 'card');
      await nextEvent(reader, 'removed', 60_000);
      expect(cards).toHaveLength(0);
    });

    describe.skipIf(!c.simulated)('scripted (simulator)', () => {
      const sim = (): SimulatedIdCardReader => {
        if (!link.sim) throw new Error('this link has no simulator');
        return link.sim;
      };

      it('insert → one card event with the right data; left on the reader → not again; removal → removed', async () => {
        const cards = record<[IdCardData]>(reader, 'card');
        const removed = record(reader, 'removed');
        await reader.start();
        await online();
        sim().insertCard(DEMO_PERSONS.adult);
        await until(() => cards.length === 1, waitMs, 'card event');
        const card = cards[0]?.[0] as IdCardData;
        expect({ ...card }).toEqual(DEMO_PERSONS.adult);
        expect(card.nation).toBe('汉');
        expect(reader.cardPresent).toBe(true);
        const cycles = reader.stats.cycles;
        await until(() => reader.stats.cycles >= cycles + 8, waitMs, 'eight more cycles');
        expect(cards).toHaveLength(1);
        expect(removed).toHaveLength(0);

        sim().removeCard();
        await until(() => removed.length === 1, waitMs, 'removed event');
        expect(reader.cardPresent).toBe(false);

        sim().insertCard(DEMO_PERSONS.elderly);
        await until(() => cards.length === 2, waitMs, 'second card event');
        expect(cards[1]?.[0].birthDate).toBe('1950-03-15');
        expect(cards[1]?.[0].longTerm).toBe(true);
        expect(sim().stats.reads).toBeGreaterThanOrEqual(2);
      });

      it('does not re-emit a card that a module finds again while it stays', async () => {
        sim().refindAfterRead = true;
        const cards = record(reader, 'card');
        await reader.start();
        sim().insertCard(DEMO_PERSONS.minority);
        await until(() => cards.length === 1, waitMs, 'card event');
        const reads = sim().stats.reads;
        await until(() => sim().stats.reads >= reads + 5, waitMs, 'five more reads');
        expect(cards).toHaveLength(1);
        sim().removeCard();
        await nextEvent(reader, 'removed', waitMs);
      });

      it('swapping one card for another reports removed, then the new card', async () => {
        const events: string[] = [];
        reader.on('card', (c) => events.push(`card:${c.birthDate}`));
        reader.on('removed', () => events.push('removed'));
        await reader.start();
        sim().insertCard(DEMO_PERSONS.adult);
        await until(() => events.length === 1, waitMs, 'first card');
        sim().insertCard(DEMO_PERSONS.hmt);
        await until(() => events.length === 3, waitMs, 'swap');
        expect(events).toEqual(['card:1988-07-21', 'removed', 'card:1990-01-01']);
      });

      it('reports a bad-checksum frame and garbage, and keeps working', async () => {
        const errors = record<[IdReaderError]>(reader, 'readError');
        const cards = record<[IdCardData]>(reader, 'card');
        await reader.start();
        await online();
        sim().corruptNextReply();
        await until(() => errors.some(([e]) => e.code === 'ID_READER.BAD_CHECKSUM'), waitMs, 'bad checksum report');
        const bad = encodeSamReply(0x90, Buffer.from('not a card'));
        bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0x5a, bad.length - 1);
        await sim().sendGarbage(Buffer.concat([Buffer.from([0x00, 0xaa, 0x13, 0x37]), bad, Buffer.from('garbage')]));
        await until(() => errors.filter(([e]) => e.code === 'ID_READER.BAD_CHECKSUM').length >= 2, waitMs, 'second report');
        sim().insertCard(DEMO_PERSONS.adult);
        await until(() => cards.length === 1, waitMs, 'card after bad frames');
        expect(cards[0]?.[0].idNumber).toBe(DEMO_PERSONS.adult.idNumber);
        expect(reader.health.status).toBe('online');
      });

      it('reports a failed read and reads the card on the next cycle', async () => {
        const errors = record<[IdReaderError]>(reader, 'readError');
        const cards = record(reader, 'card');
        await reader.start();
        await online();
        sim().failNextRead();
        sim().insertCard(DEMO_PERSONS.adult);
        await until(() => cards.length === 1, waitMs, 'card after a failed read');
        expect(errors.map(([e]) => e.code)).toEqual(['ID_READER.READ_FAILED']);
        expect(errors[0]?.[0].samStatus).toBe(0x41);
      });

      it('reports a card whose number fails its checksum, once, without a card event', async () => {
        const errors = record<[IdReaderError]>(reader, 'readError');
        const cards = record(reader, 'card');
        const removed = record(reader, 'removed');
        await reader.start();
        const good = DEMO_PERSONS.adult.idNumber;
        const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
        sim().insertCard({ ...DEMO_PERSONS.adult, idNumber: bad });
        await until(() => errors.length === 1, waitMs, 'invalid number report');
        expect(errors[0]?.[0].code).toBe('ID_READER.INVALID_ID_NUMBER');
        expect(JSON.stringify(errors)).not.toContain(bad.slice(4, 14));
        const cycles = reader.stats.cycles;
        await until(() => reader.stats.cycles >= cycles + 6, waitMs, 'six more cycles');
        expect(errors).toHaveLength(1);
        expect(cards).toHaveLength(0);
        sim().removeCard();
        sim().insertCard(DEMO_PERSONS.adult);
        await until(() => cards.length === 1, waitMs, 'valid card after the invalid one');
        expect(removed).toHaveLength(0);
      });

      it('turns to error health when the module stops answering, and back', async () => {
        await reader.start();
        await online();
        sim().mute = true;
        const [h] = await nextEvent<[DeviceHealth]>(reader, 'health', waitMs, (x) => x.status === 'error');
        expect(h.detail).toMatch(/does not answer/);
        sim().mute = false;
        await online();
      });

      it.skipIf(!c.canUnplug)('unplug → offline (and removed); replug → online and reads again', async () => {
        const cards = record<[IdCardData]>(reader, 'card');
        const removed = record(reader, 'removed');
        await reader.start();
        sim().insertCard(DEMO_PERSONS.elderly);
        await until(() => cards.length === 1, waitMs, 'card');
        await link.unplug?.();
        await until(() => reader.health.status === 'offline', waitMs, 'offline');
        expect(removed).toHaveLength(1);
        expect(reader.cardPresent).toBe(false);

        await reopen(link, () => reader.health.status === 'online', waitMs);
        await until(() => cards.length === 2, waitMs, 'card read again');
        expect(cards[1]?.[0].idNumber).toBe(DEMO_PERSONS.elderly.idNumber);
      });

      it('stop() closes the link and goes offline', async () => {
        await reader.start();
        await online();
        await reader.stop();
        expect(reader.health.status).toBe('offline');
        expect(link.host.isOpen).toBe(false);
        const requests = sim().stats.requests;
        await new Promise((r) => setTimeout(r, 60));
        expect(sim().stats.requests).toBe(requests);
      });
    });
  });
}
