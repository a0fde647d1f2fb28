/**
 * The county supervision page's logic, without a DOM: reading `GET /api/halls` rows defensively,
 * filtering by level and state, ordering the worst first, badges, "last seen" wording and the
 * county's totals.
 */

import type { DownstreamLevel, HallRow } from '@hall/protocol';

export type CountyLevel = DownstreamLevel;

/** A `GET /api/halls` row as this page reads it: the protocol's HallRow without the sync cursor. */
export type CountyHall = Omit<HallRow, 'lastSeq' | 'day'>;

export const LEVEL_ZH: Record<CountyLevel, string> = { township: '乡镇', village: '村(社区)' };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Rows as the server sent them, with missing or odd fields made harmless (an older hub, a hall not heard from). */
export function readHalls(body: unknown): CountyHall[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((raw: unknown): CountyHall[] => {
    if (typeof raw !== 'object' || raw === null) return [];
    const r = raw as Record<string, unknown>;
    const id = str(r.id);
    if (!id) return [];
    const today = (r.today ?? {}) as Record<string, unknown>;
    const alerts = (r.alerts ?? {}) as Record<string, unknown>;
    const sat = r.satisfaction;
    return [
      {
        id,
        name: str(r.name) ?? id,
        level: r.level === 'township' ? 'township' : 'village',
        online: r.online === true,
        lastSeenAt: str(r.lastSeenAt),
        waiting: num(r.waiting),
        countersOpen: num(r.countersOpen),
        today: { issued: num(today.issued), served: num(today.served) },
        alerts: { yellow: num(alerts.yellow), red: num(alerts.red) },
        satisfaction: typeof sat === 'number' && Number.isFinite(sat) ? sat : null,
        revoked: r.revoked === true,
        via: str(r.via),
      },
    ];
  });
}

export type Badge = 'red' | 'yellow' | 'offline' | 'ok';

/** The one badge a hall shows: a red alert first, then yellow, then being out of touch. */
export function badgeOf(h: CountyHall): Badge {
  if (h.alerts.red > 0) return 'red';
  if (h.alerts.yellow > 0) return 'yellow';
  if (!h.online) return 'offline';
  return 'ok';
}

export const BADGE_ZH: Record<Badge, string> = { red: '违规', yellow: '预警', offline: '离线', ok: '正常' };

export interface CountyFilter {
  level: CountyLevel | 'all';
  state: 'all' | 'online' | 'offline' | 'alerts';
  /** Part of a name, any case. */
  text: string;
}

export const ALL_HALLS: CountyFilter = { level: 'all', state: 'all', text: '' };

export function filterHalls(halls: readonly CountyHall[], f: CountyFilter): CountyHall[] {
  const text = f.text.trim().toLowerCase();
  return halls.filter(
    (h) =>
      (f.level === 'all' || h.level === f.level) &&
      (f.state === 'all' || (f.state === 'online' ? h.online : f.state === 'offline' ? !h.online : h.alerts.red + h.alerts.yellow > 0)) &&
      (text === '' || h.name.toLowerCase().includes(text) || h.id.toLowerCase().includes(text)),
  );
}

const BADGE_RANK: Record<Badge, number> = { red: 0, yellow: 1, offline: 2, ok: 3 };

/** The worst first (red, yellow, offline), then the longest queue, then by name (Chinese collation). */
export function sortHalls(halls: readonly CountyHall[]): CountyHall[] {
  return [...halls].sort(
    (a, b) =>
      BADGE_RANK[badgeOf(a)] - BADGE_RANK[badgeOf(b)] ||
      b.alerts.red - a.alerts.red ||
      b.waiting - a.waiting ||
      a.name.localeCompare(b.name, 'zh-CN'),
  );
}

/** "刚刚", "5 分钟前", "3 小时前", "2 天前"; never heard from: "从未上报". */
export function lastSeenText(iso: string | null, now: number): string {
  if (!iso) return '从未上报';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const min = Math.floor((now - t) / 60_000);
  if (min < 1) return '刚刚';
  if (min < 60) return `${min} 分钟前`;
  if (min < 24 * 60) return `${Math.floor(min / 60)} 小时前`;
  return `${Math.floor(min / (24 * 60))} 天前`;
}

export interface CountyTotals {
  halls: number;
  online: number;
  waiting: number;
  countersOpen: number;
  issued: number;
  served: number;
  red: number;
  yellow: number;
}

export function countyTotals(halls: readonly CountyHall[]): CountyTotals {
  const t: CountyTotals = { halls: halls.length, online: 0, waiting: 0, countersOpen: 0, issued: 0, served: 0, red: 0, yellow: 0 };
  for (const h of halls) {
    if (h.online) t.online++;
    t.waiting += h.waiting;
    t.countersOpen += h.countersOpen;
    t.issued += h.today.issued;
    t.served += h.today.served;
    t.red += h.alerts.red;
    t.yellow += h.alerts.yellow;
  }
  return t;
}

/** A query string with `hallId=` for the statistics and supervision routes. */
export function hallQuery(hallId: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...extra, hallId }).toString();
}
