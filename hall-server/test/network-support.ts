/** What the network's integration tests share: fast link timings and waiting for a condition. */

/** The upstream link made quick for tests (debounce, poll, backoff in ms). */
export const FAST_LINK = { debounceMs: 10, pollMs: 150, backoff: { baseMs: 40, capMs: 250 } };

/** Polls `fn` until it returns something truthy (and returns that), or throws after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}
