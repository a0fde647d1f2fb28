/**
 * 县级监管 (the county's view of every hall below it): all halls at a glance from
 * `GET /api/halls`, polled every few seconds, filtered by level and state, worst first; one
 * hall's figures, statistics, alerts and 好差评 cases on a click; the cases of every hall.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Alert, CatalogueComparisonRow, RectificationCase, StatsSummary } from '@hall/protocol';
import { useStaff } from './staff-store';
import { useNow } from './use-now';
import { ALERT_RULE_ZH, CASE_STATUS_ZH, LEVEL_ZH as ALERT_LEVEL_ZH, minutes, percent } from './supervision-format';
import {
  ALL_HALLS,
  BADGE_ZH,
  LEVEL_ZH,
  badgeOf,
  countyTotals,
  filterHalls,
  hallQuery,
  lastSeenText,
  readHalls,
  sortHalls,
  type CountyFilter,
  type CountyHall,
} from './county-format';
import './county-page.css';
import { Kpi } from './kpi';

const POLL_MS = 5000;

function useHalls(): { halls: CountyHall[] | null; error: string | null } {
  const s = useStaff();
  const [halls, setHalls] = useState<CountyHall[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = async (): Promise<void> => {
      const r = await s.call<unknown>('GET', '/api/halls', undefined, true);
      if (stopped) return;
      if (r.ok) {
        setHalls(readHalls(r.value));
        setError(null);
      } else setError(r.error.code);
    };
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return { halls, error };
}

export function CountyPage() {
  const now = useNow(POLL_MS);
  const { halls, error } = useHalls();
  const [filter, setFilter] = useState<CountyFilter>(ALL_HALLS);
  const [selected, setSelected] = useState<string | null>(null);
  if (!halls) {
    return (
      <div class="empty">
        {error === 'ROUTE.NOT_FOUND'
          ? '本大厅没有下级大厅（未启用三级联网）No downstream halls here'
          : error
            ? `无法读取下级大厅列表（${error}）Cannot read the hall list`
            : '正在加载… Loading…'}
      </div>
    );
  }
  const total = countyTotals(halls);
  const shown = sortHalls(filterHalls(halls, filter));
  const picked = halls.find((h) => h.id === selected) ?? null;
  const names = new Map(halls.map((h) => [h.id, h.name]));
  return (
    <section class="county">
      {error && (
        <div class="offline" role="alert">
          列表刷新失败（{error}），显示的是上次的数据 <small>Refresh failed: showing the last list</small>
        </div>
      )}
      <div class="kpis">
        <Kpi label="在线大厅" en="Halls online" value={`${total.online} / ${total.halls}`} tone={total.online < total.halls ? 'warn' : 'good'} />
        <Kpi label="等候人数" en="Waiting" value={total.waiting} />
        <Kpi label="今日取号 / 办结" en="Issued / served today" value={`${total.issued} / ${total.served}`} />
        <Kpi label="违规告警" en="Red alerts" value={total.red} tone={total.red > 0 ? 'bad' : 'good'} />
        <Kpi label="预警" en="Yellow alerts" value={total.yellow} tone={total.yellow > 0 ? 'warn' : undefined} />
      </div>

      <div class="county-grid">
        <div class="panel">
          <h2>
            各级大厅 <small>All halls</small>
          </h2>
          <Filters filter={filter} onChange={setFilter} />
          <table class="sv-table county-halls">
            <thead>
              <tr>
                <th>状态</th>
                <th>大厅 Hall</th>
                <th>层级</th>
                <th>最后上报</th>
                <th>等候</th>
                <th>开放窗口</th>
                <th>今日取号/办结</th>
                <th>满意度</th>
                <th>告警</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((h) => {
                const badge = badgeOf(h);
                return (
                  <tr key={h.id} class={`hall-row row-${badge} ${h.id === selected ? 'picked' : ''}`} data-hall={h.id} onClick={() => setSelected(h.id === selected ? null : h.id)}>
                    <td>
                      <span class={`badge badge-${badge}`}>{BADGE_ZH[badge]}</span>
                    </td>
                    <td>
                      <button class="btn-plain hall-name">{h.name}</button>
                      {h.via && <small class="muted"> 经 {names.get(h.via) ?? h.via}</small>}
                      {h.revoked && <small class="warn-text"> 已停用令牌</small>}
                    </td>
                    <td>{LEVEL_ZH[h.level]}</td>
                    <td class={h.online ? '' : 'warn-text'}>{h.online ? '在线' : '离线'} · {lastSeenText(h.lastSeenAt, now)}</td>
                    <td class="n">{h.waiting}</td>
                    <td class="n">{h.countersOpen}</td>
                    <td class="n">
                      {h.today.issued} / {h.today.served}
                    </td>
                    <td class="n">{percent(h.satisfaction)}</td>
                    <td class="n">
                      {h.alerts.red > 0 && <span class="badge badge-red">{h.alerts.red}</span>}
                      {h.alerts.yellow > 0 && <span class="badge badge-yellow">{h.alerts.yellow}</span>}
                      {h.alerts.red + h.alerts.yellow === 0 && <span class="muted">—</span>}
                    </td>
                  </tr>
                );
              })}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={9} class="muted">
                    {halls.length === 0 ? '尚无下级大厅接入（系统设置中登记下级大厅）No halls registered yet' : '没有符合条件的大厅 No hall matches'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {picked && <HallDetail hall={picked} now={now} onClose={() => setSelected(null)} />}
      </div>
      <CatalogueComparison names={names} />
      <CountyCases names={names} />
    </section>
  );
}

function Filters({ filter, onChange }: { filter: CountyFilter; onChange: (f: CountyFilter) => void }) {
  const levels: Array<[CountyFilter['level'], string]> = [
    ['all', '全部层级'],
    ['township', '乡镇'],
    ['village', '村(社区)'],
  ];
  const states: Array<[CountyFilter['state'], string]> = [
    ['all', '全部'],
    ['online', '在线'],
    ['offline', '离线'],
    ['alerts', '有告警'],
  ];
  return (
    <div class="county-filters">
      <div class="chips" role="group" aria-label="层级 Level">
        {levels.map(([v, zh]) => (
          <button key={v} class={`chip ${filter.level === v ? 'on' : ''}`} aria-pressed={filter.level === v} onClick={() => onChange({ ...filter, level: v })}>
            {zh}
          </button>
        ))}
      </div>
      <div class="chips" role="group" aria-label="状态 State">
        {states.map(([v, zh]) => (
          <button key={v} class={`chip ${filter.state === v ? 'on' : ''}`} aria-pressed={filter.state === v} onClick={() => onChange({ ...filter, state: v })}>
            {zh}
          </button>
        ))}
      </div>
      <input type="search" placeholder="搜索大厅名称 Search" value={filter.text} onInput={(e) => onChange({ ...filter, text: (e.target as HTMLInputElement).value })} />
    </div>
  );
}

/** One hall: its live figures (from the list), today's statistics, active alerts and its cases. */
function HallDetail({ hall, now, onClose }: { hall: CountyHall; now: number; onClose: () => void }) {
  const s = useStaff();
  const [sum, setSum] = useState<StatsSummary | null>(null);
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [cases, setCases] = useState<RectificationCase[] | null>(null);
  const tick = Math.floor(now / 15_000);
  useEffect(() => {
    void s.call<StatsSummary>('GET', `/api/stats/summary?${hallQuery(hall.id)}`, undefined, true).then((r) => setSum(r.ok ? r.value : null));
    void s.call<Alert[]>('GET', `/api/alerts?${hallQuery(hall.id, { active: 'true' })}`, undefined, true).then((r) => setAlerts(r.ok ? r.value : null));
    void s.call<RectificationCase[]>('GET', `/api/rectifications?${hallQuery(hall.id)}`, undefined, true).then((r) => setCases(r.ok ? r.value : null));
  }, [hall.id, tick]);
  return (
    <div class="panel hall-detail" data-detail={hall.id}>
      <h2>
        {hall.name} <small>{LEVEL_ZH[hall.level]}</small>
        <button class="btn-plain close" onClick={onClose} aria-label="关闭 Close">
          ✕
        </button>
      </h2>
      <p class={hall.online ? '' : 'warn-text'}>
        {hall.online ? '在线' : '离线'}，最后上报 {lastSeenText(hall.lastSeenAt, now)}
      </p>
      <div class="kpis kpis-small">
        <Kpi label="等候" en="Waiting" value={hall.waiting} />
        <Kpi label="开放窗口" en="Open" value={hall.countersOpen} />
        <Kpi label="今日取号" en="Issued" value={sum?.issued ?? hall.today.issued} />
        <Kpi label="今日办结" en="Served" value={sum?.served ?? hall.today.served} />
        <Kpi label="满意度" en="Satisfaction" value={percent(sum?.ratings.satisfaction ?? hall.satisfaction)} />
      </div>
      {sum && (
        <table class="sv-table">
          <thead>
            <tr>
              <th>业务 Service</th>
              <th>事项编码</th>
              <th>取号</th>
              <th>办结</th>
              <th>平均等候</th>
              <th>平均办理</th>
            </tr>
          </thead>
          <tbody>
            {sum.byService.map((r) => (
              <tr key={r.serviceId}>
                <td>{r.name}</td>
                <td class="muted">{r.catalogueCode ?? '—'}</td>
                <td class="n">{r.issued}</td>
                <td class="n">{r.served}</td>
                <td class="n">{minutes(r.waitMinutes.mean)}</td>
                <td class="n">{minutes(r.serviceMinutes.mean)}</td>
              </tr>
            ))}
            {sum.byService.length === 0 && (
              <tr>
                <td colSpan={6} class="muted">
                  今日暂无业务数据 No tickets today
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <h3>
        当前告警 <small>Active alerts</small>
      </h3>
      <ul class="sv-alerts">
        {(alerts ?? []).map((a) => (
          <li key={a.id} class={`alert-${a.level}`}>
            <span class={`badge badge-${a.level}`}>{ALERT_LEVEL_ZH[a.level]}</span> {ALERT_RULE_ZH[a.rule] ?? a.rule} · {a.subject.label}
          </li>
        ))}
        {alerts?.length === 0 && <li class="muted">暂无告警 No alerts</li>}
        {alerts === null && <li class="muted">无法读取 Unavailable</li>}
      </ul>
      <h3>
        好差评整改 <small>Rectification cases</small>
      </h3>
      <CaseTable cases={cases} />
    </div>
  );
}

/** Today's figures per 统一事项清单 item, one row per hall that adopted it: halls compared by code. */
function CatalogueComparison({ names }: { names: ReadonlyMap<string, string> }) {
  const s = useStaff();
  const [rows, setRows] = useState<CatalogueComparisonRow[] | null>(null);
  const self = s.snapshot.value?.hall;
  const nameOf = (id: string): string => (id === self?.id ? `${self.name}（本级）` : (names.get(id) ?? id));
  useEffect(() => {
    void s.call<CatalogueComparisonRow[]>('GET', '/api/catalogue/compare', undefined, true).then((r) => setRows(r.ok ? r.value : null));
  }, []);
  const adopted = (rows ?? []).filter((r) => r.halls.length > 0);
  return (
    <div class="panel catalogue-compare">
      <h2>
        按事项对比（今日）<small>Halls compared by catalogue item, today</small>
      </h2>
      <table class="sv-table">
        <thead>
          <tr>
            <th>事项</th>
            <th>大厅</th>
            <th>取号</th>
            <th>办结</th>
            <th>平均等候</th>
            <th>满意度</th>
          </tr>
        </thead>
        <tbody>
          {adopted.flatMap((r) =>
            r.halls.map((h, i) => (
              <tr key={`${r.code}/${h.hallId}`} data-compare={r.code}>
                <td>{i === 0 ? `${r.code} ${r.name}` : ''}</td>
                <td>{nameOf(h.hallId)}</td>
                <td class="n">{h.issued}</td>
                <td class="n">{h.served}</td>
                <td class="n">{minutes(h.waitMeanMinutes)}</td>
                <td class="n">{percent(h.satisfaction)}</td>
              </tr>
            )),
          )}
          {adopted.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">
                {rows === null ? '无法读取 Unavailable' : '尚无大厅采用事项清单 No hall has adopted a catalogue item yet'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** 好差评 cases of every hall, open ones first. */
function CountyCases({ names }: { names: ReadonlyMap<string, string> }) {
  const s = useStaff();
  const [cases, setCases] = useState<RectificationCase[] | null>(null);
  useEffect(() => {
    void s.call<RectificationCase[]>('GET', '/api/rectifications', undefined, true).then((r) => setCases(r.ok ? r.value : null));
  }, []);
  return (
    <div class="panel">
      <h2>
        全县好差评整改 <small>Cases of every hall</small>
      </h2>
      <CaseTable cases={cases} names={names} />
    </div>
  );
}

function CaseTable({ cases, names }: { cases: RectificationCase[] | null; names?: ReadonlyMap<string, string> }) {
  if (cases === null) return <p class="muted">无法读取 Unavailable</p>;
  const open = (c: RectificationCase) => (c.closedAt ? 1 : 0);
  const sorted = [...cases].sort((a, b) => open(a) - open(b) || Number(b.overdue) - Number(a.overdue) || b.openedAt.localeCompare(a.openedAt)).slice(0, 100);
  return (
    <table class="sv-table">
      <thead>
        <tr>
          {names && <th>大厅</th>}
          <th>号码</th>
          <th>评分</th>
          <th>状态</th>
          <th>期限</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((c) => (
          <tr key={c.id} class={c.overdue ? 'lvl-over' : ''}>
            {names && <td>{names.get(c.hallId) ?? c.hallId}</td>}
            <td>{c.ticketNumber}</td>
            <td class="n">{c.score}</td>
            <td>{CASE_STATUS_ZH[c.status]}</td>
            <td class="n">
              {c.deadline}
              {c.overdue && <span class="over-tag">逾期</span>}
            </td>
          </tr>
        ))}
        {sorted.length === 0 && (
          <tr>
            <td colSpan={names ? 5 : 4} class="muted">
              暂无整改件 No cases
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
