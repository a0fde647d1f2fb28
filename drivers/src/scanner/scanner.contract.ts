/**
 * The one contract every scanner link must pass: serial and HID scanners with the simulator on a
 * memory link, the serial scanner behind a socat pty pair, and real scanners when env vars name them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../device';
import type { Transport } from '../transport/transport';
import { nextEvent, record, reopen, until } from '../id-reader/testing/wait';
import type { ScanError } from './scan-line-decoder';
import type { SimulatedScanner } from './simulated-scanner';
import type { TransportScanner } from './transport-scanner';

export interface ScannerTestLink {
  host: Transport;
  sim?: SimulatedScanner;
  unplug?(): Promise<void>;
  replug?(): Promise<void>;
  close(): Promise<void>;
}

export interface ScannerContract {
  name: string;
  createLink(): Promise<ScannerTestLink>;
  createScanner(host: Transport): TransportScanner;
  /** The link carries a `SimulatedScanner`: the scripted tests run. */
  simulated: boolean;
  canUnplug: boolean;
  /** The link can carry non-ASCII text (serial yes, a US-layout keyboard no). */
  unicode: boolean;
  /** The scanner's `maxLength`, for the overlong test. */
  maxLength: number;
  /** Real hardware with a person at hand: asks them to scan a code. */
  interactive?: boolean;
}

export function scannerContract(c: ScannerContract): void {
  describe(`scanner contract: ${c.name}`, () => {
    let link: ScannerTestLink;
    let scanner: TransportScanner;
    const online = (): Promise<unknown> =>
      scanner.health.status === 'online' ? Promise.resolve() : nextEvent<[DeviceHealth]>(scanner, 'health', 3000, (h) => h.status === 'online');

    beforeEach(async () => {
      link = await c.createLink();
      scanner = c.createScanner(link.host);
    });

    afterEach(async () => {
      await scanner.stop();
      await link.close();
    });

    it('goes online when its link opens', async () => {
      await scanner.start();
      await online();
      expect(scanner.health).toEqual({ status: 'online', detail: null });
    });

    it.skipIf(!c.interactive)('reads a code scanned by hand', { timeout: 90_000 }, async () => {
      await scanner.start();
      process.stderr.write('\n>>> Scan any barcode or QR code (60 s)…\n');
      const [text] = await nextEvent<[string]>(scanner, 'scan', 60_000);
      expect(text.length).toBeGreaterThan(0);
    });

    describe.skipIf(!c.simulated)('scripted (simulator)', () => {
      const sim = (): SimulatedScanner => {
        if (!link.sim) throw new Error('this link has no simulator');
        return link.sim;
      };

      it('one scan → exactly one scan event with the text', async () => {
        const got = record<[string]>(scanner, 'scan');
        await scanner.start();
        await online();
        await sim().scan('APPT-20240315-0042');
        await until(() => got.length === 1, 3000, 'scan event');
        await new Promise((r) => setTimeout(r, 30));
        expect(got).toEqual([['APPT-20240315-0042']]);
      });

      it('back-to-back scans arrive each once, in order', async () => {
        const got = record<[string]>(scanner, 'scan');
        await scanner.start();
        const codes = ['https://hall.example/t/A001?k=Zx9_-', 'A-002', '6901234567892', c.unicode ? '预约码：B-7 (上午)' : 'B-7 (AM)'];
        await Promise.all(codes.map((code) => sim().scan(code)));
        await until(() => got.length === codes.length, 3000, 'all scans');
        expect(got.map(([t]) => t)).toEqual(codes);
      });

      it('drops an overlong scan and a non-printable one, reports both, and keeps scanning', async () => {
        const got = record<[string]>(scanner, 'scan');
        const errors = record<[ScanError]>(scanner, 'scanError');
        await scanner.start();
        await sim().scan('X'.repeat(c.maxLength + 1));
        await sim().scan('AB\u001bC');
        await sim().scan('OK-1');
        await until(() => got.length === 1, 3000, 'the good scan');
        expect(got).toEqual([['OK-1']]);
        expect(errors.map(([e]) => e.code)).toEqual(['SCAN.TOO_LONG', 'SCAN.NON_PRINTABLE']);
      });

      it.skipIf(!c.canUnplug)('unplug → offline; replug → online and scans again', async () => {
        const got = record<[string]>(scanner, 'scan');
        await scanner.start();
        await online();
        await link.unplug?.();
        await until(() => scanner.health.status === 'offline', 3000, 'offline');
        await reopen(link, () => scanner.health.status === 'online', 3000);
        await sim().scan('AFTER-REPLUG');
        await until(() => got.length === 1, 3000, 'scan after replug');
        expect(got[0]?.[0]).toBe('AFTER-REPLUG');
      });
    });
  });
}
