/**
 * 电子监察 and 好差评 panels of the supervision console: the day's figures with hourly charts
 * (ECharts, loaded only here), exports and the printable day report, live alerts (pushed on the
 * /counter socket, a 15 s poll as the fallback) with acknowledgment and history, and the open
 * rectification cases at a glance (the board is its own page).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { toHallIso, type Alert, type RectificationCase, type StatsSummary, type SupervisionSettings } from '@hall/protocol';
import { useStaff } from './staff-store';
import { navigate } from './route';
import { boardCounts } from './cases-format';
import { ALERT_RULE_ZH, LEVEL_ZH, alertOrder, hourlySeries, mergeAlert, minutes, percent } from './supervision-format';
import { openWithToken } from './open-with-token';

/** The hall's date now (`YYYY-MM-DD`) in its time zone. */
export const hallToday = (tz?: string): string => toHallIso(Date.now(), tz).slice(0, 10);

export interface HallInfo {
  timezone?: string;
  supervision?: Partial<SupervisionSettings>;
}

/** The hall's settings the console reads (time zone, 电子监察 bounds); null until known. */
export function useHallInfo(): HallInfo | null {
  const s = useStaff();
  const [hall, setHall] = useState<HallInfo | null>(null);
  useEffect(() => {
    void s.call<HallInfo>('GET', '/api/hall', undefined, true).then((r) => r.ok && setHall(r.value));
  }, []);
  return hall;
}

/** The from/to date inputs every supervision page filters by (hall dates). */
export function DateRange({ from, to, onFrom, onTo }: { from: string; to: string; onFrom: (v: string) => void; onTo: (v: string) => void }) {
  return (
    <>
      <label>
        从 <small>From</small> <input type="date" name="from" value={from} onInput={(e) => onFrom((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        至 <small>To</small> <input type="date" name="to" value={to} onInput={(e) => onTo((e.target as HTMLInputElement).value)} />
      </label>
    </>
  );
}


export function StatsPanel() {
  const s = useStaff();
  const [from, setFrom] = useState(hallToday());
  const [to, setTo] = useState(hallToday());
  const [day, setDay] = useState(hallToday());
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

  const download = async (path: string, name: string): Promise<void> => {
    const token = s.session.value?.token;
    const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!res.ok) return s.toast('error', '导出失败 Export failed');
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const print = async (q: string): Promise<void> => {
    if (!(await openWithToken(`/api/stats/report?${q}`, s.session.value?.token))) s.toast('error', '报表打开失败 Report failed');
  };

  return (
    <div class="panel">
      <h2>
        统计 <small>Statistics</small>
      </h2>
      <div class="stats-bar">
        <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
        <button onClick={() => void download(`/api/stats/export?${query}&format=xlsx`, `统计-${from}-${to}.xlsx`)}>导出 Excel</button>
        <button onClick={() => void download(`/api/stats/export?${query}&format=csv`, `统计-${from}-${to}.csv`)}>导出 CSV</button>
        <button onClick={() => void print(query)} title="报表在新页面打开，按 Ctrl+P 打印或另存为 PDF">
          打印期间报表 <small>Print range</small>
        </button>
        <span class="stats-day">
          <label>
            日报日期 <small>Day</small> <input type="date" name="report-day" value={day} onInput={(e) => setDay((e.target as HTMLInputElement).value)} />
          </label>
          <button data-print-day title="日报在新页面打开，按 Ctrl+P 打印或另存为 PDF" onClick={() => void print(`from=${day}&to=${day}`)}>
            打印日报 <small>Print day report</small>
          </button>
        </span>
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
  /** Alerts that arrived over the socket while this page was open (shown as new until acknowledged). */
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [acking, setAcking] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [history, setHistory] = useState(false);
  const load = (): void => void s.call<Alert[]>('GET', '/api/alerts?active=true', undefined, true).then((r) => r.ok && setAlerts(r.value));
  useEffect(() => {
    // The socket pushes every change; the poll only covers a socket that missed some (reconnects).
    const t = setInterval(load, 15_000);
    return () => clearInterval(t);
  }, []);
  // At first, and when the socket is back after a break: read at once what it may have missed.
  const online = s.connection.value === 'online';
  useEffect(load, [online]);
  const pushed = s.alertPush.value;
  useEffect(() => {
    if (!pushed) return;
    setAlerts((list) => mergeAlert(list, pushed));
    if (pushed.clearedAt === null && pushed.acknowledgedAt === null && !fresh.has(pushed.id)) {
      setFresh((f) => new Set(f).add(pushed.id));
      s.toast('info', `新告警 ${LEVEL_ZH[pushed.level]}：${ALERT_RULE_ZH[pushed.rule]} · ${pushed.subject.label}`);
    }
  }, [pushed]);
  const ack = async (a: Alert): Promise<void> => {
    const r = await s.call<Alert>('POST', `/api/alerts/${encodeURIComponent(a.id)}/ack`, { note: note.trim() });
    if (!r.ok) return;
    setAlerts((list) => mergeAlert(list, r.value));
    setAcking(null);
    setNote('');
  };
  const shown = alertOrder(alerts);
  return (
    <div class="panel" data-alerts>
      <h2>
        电子监察告警 <small>Alerts ({alerts.length})</small>
        <button class="btn-plain btn-inline" onClick={() => setHistory(!history)}>
          {history ? '收起历史' : '告警历史'} <small>History</small>
        </button>
      </h2>
      <ul class="sv-alerts">
        {shown.map((a) => (
          <li key={a.id} class={`alert-${a.level} ${fresh.has(a.id) && !a.acknowledgedAt ? 'fresh' : ''}`} data-alert={a.id} data-rule={a.rule}>
            <div class="alert-line">
              <span class={`lvl-tag lvl-${a.level}`}>{LEVEL_ZH[a.level]}</span>
              {fresh.has(a.id) && !a.acknowledgedAt && <span class="new-tag">新</span>}
              <b>{ALERT_RULE_ZH[a.rule]}</b> · {a.subject.label}
              <small> 自 {a.since.slice(11, 16)}</small>
            </div>
            {a.acknowledgedAt ? (
              <div class="muted alert-ack" data-acked>
                已确认 {a.acknowledgedAt.slice(11, 16)}
                {a.note ? `：${a.note}` : ''}
              </div>
            ) : acking === a.id ? (
              <form
                class="inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void ack(a);
                }}
              >
                <input
                  name="ack-note"
                  aria-label="处理说明 Note"
                  placeholder="处理说明（选填） Note"
                  maxLength={500}
                  value={note}
                  onInput={(e) => setNote((e.target as HTMLInputElement).value)}
                  autoFocus
                />
                <button class="btn-primary btn-small" type="submit">
                  确认 <small>Acknowledge</small>
                </button>
                <button class="btn-plain" type="button" onClick={() => setAcking(null)}>
                  取消
                </button>
              </form>
            ) : (
              <button
                class="btn-small"
                data-ack
                onClick={() => {
                  setAcking(a.id);
                  setNote('');
                }}
              >
                确认处理 <small>Acknowledge</small>
              </button>
            )}
          </li>
        ))}
        {alerts.length === 0 && <li class="muted">暂无告警 No alerts</li>}
      </ul>
      {history && <AlertHistory />}
    </div>
  );
}

/** Past alerts of a date range (cleared ones included), searchable by rule. */
function AlertHistory() {
  const s = useStaff();
  const [from, setFrom] = useState(hallToday());
  const [to, setTo] = useState(hallToday());
  const [rule, setRule] = useState('');
  const [subject, setSubject] = useState('');
  const [rows, setRows] = useState<Alert[] | null>(null);
  useEffect(() => {
    if (!from || !to || from > to) return;
    void s.call<Alert[]>('GET', `/api/alerts?from=${from}&to=${to}`).then((r) => r.ok && setRows(r.value));
  }, [from, to]);
  const needle = subject.trim().toUpperCase();
  const list = (rows ?? []).filter((a) => (!rule || a.rule === rule) && (!needle || a.subject.label.toUpperCase().includes(needle)));
  return (
    <div class="alert-history">
      <div class="stats-bar">
        <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
        <label>
          类型{' '}
          <select value={rule} onChange={(e) => setRule((e.target as HTMLSelectElement).value)}>
            <option value="">全部 All</option>
            {Object.entries(ALERT_RULE_ZH).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          对象 <small>Subject</small> <input name="alert-subject" value={subject} placeholder="A012 / 3号窗口" onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <table class="sv-table">
        <thead>
          <tr>
            <th>开始</th>
            <th>级别</th>
            <th>类型</th>
            <th>对象</th>
            <th>解除</th>
            <th>确认说明</th>
          </tr>
        </thead>
        <tbody>
          {list.map((a) => (
            <tr key={a.id}>
              <td class="n">{a.since.slice(5, 16).replace('T', ' ')}</td>
              <td>{LEVEL_ZH[a.level]}</td>
              <td>{ALERT_RULE_ZH[a.rule]}</td>
              <td>{a.subject.label}</td>
              <td class="n">{a.clearedAt ? a.clearedAt.slice(11, 16) : '未解除'}</td>
              <td>{a.acknowledgedAt ? a.note || '已确认' : '—'}</td>
            </tr>
          ))}
          {rows !== null && list.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">
                无记录 None
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Open rectification cases at a glance; the board is its own page. */
export function CasesPanel() {
  const s = useStaff();
  const [cases, setCases] = useState<RectificationCase[] | null>(null);
  useEffect(() => {
    void s.call<RectificationCase[]>('GET', '/api/rectifications?status=open&limit=5000', undefined, true).then((r) => r.ok && setCases(r.value));
  }, []);
  const counts = boardCounts(cases ?? []);
  return (
    <div class="panel">
      <h2>
        好差评整改 <small>Rectification</small>
      </h2>
      <div class="kpis kpis-2">
        <Figure label="未办结" en="Open" value={cases ? counts.open : '…'} />
        <Figure label="已逾期" en="Overdue" value={cases ? counts.overdue : '…'} />
      </div>
      <p>
        <a
          href="/counter/cases"
          onClick={(e) => {
            e.preventDefault();
            navigate('cases');
          }}
        >
          打开整改看板 <small>Case board</small>
        </a>
        {' · '}
        <a
          href="/counter/ratings"
          onClick={(e) => {
            e.preventDefault();
            navigate('ratings');
          }}
        >
          好差评明细 <small>Ratings</small>
        </a>
      </p>
    </div>
  );
}

export function Figure({ label, en, value }: { label: string; en: string; value: string | number }) {
  return (
    <div class="kpi">
      <div class="kpi-value">{value}</div>
      <div class="kpi-label">
        {label} <small>{en}</small>
      </div>
    </div>
  );
}
