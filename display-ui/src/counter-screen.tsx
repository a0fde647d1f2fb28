import { RATING_LABELS } from '@hall/protocol';
import { useState } from 'preact/hooks';
import { hallClock } from './clock';
import { counterScreenView, promptActive } from './counter-screen-view';
import { useCounterScreen } from './counter-screen-store';
import { useNow } from './use-now';
import { messageFor } from './error-messages';

/** 窗口屏: one counter, for a bar screen (1280×400) above the counter or a panel (1024×600) on it. */
export function CounterScreen() {
  const s = useCounterScreen();
  const now = useNow();
  const snap = s.snapshot.value;
  const v = snap ? counterScreenView(snap, s.counterId) : null;
  const clock = hallClock(now + s.skewMs.value, s.offsetMinutes.value);
  const asking = promptActive(s.prompt.value, now + s.skewMs.value) || s.rate.value.kind === 'thanks';

  if (s.connection.value === 'no-counter' || (snap && !v)) {
    return (
      <main class="counter-screen cs-message">
        <h1>
          未找到该窗口，请联系管理员 <span class="en">No such counter: please ask the administrator</span>
        </h1>
      </main>
    );
  }
  if (!v) {
    return (
      <main class="counter-screen cs-message">
        {s.connection.value === 'unauthorized' ? (
          <p role="alert">
            显示屏令牌无效，请联系管理员 <span class="en">Display token refused: please ask the administrator</span>
          </p>
        ) : (
          <p>
            正在连接… <span class="en">Connecting…</span>
          </p>
        )}
      </main>
    );
  }
  return (
    <main class={`counter-screen cs-tone-${v.status.tone}`} data-counter={v.number}>
      <header class="cs-head">
        <h1 class="cs-counter">
          <span class="cs-no">{v.number}</span>
          <span class="cs-name">
            <span class="cs-zh">{v.number}号窗口</span>
            {v.title && <span class="cs-title">{v.title}</span>}
            <span class="en">Counter {v.number}</span>
          </span>
        </h1>
        <div class="cs-clerk" aria-label="工作人员 Staff on duty">
          {v.clerk ? (
            <>
              <ClerkPhoto key={v.clerk.id} counterId={s.counterId} clerkId={v.clerk.id} name={v.clerk.name} />
              <div class="cs-clerk-name">{v.clerk.name}</div>
              <div class="cs-clerk-no">
                工号 {v.clerk.staffNo || '—'} <span class="en">Staff no. {v.clerk.staffNo || '—'}</span>
              </div>
            </>
          ) : (
            <div class="cs-clerk-none">
              暂无工作人员 <span class="en">No clerk signed in</span>
            </div>
          )}
        </div>
        <div class="cs-time" aria-label="时间 Time">
          {clock.time.slice(0, 5)}
        </div>
      </header>

      {s.connection.value === 'offline' && (
        <div class="cs-offline" role="alert">
          连接中断，正在重连… <span class="en">Reconnecting…</span>
        </div>
      )}

      {asking ? (
        <RatePanel />
      ) : (
        <section class="cs-body">
          <div class={`cs-now ${v.current ? `cs-${v.current.tone}` : ''}`}>
            {v.status.tone === 'paused' || v.status.tone === 'closed' ? (
              <div class="cs-status" role="status">
                {v.status.zh} <span class="en">{v.status.en}</span>
              </div>
            ) : v.current ? (
              <>
                <div class="cs-number" data-current={v.current.number}>
                  {v.current.number}
                </div>
                <div class="cs-state">
                  {v.current.state.zh} <span class="en">{v.current.state.en}</span>
                </div>
              </>
            ) : (
              <div class="cs-status" role="status">
                {v.status.zh} <span class="en">{v.status.en}</span>
              </div>
            )}
          </div>
          <div class="cs-next">
            <h2>
              下一位 <span class="en">Next</span>
            </h2>
            {v.next.length > 0 ? (
              <ol class="cs-next-list">
                {v.next.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ol>
            ) : (
              <p class="cs-none">
                暂无等候 <span class="en">Nobody waiting</span>
              </p>
            )}
            <p class="cs-waiting">
              等候 <b>{v.waiting}</b> 人 <span class="en">{v.waiting} waiting</span>
            </p>
          </div>
        </section>
      )}
    </main>
  );
}

/** The clerk's photo if the admin uploaded one (挂牌上岗); nothing when there is none. */
function ClerkPhoto({ counterId, clerkId, name }: { counterId: string; clerkId: string; name: string }) {
  const [missing, setMissing] = useState(false);
  if (missing) return null;
  return (
    <img
      class="cs-photo"
      src={`/api/counters/${encodeURIComponent(counterId)}/clerk-photo?u=${encodeURIComponent(clerkId)}`}
      alt={`${name} 照片 Photo`}
      onError={() => setMissing(true)}
    />
  );
}

/** 评价 on the screen itself, for counters without an evaluator device. */
function RatePanel() {
  const s = useCounterScreen();
  const p = s.prompt.value;
  const r = s.rate.value;
  if (r.kind === 'thanks' || !p) {
    return (
      <section class="cs-rate cs-thanks" role="status">
        感谢您的评价！ <span class="en">Thank you for your rating!</span>
      </section>
    );
  }
  return (
    <section class="cs-rate" aria-labelledby="cs-rate-title">
      <h2 id="cs-rate-title">
        {p.ticketNumber} 请对本次服务进行评价 <span class="en">Please rate our service</span>
      </h2>
      <div class="cs-scores">
        {[5, 4, 3, 2, 1].map((score) => (
          <button key={score} class={`cs-score s${score}`} data-score={score} disabled={r.kind === 'sending'} onClick={() => void s.submit(score)}>
            {RATING_LABELS[score]?.zh}
            <span class="en">{RATING_LABELS[score]?.en}</span>
          </button>
        ))}
      </div>
      {r.kind === 'error' && (
        <p class="cs-error" role="alert">
          {messageFor(r.code).zh} <span class="en">{messageFor(r.code).en}</span>
        </p>
      )}
    </section>
  );
}
