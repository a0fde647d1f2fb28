import { useEffect, useMemo, useState } from 'preact/hooks';
import { PRIORITY_LABELS, type ServiceSummary } from '@hall/protocol';
import { messageFor } from './error-messages';
import { CardAppointmentsView, CheckInEntry, CodeEntryView } from './check-in-views';
import { closedLabel, formatAhead, formatWait, formatWaiting, paginate, tilesPerPage } from './format';
import { useKiosk, type IssuedTicket } from './kiosk-store';
import { lines, type Bilingual } from './lang';
import { qrPath } from './qr-svg';
import { TOKEN_KEY } from './terminal-token';

/** A text in the citizen's language, the other language as the second line. */
export function Bi({ zh, en, inline = false }: Bilingual & { inline?: boolean }) {
  const l = lines({ zh, en }, useKiosk().lang.value);
  return (
    <>
      <span lang={l.mainLang}>{l.main}</span>
      {inline ? ' ' : null}
      <span class={inline ? 'en en-inline' : 'en'} lang={l.secondLang}>
        {l.second}
      </span>
    </>
  );
}

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
  const lang = k.lang.value;
  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
  }, [elderly]);
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  }, [lang]);
  return (
    <div class={`kiosk ${elderly ? 'elderly' : ''} lang-${lang}`}>
      <Header />
      {k.connection.value === 'offline' && (
        <div class="banner banner-offline" role="alert">
          <span>
            <Bi zh="网络连接中断，正在重新连接…" en="Offline, reconnecting…" />
          </span>
        </div>
      )}
      {k.connection.value === 'unauthorized' && <Unauthorized />}
      <IdCardBanner />
      <main class="screen">
        {s.kind === 'home' && <ServicesView />}
        {s.kind === 'busy' && <BusyView what={s.what} />}
        {s.kind === 'need-id' && <NeedIdView service={s.service} />}
        {s.kind === 'result' && <ResultView issued={s.issued} />}
        {s.kind === 'code-entry' && <CodeEntryView digits={s.digits} />}
        {s.kind === 'card-appointments' && <CardAppointmentsView bookings={s.bookings} />}
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
          <Bi zh="自助取号" en="Self-service tickets" inline />
        </div>
      </div>
      <div class="clock" aria-label="time">
        {hh}:{mm}
      </div>
      <button
        class={`toggle ${k.lang.value === 'en' ? 'on' : ''}`}
        aria-pressed={k.lang.value === 'en'}
        data-toggle="lang"
        onClick={() => (k.lang.value = k.lang.value === 'en' ? 'zh' : 'en')}
      >
        {k.lang.value === 'en' ? <span lang="zh-CN">中文</span> : <span lang="en">English</span>}
      </button>
      <button class={`toggle ${k.elderly.value ? 'on' : ''}`} aria-pressed={k.elderly.value} data-toggle="elderly" onClick={() => k.setElderly(!k.elderly.value)}>
        <Bi zh={k.elderly.value ? '标准模式' : '大字模式'} en={k.elderly.value ? 'Standard' : 'Large text'} />
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
        <span>
          <Bi {...m} />
        </span>
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
        <b class="card-name">{card.maskedName}</b>
        {card.elderly && <span class="badge badge-elderly">{k.lang.value === 'en' ? 'Elderly priority 老年人优先' : '老年人优先 Elderly priority'}</span>}
        <span class="card-text">
          <Bi zh="已读取身份证：请保持放在读卡区，并选择业务" en="ID card read: keep it on the reader and choose a service" />
        </span>
      </span>
      <button class="small" onClick={() => k.clearCard()}>
        <Bi zh="取消" en="Cancel" />
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
        <Bi {...(k.connection.value === 'online' ? { zh: '暂无可办理业务', en: 'No services available' } : { zh: '正在连接…', en: 'Connecting…' })} />
      </div>
    );
  }
  return (
    <section class="services">
      <div class="prompt-row">
        <h1 class="prompt">
          <Bi zh="请选择办理业务" en="Please choose a service" inline />
        </h1>
        <CheckInEntry />
      </div>
      <div class={`tiles tiles-${size}`}>
        {items.map((s) => (
          <ServiceTile key={s.id} service={s} />
        ))}
      </div>
      {pages > 1 && (
        <nav class="pager">
          <button disabled={page === 0} onClick={() => (k.page.value = page - 1)}>
            <Bi zh="◀ 上一页" en="◀ Previous" />
          </button>
          <span class="page-no">
            {page + 1} / {pages}
          </span>
          <button disabled={page >= pages - 1} onClick={() => (k.page.value = page + 1)}>
            <Bi zh="下一页 ▶" en="Next ▶" />
          </button>
        </nav>
      )}
    </section>
  );
}

function ServiceTile({ service }: { service: ServiceSummary }) {
  const k = useKiosk();
  const en = k.lang.value === 'en' && service.nameEn;
  const waiting = formatWaiting(service.waiting);
  const closed = closedLabel(service.closedReason);
  return (
    <button
      class={`tile ${service.open ? '' : 'closed'}`}
      aria-disabled={!service.open}
      data-service-id={service.id}
      data-closed-reason={service.open ? undefined : (service.closedReason ?? 'closed')}
      onClick={() => k.tapService(service)}
    >
      <span class="tile-prefix" aria-hidden="true">
        {service.prefix}
      </span>
      <span class="tile-name" lang={en ? 'en' : 'zh-CN'}>
        {en ? service.nameEn : service.name}
      </span>
      {service.nameEn && (
        <span class="tile-en" lang={en ? 'zh-CN' : 'en'}>
          {en ? service.name : service.nameEn}
        </span>
      )}
      <span class="tile-foot">
        {service.open ? (
          <>
            <span class="tile-waiting">
              <Bi {...waiting} inline />
            </span>
            {service.idRequired && <span class="badge">{k.lang.value === 'en' ? 'ID card' : '需身份证'}</span>}
          </>
        ) : (
          <span class="tile-closed">
            <Bi {...closed} inline />
          </span>
        )}
      </span>
    </button>
  );
}

function BusyView({ what }: { what: 'issue' | 'check-in' }) {
  return (
    <div class="center-msg busy" role="status">
      <div class="spinner" aria-hidden="true" />
      <Bi {...(what === 'issue' ? { zh: '正在取号，请稍候…', en: 'Issuing your ticket…' } : { zh: '正在签到，请稍候…', en: 'Checking in…' })} />
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
        <Bi zh={`「${service.name}」需要身份证，请将身份证放在读卡区`} en={`${service.nameEn || service.name} needs your ID card: please place it on the reader`} />
      </div>
      <button class="primary" onClick={() => k.reset()}>
        <Bi zh={`返回（${k.secondsLeft.value}）`} en={`Back (${k.secondsLeft.value})`} />
      </button>
    </div>
  );
}

const PRINT_TEXT = {
  printing: { zh: '正在打印号票…', en: 'Printing your ticket…' },
  printed: { zh: '请取走您的号票', en: 'Please take your ticket' },
  failed: { zh: '号票未能打印，请扫码或记下号码', en: 'Your ticket did not print: scan the QR code or note your number' },
  unconfirmed: { zh: '未确认出票：如无号票，请扫码或记下号码', en: 'Printing not confirmed: if no ticket came out, scan the QR code or note your number' },
  none: { zh: '本机不打印号票，请扫码或记下号码', en: 'This kiosk prints no tickets: scan the QR code or note your number' },
} as const;

function ResultView({ issued }: { issued: IssuedTicket }) {
  const k = useKiosk();
  const t = issued.ticket;
  const ahead = formatAhead(t.waitingAhead);
  const wait = formatWait(t.estimatedWaitMinutes);
  const print = k.print.value;
  const noSlip = print === 'failed' || print === 'unconfirmed' || print === 'none';
  const materials = k.elderly.value || noSlip ? issued.materials.slice(0, 3) : issued.materials;
  const qr = useMemo(() => (noSlip && issued.trackUrl ? qrPath(issued.trackUrl) : null), [noSlip, issued.trackUrl]);
  const paperBack = k.printer.value?.status === 'online';
  const canReprint = (print === 'failed' || print === 'unconfirmed') && k.reprints.value < 3;
  const en = k.lang.value === 'en';
  return (
    <section class={`result ${noSlip ? 'no-slip' : ''}`} data-ticket-number={t.number} data-print={print}>
      <div class={`print-status ${noSlip ? 'print-failed' : ''}`} role="status">
        <Bi {...PRINT_TEXT[print]} />
      </div>
      <div class={`result-body ${materials.length || qr ? '' : 'single'} ${materials.length ? 'has-materials' : ''}`}>
        <div class="ticket-card">
          <div class="ticket-service">
            <Bi zh={issued.serviceName} en={issued.serviceNameEn || issued.serviceName} />
          </div>
          <div class="ticket-number" aria-label={en ? 'ticket number' : '号码'}>
            {t.number}
          </div>
          {t.priority !== 'normal' && (
            <div class="badge badge-elderly">
              <Bi {...PRIORITY_LABELS[t.priority]} inline />
            </div>
          )}
          <div class="ticket-facts">
            <div>
              <b>
                <Bi {...ahead} />
              </b>
            </div>
            <div>
              <Bi zh={`预计等候 ${wait.zh}`} en={`Estimated wait: ${wait.en}`} />
            </div>
          </div>
        </div>
        {qr && (
          <div class="qr-panel" data-qr data-track-url={issued.trackUrl ?? undefined}>
            <svg class="qr" viewBox={`0 0 ${qr.size} ${qr.size}`} role="img" aria-label={en ? 'QR code of your ticket page' : '号票进度二维码'} shape-rendering="crispEdges">
              <rect width={qr.size} height={qr.size} fill="#fff" />
              <path d={qr.d} fill="#000" />
            </svg>
            <div class="qr-text">
              <Bi zh="手机扫码看进度" en="Scan to follow your turn" />
            </div>
          </div>
        )}
        {materials.length > 0 && <Materials issued={issued} materials={materials} />}
      </div>
      <div class="result-foot">
        {canReprint ? (
          <button class={`reprint ${paperBack ? 'ready' : ''}`} data-reprint disabled={k.reprinting.value} onClick={() => void k.reprint()}>
            <Bi
              {...(paperBack
                ? { zh: '重新打印号票', en: 'Print my ticket again' }
                : { zh: '装纸后重新打印', en: 'Reprint after loading paper' })}
            />
          </button>
        ) : (
          <div class="phone-hint">
            {!noSlip && <Bi zh="用手机扫描号票上的二维码，可随时查看排队进度" en="Scan the QR code on your ticket to follow your turn on your phone" />}
          </div>
        )}
        <button class="primary done" onClick={() => k.reset()}>
          <Bi zh={`完成（${k.secondsLeft.value}）`} en={`Done (${k.secondsLeft.value})`} />
        </button>
      </div>
    </section>
  );
}

function Materials({ issued, materials }: { issued: IssuedTicket; materials: string[] }) {
  return (
    <div class="materials">
      <h2>
        <Bi zh="请备齐以下材料（一次性告知）" en="Please have these documents ready" />
      </h2>
      <ol>
        {materials.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ol>
      {materials.length < issued.materials.length && (
        <div class="more">
          <Bi zh="……更多材料请咨询窗口" en="More at the counter" inline />
        </div>
      )}
    </div>
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
      <div class="error-text">
        <Bi {...m} />
      </div>
      <button class="primary" onClick={() => k.reset()}>
        <Bi zh={`返回（${k.secondsLeft.value}）`} en={`Back (${k.secondsLeft.value})`} />
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
          <Bi zh="打印机暂不可用，号码和二维码将显示在屏幕上" en="Printer unavailable: your number and QR code will be shown on screen" />
        </span>
      ) : (
        <span>
          <Bi zh="刷身份证可核验身份；预约群众请扫描预约二维码、刷身份证或点「预约签到」" en="Swipe your ID card to verify; with an appointment, scan its QR code, swipe your card or tap Appointment check-in" />
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
