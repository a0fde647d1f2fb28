import { useEffect, useState } from 'preact/hooks';
import { PRIORITY_LABELS, type ServiceSummary } from '@hall/protocol';
import { messageFor } from './error-messages';
import { formatAhead, formatWait, formatWaiting, paginate, tilesPerPage } from './format';
import { useKiosk, type IssuedTicket } from './kiosk-store';
import { TOKEN_KEY } from './terminal-token';

function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const on = () => setMatches(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [query]);
  return matches;
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function App() {
  const k = useKiosk();
  const s = k.screen.value;
  const elderly = k.elderly.value;
  // Sizes are in rem: elderly mode scales the root font size.
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
  }, [elderly]);
  return (
    <div class={`kiosk ${elderly ? 'elderly' : ''}`}>
      <Header />
      {k.connection.value === 'offline' && (
        <div class="banner banner-offline" role="alert">
          网络连接中断，正在重新连接…<span class="en">Offline, reconnecting…</span>
        </div>
      )}
      {k.connection.value === 'unauthorized' && <Unauthorized />}
      <IdCardBanner />
      <main class="screen">
        {s.kind === 'home' && <ServicesView />}
        {s.kind === 'busy' && <BusyView what={s.what} />}
        {s.kind === 'need-id' && <NeedIdView service={s.service} />}
        {s.kind === 'result' && <ResultView issued={s.issued} />}
        {s.kind === 'error' && <ErrorView code={s.error.code} details={s.error.details} />}
      </main>
      <Footer />
    </div>
  );
}

function Header() {
  const k = useKiosk();
  const now = useClock();
  const hh = String(now.getHours()).padStart(2, '0');
  const mm = String(now.getMinutes()).padStart(2, '0');
  return (
    <header class="top">
      <div class="hall">
        <div class="hall-name">{k.hall.value?.name ?? '政务服务中心'}</div>
        <div class="hall-sub">
          自助取号 <span class="en">Self-service tickets</span>
        </div>
      </div>
      <div class="clock" aria-label="time">
        {hh}:{mm}
      </div>
      <button
        class={`toggle ${k.elderly.value ? 'on' : ''}`}
        aria-pressed={k.elderly.value}
        onClick={() => {
          k.elderly.value = !k.elderly.value;
          k.page.value = 0;
        }}
      >
        {k.elderly.value ? '标准模式' : '大字模式'}
        <span class="en">{k.elderly.value ? 'Standard' : 'Large text'}</span>
      </button>
    </header>
  );
}

function IdCardBanner() {
  const k = useKiosk();
  const card = k.idCard.value;
  const err = k.idCardError.value;
  if (err) {
    const m = messageFor({ code: err.code === 'PROTOCOL.INVALID_ID_NUMBER' ? err.code : 'ID_CARD.READ_FAILED' });
    return (
      <div class="banner banner-warn" role="alert">
        {m.zh}
        <span class="en">{m.en}</span>
      </div>
    );
  }
  if (!card) return null;
  return (
    <div class="banner banner-card" role="status">
      <span class="card-icon" aria-hidden="true">
        身份证
      </span>
      <span>
        已读取身份证：<b class="card-name">{card.maskedName}</b>
        {card.elderly && <span class="badge badge-elderly">老年人优先 Elderly priority</span>}
        <span class="en">ID card read — please choose a service</span>
      </span>
      <button class="small" onClick={() => k.clearCard()}>
        取消 <span class="en">Cancel</span>
      </button>
    </div>
  );
}

function ServicesView() {
  const k = useKiosk();
  const portrait = useMedia('(orientation: portrait)');
  const size = tilesPerPage(k.elderly.value, portrait);
  const { items, page, pages } = paginate(k.services.value, size, k.page.value);
  if (k.services.value.length === 0) {
    return (
      <div class="center-msg">
        {k.connection.value === 'online' ? '暂无可办理业务' : '正在连接…'}
        <span class="en">{k.connection.value === 'online' ? 'No services available' : 'Connecting…'}</span>
      </div>
    );
  }
  return (
    <section class="services">
      <h1 class="prompt">
        请选择办理业务 <span class="en">Please choose a service</span>
      </h1>
      <div class={`tiles tiles-${size}`}>
        {items.map((s) => (
          <ServiceTile key={s.id} service={s} />
        ))}
      </div>
      {pages > 1 && (
        <nav class="pager">
          <button disabled={page === 0} onClick={() => (k.page.value = page - 1)}>
            ◀ 上一页 <span class="en">Previous</span>
          </button>
          <span class="page-no">
            {page + 1} / {pages}
          </span>
          <button disabled={page >= pages - 1} onClick={() => (k.page.value = page + 1)}>
            下一页 ▶ <span class="en">Next</span>
          </button>
        </nav>
      )}
    </section>
  );
}

function ServiceTile({ service }: { service: ServiceSummary }) {
  const k = useKiosk();
  const waiting = formatWaiting(service.waiting);
  return (
    <button
      class={`tile ${service.open ? '' : 'closed'}`}
      aria-disabled={!service.open}
      data-service-id={service.id}
      onClick={() => k.tapService(service)}
    >
      <span class="tile-prefix">{service.prefix}</span>
      <span class="tile-name">{service.name}</span>
      {service.nameEn && <span class="tile-en">{service.nameEn}</span>}
      <span class="tile-foot">
        {service.open ? (
          <>
            <span class="tile-waiting">
              {waiting.zh} <small>{waiting.en}</small>
            </span>
            {service.idRequired && <span class="badge">需身份证 ID</span>}
          </>
        ) : (
          <span class="tile-closed">暂停取号 Closed</span>
        )}
      </span>
    </button>
  );
}

function BusyView({ what }: { what: 'issue' | 'check-in' }) {
  return (
    <div class="center-msg busy" role="status">
      <div class="spinner" aria-hidden="true" />
      {what === 'issue' ? '正在取号，请稍候…' : '正在签到，请稍候…'}
      <span class="en">{what === 'issue' ? 'Issuing your ticket…' : 'Checking in…'}</span>
    </div>
  );
}

function NeedIdView({ service }: { service: ServiceSummary }) {
  const k = useKiosk();
  return (
    <div class="center-msg need-id" role="alert">
      <div class="big-icon icon-card" aria-hidden="true">
        身份证
      </div>
      <div>
        「{service.name}」需要身份证，请将身份证放在读卡区
        <span class="en">This service needs your ID card: please place it on the reader</span>
      </div>
      <button class="primary" onClick={() => k.reset()}>
        返回 <span class="en">Back ({k.secondsLeft.value})</span>
      </button>
    </div>
  );
}

function ResultView({ issued }: { issued: IssuedTicket }) {
  const k = useKiosk();
  const t = issued.ticket;
  const ahead = formatAhead(t.waitingAhead);
  const wait = formatWait(t.estimatedWaitMinutes);
  const failed = issued.print === 'failed';
  const materials = k.elderly.value ? issued.materials.slice(0, 4) : issued.materials;
  return (
    <section class="result" data-ticket-number={t.number}>
      <div class={`print-status ${failed ? 'print-failed' : ''}`} role="status">
        {issued.print === 'sent' && (
          <>
            请取走您的号票 <span class="en">Please take your ticket</span>
          </>
        )}
        {issued.print === 'failed' && (
          <>
            打印失败，请拍照或记下号码 <span class="en">Printing failed: take a photo or write down your number</span>
          </>
        )}
        {issued.print === 'none' && (
          <>
            请记下您的号码 <span class="en">Please note your number</span>
          </>
        )}
      </div>
      <div class={`result-body ${materials.length ? '' : 'single'}`}>
        <div class="ticket-card">
          <div class="ticket-service">
            {issued.serviceName}
            {issued.serviceNameEn && <span class="en">{issued.serviceNameEn}</span>}
          </div>
          <div class="ticket-number" aria-label="ticket number">
            {t.number}
          </div>
          {t.priority !== 'normal' && (
            <div class="badge badge-elderly">
              {PRIORITY_LABELS[t.priority].zh} {PRIORITY_LABELS[t.priority].en}
            </div>
          )}
          <div class="ticket-facts">
            <div>
              <b>{ahead.zh}</b>
              <span class="en">{ahead.en}</span>
            </div>
            <div>
              预计等候 <b>{wait.zh}</b>
              <span class="en">Estimated wait: {wait.en}</span>
            </div>
          </div>
        </div>
        {materials.length > 0 && (
          <div class="materials">
            <h2>
              请备齐以下材料（一次性告知）<span class="en">Please have these documents ready</span>
            </h2>
            <ol>
              {materials.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ol>
            {materials.length < issued.materials.length && <div class="more">……详见号票 See the ticket for the full list</div>}
          </div>
        )}
      </div>
      <div class="result-foot">
        <div class="phone-hint">
          {failed || issued.print === 'none' ? (
            <>
              手机查看进度：<span class="url">{issued.trackUrl ?? ''}</span>
              <span class="en">Follow your turn on your phone at this address</span>
            </>
          ) : (
            <>
              用手机扫描号票上的二维码，可随时查看排队进度
              <span class="en">Scan the QR code on your ticket to follow your turn on your phone</span>
            </>
          )}
        </div>
        <button class="primary done" onClick={() => k.reset()}>
          完成 <span class="en">Done ({k.secondsLeft.value})</span>
        </button>
      </div>
    </section>
  );
}

function ErrorView({ code, details }: { code: string; details?: Record<string, unknown> | undefined }) {
  const k = useKiosk();
  const m = messageFor(details ? { code, details } : { code });
  return (
    <div class="center-msg error" role="alert" data-error-code={code}>
      <div class="big-icon icon-alert" aria-hidden="true">
        !
      </div>
      <div class="error-text">{m.zh}</div>
      <span class="en">{m.en}</span>
      <button class="primary" onClick={() => k.reset()}>
        返回 <span class="en">Back ({k.secondsLeft.value})</span>
      </button>
    </div>
  );
}

function Footer() {
  const k = useKiosk();
  const p = k.printer.value;
  return (
    <footer class="bottom">
      {p && p.status !== 'online' ? (
        <span class="warn">
          打印机暂不可用，号码将显示在屏幕上 <span class="en">Printer unavailable: your number will be shown on screen</span>
        </span>
      ) : (
        <span>
          刷身份证可核验身份；预约群众请扫描预约二维码签到
          <span class="en">Swipe your ID card to verify; with an appointment, scan its QR code to check in</span>
        </span>
      )}
      <span class="terminal">{k.terminal.value?.name ?? ''}</span>
    </footer>
  );
}

function Unauthorized() {
  return (
    <div class="banner banner-warn" role="alert">
      本机未授权或令牌已失效，请联系管理员
      <span class="en">This kiosk's token was refused: please ask the administrator</span>
      <button
        class="small"
        onClick={() => {
          localStorage.removeItem(TOKEN_KEY);
          location.reload();
        }}
      >
        重新设置 <span class="en">Reset</span>
      </button>
    </div>
  );
}

/** Shown when the kiosk has never been given its terminal token. */
export function Setup() {
  const [value, setValue] = useState('');
  return (
    <div class="kiosk setup">
      <header class="top">
        <div class="hall">
          <div class="hall-name">自助取号机 · 设置</div>
          <div class="hall-sub">
            <span class="en">Kiosk set-up</span>
          </div>
        </div>
      </header>
      <main class="screen center-msg">
        <p>
          本机尚未配置终端令牌。请用管理员提供的链接打开（/kiosk?token=…），或在下面粘贴令牌。
          <span class="en">This kiosk has no terminal token. Open the link the administrator gave you, or paste the token below.</span>
        </p>
        <form
          class="setup-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!value.trim()) return;
            localStorage.setItem(TOKEN_KEY, value.trim());
            location.reload();
          }}
        >
          <input
            aria-label="token"
            value={value}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            placeholder="终端令牌 Terminal token"
          />
          <button class="primary" type="submit">
            保存 <span class="en">Save</span>
          </button>
        </form>
      </main>
    </div>
  );
}
