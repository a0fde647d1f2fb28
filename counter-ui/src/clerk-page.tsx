import { useEffect, useRef, useState } from 'preact/hooks';
import type { CounterView, ServiceSummary, StaffSnapshot, Ticket } from '@hall/protocol';
import { useNow } from './use-now';
import { COUNTER_STATE_ZH, TICKET_STATUS_ZH, clockOf, formatElapsed, priorityLabel, ticketBadge } from './format';
import { availableCommands, commandForKey, keyOf, type Command } from './shortcuts';
import { counterTitle, transferChoices, waitingFor } from './staff-state';
import { useStaff } from './staff-store';
import { navigate } from './route';

export function ClerkPage() {
  const s = useStaff();
  const snap = s.snapshot.value;
  if (!snap) return <div class="empty">正在加载… Loading…</div>;
  const mine = s.mine.value;
  return mine ? <CounterDesk counter={mine} snap={snap} /> : <CounterPicker snap={snap} />;
}

/** To the clerk's own ratings, figures and rectification cases (申诉 there). */
function MyCasesLink() {
  return (
    <a
      class="my-cases-link"
      href="/counter/my-cases"
      data-my-cases
      onClick={(e) => {
        e.preventDefault();
        navigate('my-cases');
      }}
    >
      我的评价与整改 <small>My ratings</small>
    </a>
  );
}

function serviceNames(snap: StaffSnapshot, ids: readonly string[]): string {
  return ids.map((id) => snap.services.find((x) => x.id === id)?.name ?? id).join('、');
}

function CounterPicker({ snap }: { snap: StaffSnapshot }) {
  const s = useStaff();
  return (
    <section>
      <h1 class="page-title">
        请选择您的窗口并签到 <small>Choose your counter and sign in</small>
      </h1>
      <div class="picker">
        {snap.counters.map((c) => {
          const taken = c.clerk !== null && c.clerk.id !== snap.me.id;
          return (
            <button
              key={c.id}
              class={`pick ${taken ? 'taken' : ''}`}
              data-counter-id={c.id}
              disabled={s.busy.value !== null}
              onClick={() => void s.act({ action: 'sign-in', counterId: c.id })}
            >
              <span class="pick-no">{c.number}</span>
              <span class="pick-name">{counterTitle(c.number, c.name) || c.name}</span>
              <span class="pick-services">{serviceNames(snap, c.serviceIds) || '未分配业务'}</span>
              <span class="pick-state">{taken ? `${c.clerk?.name ?? ''} 已签到` : '空闲 · 点击签到'}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}

type Dialog = null | 'requeue' | 'transfer' | 'pause' | 'call' | 'sign-out';

const COMMANDS: { cmd: Command; zh: string; en: string; tone?: string }[] = [
  { cmd: 'call-next', zh: '呼叫下一位', en: 'Call next', tone: 'primary' },
  { cmd: 'recall', zh: '重呼', en: 'Recall' },
  { cmd: 'start', zh: '开始办理', en: 'Start' },
  { cmd: 'finish', zh: '办结', en: 'Finish', tone: 'good' },
  { cmd: 'no-show', zh: '过号', en: 'No-show', tone: 'warn' },
  { cmd: 'requeue', zh: '过号重排', en: 'Re-queue' },
  { cmd: 'transfer', zh: '转移', en: 'Transfer' },
  { cmd: 'pause-resume', zh: '暂停', en: 'Pause' },
  { cmd: 'call', zh: '指定呼叫', en: 'Call number' },
  { cmd: 'sign-out', zh: '签退', en: 'Sign out', tone: 'danger' },
];

function CounterDesk({ counter, snap }: { counter: CounterView; snap: StaffSnapshot }) {
  const s = useStaff();
  const now = useNow();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [prefill, setPrefill] = useState('');
  const current = counter.currentTicket ? (snap.tickets.find((t) => t.id === counter.currentTicket?.id) ?? null) : null;
  const currentId = counter.currentTicket?.id;
  useEffect(() => {
    if (currentId && !current) s.ensureTicket(currentId);
  }, [currentId, current]);
  const available = availableCommands(counter, current ?? counter.currentTicket);
  // The day's figures are the server's (GET /api/counters/:id/today): a reload or a restart keeps them.
  const today = s.today.value?.counterId === counter.id ? s.today.value : null;
  const myServices = counter.serviceIds.map((id) => snap.services.find((x) => x.id === id)).filter((x): x is ServiceSummary => !!x);
  const missed = today?.missed ?? [];

  const simple = async (action: 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'resume') => {
    const r = await s.act({ action, counterId: counter.id });
    if (r && action === 'call-next' && !r.ticket) s.toast('info', '当前没有等候的群众 Nobody is waiting');
  };

  const run = (cmd: Command): void => {
    if (!available.has(cmd) || s.busy.value) return;
    switch (cmd) {
      case 'call-next':
      case 'recall':
      case 'start':
      case 'finish':
      case 'no-show':
        void simple(cmd);
        return;
      case 'pause-resume':
        if (counter.state === 'paused') void simple('resume');
        else setDialog('pause');
        return;
      default:
        setPrefill('');
        setDialog(cmd);
    }
  };

  // Function keys, unless a dialog has the keyboard.
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const cmd = commandForKey(e);
      if (!cmd) return;
      e.preventDefault();
      if (!document.querySelector('.dialog')) runRef.current(cmd);
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);

  return (
    <section class="desk">
      <header class="desk-head">
        <div class="desk-title">
          <span class="desk-no">{counter.number}号窗口</span> {counterTitle(counter.number, counter.name)}
        </div>
        <span class={`state state-${counter.state}`}>
          {COUNTER_STATE_ZH[counter.state]}
          {counter.state === 'paused' && counter.pauseReason ? `：${counter.pauseReason}` : ''}
        </span>
        <span class="served">
          今日已办结 <b data-served>{today ? today.served : '…'}</b> 件 <small>Served today</small>
          {today && today.noShow > 0 && (
            <>
              {' · '}过号 <b data-no-show>{today.noShow}</b>
            </>
          )}
          {today && today.transferred > 0 && (
            <>
              {' · '}转出 <b data-transferred>{today.transferred}</b>
            </>
          )}
        </span>
        <MyCasesLink />
      </header>

      <div class="desk-body">
        <div class="current">
          {counter.currentTicket ? (
            <CurrentTicket number={counter.currentTicket.number} status={counter.currentTicket.status} ticket={current} now={now} />
          ) : (
            <div class="current-empty">
              {counter.state === 'paused' ? '窗口暂停中' : '当前没有正在办理的号'}
              <small>{counter.state === 'paused' ? 'Counter paused' : 'No current ticket — press F1 to call the next'}</small>
            </div>
          )}
        </div>
        <div class="commands">
          {COMMANDS.map(({ cmd, zh, en, tone }) => {
            const key = keyOf(cmd);
            const label = cmd === 'pause-resume' && counter.state === 'paused' ? { zh: '恢复', en: 'Resume' } : { zh, en };
            return (
              <button
                key={cmd}
                class={`cmd ${tone ? `cmd-${tone}` : ''}`}
                data-cmd={cmd}
                disabled={!available.has(cmd) || s.busy.value !== null}
                onClick={() => run(cmd)}
              >
                {key && <kbd>{key}</kbd>}
                <span class="cmd-zh">{label.zh}</span>
                <small>{label.en}</small>
              </button>
            );
          })}
        </div>
      </div>

      <div class="desk-lists">
        <div class="panel">
          <h2>
            本窗口业务等候 <small>Waiting for this counter</small>
          </h2>
          {myServices.length === 0 && <div class="muted">本窗口未分配业务</div>}
          {myServices.map((svc) => {
            const waiting = waitingFor(snap, [svc.id]);
            return (
              <div class="svc-row" key={svc.id}>
                <span class="svc-name">
                  {svc.name} <small>{svc.prefix}</small>
                </span>
                <span class="svc-count">
                  <b>{svc.waiting}</b> 人
                </span>
                <span class="chips">
                  {waiting.slice(0, 8).map((t) => (
                    <button
                      key={t.number}
                      class={`chip ${t.ticket && t.ticket.priority !== 'normal' ? 'chip-prio' : ''}`}
                      title={t.ticket ? `${priorityLabel(t.ticket.priority)} · ${clockOf(t.ticket.issuedAt)} 取号` : undefined}
                      disabled={!available.has('call')}
                      onClick={() => {
                        setPrefill(t.number);
                        setDialog('call');
                      }}
                    >
                      {t.number}
                    </button>
                  ))}
                </span>
              </div>
            );
          })}
        </div>
        <div class="panel" data-missed>
          <h2>
            今日过号 <small>Missed today</small>
          </h2>
          {missed.length === 0 ? (
            <div class="muted">暂无</div>
          ) : (
            <div class="chips">
              {missed.map((m) => (
                <button
                  key={m.ticketId}
                  class="chip chip-miss"
                  data-number={m.ticketNumber}
                  title={`${clockOf(m.at)} 过号`}
                  disabled={!available.has('requeue')}
                  onClick={() => {
                    setPrefill(m.ticketNumber);
                    setDialog('requeue');
                  }}
                >
                  {m.ticketNumber} 重排
                </button>
              ))}
            </div>
          )}
        </div>
      </div>

      {dialog && <DeskDialog kind={dialog} counter={counter} current={current} snap={snap} prefill={prefill} close={() => setDialog(null)} />}
    </section>
  );
}

function CurrentTicket({ number, status, ticket, now }: { number: string; status: Ticket['status']; ticket: Ticket | null; now: number }) {
  const since = status === 'serving' ? ticket?.startedAt : ticket?.calledAt;
  return (
    <div class={`ticket ticket-${status}`} data-current={number}>
      <div class="ticket-top">
        <span class="ticket-status">{TICKET_STATUS_ZH[status]}</span>
        {ticket && ticketBadge(ticket) && <span class={`prio ${ticket.source === 'appointment' ? 'prio-appointment' : ''}`}>{ticketBadge(ticket)}</span>}
        {ticket && ticket.recalls > 0 && <span class="recalls">已重呼 {ticket.recalls} 次</span>}
      </div>
      <div class="ticket-number">{number}</div>
      {ticket && (
        <div class="ticket-meta">
          <div>{ticket.serviceName}</div>
          {ticket.holderName && <div>持证人：{ticket.holderName}</div>}
          <div>
            取号 {clockOf(ticket.issuedAt)}
            {ticket.transferredFrom ? ' · 转入' : ''}
            {ticket.requeues > 0 ? ' · 过号重排' : ''}
          </div>
          {since && (
            <div class="timer">
              {status === 'serving' ? '办理用时' : '呼叫后'} {formatElapsed(since, now)}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

const PAUSE_REASONS = ['午休', '临时离开', '业务咨询', '系统故障', '培训会议'];

function DeskDialog({
  kind,
  counter,
  current,
  snap,
  prefill,
  close,
}: {
  kind: Exclude<Dialog, null>;
  counter: CounterView;
  current: Ticket | null;
  snap: StaffSnapshot;
  prefill: string;
  close: () => void;
}) {
  const s = useStaff();
  const [text, setText] = useState(prefill);
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [close]);
  const done = (r: unknown) => {
    if (r) close();
  };
  const number = text.trim().toUpperCase();
  let body;
  if (kind === 'transfer') {
    const choices = transferChoices(snap, counter, current?.serviceId ?? null);
    const names = (ids: readonly string[]) => ids.map((id) => snap.services.find((x) => x.id === id)?.name ?? id).join('、');
    body = (
      <>
        <h2>
          将 {counter.currentTicket?.number} 转移到 <small>Transfer to</small>
        </h2>
        <h3>
          其他业务（排队等候） <small>A service: the ticket waits in its queue</small>
        </h3>
        {choices.services.length === 0 ? (
          <p class="muted">没有窗口在办理其他业务 No open counter serves another service</p>
        ) : (
          <div class="choice-grid">
            {choices.services.map((svc) => (
              <button
                key={svc.id}
                class="choice"
                data-transfer-service={svc.id}
                onClick={async () => done(await s.act({ action: 'transfer', counterId: counter.id, serviceId: svc.id }))}
              >
                {svc.name}
                <small>
                  {svc.prefix} · 等候 {svc.waiting}
                </small>
              </button>
            ))}
          </div>
        )}
        <h3>
          指定窗口（下一位即呼叫） <small>A counter: it calls the ticket next</small>
        </h3>
        {choices.counters.length === 0 ? (
          <p class="muted">没有其他已签到的窗口 No other counter is signed in</p>
        ) : (
          <div class="choice-grid">
            {choices.counters.map((c) => (
              <button
                key={c.id}
                class="choice"
                data-transfer-counter={c.id}
                onClick={async () => done(await s.act({ action: 'transfer', counterId: counter.id, toCounterId: c.id }))}
              >
                {c.number}号窗口 {c.clerk?.name ?? ''}
                <small>
                  {names(c.serviceIds) || '未分配业务'}
                  {c.state === 'paused' ? ' · 暂停中' : ''}
                </small>
              </button>
            ))}
          </div>
        )}
      </>
    );
  } else if (kind === 'pause') {
    body = (
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (text.trim()) done(await s.act({ action: 'pause', counterId: counter.id, reason: text.trim() }));
        }}
      >
        <h2>
          暂停服务原因 <small>Pause reason</small>
        </h2>
        <div class="choice-grid">
          {PAUSE_REASONS.map((r) => (
            <button type="button" key={r} class={`choice ${text === r ? 'sel' : ''}`} onClick={() => setText(r)}>
              {r}
            </button>
          ))}
        </div>
        <input class="wide" maxLength={60} value={text} placeholder="其他原因 Other reason" onInput={(e) => setText((e.target as HTMLInputElement).value)} autoFocus />
        <div class="dialog-actions">
          <button type="submit" class="btn-primary" disabled={!text.trim()}>
            暂停 <small>Pause</small>
          </button>
        </div>
      </form>
    );
  } else if (kind === 'sign-out') {
    body = (
      <>
        <h2>
          确定签退 {counter.number}号窗口？ <small>Sign out of this counter?</small>
        </h2>
        {counter.currentTicket && <p class="warn-text">当前号 {counter.currentTicket.number} 尚未办结。</p>}
        <div class="dialog-actions">
          <button class="btn-danger" onClick={async () => done(await s.act({ action: 'sign-out', counterId: counter.id }))} autoFocus>
            签退 <small>Sign out</small>
          </button>
        </div>
      </>
    );
  } else {
    const action = kind;
    const options =
      action === 'requeue'
        ? (s.today.value?.missed ?? []).map((m) => m.ticketNumber)
        : waitingFor(snap, counter.serviceIds)
            .slice(0, 12)
            .map((t) => t.number);
    body = (
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (number) done(await s.act({ action, counterId: counter.id, ticketNumber: number }));
        }}
      >
        <h2>
          {action === 'requeue' ? '过号重排：输入号码' : '指定呼叫：输入号码'} <small>{action === 'requeue' ? 'Re-queue a missed number' : 'Call a given number'}</small>
        </h2>
        <input class="wide big" value={text} placeholder="A001" pattern="[A-Za-z]{1,2}[0-9]{3,4}" onInput={(e) => setText((e.target as HTMLInputElement).value)} autoFocus />
        {options.length > 0 && (
          <div class="chips">
            {options.map((n) => (
              <button type="button" key={n} class={`chip ${number === n ? 'sel' : ''}`} onClick={() => setText(n)}>
                {n}
              </button>
            ))}
          </div>
        )}
        <div class="dialog-actions">
          <button type="submit" class="btn-primary" disabled={!/^[A-Z]{1,2}\d{3,4}$/.test(number)}>
            {action === 'requeue' ? '重排' : '呼叫'} <small>{action === 'requeue' ? 'Re-queue' : 'Call'}</small>
          </button>
        </div>
      </form>
    );
  }
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && close()}>
      <div class="dialog" role="dialog" aria-modal="true">
        {body}
        <button class="dialog-close" onClick={close}>
          取消 Esc
        </button>
      </div>
    </div>
  );
}
