/**
 * A small load generator: node:http with a keep-alive Agent, a closed loop (N clients, each sends
 * its next request when the previous one is answered) and an open loop (requests sent on a fixed
 * schedule whatever the answers; latency counted from the *scheduled* send time, so a slow server
 * cannot hide its queueing: no coordinated omission).
 */
import { Agent, request as httpRequest } from 'node:http';

export interface Reply {
  status: number;
  text: string;
}

export class HttpClient {
  readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets = 64) {
    const u = new URL(baseUrl);
    if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') throw new Error(`benchmarks only talk to loopback, not ${u.hostname}`);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  }

  /**
   * One request. A kept-alive socket that the server closed as idle just as it was reused fails
   * with ECONNRESET before the server read the request; that request is sent again on a new
   * socket (the retry Node's http docs give for `reusedSocket`). Under load, 500 screens take
   * longer to connect than the server keeps idle sockets, and the next request met this.
   */
  async request(method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
    try {
      return await this.send(method, path, body, token);
    } catch (err) {
      if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return this.send(method, path, body, token);
      throw err;
    }
  }

  private send(method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {};
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (token) headers.authorization = `Bearer ${token}`;
    return new Promise<Reply>((resolve, reject) => {
      const req = httpRequest({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  }

  async json<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const r = await this.request(method, path, body, token);
    let parsed: unknown;
    try {
      parsed = r.text ? JSON.parse(r.text) : undefined;
    } catch {
      parsed = r.text;
    }
    return { status: r.status, body: parsed as T };
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles, in ms, rounded to 0.01. */
export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => (s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number));
  const r = (x: number): number => Math.round(x * 100) / 100;
  const mean = s.length === 0 ? NaN : s.reduce((a, b) => a + b, 0) / s.length;
  return { count: s.length, p50: r(at(0.5)), p90: r(at(0.9)), p99: r(at(0.99)), max: r(s.at(-1) ?? NaN), mean: r(mean) };
}

/** `send` resolves true for a success, false for a refused request; a throw is an error. */
export type Send = (i: number) => Promise<boolean>;

export interface LoopResult {
  sent: number;
  ok: number;
  failed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Successful requests per second over the loop. */
  throughput: number;
  latency: Summary;
  /** Raw latencies (ms), for merging rounds; dropped from reports. */
  samples?: number[];
  /** Open loop: how late each request left against its schedule (ms). */
  lateSendMs?: Summary;
  lateSamples?: number[];
}

/** Rounds of the same loop as one result: sums, and percentiles over all samples. */
export function combine(rounds: LoopResult[]): LoopResult {
  const samples = rounds.flatMap((r) => r.samples ?? []);
  const late = rounds.flatMap((r) => r.lateSamples ?? []);
  const ok = rounds.reduce((n, r) => n + r.ok, 0);
  const elapsedMs = rounds.reduce((n, r) => n + r.elapsedMs, 0);
  const firstError = rounds.find((r) => r.firstError)?.firstError;
  return {
    sent: rounds.reduce((n, r) => n + r.sent, 0),
    ok,
    failed: rounds.reduce((n, r) => n + r.failed, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    ...(firstError ? { firstError } : {}),
    elapsedMs,
    throughput: Math.round((ok / elapsedMs) * 1000),
    latency: summarize(samples),
    ...(late.length > 0 ? { lateSendMs: summarize(late) } : {}),
  };
}

/** A result without its raw samples (for JSON). */
export function strip(r: LoopResult): LoopResult {
  const { samples: _s, lateSamples: _l, ...rest } = r;
  return rest;
}

/**
 * `concurrency` clients, each sending its next request as soon as the last is answered, until
 * `durationMs` has passed or `maxRequests` were started (whichever first).
 */
export async function closedLoop(opts: { concurrency: number; durationMs?: number; maxRequests?: number; send: Send }): Promise<LoopResult> {
  const { concurrency, send } = opts;
  const maxRequests = opts.maxRequests ?? Number.POSITIVE_INFINITY;
  const durationMs = opts.durationMs ?? Number.POSITIVE_INFINITY;
  if (!Number.isFinite(maxRequests) && !Number.isFinite(durationMs)) throw new Error('closedLoop needs a duration or a count');
  const lat: number[] = [];
  let started = 0;
  let ok = 0;
  let failed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const client = async (): Promise<void> => {
    while (started < maxRequests && performance.now() - t0 < durationMs) {
      const i = started++;
      const s = performance.now();
      try {
        if (await send(i)) ok++;
        else failed++;
        lat.push(performance.now() - s);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return loopResult({ sent: started, ok, failed, errors, firstError }, t0, lat);
}

/**
 * Open loop: request i is due at t0 + i / rate, sent then (or as soon as the event loop gets
 * there) whatever happened to earlier ones; its latency runs from the due time to the answer.
 */
export async function openLoop(opts: { ratePerSec: number; durationMs: number; send: Send }): Promise<LoopResult> {
  const { ratePerSec, durationMs, send } = opts;
  const total = Math.round((ratePerSec * durationMs) / 1000);
  const interval = 1000 / ratePerSec;
  const lat: number[] = [];
  const late: number[] = [];
  const inflight: Promise<void>[] = [];
  let ok = 0;
  let failed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now() + 5;
  let next = 0;
  await new Promise<void>((done) => {
    const tick = (): void => {
      const now = performance.now();
      while (next < total && t0 + next * interval <= now) {
        const due = t0 + next * interval;
        const i = next++;
        late.push(performance.now() - due);
        inflight.push(
          send(i).then(
            (good) => {
              if (good) ok++;
              else failed++;
              lat.push(performance.now() - due);
            },
            (e: unknown) => {
              errors++;
              firstError ??= (e as Error).message;
            },
          ),
        );
      }
      if (next >= total) return done();
      setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
    };
    setTimeout(tick, 5);
  });
  await Promise.all(inflight);
  return {
    ...loopResult({ sent: total, ok, failed, errors, firstError }, t0, lat),
    lateSendMs: summarize(late),
    lateSamples: late,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The fields both loops report, from their counters, start time and latency samples. */
function loopResult(
  c: { sent: number; ok: number; failed: number; errors: number; firstError: string | undefined },
  t0: number,
  lat: number[],
): LoopResult {
  const elapsedMs = performance.now() - t0;
  return {
    sent: c.sent,
    ok: c.ok,
    failed: c.failed,
    errors: c.errors,
    ...(c.firstError ? { firstError: c.firstError } : {}),
    elapsedMs: Math.round(elapsedMs),
    throughput: Math.round((c.ok / elapsedMs) * 1000),
    latency: summarize(lat),
    samples: lat,
  };
}
