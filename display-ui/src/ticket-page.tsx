import { useEffect, useState } from 'preact/hooks';
import { RATING_LABELS } from '@hall/protocol';
import { messageFor } from './error-messages';
import { goToCounter } from './format';
import { pageTitle, readTicket, type TicketReading } from './ticket-view';
import { useTicket } from './ticket-store';

export function TicketPage() {
  const s = useTicket();
  const t = s.ticket.value;
  const err = s.error.value;
  const elderly = s.elderly.value;
  const r = t ? readTicket(t, { today: s.today.value, serviceNames: s.serviceNames.value }) : null;
  // Sizes are in rem: elderly mode scales the root font size.
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
  }, [elderly]);
  const title = pageTitle(t, r);
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <div class={`phone ${elderly ? 'elderly' : ''}`}>
      <header class="ph-head">
        <div class="ph-hall">
          {s.hall.value?.name ?? '政务服务中心'}
          <span class="en" lang="en">My ticket</span>
        </div>
        <button class={`ph-toggle ${elderly ? 'on' : ''}`} aria-pressed={elderly} onClick={() => s.toggleElderly()}>
          {elderly ? '标准' : '大字模式'}
          <span class="en" lang="en">{elderly ? 'Standard' : 'Large text'}</span>
        </button>
      </header>
      {s.connection.value === 'offline' && t && (
        <div class="ph-offline" role="alert">
          连接中断，正在重连… <span class="en" lang="en">Reconnecting…</span>
        </div>
      )}
      <main class="ph-main">
        {t && r?.tone === 'called' && t.counterNumber !== null && <CalledBanner counterNumber={t.counterNumber} number={t.number} />}
        {t && r && !r.final && <AlertsControl />}
        {err && !t ? (
          <div class="ph-card tone-ended" role="alert">
            <div class="ph-headline">{messageFor(err.code).zh}</div>
            <span class="en" lang="en">{messageFor(err.code).en}</span>
          </div>
        ) : !t ? (
          <div class="ph-card">
            正在加载… <span class="en" lang="en">Loading…</span>
          </div>
        ) : (
          r && <TicketCard r={r} />
        )}
        {r?.canRate && s.rating.value.kind !== 'done' && <RatingForm />}
        {s.rating.value.kind === 'done' && !t?.rated && (
          <div class="ph-card tone-done thanks" role="status">
            感谢您的评价！ <span class="en" lang="en">Thank you for your rating!</span>
          </div>
        )}
        {!elderly && !r?.final && s.calls.value.length > 0 && <LatestCalls />}
      </main>
      <footer class="ph-foot">
        本页面自动更新，无需刷新 <span class="en" lang="en">This page updates by itself</span>
      </footer>
    </div>
  );
}

/** The call, as a banner no one can miss: where to go, in the biggest type on the page. */
function CalledBanner({ counterNumber, number }: { counterNumber: number; number: string }) {
  return (
    <div class="ph-banner" role="alert" data-counter={counterNumber}>
      <div class="ph-banner-main">
        请到<b>{counterNumber}</b>号窗口
      </div>
      <div class="ph-banner-sub">
        {number} 号，轮到您了 <span class="en" lang="en">It is your turn: please go to counter {counterNumber}</span>
      </div>
    </div>
  );
}

/** Browsers let a page make sound (and, in Chrome, vibrate) only after a touch: ask for one. */
function AlertsControl() {
  const s = useTicket();
  const state = s.alerts.value;
  if (state === 'on')
    return (
      <div class="ph-alerts on" role="status">
        已开启提醒：请保持本页面打开，叫到您时手机会响铃{typeof navigator.vibrate === 'function' ? '并振动' : ''}
        <span class="en" lang="en">
          Alerts on: keep this page open; your phone beeps when your number is called
        </span>
      </div>
    );
  if (state === 'unavailable')
    return (
      <div class="ph-alerts" role="status">
        本浏览器不支持声音提醒，请留意本页面 <span class="en" lang="en">This browser cannot beep: please keep an eye on this page</span>
      </div>
    );
  return (
    <button class="ph-alerts-on" type="button" onClick={() => void s.enableAlerts()}>
      开启提醒
      <span class="en" lang="en">Turn on sound and vibration for your call</span>
    </button>
  );
}

function TicketCard({ r }: { r: TicketReading }) {
  const s = useTicket();
  const t = s.ticket.value!;
  return (
    <div class={`ph-card tone-${r.tone}`} data-status={r.statusKey}>
      <div class="ph-service">{t.serviceName}</div>
      <div class="ph-number">{t.number}</div>
      <div class="ph-status">
        {r.status.zh} <span lang="en">{r.status.en}</span>
      </div>
      <div class="ph-headline">
        {r.headline.zh}
        <span class="en" lang="en">{r.headline.en}</span>
      </div>
      {r.lines.map((l) => (
        <div class="ph-line" key={l.zh}>
          {l.zh}
          <span class="en" lang="en">{l.en}</span>
        </div>
      ))}
    </div>
  );
}

function RatingForm() {
  const s = useTicket();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const state = s.rating.value;
  return (
    <form
      class="ph-card rating"
      onSubmit={(e) => {
        e.preventDefault();
        if (score !== null) void s.rate(score, comment);
      }}
    >
      <h2>
        请您评价本次服务 <span class="en" lang="en">Please rate our service</span>
      </h2>
      <div class="scores" role="radiogroup" aria-label="评分 Rating">
        {[5, 4, 3, 2, 1].map((n) => (
          <button
            type="button"
            role="radio"
            aria-checked={score === n}
            class={`score score-${n} ${score === n ? 'sel' : ''}`}
            key={n}
            onClick={() => setScore(n)}
          >
            <span class="stars">{'★'.repeat(n)}</span>
            {RATING_LABELS[n]?.zh}
            <span class="en" lang="en">{RATING_LABELS[n]?.en}</span>
          </button>
        ))}
      </div>
      {!s.elderly.value && (
        <textarea
          maxLength={500}
          placeholder="意见建议（选填） Comments (optional)"
          value={comment}
          onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
        />
      )}
      {state.kind === 'error' && (
        <div class="ph-error" role="alert">
          {messageFor(state.error.code).zh} <span class="en" lang="en">{messageFor(state.error.code).en}</span>
        </div>
      )}
      <button class="submit" type="submit" disabled={score === null || state.kind === 'sending'}>
        {state.kind === 'sending' ? '正在提交…' : '提交评价'} <span class="en" lang="en">Submit</span>
      </button>
    </form>
  );
}

function LatestCalls() {
  const s = useTicket();
  return (
    <section class="ph-card ph-calls">
      <h2>
        大厅最新叫号 <span class="en" lang="en">Latest calls in the hall</span>
      </h2>
      <ul>
        {s.calls.value.map((c) => (
          <li key={c.ticketId} class={c.ticketId === s.ticketId ? 'mine' : ''}>
            <b>{c.ticketNumber}</b> {goToCounter(c.counterNumber).zh}
          </li>
        ))}
      </ul>
    </section>
  );
}
