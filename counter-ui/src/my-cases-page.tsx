/**
 * A clerk's own page (我的评价与整改): their own figures for a date range, the ratings about them
 * and the rectification cases about them, where they may appeal (申诉) one awaiting its ruling.
 * The server answers a clerk only with their own rows; this page asks for no one else's.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RatingRow, RectificationCase, StatsSummary } from '@hall/protocol';
import { useStaff } from './staff-store';
import { CaseCard } from './cases-card';
import { boardCounts } from './cases-format';
import { rangeProblem } from './ratings-filters';
import { RatingsTable } from './ratings-page';
import { DateRange, Figure, hallToday } from './supervision-panels';
import { minutes, percent } from './supervision-format';

type Mine = StatsSummary['byClerk'][number];

export function MyCasesPage() {
  const s = useStaff();
  const snap = s.snapshot.value;
  const me = s.session.value?.user;
  const today = hallToday();
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [figures, setFigures] = useState<Mine | null | undefined>(undefined);
  const [ratings, setRatings] = useState<RatingRow[] | null>(null);
  const [cases, setCases] = useState<RectificationCase[] | null>(null);
  const problem = rangeProblem(from, to);
  const mine = me ? `clerkId=${encodeURIComponent(me.id)}` : '';

  useEffect(() => {
    if (!me || problem) return;
    void s.call<StatsSummary>('GET', `/api/stats/summary?from=${from}&to=${to}`).then((r) => r.ok && setFigures(r.value.byClerk.find((c) => c.clerkId === me.id) ?? null));
    void s.call<RatingRow[]>('GET', `/api/ratings?from=${from}&to=${to}&${mine}&limit=50`).then((r) => r.ok && setRatings(r.value));
  }, [from, to, me?.id, problem]);
  useEffect(() => {
    if (!me) return;
    void s.call<RectificationCase[]>('GET', `/api/rectifications?${mine}`).then((r) => r.ok && setCases(r.value));
  }, [me?.id]);

  const placeOf = (c: RectificationCase): string => {
    const svc = snap?.services.find((x) => x.id === c.serviceId)?.name ?? c.serviceId;
    const ctr = snap?.counters.find((x) => x.id === c.counterId);
    return ctr ? `${svc} · ${ctr.number}号窗口` : svc;
  };
  const replace = (u: RectificationCase): void => setCases((list) => (list ?? []).map((c) => (c.id === u.id ? u : c)));
  const counts = boardCounts(cases ?? []);

  return (
    <section class="my-cases">
      <h1>
        我的评价与整改 <small>My ratings and cases</small>
        {me && (
          <span class="case-counts">
            {me.name}
            {me.staffNo ? ` · ${me.staffNo}` : ''}
          </span>
        )}
      </h1>
      <div class="panel">
        <div class="stats-bar">
          <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
        </div>
        {problem && (
          <div class="form-error" role="alert">
            {problem}
          </div>
        )}
        <div class="kpis" data-my-figures>
          <Figure label="办结" en="Served" value={figures === undefined ? '…' : (figures?.served ?? 0)} />
          <Figure label="过号" en="No-show" value={figures === undefined ? '…' : (figures?.noShow ?? 0)} />
          <Figure label="平均办理" en="Mean service" value={minutes(figures?.serviceMinutes.mean)} />
          <Figure label="评价数" en="Ratings" value={figures === undefined ? '…' : (figures?.ratings.count ?? 0)} />
          <Figure label="满意率" en="Satisfaction" value={percent(figures?.ratings.satisfaction)} />
        </div>
      </div>

      <div class="panel">
        <h2>
          我的整改件 <small>My cases · 未办结 {counts.open}，逾期 {counts.overdue}</small>
        </h2>
        <div class="case-list">
          {(cases ?? []).map((c) => (
            <CaseCard key={c.id} c={c} today={today} mode="clerk" onChange={replace} placeOf={placeOf} />
          ))}
          {cases !== null && cases.length === 0 && <p class="muted">没有整改件 No cases</p>}
        </div>
      </div>

      <div class="panel">
        <h2>
          收到的评价 <small>Ratings about me (latest 50)</small>
        </h2>
        <RatingsTable rows={ratings} />
      </div>
    </section>
  );
}
