/** Small helpers for driver tests: wait for an event or a condition, with a clear timeout. */
import type { EventEmitter } from 'node:events';
import type { Transport } from '../../transport/transport';

type AnyEmitter = Pick<EventEmitter, 'on' | 'off'>;

/** Resolves with the arguments of the next `event` for which `accept` holds. */
export function nextEvent<T extends unknown[] = unknown[]>(
  emitter: AnyEmitter,
  event: string,
  timeoutMs = 3000,
  accept: (...args: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: unknown[]): void => {
      if (!accept(...(args as T))) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args as T);
    };
    emitter.on(event, listener);
  });
}

/** Polls `check` until it is true. */
export async function until(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records every emission of `event` from now on. */
export function record<T extends unknown[] = unknown[]>(emitter: AnyEmitter, event: string): T[] {
  const seen: T[] = [];
  emitter.on(event, (...args: unknown[]) => seen.push(args as T));
  return seen;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Puts the cable back and reopens the host end until the driver is online, retrying as the
 * device manager does. The pause first lets the old port's last events pass: a SerialTransport
 * reopened at once can still receive the previous port's late `close`.
 */
export async function reopen(link: { host: Transport; replug?(): Promise<void> }, isOnline: () => boolean, waitMs: number): Promise<void> {
  await sleep(150);
  await link.replug?.();
  const end = Date.now() + waitMs;
  for (;;) {
    if (!link.host.isOpen) await link.host.open().catch(() => undefined);
    if (link.host.isOpen && isOnline()) return;
    if (Date.now() > end) throw new Error(`not online again within ${waitMs} ms of the replug`);
    await sleep(25);
  }
}
