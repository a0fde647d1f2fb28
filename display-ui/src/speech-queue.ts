/**
 * Spoken calls, one after another: every phrase is said `repeat` times, calls that arrive while
 * one is spoken wait their turn, a phrase already waiting is not queued twice, and a long
 * backlog drops its oldest phrases (a call minutes old is no use to anybody). The voice itself
 * is behind `Speaker`, so this runs and is tested without a browser. Never two voices at once:
 * the browser's speech and the server's audio go through the same queue.
 */
export interface Utterance {
  text: string;
  /** The server's audio of the call: played instead of speaking `text`. */
  audioUrl?: string;
  /** Sayings of this one (server audio holds its own repeats: 1). */
  repeat?: number;
}

export interface Speaker {
  /** Resolves when the phrase has been said (or could not be). Never rejects. */
  speak(u: Utterance): Promise<void>;
  /** Stops the phrase being said now. */
  cancel(): void;
}

const keyOf = (u: Utterance): string => u.audioUrl ?? u.text;

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
  private readonly pending: Utterance[] = [];
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

  enqueue(what: string | Utterance): void {
    const u = typeof what === 'string' ? { text: what } : what;
    const phrase = { ...u, text: u.text.trim() };
    if (this.mutedFlag || (!phrase.text && !phrase.audioUrl) || this.pending.some((p) => keyOf(p) === keyOf(phrase))) return;
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
    return { speaking: this.current, pending: this.pending.map((p) => p.text) };
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const gen = this.generation;
        const phrase = this.pending.shift() as Utterance;
        this.current = phrase.text;
        this.onChange();
        const times = Math.max(1, phrase.repeat ?? this.repeat);
        for (let i = 0; i < times && gen === this.generation; i++) {
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
