/**
 * Keyboard-wedge scanners type a code into the focused page far faster than a person, then
 * press Enter. The collector keeps printable keys that follow each other within `maxGapMs`
 * and reports the run when Enter ends it; slower typing starts a new run and is never reported.
 */
export interface ScannerOptions {
  /** Longest gap between two keys of one scan (ms). */
  maxGapMs?: number;
  /** Shortest code worth reporting. */
  minLength?: number;
  onScan: (text: string) => void;
}

export class ScannerCollector {
  private buffer = '';
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private readonly onScan: (text: string) => void;

  constructor(options: ScannerOptions) {
    this.maxGapMs = options.maxGapMs ?? 50;
    this.minLength = options.minLength ?? 4;
    this.onScan = options.onScan;
  }

  /**
   * Feed one `KeyboardEvent.key` with its time stamp (ms). Returns true when the key ended a
   * scan (the caller should then stop the Enter from doing anything else).
   */
  key(key: string, at: number): boolean {
    const fast = at - this.lastAt < this.maxGapMs;
    if (key === 'Enter') {
      const text = this.buffer;
      this.reset();
      if (fast && text.length >= this.minLength) {
        this.onScan(text);
        return true;
      }
      return false;
    }
    // Shift, Control and friends come between the characters of an upper-case code.
    if (key.length !== 1) return false;
    this.buffer = fast ? this.buffer + key : key;
    this.lastAt = at;
    return false;
  }

  reset(): void {
    this.buffer = '';
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
