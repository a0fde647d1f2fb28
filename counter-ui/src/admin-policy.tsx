/** Admin: the ordering policy (优先号比例, 超时优先, 过号重排, 预约提前…) and the kiosk rate. */
import { useState } from 'preact/hooks';
import type { Hall } from '@hall/protocol';
import { POLICY_LABELS, patchPolicyBody, policyForm, type PolicyForm } from './admin-policy-form';
import { FormError, SaveButton, sendForm, useForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';

export function PolicyTab() {
  const s = useStaff();
  const [hall, reload] = useLoad<Hall>('/api/hall');
  if (!hall) return <div class="muted">正在加载… Loading…</div>;
  return <PolicyEditor key={JSON.stringify([hall.policy, hall.terminalTicketsPerMinute])} hall={hall} saved={() => (reload(), s.toast('info', '叫号规则已保存，立即生效 Saved'))} />;
}

function PolicyEditor({ hall, saved }: { hall: Hall; saved: () => void }) {
  const s = useStaff();
  const original = policyForm(hall);
  const [f, field] = useForm<PolicyForm>(original);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form policy"
      onSubmit={(e) => {
        e.preventDefault();
        void sendForm(s, 'PATCH', '/api/hall', patchPolicyBody(original, f), setError, saved);
      }}
    >
      <h2>
        叫号规则 <small>Ordering policy</small>
      </h2>
      <p class="muted">
        叫号顺序：超时号码优先 → 到时的预约号 → 优先号与普通号按比例交替 → 各窗口按业务权重。修改即时生效。 Changes apply at once.
      </p>
      <div class="grid2">
        {(Object.keys(POLICY_LABELS) as (keyof PolicyForm)[]).map((k) => (
          <label key={k} class="field">
            <span>
              {POLICY_LABELS[k].zh} <small>{POLICY_LABELS[k].en}</small>
            </span>
            <input type="number" min={0} name={k} value={f[k]} onInput={(e) => field(k)((e.target as HTMLInputElement).value)} />
            <small class="help">{POLICY_LABELS[k].help}</small>
          </label>
        ))}
      </div>
      <FormError error={error} />
      <SaveButton />
    </form>
  );
}
