import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CounterView, Hall, Role, Service, ServiceSummary } from '@hall/protocol';
import {
  counterForm,
  createCounterBody,
  createServiceBody,
  createTerminalBody,
  createUserBody,
  hallForm,
  patchCounterBody,
  patchHallBody,
  patchServiceBody,
  serviceForm,
  terminalUrl,
  type CounterForm,
  type HallForm,
  type ServiceForm,
  type TerminalForm,
  type UserForm,
} from './admin-forms';
import { useStaff } from './staff-store';
import { VoiceSettingsPanel } from './voice-settings';
import { StaffPhotoUpload } from './staff-photo-upload';

type Tab = 'hall' | 'services' | 'counters' | 'users' | 'terminals';
const TABS: { tab: Tab; zh: string; en: string }[] = [
  { tab: 'hall', zh: '大厅', en: 'Hall' },
  { tab: 'services', zh: '业务', en: 'Services' },
  { tab: 'counters', zh: '窗口', en: 'Counters' },
  { tab: 'users', zh: '人员', en: 'Users' },
  { tab: 'terminals', zh: '终端', en: 'Terminals' },
];

/** GET a list or object; null while loading or when the server does not offer it. */
function useLoad<T>(path: string): [T | null, () => void, boolean] {
  const s = useStaff();
  const [data, setData] = useState<T | null>(null);
  const [missing, setMissing] = useState(false);
  const load = useCallback(() => {
    void s.call<T>('GET', path, undefined, true).then((r) => {
      if (r.ok) setData(r.value);
      else setMissing(true);
    });
  }, [path]);
  useEffect(load, [load]);
  return [data, load, missing];
}

export function AdminPage() {
  const [tab, setTab] = useState<Tab>('hall');
  return (
    <section class="admin">
      <div class="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.tab} role="tab" aria-selected={tab === t.tab} class={`tab ${tab === t.tab ? 'active' : ''}`} onClick={() => setTab(t.tab)}>
            {t.zh} <small>{t.en}</small>
          </button>
        ))}
      </div>
      {tab === 'hall' && <HallTab />}
      {tab === 'services' && <ServicesTab />}
      {tab === 'counters' && <CountersTab />}
      {tab === 'users' && <UsersTab />}
      {tab === 'terminals' && <TerminalsTab />}
    </section>
  );
}

// ---------------- small form pieces ----------------

function Text({ label, value, set, ...rest }: { label: string; value: string; set: (v: string) => void } & Record<string, unknown>) {
  return (
    <label class="field">
      <span>{label}</span>
      <input value={value} onInput={(e) => set((e.target as HTMLInputElement).value)} {...rest} />
    </label>
  );
}

function Check({ label, value, set }: { label: string; value: boolean; set: (v: boolean) => void }) {
  return (
    <label class="field check">
      <input type="checkbox" checked={value} onChange={(e) => set((e.target as HTMLInputElement).checked)} />
      <span>{label}</span>
    </label>
  );
}

function useForm<F>(initial: F): [F, <K extends keyof F>(key: K) => (v: F[K]) => void, (f: F) => void] {
  const [form, setForm] = useState(initial);
  const field =
    <K extends keyof F>(key: K) =>
    (v: F[K]) =>
      setForm((f) => ({ ...f, [key]: v }));
  return [form, field, setForm];
}

function FormError({ error }: { error: string | null }) {
  return error ? (
    <div class="form-error" role="alert">
      {error}
    </div>
  ) : null;
}

// ---------------- hall ----------------

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

function HallTab() {
  const s = useStaff();
  const [hall, reload] = useLoad<Hall>('/api/hall');
  if (!hall) return <div class="muted">正在加载… Loading…</div>;
  const saved = () => (reload(), s.toast('info', '已保存大厅设置 Saved'));
  return (
    <>
      <HallEditor key={JSON.stringify(hall)} hall={hall} saved={saved} />
      <VoiceSettingsPanel key={`voice-${JSON.stringify(hall.voice)}`} hall={hall} saved={saved} />
    </>
  );
}

function HallEditor({ hall, saved }: { hall: Hall; saved: () => void }) {
  const s = useStaff();
  const original = hallForm(hall);
  const [f, field] = useForm<HallForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form"
      onSubmit={async (e) => {
        e.preventDefault();
        const body = patchHallBody(original, f);
        if (!body.ok) return setError(body.error);
        setError(null);
        if (Object.keys(body.value).length === 0) return setError('没有修改 Nothing changed');
        const r = await s.call('PATCH', '/api/hall', body.value);
        if (r.ok) saved();
      }}
    >
      <h2>
        大厅信息与办公时间 <small>Hall and opening hours</small>
      </h2>
      <div class="grid2">
        <Text label="大厅名称 Name" value={f.name} set={field('name')} required />
        <label class="field">
          <span>层级 Level</span>
          <select value={f.level} onChange={(e) => field('level')((e.target as HTMLSelectElement).value)}>
            <option value="county">县级政务服务中心 County</option>
            <option value="township">乡镇便民服务中心 Township</option>
            <option value="village">村便民服务室 Village</option>
          </select>
        </label>
        <Text label="上班 Opens (HH:MM)" value={f.openStart} set={field('openStart')} placeholder="08:30" pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00" maxLength={5} />
        <Text label="下班 Closes (HH:MM)" value={f.openEnd} set={field('openEnd')} placeholder="08:30" pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00" maxLength={5} />
        <Text label="午休开始 Lunch from (HH:MM)" value={f.lunchStart} set={field('lunchStart')} placeholder="08:30" pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00" maxLength={5} />
        <Text label="午休结束 Lunch until (HH:MM)" value={f.lunchEnd} set={field('lunchEnd')} placeholder="08:30" pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00" maxLength={5} />
      </div>
      <div class="field">
        <span>工作日 Weekdays</span>
        <div class="weekdays">
          {WEEKDAYS.map((d, i) => (
            <label key={i} class="check">
              <input
                type="checkbox"
                checked={f.weekdays.includes(i)}
                onChange={(e) => field('weekdays')((e.target as HTMLInputElement).checked ? [...f.weekdays, i] : f.weekdays.filter((x) => x !== i))}
              />
              周{d}
            </label>
          ))}
        </div>
      </div>
      <Check label="全天开放（24小时自助） Open all day" value={f.allDay} set={field('allDay')} />
      <Text label="叫号语音模板 Call phrase ({number} {counter} {counterName} {service})" value={f.phraseTemplate} set={field('phraseTemplate')} />
      <FormError error={error} />
      <button class="btn-primary" type="submit">
        保存 <small>Save</small>
      </button>
    </form>
  );
}

// ---------------- services ----------------

function ServicesTab() {
  const s = useStaff();
  const [full, reload, missing] = useLoad<Service[]>('/api/services/all');
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const list: (Service | ServiceSummary)[] = full ?? (missing ? (s.snapshot.value?.services ?? []) : []);
  const current = editing && editing !== 'new' ? list.find((x) => x.id === editing) : undefined;
  return (
    <div class="split">
      <div class="panel">
        <h2>
          业务列表 <small>Services</small>
        </h2>
        <table class="list">
          <thead>
            <tr>
              <th>前缀</th>
              <th>名称</th>
              <th>类别</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {list.map((svc) => (
              <tr key={svc.id} class={editing === svc.id ? 'sel' : ''} onClick={() => setEditing(svc.id)}>
                <td>{svc.prefix}</td>
                <td>{svc.name}</td>
                <td>{svc.category}</td>
                <td>{'enabled' in svc && svc.enabled === false ? '停用' : '启用'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button class="btn-plain" onClick={() => setEditing('new')}>
          ＋ 新建业务 <small>New service</small>
        </button>
      </div>
      {editing && (
        <ServiceEditor
          key={editing}
          id={editing === 'new' ? null : editing}
          service={current}
          saved={() => {
            reload();
            setEditing(null);
            s.toast('info', '业务已保存 Saved');
          }}
        />
      )}
    </div>
  );
}

function ServiceEditor({ id, service, saved }: { id: string | null; service: Partial<Service> | undefined; saved: () => void }) {
  const s = useStaff();
  const original = serviceForm(service ?? { waitLimitMinutes: 30, serviceLimitMinutes: 20, dailyQuota: 0, perIdDailyLimit: 0 });
  const [f, field] = useForm<ServiceForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form"
      onSubmit={async (e) => {
        e.preventDefault();
        const body = id ? patchServiceBody(original, f) : createServiceBody(f);
        if (!body.ok) return setError(body.error);
        setError(null);
        const r = id ? await s.call('PATCH', `/api/services/${encodeURIComponent(id)}`, body.value) : await s.call('POST', '/api/services', body.value);
        if (r.ok) saved();
      }}
    >
      <h2>{id ? `编辑业务：${service?.name ?? id}` : '新建业务 New service'}</h2>
      <div class="grid2">
        <Text label="名称 Name" value={f.name} set={field('name')} required />
        <Text label="英文名 English name" value={f.nameEn} set={field('nameEn')} />
        <Text label="类别 Category（社保、计生、农机…）" value={f.category} set={field('category')} required />
        <Text label="号码前缀 Prefix (A–ZZ)" value={f.prefix} set={field('prefix')} required maxLength={2} />
        <Text label="每日限额 Daily quota (0 = 不限)" type="number" min={0} value={f.dailyQuota} set={field('dailyQuota')} />
        <Text label="每证每日限取 Per-ID daily limit (0 = 不限)" type="number" min={0} value={f.perIdDailyLimit} set={field('perIdDailyLimit')} />
        <Text label="等候时限（分钟） Wait limit" type="number" min={1} value={f.waitLimitMinutes} set={field('waitLimitMinutes')} />
        <Text label="办理时限（分钟） Service limit" type="number" min={1} value={f.serviceLimitMinutes} set={field('serviceLimitMinutes')} />
        <Text label="法定办结时限（工作日） Completion (working days)" type="number" min={0} value={f.completionWorkingDays} set={field('completionWorkingDays')} />
        <Text label="排序 Sort" type="number" min={0} value={f.sort} set={field('sort')} />
      </div>
      <Check label="需刷身份证取号 ID card required" value={f.idRequired} set={field('idRequired')} />
      <Check label="启用 Enabled" value={f.enabled} set={field('enabled')} />
      <label class="field">
        <span>所需材料（一次性告知，每行一项） Materials, one per line</span>
        <textarea rows={5} value={f.materials} onInput={(e) => field('materials')((e.target as HTMLTextAreaElement).value)} />
      </label>
      <FormError error={error} />
      <button class="btn-primary" type="submit">
        保存 <small>Save</small>
      </button>
    </form>
  );
}

// ---------------- counters ----------------

function CountersTab() {
  const s = useStaff();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const snap = s.snapshot.value;
  if (!snap) return <div class="muted">正在加载… Loading…</div>;
  const current = editing && editing !== 'new' ? snap.counters.find((c) => c.id === editing) : undefined;
  return (
    <div class="split">
      <div class="panel">
        <h2>
          窗口列表 <small>Counters</small>
        </h2>
        <table class="list">
          <thead>
            <tr>
              <th>号</th>
              <th>名称</th>
              <th>业务</th>
              <th>区域</th>
            </tr>
          </thead>
          <tbody>
            {snap.counters.map((c) => (
              <tr key={c.id} class={editing === c.id ? 'sel' : ''} onClick={() => setEditing(c.id)}>
                <td>{c.number}</td>
                <td>{c.name}</td>
                <td>{c.serviceIds.map((id) => snap.services.find((x) => x.id === id)?.prefix ?? id).join(' ')}</td>
                <td>{c.zone ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button class="btn-plain" onClick={() => setEditing('new')}>
          ＋ 新建窗口 <small>New counter</small>
        </button>
      </div>
      {editing && (
        <CounterEditor
          key={editing}
          counter={current}
          services={snap.services}
          saved={() => {
            setEditing(null);
            s.toast('info', '窗口已保存 Saved');
          }}
        />
      )}
    </div>
  );
}

function CounterEditor({ counter, services, saved }: { counter: CounterView | undefined; services: ServiceSummary[]; saved: () => void }) {
  const s = useStaff();
  const original = counterForm(counter ?? {});
  const [f, field] = useForm<CounterForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form"
      onSubmit={async (e) => {
        e.preventDefault();
        const body = counter ? patchCounterBody(original, f) : createCounterBody(f);
        if (!body.ok) return setError(body.error);
        setError(null);
        const r = counter ? await s.call('PATCH', `/api/counters/${encodeURIComponent(counter.id)}`, body.value) : await s.call('POST', '/api/counters', body.value);
        if (r.ok) saved();
      }}
    >
      <h2>{counter ? `编辑窗口：${counter.number}号` : '新建窗口 New counter'}</h2>
      <div class="grid2">
        <Text label="窗口号 Number" type="number" min={1} value={f.number} set={field('number')} required />
        <Text label="名称 Name" value={f.name} set={field('name')} required />
        <Text label="显示区域 Zone（空 = 所有屏幕）" value={f.zone} set={field('zone')} />
      </div>
      <div class="field">
        <span>办理业务 Services</span>
        <div class="checks">
          {services.map((svc) => (
            <label key={svc.id} class="check">
              <input
                type="checkbox"
                checked={f.serviceIds.includes(svc.id)}
                onChange={(e) => field('serviceIds')((e.target as HTMLInputElement).checked ? [...f.serviceIds, svc.id] : f.serviceIds.filter((x) => x !== svc.id))}
              />
              {svc.prefix} {svc.name}
            </label>
          ))}
        </div>
      </div>
      <Check label="启用 Enabled" value={f.enabled} set={field('enabled')} />
      <FormError error={error} />
      <button class="btn-primary" type="submit">
        保存 <small>Save</small>
      </button>
    </form>
  );
}

// ---------------- users ----------------

interface PublicUser {
  id: string;
  username: string;
  name: string;
  staffNo: string;
  role: Role;
  disabled?: boolean;
}

const ROLES: { role: Role; zh: string }[] = [
  { role: 'clerk', zh: '窗口人员 Clerk' },
  { role: 'supervisor', zh: '监督员 Supervisor' },
  { role: 'admin', zh: '管理员 Admin' },
];

function UsersTab() {
  const s = useStaff();
  const [users, reload, missing] = useLoad<PublicUser[]>('/api/users');
  const empty: UserForm = { username: '', name: '', staffNo: '', role: 'clerk', password: '' };
  const [f, field, setForm] = useForm<UserForm>(empty);
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="split">
      <div class="panel">
        <h2>
          人员 <small>Users</small>
        </h2>
        {missing && <div class="muted">服务器未提供人员列表</div>}
        <table class="list">
          <thead>
            <tr>
              <th>用户名</th>
              <th>姓名</th>
              <th>工号</th>
              <th>角色</th>
              <th>照片 Photo</th>
            </tr>
          </thead>
          <tbody>
            {(users ?? []).map((u) => (
              <tr key={u.id} class={u.disabled ? 'disabled' : ''}>
                <td>{u.username}</td>
                <td>{u.name}</td>
                <td>{u.staffNo}</td>
                <td>{ROLES.find((r) => r.role === u.role)?.zh ?? u.role}</td>
                <td>
                  <StaffPhotoUpload userId={u.id} name={u.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        class="panel form"
        onSubmit={async (e) => {
          e.preventDefault();
          const body = createUserBody(f);
          if (!body.ok) return setError(body.error);
          setError(null);
          const r = await s.call('POST', '/api/users', body.value);
          if (r.ok) {
            setForm(empty);
            reload();
            s.toast('info', `已创建用户 ${body.value.username}`);
          }
        }}
      >
        <h2>
          新建人员 <small>New user</small>
        </h2>
        <Text label="用户名 User name" value={f.username} set={field('username')} required autoComplete="off" />
        <Text label="姓名 Name" value={f.name} set={field('name')} required />
        <Text label="工号 Staff number" value={f.staffNo} set={field('staffNo')} />
        <label class="field">
          <span>角色 Role</span>
          <select value={f.role} onChange={(e) => field('role')((e.target as HTMLSelectElement).value)}>
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.zh}
              </option>
            ))}
          </select>
        </label>
        <Text label="初始密码（至少8位） Password, 8+ characters" type="password" value={f.password} set={field('password')} required autoComplete="new-password" />
        <FormError error={error} />
        <button class="btn-primary" type="submit">
          创建 <small>Create</small>
        </button>
      </form>
    </div>
  );
}

// ---------------- terminals ----------------

interface TerminalRow {
  id: string;
  kind: 'kiosk' | 'display';
  name: string;
  zone: string | null;
  revoked?: boolean;
}

function TerminalsTab() {
  const s = useStaff();
  const [terminals, reload] = useLoad<TerminalRow[]>('/api/terminals');
  const empty: TerminalForm = { kind: 'kiosk', name: '', zone: '' };
  const [f, field, setForm] = useForm<TerminalForm>(empty);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string; url: string } | null>(null);
  return (
    <div class="split">
      <div class="panel">
        <h2>
          终端 <small>Terminals (kiosks, hall screens)</small>
        </h2>
        <table class="list">
          <thead>
            <tr>
              <th>类型</th>
              <th>名称</th>
              <th>区域</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {(terminals ?? []).map((t) => (
              <tr key={t.id}>
                <td>{t.kind === 'kiosk' ? '取号机' : '显示屏'}</td>
                <td>{t.name}</td>
                <td>{t.zone ?? '—'}</td>
                <td>{t.revoked ? '已吊销' : '有效'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="panel form">
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const body = createTerminalBody(f);
            if (!body.ok) return setError(body.error);
            setError(null);
            const r = await s.call<{ id: string; token: string; url?: string }>('POST', '/api/terminals', body.value);
            if (r.ok) {
              setCreated({ name: body.value.name, token: r.value.token, url: r.value.url ?? terminalUrl(location.origin, body.value.kind, r.value.token) });
              setForm(empty);
              reload();
            }
          }}
        >
          <h2>
            新建终端 <small>New terminal</small>
          </h2>
          <label class="field">
            <span>类型 Kind</span>
            <select value={f.kind} onChange={(e) => field('kind')((e.target as HTMLSelectElement).value)}>
              <option value="kiosk">自助取号机 Kiosk</option>
              <option value="display">大厅显示屏 Hall screen</option>
            </select>
          </label>
          <Text label="名称 Name" value={f.name} set={field('name')} required />
          <Text label="区域 Zone（选填）" value={f.zone} set={field('zone')} />
          <FormError error={error} />
          <button class="btn-primary" type="submit">
            创建 <small>Create</small>
          </button>
        </form>
        {created && (
          <div class="token-box" role="status">
            <b>终端「{created.name}」已创建。令牌只显示这一次，请立即在该终端上打开以下地址：</b>
            <small>The token is shown once: open this address on the terminal now.</small>
            <code class="token-url" data-terminal-url>
              {created.url}
            </code>
            <div>
              令牌 Token：<code data-terminal-token>{created.token}</code>
            </div>
            <button class="btn-plain" onClick={() => void navigator.clipboard?.writeText(created.url)}>
              复制地址 <small>Copy</small>
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
