/**
 * Keeps the phone's screen on while the citizen waits with alerts on: a phone that sleeps
 * suspends the page, and a suspended page cannot beep when the number is called. Browsers drop
 * the lock whenever the page is hidden; it is taken again when the page shows.
 */
interface Sentinel {
  released: boolean;
  release(): Promise<void>;
}
interface WakeLockApi {
  request(type: 'screen'): Promise<Sentinel>;
}

export function createScreenKeeper(api: WakeLockApi | undefined = (globalThis.navigator as { wakeLock?: WakeLockApi } | undefined)?.wakeLock) {
  let wanted = false;
  let lock: Sentinel | null = null;
  /** A request under way: a touch and the button's click right after it ask once. */
  let pending: Promise<boolean> | null = null;
  function take(): Promise<boolean> {
    if (!api || !wanted) return Promise.resolve(false);
    if (lock && !lock.released) return Promise.resolve(true);
    pending ??= api.request('screen').then(
      (l) => {
        lock = l;
        pending = null;
        // Released (the ticket ended) while the request was under way.
        if (!wanted) void l.release().catch(() => undefined);
        return wanted;
      },
      () => {
        // Low battery, or a browser that refuses: the page still beeps while it is open.
        pending = null;
        return false;
      },
    );
    return pending;
  }
  if (typeof document !== 'undefined') {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void take();
    });
  }
  return {
    supported: api !== undefined,
    /** Keep the screen on (from a touch); false when the browser would not. */
    keep(): Promise<boolean> {
      wanted = true;
      return take();
    },
    /** The ticket is over: let the phone sleep again. */
    release(): void {
      wanted = false;
      void lock?.release().catch(() => undefined);
      lock = null;
    },
  };
}
