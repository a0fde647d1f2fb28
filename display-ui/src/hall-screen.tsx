import type { CounterView, QueueSnapshot, RecentCall } from '@hall/protocol';
import { hallClock, hallHourMinute } from './clock';
import { counterStatus, counterTitle, goToCounter } from './format';
import { useHall } from './hall-store';
import { useNow } from './use-now';
import { voiceNote } from './call-voice';
import { callState, callStateLabel, rotatingPage } from './hall-state';
import { chooseLayout, totalWaiting } from './hall-layout';
import type { HallLayout } from './route';
import { useEffect, useState } from 'preact/hooks';

function useViewport(): { width: number; height: number } {
  const read = () => ({ width: window.innerWidth, height: window.innerHeight });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const on = () => setSize(read());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return size;
}

/** Lists longer than a screen turn a page this often. */
const PAGE_MS = 10_000;
const COUNTERS_PER_PAGE = 16;
const SERVICES_PER_PAGE = 8;

function PageMark({ page, pages }: { page: number; pages: number }) {
  return pages > 1 ? (
    <span class="pagemark">
      {page + 1}/{pages}
    </span>
  ) : null;
}

export function HallScreen({ forcedLayout = null }: { forcedLayout?: HallLayout | null }) {
  const h = useHall();
  const now = useNow();
  const { width, height } = useViewport();
  const snap = h.snapshot.value;
  const hl = h.highlight.value;
  const flashing = hl && hl.until > now ? hl.call : null;
  const layout = chooseLayout(forcedLayout, snap?.hall.level, width, height);
  useEffect(() => {
    document.documentElement.dataset.layout = layout;
  }, [layout]);
  return (
    <div class={`hall-screen layout-${layout}`}>
      <Header now={now} />
      {h.connection.value === 'offline' && (
        <div class="offline" role="alert">
          与服务器的连接已中断，正在重新连接… <span class="en">Connection lost, reconnecting…</span>
        </div>
      )}
      {h.connection.value === 'unauthorized' && (
        <div class="offline" role="alert">
          显示屏令牌无效，请联系管理员 <span class="en">Display token refused: please ask the administrator</span>
        </div>
      )}
      {snap && layout === 'single' ? (
        <SingleTv snap={snap} flashing={flashing} />
      ) : snap ? (
        <div class="board">
          <NowCalling snap={snap} flashing={flashing} />
          <div class="right">
            <Counters counters={snap.counters} flashing={flashing} tick={Math.floor(now / PAGE_MS)} />
            <Waiting snap={snap} tick={Math.floor(now / PAGE_MS)} />
          </div>
        </div>
      ) : (
        <div class="loading">
          正在连接… <span class="en">Connecting…</span>
        </div>
      )}
      <Ticker notices={snap?.notices ?? []} />
    </div>
  );
}

/** A village room's one TV: the call, big enough to read across the room, and how many wait. */
function SingleTv({ snap, flashing }: { snap: QueueSnapshot; flashing: RecentCall | null }) {
  const latest = snap.recentCalls[0] ?? null;
  const earlier = snap.recentCalls.slice(1, 4);
  const waiting = totalWaiting(snap.services);
  return (
    <div class="single">
      <section class="single-now">
        <h2>
          正在呼叫 <span class="en">Now calling</span>
        </h2>
        {latest ? (
          <div class={`now-call single-call ${flashing && flashing.ticketId === latest.ticketId ? 'flash' : ''}`} data-call={latest.ticketNumber}>
            <div class="single-number">{latest.ticketNumber}</div>
            <NowArrow call={latest} counters={snap.counters} className="single-arrow" />
            {latest.recall && <span class="recall">重呼 Recall</span>}
          </div>
        ) : (
          <div class="now-call single-call empty">
            暂无叫号 <span class="en">No calls yet</span>
          </div>
        )}
      </section>
      <section class="single-side">
        <div class="single-waiting" data-waiting={waiting}>
          <div class="single-label">
            等候人数 <span class="en">Waiting</span>
          </div>
          <div class="single-count">
            <b>{waiting}</b> 人
          </div>
        </div>
        {earlier.length > 0 && (
          <ol class="single-recent" aria-label="最近叫号 Recent calls">
            {earlier.map((c) => (
              <li key={c.ticketId} data-ticket={c.ticketNumber} data-state={callState(c, snap.counters)}>
                <span class="r-number">{c.ticketNumber}</span>
                <span>{c.counterNumber}号窗口</span>
                <StateTag call={c} counters={snap.counters} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function Header({ now }: { now: number }) {
  const h = useHall();
  const c = hallClock(now + h.skewMs.value, h.offsetMinutes.value);
  const note = voiceNote({ voice: h.hallVoice.value, browserVoice: h.voice.value, screenMuted: h.muted.value, hallTime: c.time.slice(0, 5) });
  const needsGesture =
    !h.muted.value &&
    (h.audioBlocked.value ||
      (h.voice.value === 'ready' && typeof navigator !== 'undefined' && navigator.userActivation && !navigator.userActivation.hasBeenActive));
  return (
    <header class="hs-head">
      <div class="hs-title">
        <div class="hs-hall">{h.snapshot.value?.hall.name ?? '政务服务中心'}</div>
        <div class="hs-sub">
          叫号信息 <span class="en">Queue information</span>
        </div>
      </div>
      <div class="hs-clock">
        <div class="hs-time">{c.time}</div>
        <div class="hs-date">
          {c.date} {c.weekday}
        </div>
      </div>
      <div class="hs-voice">
        <button class={`mute ${h.muted.value ? 'on' : ''}`} onClick={() => h.toggleMuted()} aria-pressed={h.muted.value} title="静音 Mute">
          {h.muted.value ? '已静音' : '语音播报'}
          <span class="en">{h.muted.value ? 'Muted' : 'Voice on'}</span>
        </button>
        {note && (
          <div class="voice-note">
            {note.zh} <span class="en">{note.en}</span>
          </div>
        )}
        {needsGesture && (
          <button class="voice-note gesture" onClick={() => h.testVoice()}>
            点击此处启用语音 Click to enable voice
          </button>
        )}
      </div>
    </header>
  );
}

/**
 * The big line of the latest call: 请到N号窗口 while the holder is on the way, 正在N号窗口办理
 * once served, only the counter once it has moved on.
 */
function NowArrow({ call, counters, className }: { call: RecentCall; counters: CounterView[]; className: string }) {
  const state = callState(call, counters);
  const text =
    state === 'calling'
      ? goToCounter(call.counterNumber)
      : state === 'serving'
        ? { zh: `正在${call.counterNumber}号窗口办理`, en: `Being served at counter ${call.counterNumber}` }
        : { zh: `${call.counterNumber}号窗口`, en: `Counter ${call.counterNumber}` };
  return (
    <div class={`${className} call-${state}`} data-state={state}>
      {text.zh}
      <span class="en">{text.en}</span>
    </div>
  );
}

/** 请到 / 办理中 on a recent call's line; nothing once its counter moved on. */
function StateTag({ call, counters }: { call: RecentCall; counters: CounterView[] }) {
  const state = callState(call, counters);
  const label = callStateLabel(state);
  return label ? <span class={`r-state state-${state}`}>{label.zh}</span> : <span class="r-state" />;
}

function NowCalling({ snap, flashing }: { snap: QueueSnapshot; flashing: RecentCall | null }) {
  const latest = snap.recentCalls[0] ?? null;
  const earlier = snap.recentCalls.slice(1, 7);
  return (
    <section class="now">
      <h2>
        正在呼叫 <span class="en">Now calling</span>
      </h2>
      {latest ? (
        <div class={`now-call ${flashing && flashing.ticketId === latest.ticketId ? 'flash' : ''}`} data-call={latest.ticketNumber}>
          <div class="now-number">{latest.ticketNumber}</div>
          <NowArrow call={latest} counters={snap.counters} className="now-arrow" />
          <div class="now-service">
            {latest.serviceName}
            {latest.recall && <span class="recall">重呼 Recall</span>}
          </div>
        </div>
      ) : (
        <div class="now-call empty">
          暂无叫号 <span class="en">No calls yet</span>
        </div>
      )}
      {earlier.length > 0 && (
        <>
          <h3>
            最近叫号 <span class="en">Recent calls</span>
          </h3>
          <ol class="recent">
            {earlier.map((c) => (
              <li key={c.ticketId} data-ticket={c.ticketNumber} data-state={callState(c, snap.counters)}>
                <span class="r-number">{c.ticketNumber}</span>
                <span class="r-counter">{c.counterNumber}号窗口</span>
                <StateTag call={c} counters={snap.counters} />
                <span class="r-time">{hallHourMinute(c.at)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function Counters({ counters, flashing, tick }: { counters: CounterView[]; flashing: RecentCall | null; tick: number }) {
  const { items, page, pages } = rotatingPage(counters, COUNTERS_PER_PAGE, tick);
  const two = items.length > 8;
  const half = Math.ceil(items.length / 2);
  return (
    <section class="counters">
      <h2>
        窗口状态 <span class="en">Counters</span>
        <PageMark page={page} pages={pages} />
      </h2>
      <div class={`ctable ${two ? 'two' : ''}`}>
        {(two ? [items.slice(0, half), items.slice(half)] : [items]).map((col, i) => (
          <div class="ccol" key={i}>
            <div class="crow chead">
              <span>窗口 Counter</span>
              <span>当前号码 Now</span>
              <span>状态 Status</span>
            </div>
            {col.map((c) => {
              const st = counterStatus(c);
              const hot = flashing && flashing.counterNumber === c.number;
              return (
                <div class={`crow tone-${st.tone} ${hot ? 'hot' : ''}`} key={c.id} data-counter={c.number}>
                  <span class="c-name">
                    <b>{c.number}</b>
                    {counterTitle(c.number, c.name) || `${c.number}号窗口`}
                    {c.clerk && (
                      <small class="c-clerk">
                        {c.clerk.name}
                        {c.clerk.staffNo ? ` ${c.clerk.staffNo}` : ''}
                      </small>
                    )}
                  </span>
                  <span class="c-ticket">{c.currentTicket?.number ?? '—'}</span>
                  <span class="c-state">{st.zh}</span>
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </section>
  );
}

function Waiting({ snap, tick }: { snap: QueueSnapshot; tick: number }) {
  const { items, page, pages } = rotatingPage(snap.services, SERVICES_PER_PAGE, tick);
  return (
    <section class="waiting">
      <h2>
        等候情况 <span class="en">Waiting</span>
        <PageMark page={page} pages={pages} />
      </h2>
      <div class="wtable">
        <div class="wrow whead">
          <span>业务 Service</span>
          <span>等候 Waiting</span>
          <span>下一位 Next</span>
        </div>
        {items.map((s) => (
          <div class={`wrow ${s.open ? '' : 'closed'}`} key={s.id}>
            <span class="w-name">
              {s.name} <small>{s.nameEn}</small>
            </span>
            <span class="w-count">
              <b>{s.waiting}</b> 人
            </span>
            <span class="w-next">
              {(snap.waitingNumbers[s.id] ?? []).slice(0, 5).map((n) => (
                <i key={n}>{n}</i>
              ))}
              {!s.open && <em>暂停取号</em>}
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}

function Ticker({ notices }: { notices: string[] }) {
  const text = (notices.length ? notices : ['请留意叫号及语音提示，过号请到服务台咨询。Please watch for your number; if you miss it, ask at the front desk.']).join('　　◆　　');
  const seconds = Math.max(20, Math.round(text.length / 4));
  return (
    <footer class="ticker" aria-label="公告 Notices">
      <span class="ticker-label">公告 Notice</span>
      <div class="ticker-track">
        <div class="ticker-text" style={{ animationDuration: `${seconds}s` }}>
          {text}
        </div>
      </div>
    </footer>
  );
}
