/**
 * Kiosk devices reach the kiosk that owns them: a swiped ID card becomes a one-time card token
 * (the number is hashed with the hall's key at once and goes no further), a scan becomes a
 * `scan`, printer health a `printer-status` — each to that terminal's sockets only.
 */
import {
  ageOn,
  hallDate,
  hallError,
  isValidIdNumber,
  maskName,
  type Device,
  type KioskServerEvents,
} from '@hall/protocol';
import type { DeviceHealth } from '@hall/drivers';
import type { DeviceHallPort } from '../app/ports';
import { idNumberHash } from '../privacy/id-hash';
import { terminalOf, type DeviceManager, type SwipedCard } from './device-manager';

export interface KioskSink {
  toTerminal<K extends keyof KioskServerEvents>(terminalId: string, event: K, ...args: Parameters<KioskServerEvents[K]>): void;
}

/** Reader errors a citizen must act on; line noise and timeouts the reader retries by itself. */
const CARD_ERRORS_SHOWN = new Set(['ID_READER.READ_FAILED', 'ID_READER.INVALID_ID_NUMBER', 'ID_READER.BAD_TEXT', 'ID_CARD.INVALID']);

/** 18-character numbers carry the GB 11643 check; the 2017 foreigner's card has 15 (3 letters, 12 digits). */
export function plausibleIdNumber(idNumber: string): boolean {
  const n = idNumber.trim().toUpperCase();
  if (n.length === 18) return isValidIdNumber(n);
  return /^[A-Z]{3}\d{12}$/.test(n);
}

export class KioskDevices {
  private readonly off: Array<() => void> = [];

  constructor(
    private readonly ctx: DeviceHallPort,
    private readonly devices: DeviceManager,
    private readonly sink: KioskSink,
  ) {}

  start(): void {
    const onCard = (d: Device, card: SwipedCard): void => this.onCard(d, card);
    const onRemoved = (d: Device): void => this.to(d, (tid) => this.sink.toTerminal(tid, 'id-card-removed'));
    const onCardError = (d: Device, e: { code: string; message: string }): void => this.onCardError(d, e);
    const onScan = (d: Device, text: string): void => this.to(d, (tid) => this.sink.toTerminal(tid, 'scan', { text }));
    const onHealth = (d: Device): void => {
      if (d.kind === 'printer') this.to(d, (tid) => this.sendPrinterStatus(tid));
    };
    const onPrinted = (terminalId: string, ticketId: string, ok: boolean, code: string | null): void =>
      this.sink.toTerminal(terminalId, 'print-result', { ticketId, ok, code });
    this.devices.on('card', onCard);
    this.devices.on('card-removed', onRemoved);
    this.devices.on('card-error', onCardError);
    this.devices.on('scan', onScan);
    this.devices.on('health', onHealth);
    this.devices.on('printed', onPrinted);
    this.off.push(
      () => this.devices.off('printed', onPrinted),
      () => this.devices.off('card', onCard),
      () => this.devices.off('card-removed', onRemoved),
      () => this.devices.off('card-error', onCardError),
      () => this.devices.off('scan', onScan),
      () => this.devices.off('health', onHealth),
    );
  }

  stop(): void {
    for (const f of this.off.splice(0)) f();
  }

  /** The printers' state as the kiosk sees it: online if any printer is; else the first one's. */
  printerStatus(terminalId: string): DeviceHealth | null {
    const printers = this.devices.devices().filter((d) => d.kind === 'printer' && terminalOf(d) === terminalId);
    if (printers.length === 0) return null;
    const healths = printers.map((p) => this.devices.healthOf(p.id));
    return healths.find((h) => h.status === 'online') ?? (healths[0] as DeviceHealth);
  }

  sendPrinterStatus(terminalId: string): void {
    const h = this.printerStatus(terminalId);
    if (h) this.sink.toTerminal(terminalId, 'printer-status', { status: h.status, detail: h.detail });
  }

  private to(d: Device, send: (terminalId: string) => void): void {
    const tid = terminalOf(d);
    if (tid) send(tid);
  }

  private onCard(d: Device, card: SwipedCard): void {
    const terminalId = terminalOf(d);
    // A reader attached to no kiosk has nobody to tell; the card is dropped unread.
    if (!terminalId) return;
    if (!plausibleIdNumber(card.idNumber) || !/^\d{4}-\d{2}-\d{2}$/.test(card.birthDate)) {
      this.sink.toTerminal(terminalId, 'id-card-error', hallError('PROTOCOL.INVALID_ID_NUMBER', '证件号码无效，请人工办理 invalid ID number'));
      return;
    }
    const { core, config } = this.ctx;
    const now = core.now();
    const tz = core.viewContext().tz;
    const maskedName = maskName(card.name);
    const holder = { maskedName, idHash: idNumberHash(this.ctx.idKey, card.idNumber), birthDate: card.birthDate };
    const cardToken = this.ctx.cardTokens.register(holder, terminalId, now);
    const elderly = ageOn(card.birthDate, hallDate(now, tz)) >= config.data.hall.policy.elderlyAge;
    this.sink.toTerminal(terminalId, 'id-card', { cardToken, maskedName, elderly, validUntil: card.validTo });
  }

  private onCardError(d: Device, e: { code: string; message: string }): void {
    const terminalId = terminalOf(d);
    if (!terminalId || !CARD_ERRORS_SHOWN.has(e.code)) return;
    const error =
      e.code === 'ID_READER.INVALID_ID_NUMBER'
        ? hallError('PROTOCOL.INVALID_ID_NUMBER', '证件号码无效，请人工办理 invalid ID number')
        : hallError('PROTOCOL.INVALID_PAYLOAD', '读卡失败，请重新放置身份证 card could not be read', { reason: e.code });
    this.sink.toTerminal(terminalId, 'id-card-error', error);
  }
}
