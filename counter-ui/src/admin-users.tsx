/** Admin: staff accounts — create, edit, disable/enable, unlock, reset password, photo for counter screens. */
import { useState } from 'preact/hooks';
import type { Role, UserView } from '@hall/protocol';
import { createUserBody, type UserForm } from './admin-forms';
import { FormError, SaveButton, Select, Text, serverError, useForm, useLoad } from './admin-fields';
import { lockedUntilText, patchUserBody, resetPasswordBody, userEditForm, type UserEditForm } from './admin-user-form';
import { StaffPhotoUpload } from './staff-photo-upload';
import { useStaff } from './staff-store';

export const ROLES: readonly (readonly [Role, string])[] = [
  ['clerk', '窗口人员 Clerk'],
  ['supervisor', '监督员 Supervisor'],
  ['admin', '管理员 Admin'],
];
const roleZh = (r: string) => ROLES.find(([x]) => x === r)?.[1] ?? r;

function statusText(u: UserView): string {
  if (u.disabled) return '已停用';
  return lockedUntilText(u.lockedUntil) ?? '正常';
}

export function UsersTab() {
  const [users, reload, missing] = useLoad<UserView[]>('/api/users');
  const [selected, setSelected] = useState<string | 'new'>('new');
  const current = users?.find((u) => u.id === selected);
  return (
    <div class="split">
      <div class="panel">
        <h2>
          人员 <small>Users</small>
        </h2>
        {missing && <div class="muted">服务器未提供人员列表</div>}
        <table class="list users">
          <thead>
            <tr>
              <th>用户名</th>
              <th>姓名</th>
              <th>工号</th>
              <th>角色</th>
              <th>状态</th>
              <th>照片 Photo</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users ?? []).map((u) => (
              <tr key={u.id} data-user={u.username} class={`${u.disabled ? 'disabled' : ''} ${selected === u.id ? 'sel' : ''}`} onClick={() => setSelected(u.id)}>
                <td>{u.username}</td>
                <td>{u.name}</td>
                <td>{u.staffNo}</td>
                <td>{roleZh(u.role)}</td>
                <td class={u.lockedUntil ? 'warn-text' : ''}>{statusText(u)}</td>
                <td onClick={(e) => e.stopPropagation()}>
                  <StaffPhotoUpload userId={u.id} name={u.name} />
                </td>
                <td>
                  <button type="button" class="btn-plain" data-cmd="edit-user" onClick={() => setSelected(u.id)}>
                    编辑 <small>Edit</small>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button class="btn-plain" onClick={() => setSelected('new')}>
          ＋ 新建人员 <small>New user</small>
        </button>
      </div>
      {current ? (
        <UserEditor key={JSON.stringify(current)} user={current} changed={reload} />
      ) : (
        <NewUser
          created={(id) => {
            reload();
            setSelected(id);
          }}
        />
      )}
    </div>
  );
}

function NewUser({ created }: { created: (id: string) => void }) {
  const s = useStaff();
  const empty: UserForm = { username: '', name: '', staffNo: '', role: 'clerk', password: '' };
  const [f, field, setForm] = useForm<UserForm>(empty);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="panel form new-user"
      onSubmit={async (e) => {
        e.preventDefault();
        const body = createUserBody(f);
        if (!body.ok) return setError(body.error);
        const r = await s.call<UserView>('POST', '/api/users', body.value, true);
        if (!r.ok) return setError(serverError(r.error));
        setError(null);
        setForm(empty);
        s.toast('info', `已创建用户 ${body.value.username}`);
        created(r.value.id);
      }}
    >
      <h2>
        新建人员 <small>New user</small>
      </h2>
      <Text label="用户名 User name（字母、数字）" value={f.username} set={field('username')} required autoComplete="off" name="new-username" />
      <Text label="姓名 Name" value={f.name} set={field('name')} required name="new-name" />
      <Text label="工号 Staff number" value={f.staffNo} set={field('staffNo')} name="new-staffno" />
      <Select label="角色 Role" value={f.role} set={field('role')} options={ROLES} name="new-role" />
      <Text label="初始密码（至少8位） Password, 8+ characters" type="password" value={f.password} set={field('password')} required autoComplete="new-password" name="new-password" />
      <FormError error={error} />
      <SaveButton zh="创建" en="Create" />
    </form>
  );
}

function UserEditor({ user, changed }: { user: UserView; changed: () => void }) {
  const s = useStaff();
  const original = userEditForm(user);
  const [f, field] = useForm<UserEditForm>(original);
  const [error, setError] = useState<string | null>(null);
  const [pw, setPw] = useState({ password: '', confirm: '' });
  const me = s.session.value?.user.id === user.id;
  const patch = async (body: Record<string, unknown>, done: string): Promise<boolean> => {
    const r = await s.call('PATCH', `/api/users/${encodeURIComponent(user.id)}`, body, true);
    if (!r.ok) {
      setError(serverError(r.error));
      return false;
    }
    setError(null);
    s.toast('info', done);
    changed();
    return true;
  };
  return (
    <div class="panel form user-editor" data-editing={user.username}>
      <h2>
        编辑人员：{user.name}（{user.username}） <small>Edit user</small>
      </h2>
      <div class="user-state">
        状态：<b>{statusText(user)}</b>
        {me && <small>（当前登录的账户 You）</small>}
      </div>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const body = patchUserBody(original, f);
          if (!body.ok) return setError(body.error);
          if (Object.keys(body.value).length === 0) return setError('没有修改 Nothing changed');
          await patch(body.value, `已保存 ${user.username}`);
        }}
      >
        <div class="grid2">
          <Text label="姓名 Name" value={f.name} set={field('name')} required name="edit-name" />
          <Text label="工号 Staff number" value={f.staffNo} set={field('staffNo')} name="edit-staffno" />
          <Select label="角色 Role（修改后该用户需重新登录）" value={f.role} set={field('role')} options={ROLES} name="edit-role" />
        </div>
        <SaveButton />
      </form>
      <div class="actions">
        {user.disabled ? (
          <button type="button" class="btn-primary" data-cmd="enable-user" onClick={() => void patch({ disabled: false }, `已启用 ${user.username}`)}>
            启用账户 <small>Enable</small>
          </button>
        ) : (
          <button
            type="button"
            class="btn-danger"
            data-cmd="disable-user"
            onClick={() => {
              if (confirm(`停用 ${user.name}？停用后立即退出登录且不能再登录。`)) void patch({ disabled: true }, `已停用 ${user.username}`);
            }}
          >
            停用账户 <small>Disable</small>
          </button>
        )}
        {user.lockedUntil && (
          <button
            type="button"
            class="btn-primary"
            data-cmd="unlock-user"
            onClick={async () => {
              const r = await s.call('POST', `/api/users/${encodeURIComponent(user.id)}/unlock`, undefined, true);
              if (!r.ok) return setError(serverError(r.error));
              s.toast('info', `已解锁 ${user.username}`);
              changed();
            }}
          >
            解除锁定 <small>Unlock</small>
          </button>
        )}
      </div>
      <form
        class="reset-password"
        onSubmit={async (e) => {
          e.preventDefault();
          const body = resetPasswordBody(pw.password, pw.confirm);
          if (!body.ok) return setError(body.error);
          if (await patch(body.value, `已重置 ${user.username} 的密码，其已登录的设备需重新登录`)) setPw({ password: '', confirm: '' });
        }}
      >
        <h3>
          重置密码 <small>Reset password</small>
        </h3>
        <div class="grid2">
          <Text label="新密码（至少8位） New password" type="password" autoComplete="new-password" value={pw.password} set={(v: string) => setPw((x) => ({ ...x, password: v }))} name="reset-password" />
          <Text label="再输入一次 Again" type="password" autoComplete="new-password" value={pw.confirm} set={(v: string) => setPw((x) => ({ ...x, confirm: v }))} name="reset-confirm" />
        </div>
        <SaveButton zh="重置密码" en="Reset" />
      </form>
      <FormError error={error} />
    </div>
  );
}
