/** Counter LED board (窗口屏): a few lines, e.g. 「请A001号」 / 「3号窗口 社保」 / 「暂停服务」. */
import type { DeviceDriver } from '../device';
import { BusDevice, combine, type DisplayResult } from './bus-device';
import { showTextPayload } from './command-set';
import type { Rs485Bus } from './rs485-bus';

export interface LedBoardOptions {
  /** Lines the board has; `show()` always writes all of them. Default 2. */
  lineCount?: number;
}

export class LedBoard extends BusDevice implements DeviceDriver {
  readonly kind: string = 'led-board';
  readonly hasEvents = false;
  readonly lineCount: number;
  /** What the board should show; null until the first show/clear. Re-sent after a replug. */
  private lines: string[] | null = null;
  private brightness: number | null = null;

  constructor(bus: Rs485Bus, address: number, options: LedBoardOptions = {}) {
    super(bus, address);
    this.lineCount = Math.max(1, options.lineCount ?? 2);
  }

  /** The lines the board is meant to show (empty strings for blank lines). */
  get shown(): readonly string[] {
    return this.lines ?? [];
  }

  /** Shows `lines` (line 1 = top); missing lines are blanked, extra lines dropped. */
  show(lines: readonly string[]): Promise<DisplayResult> {
    this.lines = Array.from({ length: this.lineCount }, (_, i) => lines[i] ?? '');
    return this.sendLines(this.lines);
  }

  clear(): Promise<DisplayResult> {
    this.lines = Array.from({ length: this.lineCount }, () => '');
    return this.send(this.profile.functions.clear).then((r) => combine([r], { replaced: [], truncated: false }));
  }

  /** Brightness 0..15. */
  setBrightness(level: number): Promise<DisplayResult> {
    this.brightness = Math.max(0, Math.min(15, Math.round(level)));
    return this.send(this.profile.functions.brightness, Uint8Array.of(this.brightness)).then((r) =>
      combine([r], { replaced: [], truncated: false }),
    );
  }

  restore(): void {
    if (this.brightness !== null) void this.send(this.profile.functions.brightness, Uint8Array.of(this.brightness));
    if (this.lines) void this.sendLines(this.lines);
  }

  private async sendLines(lines: string[]): Promise<DisplayResult> {
    const parts = lines.map((text, i) => showTextPayload(this.profile, i + 1, text));
    const results = await Promise.all(parts.map((p) => this.send(this.profile.functions.showText, p.payload)));
    return combine(results, { replaced: parts.flatMap((p) => p.replaced), truncated: parts.some((p) => p.truncated) });
  }
}
