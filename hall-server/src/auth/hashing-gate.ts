/**
 * scrypt runs on libuv's threadpool (4 threads), which the journal's file writes share. Password
 * hashing goes through this gate: `concurrency` at a time and at most `maxWaiting` in line, so a
 * login flood can never hold every thread; beyond the line the caller is told to come back later.
 */
export class HashingGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency = 1,
    private readonly maxWaiting = 8,
  ) {}

  /** Runs `work` when a slot is free; undefined (not run) when the line is full. */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.concurrency && this.waiting.length >= this.maxWaiting) return undefined;
    return this.slot().then(async () => {
      try {
        return await work();
      } finally {
        this.running--;
        this.waiting.shift()?.();
      }
    });
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    // A finishing task wakes the next in line (see tryRun).
    return new Promise((resolve) => this.waiting.push(() => (this.running++, resolve())));
  }
}
