/** Admin: terminals (kiosks, hall screens) — create with a one-time token, revoke. */
import { useState } from 'preact/hooks';
import { createTerminalBody, terminalUrl, type TerminalForm } from './admin-forms';
import { FormError, SaveButton, Select, Text, serverError, useForm, useLoad } from './admin-fields';
import { useStaff } from './staff-store';

interface TerminalRow {
  id: string;
  kind: 'kiosk' | 'display' | 'integration';
  name: string;
  zone: string | null;
  createdAt?: string;
  revoked?: boolean;
}

const KINDS = [
  ['kiosk', '自助取号机 Kiosk'],
  ['display', '大厅显示屏 Hall screen'],
  // A provincial platform booking appointments on citizens' behalf (issue 16): its token books, lists and cancels.
  ['integration', '省级平台接口（预约） Integration'],
] as const;
const KIND_ZH = { kiosk: '取号机', display: '显示屏', integration: '平台接口' } as const;

export function TerminalsTab() {
  const s = useStaff();
  const [terminals, reload] = useLoad<TerminalRow[]>('/api/terminals');
  const empty: TerminalForm = { kind: 'kiosk', name: '', zone: '' };
  const [f, field, setForm] = useForm<TerminalForm>(empty);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string; url: string } | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const rows = (terminals ?? []).filter((t) => showRevoked || !t.revoked);
  return (
    <div class="split">
      <div class="panel">
        <h2>
          终端 <small>Terminals (kiosks, hall screens)</small>
        </h2>
        <table class="list terminals">
          <thead>
            <tr>
              <th>类型</th>
              <th>名称</th>
              <th>区域</th>
              <th>状态</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id} data-terminal={t.name} class={t.revoked ? 'disabled' : ''}>
                <td>{KIND_ZH[t.kind] ?? t.kind}</td>
                <td>{t.name}</td>
                <td>{t.zone ?? '—'}</td>
                <td>{t.revoked ? '已吊销' : '有效'}</td>
                <td>
                  {!t.revoked && (
                    <button
                      type="button"
                      class="btn-plain danger"
                      data-cmd="revoke-terminal"
                      onClick={async () => {
                        if (!confirm(`吊销终端「${t.name}」？该终端将立即断开，需重新配对才能使用。`)) return;
                        const r = await s.call('DELETE', `/api/terminals/${encodeURIComponent(t.id)}`, undefined, true);
                        if (!r.ok) return setError(serverError(r.error));
                        s.toast('info', `已吊销终端 ${t.name}`);
                        reload();
                      }}
                    >
                      吊销 <small>Revoke</small>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label class="check">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked((e.target as HTMLInputElement).checked)} />
          显示已吊销的终端 Show revoked
        </label>
      </div>
      <div class="panel form">
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const body = createTerminalBody(f);
            if (!body.ok) return setError(body.error);
            const r = await s.call<{ id: string; token: string; url?: string }>('POST', '/api/terminals', body.value, true);
            if (!r.ok) return setError(serverError(r.error));
            setError(null);
            setCreated({ name: body.value.name, token: r.value.token, url: r.value.url ?? (body.value.kind === 'integration' ? `${location.origin}/api/appointments` : terminalUrl(location.origin, body.value.kind, r.value.token)) });
            setForm(empty);
            reload();
          }}
        >
          <h2>
            新建终端 <small>New terminal</small>
          </h2>
          <Select label="类型 Kind" value={f.kind} set={field('kind')} options={KINDS} />
          <Text label="名称 Name" value={f.name} set={field('name')} required name="terminal-name" />
          <Text label="区域 Zone（选填）" value={f.zone} set={field('zone')} />
          <FormError error={error} />
          <SaveButton zh="创建" en="Create" />
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
