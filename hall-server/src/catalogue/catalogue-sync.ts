/**
 * The downstream side of the catalogue: fetches the upstream hall's catalogue in the background
 * (never on a request's path: a hall never waits for its upstream), keeps the latest copy in the
 * data folder so a restart offline still knows it, and backs off while the link is down.
 * Each fetch also reports this hall's services and their catalogue codes (and those its own
 * downstream halls reported), so the upstream can compare halls by code.
 */
import { CatalogueFeed, describeZodError, toHallIso, type CatalogueFeedRequest, type CatalogueItem, type CatalogueUpstreamStatus } from '@hall/protocol';
import { z } from 'zod';
import { backoffDelay } from '../network/backoff';
import type { Timers } from '../network/upstream-pusher';

/** What is kept in `data/catalogue-upstream.json`. */
export const UpstreamCopy = z.object({
  url: z.string(),
  hallId: z.string(),
  fetchedAt: z.string(),
  items: CatalogueFeed.shape.items,
});
export type UpstreamCopy = z.infer<typeof UpstreamCopy>;

export interface CopyFile {
  read(): Promise<unknown>;
  write(data: UpstreamCopy): Promise<void>;
}

export interface CatalogueSyncOptions {
  /** Read at every attempt: the admin may set or change the upstream while the hall runs. */
  upstream: () => { url: string; token: string } | null;
  file: CopyFile;
  /** This hall's services as reported upstream. */
  services: () => CatalogueFeedRequest['services'];
  /** What this hall's downstream halls reported, passed on. */
  relayed?: () => CatalogueFeedRequest['relayed'];
  clock: () => number;
  tz: string;
  fetch?: typeof fetch;
  /** setTimeout in production; tests run timers by hand. */
  timers?: Timers;
  /** Jitter of the retry delays (default Math.random): 300 villages that lost the county retry spread out. */
  random?: () => number;
  /** Between successful fetches; default 5 minutes. */
  intervalMs?: number;
  /** First retry after a failure (at most), doubled per failure up to `maxBackoffMs`; default 5 s and 30 min. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

const realTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

/** The feed URL of an upstream hall's base URL (a trailing slash or path prefix is kept). */
export function feedUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/api/catalogue/feed`;
}

/** The wait before the next attempt after `failures` failures in a row (0: the regular interval). */
export function nextDelay(failures: number, o: { intervalMs: number; minBackoffMs: number; maxBackoffMs: number }, random: () => number): number {
  if (failures === 0) return o.intervalMs;
  return backoffDelay(failures, { baseMs: o.minBackoffMs, capMs: o.maxBackoffMs }, random);
}

export class CatalogueSync {
  private copy: UpstreamCopy | null = null;
  private lastAttemptAt: number | null = null;
  private error: string | null = null;
  private nextAt: number | null = null;
  private failures = 0;
  private timer: unknown = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly timers: Timers;
  private readonly delays: { intervalMs: number; minBackoffMs: number; maxBackoffMs: number };

  constructor(private readonly opts: CatalogueSyncOptions) {
    this.timers = opts.timers ?? realTimers;
    this.delays = { intervalMs: opts.intervalMs ?? 5 * 60_000, minBackoffMs: opts.minBackoffMs ?? 5_000, maxBackoffMs: opts.maxBackoffMs ?? 30 * 60_000 };
  }

  /** Reads the kept copy; an unreadable or invalid file is logged and ignored (the next fetch replaces it). */
  async load(): Promise<void> {
    try {
      const raw = await this.opts.file.read();
      if (raw === null) return;
      const parsed = UpstreamCopy.safeParse(raw);
      if (parsed.success) this.copy = parsed.data;
      else this.opts.log.warn({ reason: describeZodError(parsed.error) }, 'catalogue copy ignored');
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'catalogue copy unreadable');
    }
  }

  /** Starts the background loop: a first attempt after `firstDelayMs`, then by interval or backoff. */
  start(firstDelayMs = 1_000): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The upstream's items as last fetched (empty before the first fetch). */
  items(): CatalogueItem[] {
    return this.copy?.items ?? [];
  }

  status(): CatalogueUpstreamStatus | null {
    const up = this.opts.upstream();
    if (!up) return null;
    const iso = (ms: number | null) => (ms === null ? null : toHallIso(ms, this.opts.tz));
    return {
      url: up.url,
      hallId: this.copy?.hallId ?? null,
      fetchedAt: this.copy?.fetchedAt ?? null,
      lastAttemptAt: iso(this.lastAttemptAt),
      error: this.error,
      nextAttemptAt: iso(this.nextAt),
    };
  }

  /** One fetch now (the admin's 立即同步); concurrent calls share it. Never throws. */
  syncNow(): Promise<void> {
    this.running ??= this.attempt().finally(() => {
      this.running = null;
      if (!this.stopped) this.schedule(nextDelay(this.failures, this.delays, this.opts.random ?? Math.random));
    });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.nextAt = this.opts.clock() + ms;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.syncNow();
    }, ms);
  }

  private async attempt(): Promise<void> {
    const up = this.opts.upstream();
    if (!up) {
      this.error = null;
      this.failures = 0;
      return;
    }
    this.lastAttemptAt = this.opts.clock();
    try {
      const feed = await this.fetchFeed(up);
      const copy: UpstreamCopy = { url: up.url, hallId: feed.hallId, fetchedAt: toHallIso(this.opts.clock(), this.opts.tz), items: feed.items };
      await this.opts.file.write(copy);
      const changed = JSON.stringify(this.copy?.items) !== JSON.stringify(copy.items);
      this.copy = copy;
      this.error = null;
      this.failures = 0;
      if (changed) this.opts.log.info({ items: copy.items.length, upstream: copy.hallId }, 'catalogue updated from upstream');
    } catch (err) {
      this.failures++;
      this.error = (err as Error).message;
      this.opts.log.warn({ failures: this.failures, reason: this.error }, 'catalogue fetch failed');
    }
  }

  private async fetchFeed(up: { url: string; token: string }): Promise<CatalogueFeed> {
    const res = await (this.opts.fetch ?? fetch)(feedUrl(up.url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${up.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ services: this.opts.services(), relayed: this.opts.relayed?.() ?? [] } satisfies CatalogueFeedRequest),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`HTTP ${res.status}: not JSON`);
    }
    if (!res.ok) {
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
      throw new Error(`HTTP ${res.status}${typeof code === 'string' ? ` ${code}` : ''}`);
    }
    const parsed = CatalogueFeed.safeParse(body);
    if (!parsed.success) throw new Error(`bad feed: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }
}
