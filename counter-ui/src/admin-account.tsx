/** One's own password (any signed-in staff): the other sessions of the account end, this one stays. */
import { useState } from 'preact/hooks';
import { FormError, SaveButton, Text, serverError } from './admin-fields';
import { ownPasswordBody, type OwnPasswordForm } from './admin-user-form';
import { useStaff } from './staff-store';

export function OwnPasswordPanel() {
  const s = useStaff();
  const empty: OwnPasswordForm = { current: '', next: '', confirm: '' };
  const [f, setF] = useState<OwnPasswordForm>(empty);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof OwnPasswordForm) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  return (
    <form
      class="panel form own-password"
      onSubmit={async (e) => {
        e.preventDefault();
        const body = ownPasswordBody(f);
        if (!body.ok) return setError(body.error);
        const r = await s.call('POST', '/api/auth/password', body.value, true);
        if (!r.ok) return setError(r.error.code === 'AUTH.BAD_CREDENTIALS' ? '当前密码不正确 The current password is wrong（AUTH.BAD_CREDENTIALS）' : serverError(r.error));
        setError(null);
        setF(empty);
        s.toast('info', '密码已修改；该账户在其他设备上的登录已退出 Password changed');
      }}
    >
      <h2>
        修改我的密码 <small>Change my password</small>
      </h2>
      <p class="muted">账户：{s.session.value?.user.name}。修改后，您在其他电脑上的登录将退出，本机保持登录。</p>
      <Text label="当前密码 Current password" type="password" autoComplete="current-password" value={f.current} set={set('current')} name="current-password" required />
      <Text label="新密码（至少8位） New password" type="password" autoComplete="new-password" value={f.next} set={set('next')} name="new-own-password" required />
      <Text label="再输入一次 Again" type="password" autoComplete="new-password" value={f.confirm} set={set('confirm')} name="confirm-own-password" required />
      <FormError error={error} />
      <SaveButton zh="修改密码" en="Change password" />
    </form>
  );
}
