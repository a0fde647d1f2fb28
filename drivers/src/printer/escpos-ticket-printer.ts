/**
 * The ticket printer driver: ESC/POS over any Transport (serial, TCP 9100, USB printer file).
 * Jobs are queued and printed one at a time; before each job it asks DLE EOT status where the
 * transport can read and refuses to print into an empty roll or an open cover.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceDriver, DeviceDriverEvents, DeviceHealth } from '../device';
import type { Transport } from '../transport/transport';
import type { PrinterCharset } from './charset';
import { encodeTicketOps, type QrMode } from './escpos-encoder';
import {
  failureOf,
  HEALTH_DETAIL,
  healthOf,
  isStatusByte,
  parseStatus,
  STATUS_REQUEST,
  STATUS_REQUEST_KINDS,
  type PrinterStatus,
  type PrintResult,
  type PrintStage,
} from './printer-status';
import { rasterizeQr } from './qr-raster';
import { warmUpTextRaster } from './text-raster';
import type { PaperWidth, TicketPrintJob } from './ticket-job';
import { layoutTicket } from './ticket-layout';

export interface EscposTicketPrinterOptions {
  /**
   * Load the canvas and CJK font at start so the first out-of-charset line prints without a
   * ~100 ms pause. Off by default: it costs ~20 MB for a line most halls print rarely.
   */
  warmUpTextRaster?: boolean;
  /** Default 58. */
  paperWidth?: PaperWidth;
  /** 'raster' for printers without GS ( k. Default 'native'. */
  qrMode?: QrMode;
  /** The printer's font. Default 'gb2312'. */
  charset?: PrinterCharset;
  /** Wait this long for DLE EOT answers, then print anyway (status unknown). Default 200 ms. */
  statusTimeoutMs?: number;
  /** Ask status every this many ms while idle, so health shows paper out before a citizen finds it; 0 = never. Default 0. */
  statusPollMs?: number;
  /** When print() on a started printer finds the link closed, try to open it once first. Default true. */
  reopenOnPrint?: boolean;
  /**
   * After the cut, wait this long before asking DLE EOT again. DLE EOT is answered at once,
   * even while the printer still works through the ticket in its buffer, so the wait is about
   * the time one ticket takes to print; a roll that ends after it shows at the next job's
   * check. Default 1000 ms; 0 for simulators, which print the instant the cut arrives.
   */
  afterCutStatusDelayMs?: number;
}

/** performance.now() timestamps of one job, for benchmarks. */
export interface PrintTiming {
  /** print() was called. */
  queuedAt: number;
  /** The job reached the head of the queue. */
  startedAt: number;
  encodeMs: number;
  /** Time spent asking DLE EOT (0 when not asked). */
  statusMs: number;
  /** transport.write() was called. */
  writeCalledAt: number;
  /** transport.write() resolved. */
  writtenAt: number;
  bytes: number;
}

export interface EscposTicketPrinterEvents extends DeviceDriverEvents {
  printed: [timing: PrintTiming];
}

type Failure = Extract<PrintResult, { ok: false }>;

const OFFLINE: DeviceHealth = { status: 'offline', detail: HEALTH_DETAIL.offline };
const ONLINE: DeviceHealth = { status: 'online', detail: null };
/** After this many unanswered status requests in a row, stop delaying jobs with them. */
const MAX_SILENT_QUERIES = 2;

export class EscposTicketPrinter extends EventEmitter<EscposTicketPrinterEvents> implements DeviceDriver {
  readonly paperWidth: PaperWidth;
  readonly qrMode: QrMode;
  private readonly warmTextRaster: boolean;
  readonly charset: PrinterCharset;
  /** The last status the printer reported, or null when it never answered. */
  lastStatus: PrinterStatus | null = null;
  /** Timing of the last job that reached the transport. */
  lastTiming: PrintTiming | null = null;
  private current: DeviceHealth = OFFLINE;
  private readonly statusTimeoutMs: number;
  private readonly statusPollMs: number;
  private readonly reopenOnPrint: boolean;
  private readonly afterCutStatusDelayMs: number;
  private queue: Promise<unknown> = Promise.resolve();
  private pendingJobs = 0;
  private silentQueries = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private running = false;
  private waiter: { answers: number[]; done: (answers: number[]) => void } | null = null;
  /** True while this driver opens the link itself (and asks status right after anyway). */
  private selfOpening = false;

  private readonly onOpen = (): void => {
    this.silentQueries = 0;
    this.setHealth(ONLINE);
    // Someone else (the device manager's retry) reopened the link: learn the paper state now.
    if (this.running && !this.selfOpening && this.transport.canRead) void this.refreshStatus();
  };
  private readonly onClose = (): void => {
    this.finishWaiter();
    this.setHealth(OFFLINE);
  };
  private readonly onData = (chunk: Buffer): void => {
    const waiter = this.waiter;
    if (!waiter) return;
    for (const b of chunk) if (isStatusByte(b)) waiter.answers.push(b);
    if (waiter.answers.length >= STATUS_REQUEST_KINDS.length) this.finishWaiter();
  };

  constructor(
    readonly transport: Transport,
    options: EscposTicketPrinterOptions = {},
  ) {
    super();
    this.paperWidth = options.paperWidth ?? 58;
    this.qrMode = options.qrMode ?? 'native';
    this.warmTextRaster = options.warmUpTextRaster ?? false;
    this.charset = options.charset ?? 'gb2312';
    this.statusTimeoutMs = options.statusTimeoutMs ?? 200;
    this.statusPollMs = options.statusPollMs ?? 0;
    this.reopenOnPrint = options.reopenOnPrint ?? true;
    this.afterCutStatusDelayMs = options.afterCutStatusDelayMs ?? 1000;
    transport.on('open', this.onOpen);
    transport.on('close', this.onClose);
    transport.on('data', this.onData);
  }

  get health(): DeviceHealth {
    return this.current;
  }

  /** Opens the link (a missing printer is reported as offline, not thrown) and reads status. */
  async start(): Promise<void> {
    this.running = true;
    this.warmUp();
    if (!this.transport.isOpen) {
      if (!(await this.openSelf())) this.setHealth(OFFLINE);
    } else {
      this.setHealth(ONLINE);
    }
    if (this.transport.isOpen && this.transport.canRead) await this.refreshStatus();
    if (this.statusPollMs > 0 && !this.pollTimer) {
      this.pollTimer = setInterval(() => {
        if (this.pendingJobs === 0 && this.transport.isOpen && this.transport.canRead) void this.refreshStatus();
      }, this.statusPollMs);
      this.pollTimer.unref();
    }
  }

  /** Pays the one-time costs (font registration, canvas, QR tables) here instead of in the first print. */
  private warmUp(): void {
    try {
      if (this.warmTextRaster) warmUpTextRaster();
      if (this.qrMode === 'raster') rasterizeQr('warm-up', { moduleSize: 1, errorCorrection: 'M', paperDots: 64, align: 'left' });
    } catch {
      // A missing font only matters for a raster line; that print reports its own error.
    }
  }

  /** Lets queued jobs finish, then closes the link. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.queue.catch(() => undefined);
    await this.transport.close().catch(() => undefined);
    this.setHealth(OFFLINE);
  }

  /**
   * Queues one ticket. Resolves, never rejects, once its bytes reached the printer and, where
   * the transport reads, the printer's status after the cut was asked: `ok` (with a warning such
   * as paper near end), or the reason the ticket did not come out whole (`stage` says whether
   * anything was sent). A printer that never answers status is taken at its word: `ok`.
   */
  print(job: TicketPrintJob): Promise<PrintResult> {
    const queuedAt = performance.now();
    return this.enqueue(() => this.printNow(job, queuedAt)).catch(
      (err: unknown): PrintResult => ({ ok: false, code: 'PRINTER.ERROR', message: `打印失败 print failed: ${errorText(err)}`, stage: 'before-print' }),
    );
  }

  /** The ESC/POS bytes this printer would send for a job (no I/O). */
  encode(job: TicketPrintJob): Buffer {
    return encodeTicketOps(layoutTicket(job, { paperWidth: this.paperWidth }), {
      paperWidth: this.paperWidth,
      qrMode: this.qrMode,
      charset: this.charset,
    });
  }

  /** Asks DLE EOT now (after queued jobs) and updates health; returns the health. */
  refreshStatus(): Promise<DeviceHealth> {
    return this.enqueue(async () => {
      if (!this.transport.isOpen) return this.current;
      const status = await this.queryStatus(true);
      if (status) this.setHealth(healthOf(status));
      return this.current;
    }).catch(() => this.current);
  }

  private async openSelf(): Promise<boolean> {
    this.selfOpening = true;
    try {
      await this.transport.open();
      return true;
    } catch {
      return false;
    } finally {
      this.selfOpening = false;
    }
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.pendingJobs++;
    const run = this.queue.then(task).finally(() => this.pendingJobs--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async printNow(job: TicketPrintJob, queuedAt: number): Promise<PrintResult> {
    const startedAt = performance.now();
    if (!this.transport.isOpen) {
      // Only a started driver reopens: after stop() the port stays released.
      const reopened = this.running && this.reopenOnPrint && (await this.openSelf());
      if (!reopened || !this.transport.isOpen) {
        this.setHealth(OFFLINE);
        return offline('before-print');
      }
    }
    const bytes = this.encode(job);
    const encodedAt = performance.now();

    let status: PrinterStatus | null = null;
    if (this.transport.canRead && this.silentQueries < MAX_SILENT_QUERIES) status = await this.queryStatus(false);
    const statusMs = performance.now() - encodedAt;
    if (!this.transport.isOpen) {
      this.setHealth(OFFLINE);
      return offline('before-print');
    }
    if (status) {
      this.setHealth(healthOf(status));
      const failure = failureOf(status, 'before-print');
      if (failure) return failure;
    }

    const writeCalledAt = performance.now();
    try {
      await this.transport.write(bytes);
    } catch {
      this.setHealth(OFFLINE);
      return offline('while-printing');
    }
    if (!status && this.current.status === 'offline') this.setHealth(ONLINE);
    const timing: PrintTiming = {
      queuedAt,
      startedAt,
      encodeMs: encodedAt - startedAt,
      statusMs,
      writeCalledAt,
      writtenAt: performance.now(),
      bytes: bytes.length,
    };
    this.lastTiming = timing;
    this.emit('printed', timing);
    return this.checkAfterCut(status);
  }

  /**
   * The bytes are out; did the ticket come out? Asks DLE EOT once more after the cut: paper
   * out or a cover opened while printing fails the job, paper near end is a warning.
   */
  private async checkAfterCut(before: PrinterStatus | null): Promise<PrintResult> {
    let after: PrinterStatus | null = null;
    if (this.transport.canRead && this.silentQueries < MAX_SILENT_QUERIES) {
      if (this.afterCutStatusDelayMs > 0) await sleep(this.afterCutStatusDelayMs);
      if (this.transport.isOpen) after = await this.queryStatus(false);
    }
    if (after) {
      this.setHealth(healthOf(after));
      const failure = failureOf(after, 'while-printing');
      if (failure) return failure;
    }
    return (after ?? before)?.paperNearEnd ? { ok: true, warning: 'PRINTER.PAPER_NEAR_END' } : { ok: true };
  }

  /**
   * Sends DLE EOT 1, 2, 4 and collects the answers. Null when the printer said nothing within
   * the timeout (some printers and most USB printer files never answer): status unknown.
   */
  private queryStatus(fromRefresh: boolean): Promise<PrinterStatus | null> {
    if (this.waiter) this.finishWaiter();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finishWaiter(), this.statusTimeoutMs);
      this.waiter = {
        answers: [],
        done: (answers) => {
          clearTimeout(timer);
          if (answers.length === 0) {
            // A refresh that hears nothing does not stop jobs from asking; silence before jobs does.
            if (!fromRefresh) this.silentQueries++;
            return resolve(null);
          }
          this.silentQueries = 0;
          this.lastStatus = parseStatus(answers);
          resolve(this.lastStatus);
        },
      };
      this.transport.write(STATUS_REQUEST).catch(() => this.finishWaiter());
    });
  }

  private finishWaiter(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.done(waiter.answers);
  }

  private setHealth(next: DeviceHealth): void {
    if (next.status === this.current.status && next.detail === this.current.detail) return;
    this.current = next;
    this.emit('health', next);
  }
}

function offline(stage: PrintStage): Failure {
  return { ok: false, code: 'PRINTER.OFFLINE', message: HEALTH_DETAIL.offline, stage };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
