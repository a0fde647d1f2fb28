/**
 * Feeds the records received from downstream halls into this hall's read model, keyed by their
 * hall id, so every statistics and alerts route answers `hallId=<a downstream hall>` (and, with
 * no `hallId`, for all of them). A hall's day is projected whole the first time it is seen here
 * (since start, or a day not seen before: a catch-up of a day offline, late records of a closed
 * day), and live after that, exactly as the read model folds the hall's own journal. At start
 * each hall's latest day is projected again (its live fold was in memory).
 */
import type { JournalEventLike } from '../read-model/projector';
import { dayOf } from './hall-figures';
import { eventOfLine } from './journal-tail';
import type { ReceivedRecord } from './chain-check';
import type { NetworkStore } from './network-store';

/** The read model's door for another hall's events (ReadModelPort.pushRemote). */
export interface RemoteReadModel {
  /** `wholeDay`: these are all of that day's events (replace the day's rows); else live events. */
  pushRemote(hallId: string, events: readonly JournalEventLike[], wholeDay?: string): void;
  /** The hall's days in the tables and their event counts (a rebuilt read model has none). */
  remoteDays?(hallId: string): Promise<Array<{ day: string; events: number }>>;
}

export class RemoteProjection {
  /** The day each hall's live fold holds in the read model. */
  readonly #liveDay = new Map<string, string>();
  readonly #chains = new Map<string, Promise<void>>();

  constructor(
    private readonly store: () => Promise<NetworkStore>,
    private readonly readModel: RemoteReadModel,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  /**
   * At start: every hall's latest day, whole (its live fold was in memory), and any earlier day
   * the read model lacks or holds with another count (a read model rebuilt, a crash between a
   * batch's commit and its projection).
   */
  async start(): Promise<void> {
    const store = await this.store();
    for (const h of store.halls()) {
      const days = await store.dayCounts(h.id);
      const latest = days.at(-1)?.day;
      if (latest === undefined) continue;
      const known = await this.readModel.remoteDays?.(h.id).catch(() => null);
      // Without the read model's answer, only the latest day (the live fold needs it).
      const projected = known ? new Map(known.map((d) => [d.day, d.events])) : null;
      for (const d of days) {
        if (d.day === latest || (projected !== null && projected.get(d.day) !== d.records)) await this.#then(h.id, () => this.#projectDay(store, h.id, d.day));
      }
    }
  }

  /** New records of a hall, just stored. */
  accept(hallId: string, fresh: readonly ReceivedRecord[]): Promise<void> {
    return this.#then(hallId, async () => {
      const store = await this.store();
      let run: JournalEventLike[] = [];
      let runDay: string | null = null;
      const sendRun = async (): Promise<void> => {
        if (runDay === null || run.length === 0) return;
        if (this.#liveDay.get(hallId) === runDay) this.readModel.pushRemote(hallId, run);
        else await this.#projectDay(store, hallId, runDay);
        run = [];
      };
      for (const r of fresh) {
        const day = dayOf(r.event);
        if (day === null || typeof (r.event as { id?: unknown }).id !== 'string') continue;
        if (day !== runDay) {
          await sendRun();
          runDay = day;
        }
        run.push(r.event as unknown as JournalEventLike);
      }
      await sendRun();
    });
  }

  async #projectDay(store: NetworkStore, hallId: string, day: string): Promise<void> {
    const events = (await store.dayLines(hallId, day)).map((l) => eventOfLine<JournalEventLike>(l)).filter((e) => typeof e.id === 'string' && typeof e.at === 'string');
    this.readModel.pushRemote(hallId, events, day);
    const live = this.#liveDay.get(hallId);
    if (live === undefined || day > live) this.#liveDay.set(hallId, day);
  }

  /** One hall's projections in order; a failure is logged and the next records go on. */
  #then(hallId: string, fn: () => Promise<void>): Promise<void> {
    const run = (this.#chains.get(hallId) ?? Promise.resolve()).then(fn).catch((err: Error) => this.log.warn({ hallId, err: { message: err.message } }, 'network: records not projected into the read model'));
    this.#chains.set(hallId, run);
    return run;
  }
}
