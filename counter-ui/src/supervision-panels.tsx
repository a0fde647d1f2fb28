/**
 * 电子监察 and 好差评 panels of the supervision console: the day's figures with hourly charts
 * (ECharts, loaded only here), exports and the printable report, live alerts with
 * acknowledgment, and the rectification case board.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Alert, RectificationCase, StatsSummary } from '@hall/protocol';
import { useStaff } from './staff-store';
import { ALERT_RULE_ZH, CASE_STATUS_ZH, LEVEL_ZH, NEXT_STATUSES, hourlySeries, minutes, percent } from './supervision-format';

const today = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function StatsPanel() {
  const s = useStaff();
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState(today());
  const [sum, setSum] = useState<StatsSummary | null>(null);
  const chart = useRef<HTMLDivElement>(null);
  const query = `from=${from}&to=${to}`;

  useEffect(() => {
    void s.call<StatsSummary>('GET', `/api/stats/summary?${query}`).then((r) => r.ok && setSum(r.value));
  }, [query]);

  useEffect(() => {
    if (!sum || !chart.current) return;
    const el = chart.current;
    let dispose: (() => void) | undefined;
    // ECharts is its own chunk: only this page loads it.
    void import('./charts').then(({ hourlyChart }) => {
      dispose = hourlyChart(el, hourlySeries(sum));
    });
    return () => dispose?.();
  }, [sum]);

  const download = async (path: string, name: string, open = false): Promise<void> => {
    const token = s.session.value?.token;
    const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!res.ok) return s.toast('error', '导出失败 Export failed');
    const url = URL.createObjectURL(await res.blob());
    if (open) window.open(url, '_blank');
    else {
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
    }
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  return (
    <div class="panel">
      <h2>
        统计 <small>Statistics</small>
      </h2>
      <div class="stats-bar">
        <label>
          从 <input type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          至 <input type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button onClick={() => void download(`/api/stats/export?${query}&format=xlsx`, `统计-${from}-${to}.xlsx`)}>导出 Excel</button>
        <button onClick={() => void download(`/api/stats/export?${query}&format=csv`, `统计-${from}-${to}.csv`)}>导出 CSV</button>
        <button onClick={() => void download(`/api/stats/report?${query}`, '', true)}>打印报表 Print</button>
      </div>
      {sum && (
        <>
          <div class="kpis">
            <Figure label="取号" en="Issued" value={sum.issued} />
            <Figure label="办结" en="Served" value={sum.served} />
            <Figure label="过号" en="No-show" value={sum.noShow} />
            <Figure label="平均等候" en="Mean wait" value={minutes(sum.waitMinutes.mean)} />
            <Figure label="等候P90" en="Wait p90" value={minutes(sum.waitMinutes.p90)} />
            <Figure label="等候达标率" en="Within limit" value={percent(sum.waitMinutes.withinLimit)} />
            <Figure label="满意率" en="Satisfaction" value={`${percent(sum.ratings.satisfaction)} (${sum.ratings.count})`} />
          </div>
          <div class="chart" ref={chart} style={{ height: '260px' }} />
          <table class="sv-table">
            <thead>
              <tr>
                <th>业务 Service</th>
                <th>取号</th>
                <th>办结</th>
                <th>平均等候</th>
                <th>平均办理</th>
                <th>满意率</th>
              </tr>
            </thead>
            <tbody>
              {sum.byService.map((r) => (
                <tr key={r.serviceId}>
                  <td>{r.name}</td>
                  <td class="n">{r.issued}</td>
                  <td class="n">{r.served}</td>
                  <td class="n">{minutes(r.waitMinutes.mean)}</td>
                  <td class="n">{minutes(r.serviceMinutes.mean)}</td>
                  <td class="n">{percent(r.ratings.satisfaction)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

export function AlertsPanel() {
  const s = useStaff();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const load = (): void => void s.call<Alert[]>('GET', '/api/alerts?active=true', undefined, true).then((r) => r.ok && setAlerts(r.value));
  useEffect(() => {
    load();
    const t = setInterval(load, 15_000);
    return () => clearInterval(t);
  }, []);
  const ack = async (a: Alert): Promise<void> => {
    const note = window.prompt('处理说明 Note', '') ?? null;
    if (note === null) return;
    const r = await s.call<Alert>('POST', `/api/alerts/${encodeURIComponent(a.id)}/ack`, { note });
    if (r.ok) load();
  };
  return (
    <div class="panel">
      <h2>
        电子监察告警 <small>Alerts ({alerts.length})</small>
      </h2>
      <ul class="sv-alerts">
        {alerts.map((a) => (
          <li key={a.id} class={`alert-${a.level}`}>
            <span class={`tag lvl-${a.level}`}>{LEVEL_ZH[a.level]}</span> {ALERT_RULE_ZH[a.rule]} · {a.subject.label}
            <small> {a.since.slice(11, 16)}</small>
            {a.acknowledgedAt ? <small class="muted"> 已确认：{a.note}</small> : <button onClick={() => void ack(a)}>确认 Ack</button>}
          </li>
        ))}
        {alerts.length === 0 && <li class="muted">暂无告警 No alerts</li>}
      </ul>
    </div>
  );
}

export function CasesPanel() {
  const s = useStaff();
  const [cases, setCases] = useState<RectificationCase[]>([]);
  const load = (): void => void s.call<RectificationCase[]>('GET', '/api/rectifications', undefined, true).then((r) => r.ok && setCases(r.value));
  useEffect(load, []);
  const move = async (c: RectificationCase, to: RectificationCase['status']): Promise<void> => {
    const note = window.prompt(`${CASE_STATUS_ZH[to]}：说明 Note`, '') ?? null;
    if (note === null) return;
    const r = await s.call<RectificationCase>('POST', `/api/rectifications/${encodeURIComponent(c.id)}/transition`, { to, note });
    if (r.ok) load();
  };
  return (
    <div class="panel">
      <h2>
        好差评整改 <small>Rectification cases</small>
      </h2>
      <table class="sv-table">
        <thead>
          <tr>
            <th>号码</th>
            <th>评分</th>
            <th>意见</th>
            <th>状态</th>
            <th>期限</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.id} class={c.overdue ? 'lvl-over' : ''}>
              <td>{c.ticketNumber}</td>
              <td class="n">{c.score}</td>
              <td>{c.comment ?? '—'}</td>
              <td>{CASE_STATUS_ZH[c.status]}</td>
              <td>
                {c.deadline}
                {c.overdue && <span class="over-tag">逾期</span>}
              </td>
              <td>
                {NEXT_STATUSES[c.status].map((to) => (
                  <button key={to} onClick={() => void move(c, to)}>
                    {CASE_STATUS_ZH[to]}
                  </button>
                ))}
              </td>
            </tr>
          ))}
          {cases.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">
                暂无整改件 No cases
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function Figure({ label, en, value }: { label: string; en: string; value: string | number }) {
  return (
    <div class="kpi">
      <div class="kpi-value">{value}</div>
      <div class="kpi-label">
        {label} <small>{en}</small>
      </div>
    </div>
  );
}
