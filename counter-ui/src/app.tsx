import { useEffect, useState } from 'preact/hooks';
import { AccountPageLazy, AdminPageLazy } from './admin-lazy';
import { ClerkPage } from './clerk-page';
import { CataloguePageLazy, CountyPageLazy } from './county-lazy';
import { messageFor } from './error-messages';
import { parsePage, pathOf, type Page } from './route';
import { hasRole } from './session';
import { useStaff } from './staff-store';
import { CasesBoardLazy, MyCasesPageLazy, RatingsPageLazy, SupervisePageLazy } from './supervision-lazy';
import type { UiError } from '@hall/protocol';

const ROLE_ZH = { admin: '管理员', supervisor: '监督员', clerk: '窗口人员' } as const;

export function App() {
  const s = useStaff();
  const [page, setPage] = useState<Page>(() => parsePage(location.pathname));
  useEffect(() => {
    const on = () => setPage(parsePage(location.pathname));
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  const go = (p: Page) => {
    if (p !== page) history.pushState(null, '', pathOf(p));
    setPage(p);
  };
  const session = s.session.value;
  if (!session) return <Login />;
  const role = session.user.role;
  const allowed = page === 'admin' ? hasRole(role, 'admin') : page === 'supervise' || page === 'ratings' || page === 'cases' || page === 'county' || page === 'catalogue' ? hasRole(role, 'supervisor') : true;
  return (
    <div class="staff">
      <nav class="nav">
        <span class="brand">{s.snapshot.value?.hall.name ?? '政务服务中心'}</span>
        <NavLink page="clerk" current={page} go={go} zh="窗口工作台" en="Counter" />
        {hasRole(role, 'supervisor') && <NavLink page="supervise" current={page} go={go} zh="大厅监督" en="Supervise" />}
        {hasRole(role, 'supervisor') && <NavLink page="ratings" current={page} go={go} zh="好差评" en="Ratings" />}
        {hasRole(role, 'supervisor') && <NavLink page="cases" current={page} go={go} zh="整改" en="Cases" />}
        <NavLink page="my-cases" current={page} go={go} zh="我的评价" en="My ratings" />
        {hasRole(role, 'supervisor') && <NavLink page="county" current={page} go={go} zh="县级监管" en="County" />}
        {hasRole(role, 'supervisor') && <NavLink page="catalogue" current={page} go={go} zh="事项清单" en="Catalogue" />}
        {hasRole(role, 'admin') && <NavLink page="admin" current={page} go={go} zh="系统设置" en="Admin" />}
        <span class="spacer" />
        <span class={`conn conn-${s.connection.value}`} title={s.connection.value}>
          {s.connection.value === 'online' ? '● 已连接' : s.connection.value === 'offline' ? '● 连接中断' : '● 连接中'}
        </span>
        <span class="who">
          {session.user.name}
          {session.user.staffNo ? ` · ${session.user.staffNo}` : ''} <small>{ROLE_ZH[role]}</small>
        </span>
        <NavLink page="account" current={page} go={go} zh="修改密码" en="Password" />
        <button class="btn-plain" onClick={() => void s.logout()}>
          退出登录 <small>Log out</small>
        </button>
      </nav>
      {s.connection.value === 'offline' && (
        <div class="offline" role="alert">
          与服务器的实时连接已中断，正在重连；页面数据可能不是最新 <small>Live connection lost, reconnecting</small>
        </div>
      )}
      {s.snapshot.value?.journal.journal === 'failed' && (
        <div class="offline" role="alert">
          服务器暂时无法保存数据（磁盘已满或不可写），取号和叫号暂停；已办数据不受影响，恢复后自动继续，请通知系统管理员
          <small> The hall cannot save (disk full or unwritable): tickets and calls are paused until it recovers by itself</small>
        </div>
      )}
      <main class="page">
        {!allowed ? (
          <div class="empty">您没有访问此页面的权限 (AUTH.FORBIDDEN)</div>
        ) : page === 'admin' ? (
          <AdminPageLazy />
        ) : page === 'account' ? (
          <AccountPageLazy />
        ) : page === 'supervise' ? (
          <SupervisePageLazy />
        ) : page === 'county' ? (
          <CountyPageLazy />
        ) : page === 'catalogue' ? (
          <CataloguePageLazy />
        ) : page === 'ratings' ? (
          <RatingsPageLazy />
        ) : page === 'cases' ? (
          <CasesBoardLazy />
        ) : page === 'my-cases' ? (
          <MyCasesPageLazy />
        ) : (
          <ClerkPage />
        )}
      </main>
      <Toasts />
    </div>
  );
}

function NavLink({ page, current, go, zh, en }: { page: Page; current: Page; go: (p: Page) => void; zh: string; en: string }) {
  return (
    <a
      href={pathOf(page)}
      class={`navlink ${page === current ? 'active' : ''}`}
      onClick={(e) => {
        e.preventDefault();
        go(page);
      }}
    >
      {zh} <small>{en}</small>
    </a>
  );
}

function Toasts() {
  const s = useStaff();
  return (
    <div class="toasts" aria-live="assertive">
      {s.toasts.value.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

function Login() {
  const s = useStaff();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div class="login-wrap">
      <form
        class="login"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(await s.login(username.trim(), password));
          setBusy(false);
        }}
      >
        <h1>
          工作人员登录 <small>Staff login</small>
        </h1>
        <label>
          用户名 <small>User name</small>
          <input name="username" autoComplete="username" value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} required autoFocus />
        </label>
        <label>
          密码 <small>Password</small>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            required
          />
        </label>
        {error && (
          <div class="form-error" role="alert">
            {messageFor(error.code).zh}（{error.code}）<small>{messageFor(error.code).en}</small>
          </div>
        )}
        <button class="btn-primary" type="submit" disabled={busy}>
          {busy ? '正在登录…' : '登录'} <small>Log in</small>
        </button>
      </form>
    </div>
  );
}
