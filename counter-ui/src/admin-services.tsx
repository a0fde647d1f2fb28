/** Admin: services — names, prefixes, quotas, limits, materials, and each one's ticket hours and lunch break. */
import { useState } from 'preact/hooks';
import type { Service, ServiceSummary } from '@hall/protocol';
import { createServiceBody, patchServiceBody, serviceForm, type ServiceForm } from './admin-forms';
import { Check, FormError, HoursFields, SaveButton, Text, sendForm, useForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';
import { BookingRulesEditor, ServiceAppointmentsEditor } from './admin-appointments';

/** How a service's ticket hours read in the list. */
function hoursText(svc: Service | ServiceSummary): string {
  if (!('ticketHours' in svc)) return '—';
  const h = svc.ticketHours;
  if (!h) return '同大厅 hall';
  if (h.allDay) return '全天';
  return `${h.open.start}–${h.open.end}${h.lunch ? `（午休 ${h.lunch.start}–${h.lunch.end}）` : ''}`;
}

export function ServicesTab() {
  const s = useStaff();
  const [full, reload, missing] = useLoad<Service[]>('/api/services/all');
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const list: (Service | ServiceSummary)[] = [...(full ?? (missing ? (s.snapshot.value?.services ?? []) : []))].sort((a, b) => ('sort' in a && 'sort' in b ? a.sort - b.sort : 0));
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
              <th>取号时间</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {list.map((svc) => (
              <tr key={svc.id} class={editing === svc.id ? 'sel' : ''} data-service={svc.prefix} onClick={() => setEditing(svc.id)}>
                <td>{svc.prefix}</td>
                <td>{svc.name}</td>
                <td>{svc.category}</td>
                <td>{hoursText(svc)}</td>
                <td>{'enabled' in svc && svc.enabled === false ? '停用' : '启用'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button class="btn-plain" onClick={() => setEditing('new')}>
          ＋ 新建业务 <small>New service</small>
        </button>
      </div>
      {editing ? (
        <div class="admin-col">
          <ServiceEditor
            key={editing}
            id={editing === 'new' ? null : editing}
            service={current}
            saved={() => {
              reload();
              setEditing(null);
              s.toast('info', '业务已保存，立即生效 Saved');
            }}
          />
          {current && 'sort' in current && <ServiceAppointmentsEditor key={`appt-${current.id}`} service={current} saved={reload} />}
        </div>
      ) : (
        <BookingRulesEditor />
      )}
    </div>
  );
}

function ServiceEditor({ id, service, saved }: { id: string | null; service: Partial<Service> | undefined; saved: () => void }) {
  const s = useStaff();
  // A new service starts from the usual limits; the server puts it after the others and gives it the hall's hours.
  const original = serviceForm(service ?? { waitLimitMinutes: 30, serviceLimitMinutes: 20, dailyQuota: 0, perIdDailyLimit: 0 });
  const [f, field] = useForm<ServiceForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form service-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (id) void sendForm(s, 'PATCH', `/api/services/${encodeURIComponent(id)}`, patchServiceBody(original, f), setError, saved);
        else void sendForm(s, 'POST', '/api/services', createServiceBody(f), setError, saved);
      }}
    >
      <h2>{id ? `编辑业务：${service?.name ?? id}` : '新建业务 New service'}</h2>
      <div class="grid2">
        <Text label="名称 Name" value={f.name} set={field('name')} required name="name" />
        <Text label="英文名 English name" value={f.nameEn} set={field('nameEn')} />
        <Text label="类别 Category（社保、计生、农机…）" value={f.category} set={field('category')} required name="category" />
        <Text label="号码前缀 Prefix (A–ZZ)" value={f.prefix} set={field('prefix')} required maxLength={2} name="prefix" />
        <Text label="每日限额 Daily quota (0 = 不限)" type="number" min={0} value={f.dailyQuota} set={field('dailyQuota')} />
        <Text label="每证每日限取 Per-ID daily limit (0 = 不限)" type="number" min={0} value={f.perIdDailyLimit} set={field('perIdDailyLimit')} />
        <Text label="起始号 First number" type="number" min={1} value={f.numberStart} set={field('numberStart')} placeholder="1" />
        <Text label="结束号 Last number" type="number" min={1} value={f.numberEnd} set={field('numberEnd')} placeholder="9999" />
        <Text label="等候时限（分钟） Wait limit" type="number" min={1} value={f.waitLimitMinutes} set={field('waitLimitMinutes')} />
        <Text label="办理时限（分钟） Service limit" type="number" min={1} value={f.serviceLimitMinutes} set={field('serviceLimitMinutes')} />
        <Text label="法定办结时限（工作日） Completion (working days)" type="number" min={0} value={f.completionWorkingDays} set={field('completionWorkingDays')} />
        <Text label="排序 Sort（新业务留空 = 排在最后）" type="number" min={0} value={f.sort} set={field('sort')} />
      </div>
      <Check label="需刷身份证取号 ID card required" value={f.idRequired} set={field('idRequired')} />
      <Check label="启用 Enabled" value={f.enabled} set={field('enabled')} />
      <Check label="单独设置取号时间与午休（不勾选则同大厅办公时间） Own ticket hours" value={f.ownHours} set={field('ownHours')} name="own-hours" />
      {f.ownHours && <HoursFields f={f.hours} set={field('hours')} prefix="取号" />}
      <label class="field">
        <span>所需材料（一次性告知，每行一项） Materials, one per line</span>
        <textarea rows={5} value={f.materials} onInput={(e) => field('materials')((e.target as HTMLTextAreaElement).value)} />
      </label>
      <FormError error={error} />
      <SaveButton />
    </form>
  );
}
