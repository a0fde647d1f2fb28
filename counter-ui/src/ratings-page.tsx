/**
 * 好差评 ratings list (supervisors): the ratings of a date range, filtered by service, counter,
 * clerk and score, with the reasons ticked and the comment, a page at a time. Bad ones (1–2) have
 * opened rectification cases: a link goes to the board.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RatingRow, StatsSummary } from '@hall/protocol';
import { useStaff } from './staff-store';
import { navigate } from './route';
import { DateRange, hallToday } from './supervision-panels';
import { CHANNEL_CHOICES, CHANNEL_ZH, RATINGS_PAGE_SIZE, SCORE_CHOICES, SCORE_ZH, defaultFilters, pageOf, rangeProblem, ratingsQuery, stars, type RatingFilters } from './ratings-filters';

type ClerkOption = { clerkId: string; name: string; staffNo: string };

export function RatingsPage() {
  const s = useStaff();
  const snap = s.snapshot.value;
  const [f, setF] = useState<RatingFilters>(() => defaultFilters(hallToday()));
  const [rows, setRows] = useState<RatingRow[] | null>(null);
  const [more, setMore] = useState(false);
  const [clerks, setClerks] = useState<ClerkOption[]>([]);
  const [loading, setLoading] = useState(false);
  const problem = rangeProblem(f.from, f.to);
  const query = ratingsQuery(f);
  const set = (patch: Partial<RatingFilters>): void => setF((old) => ({ ...old, page: 0, ...patch }));

  useEffect(() => {
    if (problem) return;
    let live = true;
    setLoading(true);
    void s.call<RatingRow[]>('GET', `/api/ratings?${query}`).then((r) => {
      if (!live) return;
      setLoading(false);
      if (!r.ok) return;
      const page = pageOf(r.value);
      setRows(page.rows);
      setMore(page.more);
    });
    return () => void (live = false);
  }, [query, problem]);

  // The clerks who worked in the range, for the filter (names from the statistics).
  useEffect(() => {
    if (problem) return;
    void s.call<StatsSummary>('GET', `/api/stats/summary?from=${f.from}&to=${f.to}`, undefined, true).then((r) => r.ok && setClerks(r.value.byClerk));
  }, [f.from, f.to, problem]);

  const serviceName = (id: string): string => snap?.services.find((x) => x.id === id)?.name ?? id;
  const counterNo = (id: string | null): string => {
    if (!id) return '—';
    const c = snap?.counters.find((x) => x.id === id);
    return c ? `${c.number}号窗口` : id;
  };
  const bad = (rows ?? []).filter((r) => r.score <= 2).length;

  return (
    <section class="ratings-page">
      <h1>
        好差评明细 <small>Ratings</small>
      </h1>
      <div class="panel">
        <form class="filter-bar" onSubmit={(e) => e.preventDefault()}>
          <DateRange from={f.from} to={f.to} onFrom={(from) => set({ from })} onTo={(to) => set({ to })} />
          <label>
            业务 <small>Service</small>
            <select name="serviceId" value={f.serviceId} onChange={(e) => set({ serviceId: (e.target as HTMLSelectElement).value })}>
              <option value="">全部 All</option>
              {(snap?.services ?? []).map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            窗口 <small>Counter</small>
            <select name="counterId" value={f.counterId} onChange={(e) => set({ counterId: (e.target as HTMLSelectElement).value })}>
              <option value="">全部 All</option>
              {(snap?.counters ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.number}号窗口
                </option>
              ))}
            </select>
          </label>
          <label>
            工作人员 <small>Clerk</small>
            <select name="clerkId" value={f.clerkId} onChange={(e) => set({ clerkId: (e.target as HTMLSelectElement).value })}>
              <option value="">全部 All</option>
              {clerks.map((c) => (
                <option key={c.clerkId} value={c.clerkId}>
                  {c.name}
                  {c.staffNo ? ` · ${c.staffNo}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            评价 <small>Score</small>
            <select name="score" value={f.score} onChange={(e) => set({ score: (e.target as HTMLSelectElement).value })}>
              {SCORE_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            渠道 <small>Channel</small>
            <select name="channel" value={f.channel} onChange={(e) => set({ channel: (e.target as HTMLSelectElement).value })}>
              {CHANNEL_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </form>
        {problem && (
          <div class="form-error" role="alert">
            {problem}
          </div>
        )}
        <p class="muted" aria-live="polite">
          {loading ? '正在查询… Loading…' : rows ? `第 ${f.page + 1} 页，本页 ${rows.length} 条，其中差评 ${bad} 条 · Page ${f.page + 1}: ${rows.length} (${bad} bad)` : ''}
        </p>
        <RatingsTable rows={rows} place={{ serviceName, counterNo }} />
        <div class="pager">
          <button disabled={f.page === 0 || loading} onClick={() => setF((o) => ({ ...o, page: o.page - 1 }))}>
            上一页 <small>Previous</small>
          </button>
          <span>
            每页 {RATINGS_PAGE_SIZE} 条 <small>per page</small>
          </span>
          <button disabled={!more || loading} onClick={() => setF((o) => ({ ...o, page: o.page + 1 }))}>
            下一页 <small>Next</small>
          </button>
        </div>
      </div>
    </section>
  );
}

/**
 * Ratings as a table, newest first: with `place` (the supervisors' list) also the service,
 * counter and clerk; without (a clerk's own), just when, which ticket, the score and what was said.
 */
export function RatingsTable({ rows, place }: { rows: RatingRow[] | null; place?: { serviceName: (id: string) => string; counterNo: (id: string | null) => string } }) {
  return (
    <table class="sv-table ratings-table">
      <thead>
        <tr>
          <th>时间 Time</th>
          <th>号码 No.</th>
          {place && (
            <>
              <th>业务 Service</th>
              <th>窗口 Counter</th>
              <th>工作人员 Clerk</th>
            </>
          )}
          <th>评价 Score</th>
          <th>渠道 Channel</th>
          <th>原因 Reasons</th>
          <th>意见 Comment</th>
        </tr>
      </thead>
      <tbody>
        {(rows ?? []).map((r) => (
          <tr key={r.id} class={r.score <= 2 ? 'lvl-over' : ''} data-rating={r.ticketNumber} data-score={r.score}>
            <td class="n">{r.at.slice(0, 16).replace('T', ' ')}</td>
            <td>
              <b>{r.ticketNumber}</b>
            </td>
            {place && (
              <>
                <td>{place.serviceName(r.serviceId)}</td>
                <td>{place.counterNo(r.counterId)}</td>
                <td>{r.clerkName ?? r.clerkId ?? '—'}</td>
              </>
            )}
            <td class="n">
              <span class={`stars score-${r.score}`} aria-hidden="true">
                {stars(r.score)}
              </span>{' '}
              {r.score} {SCORE_ZH[r.score]}
              {place && r.score <= 2 && (
                <a
                  class="case-link"
                  href="/counter/cases"
                  onClick={(e) => {
                    e.preventDefault();
                    navigate('cases');
                  }}
                >
                  整改件
                </a>
              )}
            </td>
            <td data-channel={r.channel ?? ''}>{r.channel ? CHANNEL_ZH[r.channel] : <span class="muted">—</span>}</td>
            <td>
              {r.reasons.length ? (
                <span class="chips">
                  {r.reasons.map((x) => (
                    <span key={x} class="chip static">
                      {x}
                    </span>
                  ))}
                </span>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
            <td>{r.comment ?? <span class="muted">—</span>}</td>
          </tr>
        ))}
        {rows !== null && rows.length === 0 && (
          <tr>
            <td colSpan={place ? 9 : 6} class="muted">
              没有符合条件的评价 No ratings
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
