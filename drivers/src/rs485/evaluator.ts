/** Evaluator (评价器): shows 「请评价」 with the clerk's name and staff number, takes a 1..5 rating (好差评). */
import type { DeviceDriver, DeviceDriverEvents } from '../device';
import { BusDevice, combine, type DisplayResult } from './bus-device';
import { ackPayload, isRatingScore, parseEvent, RATING_LABELS, ratingStartPayload, type RatingScore } from './command-set';
import type { Frame } from './frame-codec';

export interface Rating {
  score: RatingScore;
  /** 非常满意 … 非常不满意 */
  label: string;
}

export interface EvaluatorEvents extends DeviceDriverEvents {
  rating: [rating: Rating];
}

export interface Clerk {
  clerkName: string;
  staffNo: string;
}

export class Evaluator extends BusDevice<EvaluatorEvents> implements DeviceDriver {
  readonly kind: string = 'evaluator';
  readonly hasEvents = true;
  private active: Clerk | null = null;

  /** The clerk being rated, while the evaluator asks for a rating. */
  get rating(): Clerk | null {
    return this.active;
  }

  /** Shows 「请评价」 with the clerk (挂牌上岗) and lights the keys. */
  startRating(clerk: Clerk): Promise<DisplayResult> {
    this.active = { clerkName: clerk.clerkName, staffNo: clerk.staffNo };
    return this.sendStart(this.active);
  }

  /** Ends the request without a rating (the citizen left, the clerk moved on). */
  async cancel(): Promise<DisplayResult> {
    this.active = null;
    return combine([await this.send(this.profile.functions.ratingCancel)], { replaced: [], truncated: false });
  }

  restore(): void {
    if (this.active) void this.sendStart(this.active);
  }

  override onFrame(frame: Frame): Buffer | null {
    if (frame.func !== this.profile.functions.ratingResult) {
      this.warn(`unexpected function 0x${frame.func.toString(16)}`);
      return null;
    }
    const ev = parseEvent(frame.data);
    if (!ev) return null;
    if (!this.isRepeat(ev.seq)) {
      if (isRatingScore(ev.value)) {
        this.active = null;
        this.emit('rating', { score: ev.value, label: RATING_LABELS[ev.value] });
      } else this.warn(`rating ${ev.value} outside 1..5`);
    }
    return ackPayload(frame.func, ev.seq);
  }

  private async sendStart(clerk: Clerk): Promise<DisplayResult> {
    const p = ratingStartPayload(this.profile, clerk.clerkName, clerk.staffNo);
    return combine([await this.send(this.profile.functions.ratingStart, p.payload)], p);
  }
}
