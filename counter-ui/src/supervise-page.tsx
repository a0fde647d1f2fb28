import { useEffect, useState } from 'preact/hooks';
import type { Service, ServiceSummary, Ticket } from '@hall/protocol';
import { COUNTER_STATE_ZH, TICKET_STATUS_ZH, clockOf, formatElapsed, minutesSince, priorityLabel, waitLevel } from './format';
import { counterTitle, waitingFor } from './staff-state';
import { useStaff } from './staff-store';
import { useNow } from './use-now';
import { AlertsPanel, CasesPanel, StatsPanel, useHallInfo } from './supervision-panels';
import { DevicePanel } from './device-panel';
import { AppointmentsPanel } from './appointments-panel';
import { counterAttention, spanZh } from './supervision-format';
import { Kpi } from './kpi';

type Limits = Record<string, { wait: number | null; service: number | null }>;

/**
 * Wait and service limits per service. The summaries the socket sends may not carry them; the
 * full service list (`GET /api/services/all`) does where the server offers it. Without either,
 * waits are shown without a limit.
 */
function useLimits(services: ServiceSummary[]): Limits {
  const s = useStaff();
  const [full, setFull] = useState<Service[] | null>(null);
  useEffect(() => {
    void s.call<Service[]>('GET', '/api/services/all', undefined, true).then((r) => r.ok && Array.isArray(r.value) && setFull(r.value));
  }, []);
  const out: Limits = {};
  for (const svc of services) {
    const extra = svc as ServiceSummary & Partial<Pick<Service, 'waitLimitMinutes' | 'serviceLimitMinutes'>>;
    const f = full?.find((x) => x.id === svc.id);
    out[svc.id] = { wait: extra.waitLimitMinutes ?? f?.waitLimitMinutes ?? null, service: extra.serviceLimitMinutes ?? f?.serviceLimitMinutes ?? null };
  }
  return out;
}

export function SupervisePage() {
  const s = useStaff();
  const now = useNow(5000);
  const snap = s.snapshot.value;
  const limits = useLimits(snap?.services ?? []);
  const hall = useHallInfo();
  if (!snap) return <div class="empty">正在加载… Loading…</div>;
  const waitingTotal = snap.services.reduce((n, x) => n + x.waiting, 0);
  const open = snap.counters.filter((c) => c.state === 'open').length;
  const paused = snap.counters.filter((c) => c.state === 'paused').length;
  const waiting = snap.tickets.filter((t) => t.status === 'waiting');
  // Without ticket details (issue times) the waits are unknown; counts still come per service.
  const overCount = waiting.filter((t) => waitLevel(minutesSince(t.issuedAt, now), limits[t.serviceId]?.wait) === 'over').length;
  const longest = waiting.reduce((m, t) => Math.max(m, minutesSince(t.issuedAt, now) ?? 0), 0);
  const byId = new Map(snap.tickets.map((t) => [t.id, t] as const));
  for (const c of snap.counters) if (c.currentTicket && !byId.has(c.currentTicket.id)) s.ensureTicket(c.currentTicket.id);
  // Idle while citizens wait is measured against the 无人值守 bound, pauses against the pause bound (hall settings).
  const bounds = { pausedMinutes: hall?.supervision?.pausedMinutes ?? 15, idleMinutes: hall?.supervision?.unattendedMinutes ?? 10 };
  const attention = counterAttention(snap.counters, Object.fromEntries(snap.services.map((x) => [x.id, x.waiting])), now, bounds);
  return (
    <section class="supervise">
      <div class="kpis">
        <Kpi label="等候人数" en="Waiting" value={waitingTotal} />
        <Kpi label="服务中窗口" en="Counters open" value={`${open} / ${snap.counters.length}`} />
        <Kpi label="暂停窗口" en="Paused" value={paused} tone={paused > 0 ? 'warn' : undefined} />
        <Kpi label="最长等候" en="Longest wait" value={`${longest} 分钟`} />
        <Kpi label="超时等候" en="Over the wait limit" value={overCount} tone={overCount > 0 ? 'bad' : 'good'} />
      </div>

      <div class="panel" data-attention>
        <h2>
          空闲与暂停窗口 <small>Idle and paused counters (暂停超过 {bounds.pausedMinutes} 分钟、有人等候时空闲超过 {bounds.idleMinutes} 分钟标红)</small>
        </h2>
        {attention.length === 0 ? (
          <p class="muted">所有签到窗口都在办理业务 Every open counter is serving</p>
        ) : (
          <ul class="attention">
            {attention.map((a) => (
              <li key={a.id} class={`att att-${a.level}`} data-counter={a.number} data-kind={a.kind}>
                <b>{a.number}号窗口</b> {a.clerk ?? ''}
                <span class="att-what">
                  {a.kind === 'paused' ? `暂停 ${spanZh(a.minutes)}` : `空闲 ${spanZh(a.minutes)}`}
                  {a.kind === 'paused' && a.reason ? `（${a.reason}）` : ''}
                </span>
                <small>{a.kind === 'idle' ? (a.waiting > 0 ? `其业务有 ${a.waiting} 人等候` : '其业务无人等候') : a.level === 'ok' ? 'Paused' : 'Paused too long'}</small>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div class="sv-grid">
        <div class="panel">
          <h2>
            窗口实时状态 <small>Counters live</small>
          </h2>
          <div class="sv-counters">
            {snap.counters.map((c) => {
              const t = c.currentTicket ? byId.get(c.currentTicket.id) : undefined;
              const since = c.currentTicket?.status === 'serving' ? t?.startedAt : t?.calledAt;
              const serviceMin = c.currentTicket?.status === 'serving' ? minutesSince(t?.startedAt, now) : null;
              const over = t && waitLevel(serviceMin, limits[t.serviceId]?.service) === 'over';
              return (
                <div class={`sv-counter st-${c.state} ${over ? 'over' : ''}`} key={c.id} data-counter={c.number}>
                  <div class="svc-top">
                    <b>{c.number}</b> {counterTitle(c.number, c.name)}
                    <span class={`state state-${c.state}`}>{COUNTER_STATE_ZH[c.state]}</span>
                  </div>
                  <div class="svc-clerk">{c.clerk ? `${c.clerk.name}${c.clerk.staffNo ? ` · ${c.clerk.staffNo}` : ''}` : '—'}</div>
                  {c.state === 'paused' && (
                    <div class="svc-reason">
                      {c.pauseReason ? `暂停原因：${c.pauseReason}` : '暂停'}
                      {c.stateSince && ` · ${formatElapsed(c.stateSince, now)}`}
                    </div>
                  )}
                  <div class="svc-ticket">
                    {c.currentTicket ? (
                      <>
                        <span class="num">{c.currentTicket.number}</span> {TICKET_STATUS_ZH[c.currentTicket.status]}
                        {since && <span class="timer"> {formatElapsed(since, now)}</span>}
                        {over && <span class="over-tag">超时办理</span>}
                      </>
                    ) : (
                      <span class="muted">
                        空闲{c.state === 'open' && c.idleSince ? ` ${formatElapsed(c.idleSince, now)}` : ''}
                      </span>
                    )}
                  </div>
                </div>
              );
            })}
          </div>
        </div>

        <div class="panel">
          <h2>
            最近叫号 <small>Recent calls</small>
          </h2>
          <ol class="sv-calls">
            {snap.recentCalls.slice(0, 12).map((c) => (
              <li key={c.ticketId + c.at}>
                <span class="num">{c.ticketNumber}</span> → {c.counterNumber}号窗口 <small>{clockOf(c.at)}</small>
                {c.recall && <span class="tag">重呼</span>}
              </li>
            ))}
            {snap.recentCalls.length === 0 && <li class="muted">暂无</li>}
          </ol>
        </div>
      </div>

      <div class="panel">
        <h2>
          各业务等候情况 <small>Waiting per service (red: over the service's wait limit)</small>
        </h2>
        <table class="sv-table">
          <thead>
            <tr>
              <th>业务 Service</th>
              <th>等候 Waiting</th>
              <th>最长等候 Longest</th>
              <th>时限 Limit</th>
              <th>等候号码（等候分钟）Tickets (minutes)</th>
            </tr>
          </thead>
          <tbody>
            {snap.services.map((svc) => {
              const list = waitingFor(snap, [svc.id]);
              const lim = limits[svc.id]?.wait ?? null;
              const known = list.filter((e) => e.ticket);
              const oldest = known.reduce((m, e) => Math.max(m, minutesSince(e.ticket?.issuedAt, now) ?? 0), 0);
              const level = known.length ? waitLevel(oldest, lim) : 'ok';
              return (
                <tr key={svc.id} class={`lvl-${level}`}>
                  <td>
                    {svc.name} <small>{svc.prefix}</small>
                    {!svc.open && <span class="tag">停止取号</span>}
                  </td>
                  <td class="n">{svc.waiting}</td>
                  <td class="n">{known.length ? `${oldest} 分钟` : '—'}</td>
                  <td class="n">{lim ? `${lim} 分钟` : '未设定'}</td>
                  <td>
                    <span class="chips">
                      {list.slice(0, 16).map((e) => (
                        <WaitChip key={e.number} number={e.number} t={e.ticket} now={now} limit={lim} />
                      ))}
                      {list.length > 16 && <span class="muted">…共 {list.length} 人</span>}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <div class="sv-grid">
        <AlertsPanel />
        <div class="sv-side">
          <CasesPanel />
          <DevicePanel />
        </div>
      </div>
      <AppointmentsPanel />
      <StatsPanel />
    </section>
  );
}

function WaitChip({ number, t, now, limit }: { number: string; t: Ticket | null; now: number; limit: number | null }) {
  const m = minutesSince(t?.issuedAt, now);
  const level = waitLevel(m, limit);
  return (
    <span class={`chip static lvl-${level}`} title={t ? `${priorityLabel(t.priority)} · ${clockOf(t.issuedAt)} 取号` : undefined}>
      {number} {m !== null && <small>{m}′</small>}
    </span>
  );
}
