/**
 * Fills a data folder's journal the way the server would: commands decided and applied by the
 * pure engine (`decide`/`apply`, src/queue) against the folder's own config, their events
 * appended with the real `Journal` class (src/journal), so the file's format, hash chain and
 * fdatasync are exactly the server's. Much faster than the HTTP API for big days; the server
 * then replays it on start like any other journal.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { hallDate, hallMidnight, isAuditEvent, type Actor, type AuditEvent, type HallConfig, type QueueCommand, type QueueEvent } from '@hall/protocol';
import { Journal } from '../src/journal';
import { openConfigStore } from '../src/config';
import { apply, decide, replay, type QueueState } from '../src/queue';

export type JournalEvent = QueueEvent | AuditEvent;

/** The hall zone the CLI uses when HALL_TZ is not set. */
export const TZ = 'Asia/Shanghai';
export const ADMIN: Actor = { kind: 'staff', userId: 'usr-admin', role: 'admin' };
/** A clerk per counter (a user holds one counter at a time); ids need not be real users. */
export const clerkAt = (counterId: string): Actor => ({ kind: 'staff', userId: `usr-bench-${counterId}`, role: 'clerk' });

export function waitingIn(state: QueueState, serviceIds: Iterable<string>): number {
  let n = 0;
  for (const id of serviceIds) for (const lane of state.services.get(id)?.lanes.values() ?? []) n += lane.length;
  return n;
}

export class EngineWriter {
  /** Records in today's journal file (including those that were there before). */
  count: number;
  private batch: JournalEvent[] = [];
  private n = 0;

  private constructor(
    readonly config: HallConfig,
    readonly day: string,
    readonly state: QueueState,
    private readonly journal: Journal<JournalEvent>,
    existing: number,
    private readonly now0: number,
  ) {
    this.count = existing;
  }

  /**
   * Opens `dataDir` (an empty folder gets the demo config, as the server's first start would)
   * and today's journal, replaying what is already in it.
   */
  static async open(dataDir: string): Promise<EngineWriter> {
    const config = (await openConfigStore(dataDir)).data;
    // Commands 1 ms apart ending before now: the server's clock never goes back (hall-core.ts),
    // so events in its future would hold its time still after a start.
    const day = hallDate(Date.now(), TZ);
    const now0 = Math.max(hallMidnight(day, TZ), Date.now() - 150_000);
    const opened = await Journal.open<JournalEvent>(join(dataDir, 'journal'), day);
    const state = replay(day, opened.events.filter((e): e is QueueEvent => !isAuditEvent(e)));
    return new EngineWriter(config, day, state, opened.journal, opened.events.length, now0);
  }

  /** Decides and applies one command (1 ms after the last); its events go to the next append. */
  async run(command: QueueCommand, actor: Actor): Promise<void> {
    const res = decide(this.state, command, {
      now: this.now0 + this.n++,
      tz: TZ,
      config: this.config,
      newId: () => randomBytes(9).toString('base64url'),
      newToken: () => randomBytes(12).toString('base64url'),
      actor,
    });
    if (!res.ok) throw new Error(`${command.type}: ${res.error.code} ${res.error.message}`);
    for (const e of res.events) apply(this.state, e);
    this.batch.push(...res.events);
    this.count += res.events.length;
    if (this.batch.length >= 2000) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    await this.journal.append(b);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.journal.close();
  }
}
