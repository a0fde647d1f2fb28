/**
 * The rectification case board (好差评整改看板, supervisors): cases in columns by status, overdue
 * ones first, filtered by clerk or ticket number; each card moves with a note, takes callback
 * records and shows the clerk's appeals.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RectificationCase } from '@hall/protocol';
import { useStaff } from './staff-store';
import { CaseCard } from './cases-card';
import { boardColumns, boardCounts } from './cases-format';
import { hallToday } from './supervision-panels';

/** Closed cases shown in the last column (the newest). */
const CLOSED_SHOWN = 100;

export function CasesBoard() {
  const s = useStaff();
  const snap = s.snapshot.value;
  const [cases, setCases] = useState<RectificationCase[] | null>(null);
  const [clerk, setClerk] = useState('');
  const [counterId, setCounterId] = useState('');
  const [number, setNumber] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  // Every open case (however old: the overdue ones matter most) and the latest closed ones.
  const load = (): void =>
    void Promise.all([
      s.call<RectificationCase[]>('GET', '/api/rectifications?status=open&limit=5000', undefined, true),
      s.call<RectificationCase[]>('GET', `/api/rectifications?status=closed&limit=${CLOSED_SHOWN}`, undefined, true),
    ]).then(([open, closed]) => open.ok && closed.ok && setCases([...open.value, ...closed.value]));
  useEffect(() => {
    load();
    const t = setInterval(load, 30_000);
    return () => clearInterval(t);
  }, []);
  const replace = (u: RectificationCase): void => setCases((list) => (list ?? []).map((c) => (c.id === u.id ? u : c)));
  const placeOf = (c: RectificationCase): string => {
    const svc = snap?.services.find((x) => x.id === c.serviceId)?.name ?? c.serviceId;
    const ctr = snap?.counters.find((x) => x.id === c.counterId);
    return ctr ? `${svc} · ${ctr.number}号窗口` : svc;
  };
  const clerks = [...new Map((cases ?? []).filter((c) => c.clerkId).map((c) => [c.clerkId!, c.clerkName ?? c.clerkId!])).entries()];
  const shown = (cases ?? []).filter(
    (c) => (!clerk || c.clerkId === clerk) && (!counterId || c.counterId === counterId) && (!overdueOnly || c.overdue) && (!number.trim() || c.ticketNumber.toUpperCase().includes(number.trim().toUpperCase())),
  );
  const counts = boardCounts(cases ?? []);
  const today = hallToday();

  return (
    <section class="cases-page">
      <h1>
        好差评整改看板 <small>Rectification cases</small>
        <span class="case-counts">
          未办结 {counts.open} · <span class={counts.overdue ? 'bad' : ''}>逾期 {counts.overdue}</span>
        </span>
      </h1>
      <div class="filter-bar panel">
        <label>
          工作人员 <small>Clerk</small>
          <select name="clerk" value={clerk} onChange={(e) => setClerk((e.target as HTMLSelectElement).value)}>
            <option value="">全部 All</option>
            {clerks.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          窗口 <small>Counter</small>
          <select name="counter" value={counterId} onChange={(e) => setCounterId((e.target as HTMLSelectElement).value)}>
            <option value="">全部 All</option>
            {(snap?.counters ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.number}号窗口
              </option>
            ))}
          </select>
        </label>
        <label>
          号码 <small>Number</small>
          <input name="number" value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} placeholder="A012" />
        </label>
        <label class="check">
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly((e.target as HTMLInputElement).checked)} /> 只看逾期 <small>Overdue only</small>
        </label>
        <button class="btn-plain" onClick={load}>
          刷新 <small>Refresh</small>
        </button>
      </div>
      {cases === null ? (
        <div class="empty">正在加载… Loading…</div>
      ) : (
        <div class="case-board">
          {boardColumns(shown).map(({ column, cases: list }) => (
            <div class="case-col" key={column.key} data-column={column.key}>
              <h2>
                {column.zh} <small>{column.key === 'closed' ? `${column.en} · 最近 ${CLOSED_SHOWN} 件` : column.en}</small> <span class="count">{list.length}</span>
              </h2>
              {list.map((c) => (
                <CaseCard key={c.id} c={c} today={today} mode="supervisor" onChange={replace} placeOf={placeOf} />
              ))}
              {list.length === 0 && <p class="muted">无 None</p>}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
