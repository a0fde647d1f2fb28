/**
 * The live figures of every downstream hall, folded from the records it sent: its queue state
 * for its latest day (the pure engine's own `apply`, exactly as the hall computes it), today's
 * ratings, and its active 电子监察 alerts (raised and not cleared in its journal). In memory,
 * rebuilt at start from the stored records of each hall's latest day; what `GET /api/halls`
 * answers from, without a query per hall.
 */
import { isAuditEvent, type HallRow, type QueueEvent } from '@hall/protocol';
import { apply, initialState, type QueueState } from '../queue';
import type { ReceivedRecord } from './chain-check';
import type { NetworkStore } from './network-store';
import { eventOfLine } from './journal-tail';

interface Figures {
  state: QueueState;
  ratings: number;
  satisfied: number;
  /** Active alert levels by alert id (across days: an alert outlives its day). */
  alerts: Map<string, 'yellow' | 'red'>;
}

/** The part of a `GET /api/halls` row folded from the hall's records. */
export type HallFigureRow = Pick<HallRow, 'day' | 'waiting' | 'countersOpen' | 'today' | 'alerts' | 'satisfaction'>;

/** The hall day of an event: `at` is written in the hall's own offset, so its date part is the day. */
export function dayOf(event: { at?: unknown }): string | null {
  return typeof event.at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(event.at) ? event.at.slice(0, 10) : null;
}

export class HallFigures {
  readonly #halls = new Map<string, Figures>();

  /** Folds new records of a hall, in seq order. */
  add(hallId: string, records: readonly Pick<ReceivedRecord, 'event'>[]): void {
    let f = this.#halls.get(hallId);
    for (const { event } of records) {
      if (event.type === 'audit.alert-raised') {
        f ??= this.#fresh(hallId, null);
        const level = (event as { level?: unknown }).level === 'red' ? 'red' : 'yellow';
        f.alerts.set(String((event as { alertId?: unknown }).alertId), level);
        continue;
      }
      if (event.type === 'audit.alert-cleared') {
        f?.alerts.delete(String((event as { alertId?: unknown }).alertId));
        continue;
      }
      if (isAuditEvent(event as { type: string })) continue;
      const day = dayOf(event);
      if (day === null) continue;
      if (!f || f.state.day < day) f = this.#fresh(hallId, day, f);
      else if (day < f.state.day) continue; // a late rating of a closed day: not today's figures
      const e = event as unknown as QueueEvent;
      apply(f.state, e);
      if (e.type === 'ticket.rated') {
        f.ratings++;
        if (e.score >= 4) f.satisfied++;
      }
    }
  }

  #fresh(hallId: string, day: string | null, before?: Figures): Figures {
    const f: Figures = { state: initialState(day ?? before?.state.day ?? '0000-00-00'), ratings: 0, satisfied: 0, alerts: before?.alerts ?? new Map() };
    this.#halls.set(hallId, f);
    return f;
  }

  /** Rebuilds every hall's figures from the store: its latest day's records and its active alerts. */
  async load(store: NetworkStore): Promise<void> {
    for (const h of store.halls()) {
      const alerts = await store.activeAlerts(h.id);
      const lines = await store.latestDayLines(h.id);
      const f = this.#fresh(h.id, null);
      for (const a of alerts) f.alerts.set(a.alertId, a.level);
      this.add(
        h.id,
        lines.map((line) => ({ event: eventOfLine<ReceivedRecord['event']>(line) })),
      );
    }
  }

  row(hallId: string, today: string): HallFigureRow {
    const f = this.#halls.get(hallId);
    const alerts = { yellow: 0, red: 0 };
    for (const l of f?.alerts.values() ?? []) alerts[l]++;
    if (!f || f.state.day !== today) return { day: f && f.state.day !== '0000-00-00' ? f.state.day : null, waiting: 0, countersOpen: 0, today: { issued: 0, served: 0 }, alerts, satisfaction: null };
    const s = f.state;
    let waiting = 0;
    let served = 0;
    for (const t of s.tickets.values()) {
      if (t.status === 'waiting') waiting++;
      else if (t.status === 'done') served++;
    }
    let countersOpen = 0;
    for (const c of s.counters.values()) if (c.state === 'open') countersOpen++;
    return {
      day: s.day,
      waiting: s.closed ? 0 : waiting,
      countersOpen: s.closed ? 0 : countersOpen,
      today: { issued: s.issued, served },
      alerts,
      satisfaction: f.ratings === 0 ? null : Math.round((f.satisfied / f.ratings) * 1000) / 1000,
    };
  }
}
