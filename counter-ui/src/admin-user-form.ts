/** Users as the admin edits them, password resets, and one's own password change. */
import { ChangePasswordRequest, PatchUserRequest, type UserView } from '@hall/protocol';
import { changedFields, check, type Checked } from './admin-forms';

export interface UserEditForm {
  name: string;
  staffNo: string;
  role: string;
}

export function userEditForm(u: Pick<UserView, 'name' | 'staffNo' | 'role'>): UserEditForm {
  return { name: u.name, staffNo: u.staffNo, role: u.role };
}

export function patchUserBody(original: UserEditForm, f: UserEditForm): Checked<PatchUserRequest> {
  const fields = (x: UserEditForm) => ({ name: x.name.trim(), staffNo: x.staffNo.trim(), role: x.role });
  return check(PatchUserRequest, changedFields(fields(original), fields(f)));
}

/** Both entries must match before a password goes anywhere. */
function samePassword(password: string, confirm: string): string | null {
  if (password.length < 8) return '新密码至少8位 At least 8 characters';
  if (password !== confirm) return '两次输入的新密码不一致 The passwords differ';
  return null;
}

export function resetPasswordBody(password: string, confirm: string): Checked<PatchUserRequest> {
  const problem = samePassword(password, confirm);
  return problem ? { ok: false, error: problem } : check(PatchUserRequest, { password });
}

export interface OwnPasswordForm {
  current: string;
  next: string;
  confirm: string;
}

export function ownPasswordBody(f: OwnPasswordForm): Checked<ChangePasswordRequest> {
  if (!f.current) return { ok: false, error: '请输入当前密码 Enter your current password' };
  const problem = samePassword(f.next, f.confirm);
  if (problem) return { ok: false, error: problem };
  if (f.next === f.current) return { ok: false, error: '新密码不能与当前密码相同 Choose a new password' };
  return check(ChangePasswordRequest, { currentPassword: f.current, newPassword: f.next });
}

/** `2026-11-26T10:31:00+08:00` → `10:31`: the lock ends the same hall day or the next. */
export function lockedUntilText(iso: string | null): string | null {
  if (!iso) return null;
  const m = /T(\d{2}:\d{2})/.exec(iso);
  return m ? `已锁定至 ${m[1]}` : '已锁定';
}
