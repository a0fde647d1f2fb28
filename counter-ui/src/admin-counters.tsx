/** Admin: counters — number, name, the services each serves, the screen zone. */
import { useState } from 'preact/hooks';
import type { Counter, ServiceSummary } from '@hall/protocol';
import { counterForm, createCounterBody, patchCounterBody, type CounterForm } from './admin-forms';
import { Check, FormError, SaveButton, Text, sendForm, useForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';

export function CountersTab() {
  const s = useStaff();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [counters, reload] = useLoad<Counter[]>('/api/counters/all');
  const snap = s.snapshot.value;
  if (!snap || !counters) return <div class="muted">正在加载… Loading…</div>;
  const current = editing && editing !== 'new' ? counters.find((c) => c.id === editing) : undefined;
  const sorted = [...counters].sort((a, b) => a.number - b.number);
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
            {sorted.map((c) => (
              <tr key={c.id} data-counter={c.number} class={`${editing === c.id ? 'sel' : ''} ${c.enabled ? '' : 'disabled'}`} onClick={() => setEditing(c.id)}>
                <td>{c.number}</td>
                <td>{c.name}</td>
                <td>{c.services.map((l) => `${snap.services.find((x) => x.id === l.serviceId)?.prefix ?? l.serviceId}${l.weight !== 1 ? `×${l.weight}` : ''}`).join(' ')}</td>
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
            reload();
            s.toast('info', '窗口已保存 Saved');
          }}
        />
      )}
    </div>
  );
}

function CounterEditor({ counter, services, saved }: { counter: Counter | undefined; services: ServiceSummary[]; saved: () => void }) {
  const s = useStaff();
  const original = counterForm(counter ?? {});
  const [f, field] = useForm<CounterForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form counter-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (counter) void sendForm(s, 'PATCH', `/api/counters/${encodeURIComponent(counter.id)}`, patchCounterBody(original, f), setError, saved);
        else void sendForm(s, 'POST', '/api/counters', createCounterBody(f), setError, saved);
      }}
    >
      <h2>{counter ? `编辑窗口：${counter.number}号` : '新建窗口 New counter'}</h2>
      <div class="grid2">
        <Text label="窗口号 Number" type="number" min={1} value={f.number} set={field('number')} required />
        <Text label="名称 Name" value={f.name} set={field('name')} required />
        <Text label="显示区域 Zone（空 = 所有屏幕）" value={f.zone} set={field('zone')} />
      </div>
      <div class="field">
        <span>办理业务与权重 Services and weights（权重越大，该业务的号越先叫；默认 1）</span>
        <div class="service-weights">
          {services.map((svc) => {
            const on = f.serviceIds.includes(svc.id);
            return (
              <div key={svc.id} class="service-weight">
                <label class="check">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(e) => field('serviceIds')((e.target as HTMLInputElement).checked ? [...f.serviceIds, svc.id] : f.serviceIds.filter((x) => x !== svc.id))}
                  />
                  {svc.prefix} {svc.name}
                </label>
                {on && (
                  <input
                    type="number"
                    min={0.1}
                    max={100}
                    step={0.1}
                    aria-label={`${svc.name} 权重 weight`}
                    value={f.weights[svc.id] ?? '1'}
                    onInput={(e) => field('weights')({ ...f.weights, [svc.id]: (e.target as HTMLInputElement).value })}
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
      <Check label="启用 Enabled" value={f.enabled} set={field('enabled')} />
      <FormError error={error} />
      <SaveButton />
    </form>
  );
}
