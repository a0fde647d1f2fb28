/**
 * Spoken calls, one after another: every phrase is said `repeat` times, calls that arrive while
 * one is spoken wait their turn, a phrase already waiting is not queued twice, and a long
 * backlog drops its oldest phrases (a call minutes old is no use to anybody). The voice itself
 * is behind `Speaker`, so this runs and is tested without a browser.
 */
export interface Speaker {
  /** Resolves when the phrase has been said (or could not be). Never rejects. */
  speak(text: string): Promise<void>;
  /** Stops the phrase being said now. */
  cancel(): void;
}

export interface SpeechQueueOptions {
  repeat?: number;
  /** Pause between two sayings (ms). */
  gapMs?: number;
  /** Phrases kept waiting at most. */
  maxPending?: number;
  sleep?: (ms: number) => Promise<void>;
  onChange?: () => void;
}

export class SpeechQueue {
  private readonly pending: string[] = [];
  private current: string | null = null;
  private running = false;
  private mutedFlag = false;
  private generation = 0;
  private readonly repeat: number;
  private readonly gapMs: number;
  private readonly maxPending: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onChange: () => void;

  constructor(
    private readonly speaker: Speaker,
    options: SpeechQueueOptions = {},
  ) {
    this.repeat = Math.max(1, options.repeat ?? 2);
    this.gapMs = options.gapMs ?? 700;
    this.maxPending = Math.max(1, options.maxPending ?? 6);
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.onChange = options.onChange ?? (() => undefined);
  }

  get muted(): boolean {
    return this.mutedFlag;
  }

  /** Muting drops what is waiting and stops the phrase being said. */
  setMuted(muted: boolean): void {
    this.mutedFlag = muted;
    if (muted) this.clear();
    this.onChange();
  }

  enqueue(text: string): void {
    const phrase = text.trim();
    if (this.mutedFlag || !phrase || this.pending.includes(phrase)) return;
    this.pending.push(phrase);
    while (this.pending.length > this.maxPending) this.pending.shift();
    this.onChange();
    void this.run();
  }

  clear(): void {
    this.pending.length = 0;
    this.generation++;
    if (this.current !== null) this.speaker.cancel();
    this.current = null;
    this.onChange();
  }

  /** What is being said now, then what waits. */
  state(): { speaking: string | null; pending: readonly string[] } {
    return { speaking: this.current, pending: [...this.pending] };
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const gen = this.generation;
        const phrase = this.pending.shift() as string;
        this.current = phrase;
        this.onChange();
        for (let i = 0; i < this.repeat && gen === this.generation; i++) {
          await this.speaker.speak(phrase);
          if (gen === this.generation) await this.sleep(this.gapMs);
        }
        if (gen === this.generation) this.current = null;
        this.onChange();
      }
    } finally {
      this.running = false;
    }
  }
}
