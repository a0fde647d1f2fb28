/**
 * 统一事项清单: the catalogue this hall defines (a county or township: list, create, edit,
 * withdraw) and the one it receives from its upstream (adopt an item into a local service, apply
 * an item's update to the services that adopted it). Supervisors read; admins change.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CatalogueEntry, CatalogueView, Service } from '@hall/protocol';
import { hasRole } from './session';
import { useStaff } from './staff-store';
import { EMPTY_FORM, ENTRY_STATE_ZH, completionText, createBody, entryState, formOf, freePrefix, patchBody, type ItemForm } from './catalogue-format';
import './county-page.css';

export function CataloguePage() {
  const s = useStaff();
  const admin = hasRole(s.session.value?.user.role ?? 'clerk', 'admin');
  const [view, setView] = useState<CatalogueView | null>(null);
  const [services, setServices] = useState<Service[]>([]);
  const [editing, setEditing] = useState<CatalogueEntry | 'new' | null>(null);
  const [adopting, setAdopting] = useState<CatalogueEntry | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = async (): Promise<void> => {
    const [v, svc] = await Promise.all([s.call<CatalogueView>('GET', '/api/catalogue'), s.call<Service[]>('GET', '/api/services/all', undefined, true)]);
    if (v.ok) setView(v.value);
    if (svc.ok) setServices(svc.value);
  };
  useEffect(() => void reload(), []);

  const run = async (f: () => Promise<{ ok: boolean }>, done: string): Promise<boolean> => {
    setBusy(true);
    const r = await f();
    setBusy(false);
    if (r.ok) {
      s.toast('info', done);
      await reload();
    }
    return r.ok;
  };
  const sync = () => run(() => s.call('POST', '/api/catalogue/sync'), '已向上级平台同步 Synced');
  const refresh = (e: CatalogueEntry) =>
    run(async () => {
      for (const a of e.adoptedBy.filter((x) => x.outdated)) {
        const r = await s.call('POST', `/api/catalogue/${encodeURIComponent(e.code)}/adopt`, { serviceId: a.serviceId });
        if (!r.ok) return r;
      }
      return { ok: true };
    }, '业务已按最新事项更新 Services updated');

  if (!view) return <div class="empty">正在加载… Loading…</div>;
  const up = view.upstream;
  return (
    <section class="catalogue">
      <div class="panel">
        <h2>
          统一事项清单 <small>Service catalogue</small>
        </h2>
        {up ? (
          <p class="catalogue-upstream" data-upstream-error={up.error ?? ''}>
            上级平台 <b>{up.hallId ?? up.url}</b> · 最后同步 {up.fetchedAt ? up.fetchedAt.slice(0, 16).replace('T', ' ') : '尚未同步'}
            {up.error && <span class="warn-text"> · 同步失败：{up.error}（稍后自动重试）</span>}
            {admin && (
              <button class="btn-plain" disabled={busy} onClick={() => void sync()}>
                立即同步 <small>Sync now</small>
              </button>
            )}
          </p>
        ) : (
          <p class="muted">本大厅未设置上级平台：这里定义的事项供下级大厅同步采用。No upstream: items defined here are offered to downstream halls.</p>
        )}
        {admin && editing === null && (
          <button class="btn-primary" onClick={() => setEditing('new')}>
            新增事项 <small>New item</small>
          </button>
        )}
        {admin && editing !== null && (
          <ItemEditor
            entry={editing === 'new' ? null : editing}
            busy={busy}
            onCancel={() => setEditing(null)}
            onSave={async (body, code) => {
              const saved = await run(() => (code ? s.call('PATCH', `/api/catalogue/${encodeURIComponent(code)}`, body) : s.call('POST', '/api/catalogue', body)), '事项已保存 Saved');
              if (saved) setEditing(null);
            }}
          />
        )}
      </div>

      <div class="panel">
        <table class="sv-table catalogue-items">
          <thead>
            <tr>
              <th>事项编码</th>
              <th>事项名称 Item</th>
              <th>类别</th>
              <th>承诺时限</th>
              <th>一次性告知材料</th>
              <th>来源</th>
              <th>本厅采用</th>
              {admin && <th>操作</th>}
            </tr>
          </thead>
          <tbody>
            {view.items.map((e) => {
              const state = entryState(e);
              return (
                <tr key={e.code} data-code={e.code} class={e.withdrawn ? 'muted' : ''}>
                  <td class="n">
                    {e.code} <small class="muted">v{e.version}</small>
                  </td>
                  <td>{e.name}</td>
                  <td>{e.category}</td>
                  <td class="n">{completionText(e.completionWorkingDays)}</td>
                  <td>
                    <ol class="catalogue-materials">
                      {e.materials.map((m) => (
                        <li key={m}>{m}</li>
                      ))}
                    </ol>
                  </td>
                  <td>{e.origin === 'local' ? '本级' : '上级'}</td>
                  <td>
                    <span class={`badge ${state === 'outdated' ? 'badge-yellow' : state === 'adopted' ? '' : 'badge-offline'}`} data-state={state}>
                      {ENTRY_STATE_ZH[state]}
                    </span>
                    {e.adoptedBy.map((a) => a.name).join('、')}
                  </td>
                  {admin && (
                    <td class="catalogue-actions">
                      {state === 'outdated' && (
                        <button class="btn-plain" disabled={busy} onClick={() => void refresh(e)}>
                          更新业务 <small>Apply update</small>
                        </button>
                      )}
                      {!e.withdrawn && (
                        <button class="btn-plain" disabled={busy} onClick={() => setAdopting(adopting?.code === e.code ? null : e)}>
                          采用 <small>Adopt</small>
                        </button>
                      )}
                      {e.origin === 'local' && (
                        <>
                          <button class="btn-plain" disabled={busy} onClick={() => setEditing(e)}>
                            编辑 <small>Edit</small>
                          </button>
                          <button
                            class="btn-plain"
                            disabled={busy}
                            onClick={() => void run(() => s.call('PATCH', `/api/catalogue/${encodeURIComponent(e.code)}`, { withdrawn: !e.withdrawn }), e.withdrawn ? '已恢复 Restored' : '已停用 Withdrawn')}
                          >
                            {e.withdrawn ? '恢复' : '停用'}
                          </button>
                        </>
                      )}
                      {adopting?.code === e.code && (
                        <AdoptForm
                          entry={e}
                          services={services}
                          busy={busy}
                          onAdopt={async (body) => {
                            const ok = await run(() => s.call('POST', `/api/catalogue/${encodeURIComponent(e.code)}/adopt`, body), '已采用为本厅业务（请在系统设置中为窗口分配该业务）Adopted');
                            if (ok) setAdopting(null);
                          }}
                        />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
            {view.items.length === 0 && (
              <tr>
                <td colSpan={admin ? 8 : 7} class="muted">
                  暂无事项 No items
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ItemEditor({ entry, busy, onCancel, onSave }: { entry: CatalogueEntry | null; busy: boolean; onCancel: () => void; onSave: (body: object, code: string | null) => Promise<void> }) {
  const [form, setForm] = useState<ItemForm>(entry ? formOf(entry) : EMPTY_FORM);
  const [error, setError] = useState<string | null>(null);
  const field = (key: keyof ItemForm, zh: string, props: Record<string, unknown> = {}) => (
    <label class={key === 'materials' ? 'wide' : ''}>
      {zh}
      {key === 'materials' ? (
        <textarea name={key} value={form[key]} onInput={(e) => setForm({ ...form, [key]: (e.target as HTMLTextAreaElement).value })} />
      ) : (
        <input name={key} value={form[key]} onInput={(e) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value })} {...props} />
      )}
    </label>
  );
  return (
    <form
      class="catalogue-form"
      onSubmit={(e) => {
        e.preventDefault();
        const r = entry ? patchBody(entry, form) : createBody(form);
        if (!r.ok) return setError(r.message);
        setError(null);
        if (r.body === null) return onCancel();
        void onSave(r.body, entry?.code ?? null);
      }}
    >
      {field('code', '事项编码 Code', entry ? { disabled: true } : { placeholder: '如 320830-SB-001' })}
      {field('name', '事项名称 Name')}
      {field('category', '类别 Category', { placeholder: '社保、民政、农机…' })}
      {field('completionWorkingDays', '承诺办结时限（工作日，0 = 即办）', { inputMode: 'numeric' })}
      {field('waitLimitMinutes', '等候时限（分钟）', { inputMode: 'numeric' })}
      {field('serviceLimitMinutes', '办理时限（分钟）', { inputMode: 'numeric' })}
      {field('materials', '一次性告知材料（每行一项）Materials, one per line')}
      {error && (
        <div class="form-error wide" role="alert">
          {error}
        </div>
      )}
      <div class="catalogue-actions wide">
        <button class="btn-primary" type="submit" disabled={busy}>
          保存 <small>Save</small>
        </button>
        <button class="btn-plain" type="button" onClick={onCancel}>
          取消 <small>Cancel</small>
        </button>
      </div>
    </form>
  );
}

function AdoptForm({ entry, services, busy, onAdopt }: { entry: CatalogueEntry; services: Service[]; busy: boolean; onAdopt: (body: object) => Promise<void> }) {
  const [target, setTarget] = useState<string>('new');
  const [prefix, setPrefix] = useState<string>(freePrefix(services.map((x) => x.prefix)) ?? '');
  return (
    <div class="catalogue-actions adopt-form">
      <select aria-label="采用到 Adopt into" value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
        <option value="new">新建业务 New service</option>
        {services.map((x) => (
          <option key={x.id} value={x.id}>
            {x.prefix} {x.name}
            {x.catalogueCode === entry.code ? '（已采用）' : ''}
          </option>
        ))}
      </select>
      {target === 'new' && <input aria-label="取号前缀 Prefix" value={prefix} maxLength={2} size={3} onInput={(e) => setPrefix((e.target as HTMLInputElement).value.toUpperCase())} />}
      <button class="btn-primary" disabled={busy || (target === 'new' && prefix === '')} onClick={() => void onAdopt(target === 'new' ? { prefix } : { serviceId: target })}>
        确认采用 <small>Adopt</small>
      </button>
    </div>
  );
}
